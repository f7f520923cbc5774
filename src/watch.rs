//! Noticing that a learner saved an exercise's file. The operating system
//! says when something in `exercises/` changes (inotify on Linux, FSEvents
//! on macOS, through the `notify` crate), and only then are the exercises'
//! files looked at to see which changed. Where such notices do not arrive
//! (network folders, WSL's `/mnt/c`, a watcher that cannot start, or
//! `LAB_WATCH=poll`) the files are looked at on a timer instead. Either way
//! they are also looked at every [`SAFETY_LOOK`], so a notice lost by the
//! operating system delays a verdict but never loses it.
//!
//! A change is reported once the file has stayed unchanged for [`SETTLE`]:
//! editors often write a file twice in a row (truncate, then write).

use harness::exercise::Exercise;
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// How long a file must stay unchanged before its checks run.
const SETTLE: Duration = Duration::from_millis(25);
/// How often the files are looked at when notices do not arrive.
const POLL: Duration = Duration::from_millis(100);
/// How often they are looked at even when notices arrive.
const SAFETY_LOOK: Duration = Duration::from_secs(2);
/// `LAB_WATCH=poll` makes the workshop look on a timer, whatever the folder.
const WATCH_VARIABLE: &str = "LAB_WATCH";

/// How changes are noticed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The operating system's change notices.
    Notices,
    /// Looking at the files on a timer, and why.
    Polling(&'static str),
}

pub(crate) struct Watcher {
    mode: Mode,
    /// Keeps the operating system's watch alive; None when polling.
    _watcher: Option<notify::RecommendedWatcher>,
    notices: mpsc::Receiver<()>,
    stamps: Vec<Vec<Option<SystemTime>>>,
    pending: HashMap<usize, Instant>,
    last_look: Instant,
}

impl Watcher {
    /// Watch the files of `exercises`, all under `root/exercises`.
    pub(crate) fn start(root: &Path, exercises: &[Exercise]) -> Watcher {
        let folder = root.join("exercises");
        let (tx, notices) = mpsc::channel();
        let forced = std::env::var(WATCH_VARIABLE).is_ok_and(|v| v == "poll");
        let (mode, watcher) = if forced {
            (Mode::Polling("LAB_WATCH=poll is set"), None)
        } else if let Some(why) = remote_folder(&folder) {
            (Mode::Polling(why), None)
        } else {
            match notices_for(&folder, tx) {
                Ok(watcher) => (Mode::Notices, Some(watcher)),
                Err(_) => (Mode::Polling("the operating system's change notices could not be set up"), None),
            }
        };
        Watcher {
            mode,
            _watcher: watcher,
            notices,
            stamps: stamps_of(exercises),
            pending: HashMap::new(),
            last_look: Instant::now(),
        }
    }

    pub(crate) fn mode(&self) -> Mode {
        self.mode
    }

    /// The exercises (by index) whose files changed and have settled since
    /// the last call.
    pub(crate) fn changed(&mut self, exercises: &[Exercise]) -> Vec<usize> {
        let mut noticed = false;
        while self.notices.try_recv().is_ok() {
            noticed = true;
        }
        let interval = if self.mode == Mode::Notices { SAFETY_LOOK } else { POLL };
        if noticed || !self.pending.is_empty() || self.last_look.elapsed() >= interval {
            self.last_look = Instant::now();
            let now = stamps_of(exercises);
            for (index, (old, new)) in self.stamps.iter().zip(&now).enumerate() {
                if old != new {
                    self.pending.insert(index, Instant::now());
                }
            }
            self.stamps = now;
        }
        let ready: Vec<usize> =
            self.pending.iter().filter(|(_, at)| at.elapsed() >= SETTLE).map(|(index, _)| *index).collect();
        for index in &ready {
            self.pending.remove(index);
        }
        ready
    }

    /// Take the files as they are now as seen (after the workshop itself
    /// changed nothing, but a command run beside it did, say).
    pub(crate) fn forget_changes(&mut self, exercises: &[Exercise]) {
        self.stamps = stamps_of(exercises);
        self.pending.clear();
    }
}

fn notices_for(folder: &Path, tx: mpsc::Sender<()>) -> notify::Result<notify::RecommendedWatcher> {
    use notify::Watcher as _;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Which file changed is found by looking: a notice only says when.
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })?;
    watcher.watch(folder, notify::RecursiveMode::Recursive)?;
    Ok(watcher)
}

/// The modification times of every exercise's files, in exercise order.
fn stamps_of(exercises: &[Exercise]) -> Vec<Vec<Option<SystemTime>>> {
    exercises
        .iter()
        .map(|e| e.files.iter().map(|f| std::fs::metadata(e.dir.join(f)).and_then(|m| m.modified()).ok()).collect())
        .collect()
}

/// Why change notices would not arrive for `folder`, if they would not: a
/// file system whose changes happen elsewhere (a network share, WSL's
/// Windows drives, a FUSE mount such as sshfs).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // the SAFETY comment is at the block
fn remote_folder(folder: &Path) -> Option<&'static str> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(folder.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs fills the zeroed struct it is given for a valid C string.
    let kind = unsafe {
        let mut info: libc::statfs = std::mem::zeroed();
        if libc::statfs(path.as_ptr(), &mut info) != 0 {
            return None;
        }
        info.f_type as i64
    };
    file_system_without_notices(kind)
}

#[cfg(not(target_os = "linux"))]
fn remote_folder(_folder: &Path) -> Option<&'static str> {
    None
}

/// The file systems (by the magic number statfs gives, from Linux's
/// `include/uapi/linux/magic.h`) on which inotify hears only this machine's
/// own changes, or none.
fn file_system_without_notices(kind: i64) -> Option<&'static str> {
    match kind {
        0x6969 => Some("this folder is on NFS, a network file system"),
        0x517B | 0xFF53_4D42 | 0xFE53_4D42 => Some("this folder is on a Windows (SMB) network share"),
        0x0102_1997 => Some("this folder is on a 9p file system (WSL's /mnt/c, a virtual machine's shared folder)"),
        0x6573_5546 => Some("this folder is on a FUSE file system (sshfs, a cloud drive)"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_and_wsl_folders_are_polled() {
        assert!(file_system_without_notices(0x0102_1997).unwrap().contains("WSL"));
        assert!(file_system_without_notices(0x6969).is_some());
        assert!(file_system_without_notices(0xFF53_4D42).is_some());
        assert_eq!(file_system_without_notices(0xEF53), None, "ext4 gives notices");
        assert_eq!(file_system_without_notices(0x0102_1994), None, "tmpfs gives notices");
    }
}
