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
//! Saving writes a temporary file in the same folder and renames it over the
//! old one, so a crash mid-write leaves the previous progress whole.
//!
//! `LAB_STATE_DIR`, when set, replaces the `.lab/` folder (progress and
//! backups); the workshop's own tests use it so they never touch a learner's
//! real progress.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable that replaces `<workspace>/.lab/` (for tests).
pub(crate) const STATE_DIR_VAR: &str = "LAB_STATE_DIR";
const FILE_NAME: &str = "progress.json";
const FORMAT_VERSION: u64 = 1;

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
    /// By slug; slugs of exercises that no longer exist are kept as they are.
    pub exercises: BTreeMap<String, Entry>,
}

impl Progress {
    /// Read the progress of the workspace at `root`. A missing file is a fresh
    /// start; an unreadable one is set aside and the notice says where.
    pub(crate) fn load(root: &Path) -> (Progress, Option<String>) {
        let file = state_dir(root).join(FILE_NAME);
        let mut progress = Progress { file: file.clone(), exercises: BTreeMap::new() };
        let text = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (progress, None),
            Err(e) => {
                return (
                    progress,
                    Some(format!(
                        "note: could not read your progress file {} ({e}); starting from no progress this time.",
                        shown(&file, root)
                    )),
                );
            }
        };
        match parse(&text) {
            Some(exercises) => {
                progress.exercises = exercises;
                (progress, None)
            }
            None => {
                let aside = file.with_file_name(format!("{FILE_NAME}.broken-{}", file_stamp(SystemTime::now())));
                let notice = match std::fs::rename(&file, &aside) {
                    Ok(()) => format!(
                        "note: your progress file {} was damaged, so progress starts afresh; the old file is kept as {}.",
                        shown(&file, root),
                        shown(&aside, root)
                    ),
                    Err(e) => format!(
                        "note: your progress file {} is damaged and could not be set aside ({e}); progress starts afresh.",
                        shown(&file, root)
                    ),
                };
                (progress, Some(notice))
            }
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
        let now = rfc3339(SystemTime::now());
        let entry = self.exercises.entry(slug.to_string()).or_default();
        entry.attempts += 1;
        entry.first_attempt.get_or_insert_with(|| now.clone());
        entry.last_attempt = Some(now);
        entry.status = if passed { Status::Passed } else { Status::Failing };
    }

    /// Remember that one more hint was shown.
    pub(crate) fn record_hint(&mut self, slug: &str) {
        self.exercises.entry(slug.to_string()).or_default().hints_shown += 1;
    }

    /// Write the progress atomically: a temporary file, then a rename.
    pub(crate) fn save(&self) -> Result<(), String> {
        let folder = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("could not create the folder {} for your progress: {e}", folder.display()))?;
        let mut exercises = Map::new();
        for (slug, entry) in &self.exercises {
            exercises.insert(slug.clone(), entry.to_json());
        }
        let document = json!({ "version": FORMAT_VERSION, "exercises": exercises });
        let text = serde_json::to_string_pretty(&document).expect("progress is plain JSON") + "\n";
        let temporary = folder.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, &self.file)).map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            format!("could not save your progress in {}: {e}", self.file.display())
        })
    }
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
    let (mut progress, notice) = Progress::load(root);
    let mut notices: Vec<String> = notice.into_iter().collect();
    change(&mut progress);
    if let Err(message) = progress.save() {
        notices.push(format!("note: {message}"));
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
