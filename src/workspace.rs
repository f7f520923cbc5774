//! Finding the workshop from the current folder, and an exercise in it by
//! the name a learner gives (`06`, `s3-events`, `06-s3-events`,
//! `exercise-06`); and how the commands name an exercise and its files.
//!
//! A mistake here (outside the workspace, an unknown id) is a mistake in the
//! command, a [`CliError::Usage`].

use crate::error::CliError;
use crate::progress::{Progress, shown};
use harness::exercise::{self, Exercise};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub(crate) const NOT_IN_WORKSPACE: &str = "this is not inside the workshop's folder (the one holding exercises/ and crates/); cd into your clone of the book's repository and run the command again";

/// The workspace root and its exercises, found from the current folder (or,
/// for a `lab` installed with `cargo install`, the clone it was installed
/// from); or why not.
pub(crate) fn workspace() -> Result<(PathBuf, Vec<Exercise>), CliError> {
    let here = std::env::current_dir().unwrap_or_default();
    let root = match exercise::workspace_root(&here) {
        Some(root) => root,
        None => {
            let installed =
                installed_from(std::env::current_exe().ok()).ok_or_else(|| CliError::usage(NOT_IN_WORKSPACE))?;
            eprintln!(
                "(outside the workshop's folder: using {}, the clone this lab was installed from)",
                installed.display()
            );
            installed
        }
    };
    match Exercise::discover(&root) {
        Ok(found) if found.is_empty() => Err(CliError::Usage(format!(
            "found the workshop's folder {} but no exercises in its exercises/ folder",
            root.display()
        ))),
        Ok(found) => Ok((root, found)),
        Err(message) => Err(CliError::Usage(message)),
    }
}

/// The clone a `lab` installed with `cargo install --path .` was built from,
/// when it still holds the workshop: such a `lab` works from any folder. A
/// binary under the clone's own `target/` is `cargo lab` (or a test) and
/// goes by the current folder alone, as cargo's alias does.
fn installed_from(exe: Option<PathBuf>) -> Option<PathBuf> {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if exe.is_none_or(|exe| exe.starts_with(source.join("target"))) {
        return None;
    }
    (source.join("exercises").is_dir() && source.join("crates").is_dir()).then_some(source)
}

/// The file in the state folder that names the exercise the learner is on.
const CURRENT_FILE: &str = "current-exercise";

/// Remember `exercise` as the one the learner is on (the workshop's "Now:",
/// the last one checked), for `hint`, `reset` and `solution` without a name.
/// Best effort: a folder that cannot be written only loses the default.
pub(crate) fn remember_current(root: &Path, exercise: &Exercise) {
    let dir = crate::progress::state_dir(root);
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(CURRENT_FILE), format!("{}\n", exercise.slug));
}

/// The exercise `id` names; without one, the one the learner is on: the
/// one remembered last, else the first not passed yet, else the first. The
/// flag says whether it was chosen for them (a command says which it took).
pub(crate) fn named_or_current(id: Option<&str>) -> Result<(PathBuf, Exercise, bool), CliError> {
    let (root, exercises) = workspace()?;
    if let Some(id) = id {
        let exercise = find(&exercises, id).map_err(CliError::Usage)?.clone();
        return Ok((root, exercise, false));
    }
    let remembered = std::fs::read_to_string(crate::progress::state_dir(&root).join(CURRENT_FILE)).ok();
    let remembered = remembered.and_then(|slug| exercises.iter().find(|e| e.slug == slug.trim()));
    let exercise = match remembered {
        Some(exercise) => exercise,
        None => {
            let (progress, _) = Progress::load(&root);
            let unfinished = exercises.iter().find(|e| progress.status(&e.slug) != crate::progress::Status::Passed);
            unfinished.unwrap_or(&exercises[0])
        }
    };
    Ok((root.clone(), exercise.clone(), true))
}

/// The exercise a learner named: by number (`06`, `6`), id (`s3-events`),
/// folder (`06-s3-events`) or package (`exercise-06`).
pub(crate) fn find<'a>(exercises: &'a [Exercise], id: &str) -> Result<&'a Exercise, String> {
    let wanted = id.trim().trim_end_matches('/');
    let wanted = wanted.rsplit('/').next().unwrap_or(wanted);
    let wanted = wanted.strip_prefix("exercise-").unwrap_or(wanted);
    let found = if !wanted.is_empty() && wanted.chars().all(|c| c.is_ascii_digit()) {
        wanted.parse::<u32>().ok().and_then(|n| exercises.iter().find(|e| e.number == n))
    } else {
        exercises.iter().find(|e| {
            e.slug.eq_ignore_ascii_case(wanted) || format!("{:02}-{}", e.number, e.slug).eq_ignore_ascii_case(wanted)
        })
    };
    found.ok_or_else(|| {
        let valid: Vec<String> = exercises.iter().map(|e| format!("{} {}", number(e), e.slug)).collect();
        format!("there is no exercise '{id}'; name one by its number or its id: {}", valid.join(", "))
    })
}

/// `01`: how the commands show an exercise's number.
pub(crate) fn number(exercise: &Exercise) -> String {
    format!("{:02}", exercise.number)
}

/// The files a learner edits, for a sentence: `exercises/01-first-handler/handler.py`,
/// or `machine.json, validate.py in exercises/17-a-chain/`.
pub(crate) fn learner_files(root: &Path, exercise: &Exercise) -> String {
    match exercise.files.as_slice() {
        [one] => shown(&exercise.dir.join(one), root),
        many => format!("{} in {}/", many.join(", "), shown(&exercise.dir, root)),
    }
}

/// The cargo that runs `cargo lab` (cargo tells the programs it runs in
/// `CARGO`), or else the one on the PATH.
pub(crate) fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The learner's progress, after saying on standard error that a damaged
/// progress file was set aside, if it was.
pub(crate) fn load_progress(root: &Path) -> Progress {
    let (progress, notice) = Progress::load(root);
    notify(notice);
    progress
}

/// Print the progress notices (a damaged file set aside) on standard error.
pub(crate) fn notify(notices: impl IntoIterator<Item = String>) {
    for notice in notices {
        eprintln!("{notice}");
    }
}
