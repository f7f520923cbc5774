//! The learner's progress: one small JSON file, `.lab/progress.json` at the
//! workspace root (git ignores `/.lab/`), keyed by each exercise's stable id,
//! its slug (`first-handler`), never by its number, so renumbering the
//! exercises never strands anyone's progress.
//!
//! ```json
//! {
//!   "version": 1,
//!   "exercises": {
//!     "first-handler": {
//!       "status": "passed",
//!       "attempts": 3,
//!       "firstAttempt": "2025-03-04T09:12:30Z",
//!       "lastAttempt": "2025-03-04T09:20:02Z",
//!       "hintsShown": 1
//!     }
//!   }
//! }
//! ```
//!
//! It holds nothing personal: no paths, no user or machine names, only
//! statuses, counts and UTC times. An instructor's `cargo lab report` reads it.
//!
//! A missing file means a fresh start. A file that cannot be read as progress
//! is never silently overwritten: it is renamed to
//! `progress.json.broken-YYYYmmdd-HHMMSS` beside it, and [`Progress::load`]
//! returns a notice saying so, once (the next load finds no file).
//!
//! Saving is safe when several processes save at once (two `cargo lab check`,
//! or one beside the watch loop): it takes an exclusive lock on
//! `.progress.json.lock` beside the file, reads the file again, applies what
//! this process changed since it loaded it (attempts counted, hints shown),
//! and writes a temporary file in the same folder that it renames over the
//! old one. So an update saved meanwhile by another process is kept, and a
//! crash mid-write leaves the previous progress whole.
//!
//! `LAB_STATE_DIR`, when set, replaces the `.lab/` folder (progress and
//! backups); the workshop's own tests use it so they never touch a learner's
//! real progress.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The environment variable that replaces `<workspace>/.lab/` (for tests).
pub(crate) const STATE_DIR_VAR: &str = "LAB_STATE_DIR";
const FILE_NAME: &str = "progress.json";
/// Beside the progress file; held while a save reads, changes and writes it.
const LOCK_NAME: &str = ".progress.json.lock";
const FORMAT_VERSION: u64 = 1;
/// How long a save waits for another process's save (which takes
/// milliseconds) before going ahead without the lock: a process stopped
/// while holding it must not stop the learner's saves for good.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Where the workshop keeps its state: `LAB_STATE_DIR`, or `<root>/.lab`.
pub(crate) fn state_dir(root: &Path) -> PathBuf {
    match std::env::var_os(STATE_DIR_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => root.join(".lab"),
    }
}

/// A path for messages: relative to the workspace root when it is inside it.
pub(crate) fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string().replace('\\', "/")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Status {
    #[default]
    NotStarted,
    Failing,
    Passed,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::Failing => "failing",
            Status::Passed => "passed",
        }
    }

    fn parse(text: &str) -> Option<Status> {
        match text {
            "not started" => Some(Status::NotStarted),
            "failing" => Some(Status::Failing),
            "passed" => Some(Status::Passed),
            _ => None,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One exercise's progress.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    pub status: Status,
    /// How many times its checks were run.
    pub attempts: u32,
    /// RFC 3339 UTC times of the first and the latest run of its checks.
    pub first_attempt: Option<String>,
    pub last_attempt: Option<String>,
    /// How many of its hints were shown (the next one is `hints[hints_shown]`).
    pub hints_shown: u32,
}

impl Entry {
    fn to_json(&self) -> Value {
        json!({
            "status": self.status.as_str(),
            "attempts": self.attempts,
            "firstAttempt": self.first_attempt,
            "lastAttempt": self.last_attempt,
            "hintsShown": self.hints_shown,
        })
    }

    fn from_json(value: &Value) -> Option<Entry> {
        let object = value.as_object()?;
        let count = |key: &str| match object.get(key) {
            None | Some(Value::Null) => Some(0),
            Some(v) => v.as_u64().and_then(|n| u32::try_from(n).ok()),
        };
        let time = |key: &str| match object.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(text)) => Some(Some(text.clone())),
            Some(_) => None,
        };
        let status = match object.get("status") {
            None => Status::NotStarted,
            Some(v) => Status::parse(v.as_str()?)?,
        };
        Some(Entry {
            status,
            attempts: count("attempts")?,
            first_attempt: time("firstAttempt")?,
            last_attempt: time("lastAttempt")?,
            hints_shown: count("hintsShown")?,
        })
    }
}

/// Every exercise's progress, by slug. Exercises never attempted have no entry.
#[derive(Clone, Debug)]
pub(crate) struct Progress {
    file: PathBuf,
    /// The workspace, for the paths in messages.
    root: PathBuf,
    /// By slug; slugs of exercises that no longer exist are kept as they are.
    pub exercises: BTreeMap<String, Entry>,
    /// What this process changed since loading, in order: [`Progress::save`]
    /// applies them again to the file as it is then, so that what another
    /// process saved meanwhile is not overwritten.
    changes: Vec<Change>,
}

/// One change to the progress, as it is applied again when saving.
#[derive(Clone, Debug)]
enum Change {
    /// One run of the exercise's checks, at `at` (RFC 3339).
    Attempt { slug: String, passed: bool, at: String },
    /// The learner has seen `shown` of the exercise's hints. A count rather
    /// than "one more": two `cargo lab hint` at once both showed the same
    /// hint, and the next one is still the one after it.
    Hints { slug: String, shown: u32 },
}

impl Change {
    fn apply(&self, exercises: &mut BTreeMap<String, Entry>) {
        match self {
            Change::Attempt { slug, passed, at } => {
                let entry = exercises.entry(slug.clone()).or_default();
                entry.attempts = entry.attempts.saturating_add(1);
                // Another process may have saved a later run first, so the
                // times are compared (RFC 3339 UTC times sort as text) and
                // the status is the latest run's.
                if entry.first_attempt.as_ref().is_none_or(|first| at < first) {
                    entry.first_attempt = Some(at.clone());
                }
                if entry.last_attempt.as_ref().is_none_or(|last| at >= last) {
                    entry.last_attempt = Some(at.clone());
                    entry.status = if *passed { Status::Passed } else { Status::Failing };
                }
            }
            Change::Hints { slug, shown } => {
                let entry = exercises.entry(slug.clone()).or_default();
                entry.hints_shown = entry.hints_shown.max(*shown);
            }
        }
    }
}

/// What reading the progress file found.
enum Found {
    /// The file's progress (none at all when there is no file).
    Progress(BTreeMap<String, Entry>),
    /// A damaged file, set aside: progress starts afresh, and the notice says so.
    SetAside(String),
    /// A file that could not be read at all (left as it is), and the notice.
    Unreadable(String),
}

fn read(file: &Path, root: &Path) -> Found {
    let text = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Found::Progress(BTreeMap::new()),
        Err(e) => {
            return Found::Unreadable(format!(
                "note: could not read your progress file {} ({e}); starting from no progress this time.",
                shown(file, root)
            ));
        }
    };
    if let Some(exercises) = parse(&text) {
        return Found::Progress(exercises);
    }
    let aside = file.with_file_name(format!("{FILE_NAME}.broken-{}", file_stamp(SystemTime::now())));
    Found::SetAside(match std::fs::rename(file, &aside) {
        Ok(()) => format!(
            "note: your progress file {} was damaged, so progress starts afresh; the old file is kept as {}.",
            shown(file, root),
            shown(&aside, root)
        ),
        Err(e) => format!(
            "note: your progress file {} is damaged and could not be set aside ({e}); progress starts afresh.",
            shown(file, root)
        ),
    })
}

impl Progress {
    /// Read the progress of the workspace at `root`. A missing file is a fresh
    /// start; an unreadable one is set aside and the notice says where.
    pub(crate) fn load(root: &Path) -> (Progress, Option<String>) {
        Progress::load_at(state_dir(root).join(FILE_NAME), root)
    }

    /// The same for the progress file `file` (the tests' own).
    fn load_at(file: PathBuf, root: &Path) -> (Progress, Option<String>) {
        let mut progress =
            Progress { file: file.clone(), root: root.to_path_buf(), exercises: BTreeMap::new(), changes: Vec::new() };
        match read(&file, root) {
            Found::Progress(exercises) => {
                progress.exercises = exercises;
                (progress, None)
            }
            Found::SetAside(notice) | Found::Unreadable(notice) => (progress, Some(notice)),
        }
    }

    /// The exercise's progress (a default, not-started entry when it has none).
    pub(crate) fn get(&self, slug: &str) -> Entry {
        self.exercises.get(slug).cloned().unwrap_or_default()
    }

    pub(crate) fn status(&self, slug: &str) -> Status {
        self.exercises.get(slug).map(|e| e.status).unwrap_or_default()
    }

    /// Count one run of the exercise's checks, now.
    pub(crate) fn record_attempt(&mut self, slug: &str, passed: bool) {
        let change = Change::Attempt { slug: slug.to_string(), passed, at: rfc3339(SystemTime::now()) };
        change.apply(&mut self.exercises);
        self.changes.push(change);
    }

    /// Remember that one more hint was shown.
    pub(crate) fn record_hint(&mut self, slug: &str) {
        let entry = self.exercises.entry(slug.to_string()).or_default();
        entry.hints_shown = entry.hints_shown.saturating_add(1);
        self.changes.push(Change::Hints { slug: slug.to_string(), shown: entry.hints_shown });
    }

    /// Save this process's changes: under the lock, onto the file as it is
    /// now (see the module's documentation), written atomically. Afterwards
    /// `exercises` is what was saved. Gives a notice when the file had been
    /// damaged meanwhile and was set aside.
    pub(crate) fn save(&mut self) -> Result<Option<String>, String> {
        let folder = self.file.parent().unwrap_or(Path::new(".")).to_path_buf();
        std::fs::create_dir_all(&folder)
            .map_err(|e| format!("could not create the folder {} for your progress: {e}", folder.display()))?;
        let _lock = lock(&folder.join(LOCK_NAME));
        let (exercises, notice) = match read(&self.file, &self.root) {
            Found::Progress(mut exercises) => {
                for change in &self.changes {
                    change.apply(&mut exercises);
                }
                (exercises, None)
            }
            Found::SetAside(notice) => {
                let mut exercises = BTreeMap::new();
                for change in &self.changes {
                    change.apply(&mut exercises);
                }
                (exercises, Some(notice))
            }
            // Left as it is by `read`; what this process has is all there is.
            Found::Unreadable(notice) => (self.exercises.clone(), Some(notice)),
        };
        let mut document = Map::new();
        for (slug, entry) in &exercises {
            document.insert(slug.clone(), entry.to_json());
        }
        let document = json!({ "version": FORMAT_VERSION, "exercises": document });
        let text = serde_json::to_string_pretty(&document).expect("progress is plain JSON") + "\n";
        // A name of its own even without the lock (where locks are not
        // supported): another thread's or process's temporary file is never
        // overwritten or renamed from under it.
        static SAVES: AtomicU64 = AtomicU64::new(0);
        let temporary =
            folder.join(format!(".{FILE_NAME}.{}-{}.tmp", std::process::id(), SAVES.fetch_add(1, Ordering::Relaxed)));
        std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, &self.file)).map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            format!("could not save your progress in {}: {e}", self.file.display())
        })?;
        self.exercises = exercises;
        self.changes.clear();
        Ok(notice)
    }
}

/// Hold the lock on `path` (created if need be) until the file is dropped.
/// None when it cannot be had: locks not supported there, or held for more
/// than [`LOCK_WAIT`] by a process that is stuck. Saving then goes ahead
/// without it, as it did before there was a lock, rather than not at all.
fn lock(path: &Path) -> Option<File> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match try_lock(path) {
            Ok(Some(file)) => return Some(file),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => return None,
        }
    }
}

/// The lock if it is free now, None if another holds it. `flock` rather than
/// std's `File::lock`: that one needs Rust 1.89, and the workshop builds
/// with 1.85 (`rust-version`, and `cargo lab doctor`'s check). The lock goes
/// with the open file, so it is released when the process ends, however it
/// ends; and two opens in one process exclude each other too.
#[cfg(unix)]
#[allow(unsafe_code)] // the SAFETY comment is at the block
fn try_lock(path: &Path) -> std::io::Result<Option<File>> {
    use std::os::fd::AsRawFd;
    let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?;
    // SAFETY: flock on a descriptor the File owns and keeps open.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        return Ok(Some(file));
    }
    let error = std::io::Error::last_os_error();
    match error.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted => Ok(None),
        _ => Err(error),
    }
}

/// On Windows a file opened with no sharing cannot be opened again until
/// that handle is closed (at the latest when the process ends): the open is
/// the lock.
#[cfg(windows)]
fn try_lock(path: &Path) -> std::io::Result<Option<File>> {
    use std::os::windows::fs::OpenOptionsExt;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    let opened =
        std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).share_mode(0).open(path);
    match opened {
        Ok(file) => Ok(Some(file)),
        Err(error) if error.raw_os_error() == Some(ERROR_SHARING_VIOLATION) => Ok(None),
        Err(error) => Err(error),
    }
}

#[cfg(not(any(unix, windows)))]
fn try_lock(_path: &Path) -> std::io::Result<Option<File>> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn parse(bytes: &[u8]) -> Option<BTreeMap<String, Entry>> {
    let document: Value = serde_json::from_slice(bytes).ok()?;
    let document = document.as_object()?;
    if document.get("version").and_then(Value::as_u64) != Some(FORMAT_VERSION) {
        return None;
    }
    let mut exercises = BTreeMap::new();
    for (slug, entry) in document.get("exercises")?.as_object()? {
        exercises.insert(slug.clone(), Entry::from_json(entry)?);
    }
    Some(exercises)
}

/// Load, change and save in one go; returns the notices to show (a damaged
/// file set aside, a save that failed). Used by `checks` and `hint`.
pub(crate) fn update(root: &Path, change: impl FnOnce(&mut Progress)) -> Vec<String> {
    update_at(state_dir(root).join(FILE_NAME), root, change)
}

fn update_at(file: PathBuf, root: &Path, change: impl FnOnce(&mut Progress)) -> Vec<String> {
    let (mut progress, notice) = Progress::load_at(file, root);
    let mut notices: Vec<String> = notice.into_iter().collect();
    change(&mut progress);
    match progress.save() {
        // The same notice as the load's when the file is still unreadable.
        Ok(Some(notice)) if !notices.contains(&notice) => notices.push(notice),
        Ok(_) => {}
        Err(message) => notices.push(format!("note: {message}")),
    }
    notices
}

/// `2025-03-04T09:12:30Z`: RFC 3339, UTC, whole seconds.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    harness::time::rfc3339(time)
}

/// `20250304-091230`, UTC: for backup folders and set-aside files.
pub(crate) fn file_stamp(time: SystemTime) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let (y, mo, d, h, mi, s) = harness::time::utc_fields(since_epoch);
    format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let leap_day = UNIX_EPOCH + Duration::from_secs(951_782_400 + 3661);
        assert_eq!(rfc3339(leap_day), "2000-02-29T01:01:01Z");
        assert_eq!(file_stamp(leap_day), "20000229-010101");
        let later = UNIX_EPOCH + Duration::from_secs(1_735_689_599);
        assert_eq!(rfc3339(later), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn writers_at_once_lose_no_update() {
        // As several `cargo lab check` (and the watch loop) finishing at
        // once: each thread counts attempts at an exercise of its own, all
        // at the same time, and every attempt must be in the file after.
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join(".lab").join(FILE_NAME);
        const WRITERS: usize = 12;
        const ROUNDS: u32 = 8;
        let start = std::sync::Barrier::new(WRITERS);
        std::thread::scope(|scope| {
            for writer in 0..WRITERS {
                let (root, file, start) = (root.path(), &file, &start);
                std::thread::Builder::new()
                    .name(format!("writer-{writer}"))
                    .spawn_scoped(scope, move || {
                        start.wait();
                        for round in 0..ROUNDS {
                            let notices = update_at(file.clone(), root, |p| {
                                p.record_attempt(&format!("exercise-{writer}"), round % 2 == 1)
                            });
                            assert!(notices.is_empty(), "{notices:?}");
                        }
                    })
                    .unwrap();
            }
        });
        let (progress, notice) = Progress::load_at(file, root.path());
        assert_eq!(notice, None);
        for writer in 0..WRITERS {
            let entry = progress.get(&format!("exercise-{writer}"));
            assert_eq!((entry.attempts, entry.status), (ROUNDS, Status::Passed), "exercise-{writer}");
        }
    }

    #[test]
    fn a_save_keeps_what_another_process_saved_since_it_loaded() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join(FILE_NAME);
        // Two processes load the same progress: a check in one, hints in the other.
        let (mut check, _) = Progress::load_at(file.clone(), root.path());
        let (mut hint, _) = Progress::load_at(file.clone(), root.path());
        let (mut hint_again, _) = Progress::load_at(file.clone(), root.path());
        check.record_attempt("first-handler", false);
        hint.record_hint("first-handler");
        hint_again.record_hint("first-handler");
        check.record_attempt("first-handler", true);
        assert_eq!(check.save(), Ok(None));
        assert_eq!(hint.save(), Ok(None));
        assert_eq!(hint_again.save(), Ok(None));
        let (saved, _) = Progress::load_at(file, root.path());
        let entry = saved.get("first-handler");
        assert_eq!((entry.attempts, entry.status), (2, Status::Passed), "the check's attempts are kept");
        // Both showed the first hint, so the next one is the second.
        assert_eq!(entry.hints_shown, 1);
        assert_eq!(hint_again.exercises, saved.exercises, "after a save, it holds what was saved");
    }

    #[test]
    fn entries_round_trip_and_bad_ones_are_refused() {
        let entry = Entry {
            status: Status::Failing,
            attempts: 2,
            first_attempt: Some("2025-01-01T00:00:00Z".into()),
            last_attempt: Some("2025-01-01T00:05:00Z".into()),
            hints_shown: 1,
        };
        assert_eq!(Entry::from_json(&entry.to_json()), Some(entry));
        assert_eq!(Entry::from_json(&json!({"status": "done"})), None);
        assert_eq!(Entry::from_json(&json!({"attempts": -1})), None);
        assert!(parse(b"{\"version\": 1, \"exercises\": {}}").is_some());
        assert!(parse(b"{\"exercises\": {}}").is_none());
        assert!(parse(b"not json").is_none());
    }
}
