//! An exercise's starter: its files as committed in git, read with
//! `git show HEAD:./path`. `cargo lab check` skips an exercise whose files
//! are still the starter; `cargo lab reset` writes the starter back.

use crate::progress::shown;
use harness::exercise::Exercise;
use std::path::Path;
use std::process::Command;

/// Whether every file the learner edits is still exactly the committed
/// starter; None when that cannot be told (no git, not a clone).
pub(crate) fn still_the_starter(root: &Path, exercise: &Exercise) -> Option<bool> {
    for file in &exercise.files {
        let starter = committed(root, &exercise.dir.join(file)).ok()?;
        if std::fs::read(exercise.dir.join(file)).ok().as_deref() != Some(starter.as_slice()) {
            return Some(false);
        }
    }
    Some(true)
}

/// Why the committed version of a file cannot be had.
pub(crate) enum GitError {
    /// git itself is missing.
    Missing,
    /// git ran and refused (not a clone, or the file is not committed).
    Refused(String),
}

/// The file as committed in HEAD, read with `git show HEAD:./path` from the root.
pub(crate) fn committed(root: &Path, path: &Path) -> Result<Vec<u8>, GitError> {
    let relative = shown(path, root);
    let output = Command::new("git")
        .args(["show", &format!("HEAD:./{relative}")])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|_| GitError::Missing)?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let said = String::from_utf8_lossy(&output.stderr);
    Err(GitError::Refused(said.lines().next().unwrap_or("").trim().to_string()))
}
