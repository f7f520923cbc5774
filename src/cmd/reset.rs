//! `cargo lab reset [ID]`: put the exercise's starter back, as committed in
//! git, after keeping the learner's files in a new backup folder under
//! `.lab/backups/`. Nothing is changed unless every starter can be had and
//! every file is kept first; progress and hints stay as they are.

use crate::error::CliError;
use crate::progress::{self, shown};
use crate::starter::{GitError, committed};
use crate::workspace::{named_or_current, number};
use harness::exercise::Exercise;
use std::path::{Path, PathBuf};

const NO_GIT: &str = "git is not installed (or not on your PATH), and `cargo lab reset` needs it to find the starter as it was committed; nothing was changed";

pub(crate) fn run(args: super::IdArgs) -> Result<(), CliError> {
    let (root, exercise, chosen) = named_or_current(args.id.as_deref())?;
    super::say_chosen("reset", &exercise, chosen);
    let exercise = &exercise;
    let id = number(exercise);
    // The starter of every file first: if one cannot be had, nothing changes.
    let mut starters = Vec::new();
    for file in &exercise.files {
        let content = committed(&root, &exercise.dir.join(file)).map_err(|error| match error {
            GitError::Missing => CliError::Failed(format!("{NO_GIT}.")),
            GitError::Refused(said) => CliError::Failed(format!(
                "could not find the committed starter of {} (git said: {said}); is this folder a git clone of the book's repository? Nothing was changed.",
                shown(&exercise.dir.join(file), &root)
            )),
        })?;
        starters.push((file.clone(), content));
    }
    let current: Vec<Option<Vec<u8>>> =
        exercise.files.iter().map(|f| std::fs::read(exercise.dir.join(f)).ok()).collect();
    if starters.iter().zip(&current).all(|((_, starter), now)| now.as_deref() == Some(starter.as_slice())) {
        println!("Exercise {id} ({}) is already the starter: there is nothing to reset.", exercise.title);
        return Ok(());
    }
    // Keep the learner's files before anything is overwritten.
    let backup = make_backup_folder(&root, exercise)
        .map_err(|message| CliError::Failed(format!("{message}; nothing was changed.")))?;
    let mut kept = Vec::new();
    for (file, now) in exercise.files.iter().zip(&current) {
        let Some(content) = now else { continue };
        let target = backup.join(file);
        let copied = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, content))
            .and_then(|()| std::fs::read(&target))
            .is_ok_and(|back| &back == content);
        if !copied {
            return Err(CliError::Failed(format!(
                "could not keep a copy of your {file} in {}; nothing was changed.",
                shown(&backup, &root)
            )));
        }
        kept.push(file.as_str());
    }
    println!("Your files are kept in {}/", shown(&backup, &root));
    for file in &kept {
        println!("  {file}");
    }
    let mut restored = Vec::new();
    for (file, content) in &starters {
        std::fs::write(exercise.dir.join(file), content).map_err(|e| {
            CliError::Failed(format!(
                "could not write the starter of {}: {e}. Your version is safe in {}/",
                shown(&exercise.dir.join(file), &root),
                shown(&backup, &root)
            ))
        })?;
        restored.push(file.as_str());
    }
    println!("Exercise {id} ({}) is back to its starter: {}", exercise.title, restored.join(", "));
    println!("To get your work back, copy the files from the folder above. Your progress and hints are unchanged.");
    Ok(())
}

/// A new folder `<state>/backups/<slug>-<YYYYmmdd-HHMMSS>/` (with `-2`, `-3`...
/// when one of that name exists), never an existing one.
fn make_backup_folder(root: &Path, exercise: &Exercise) -> Result<PathBuf, String> {
    let backups = progress::state_dir(root).join("backups");
    std::fs::create_dir_all(&backups)
        .map_err(|e| format!("could not create the backup folder {}: {e}", shown(&backups, root)))?;
    let base = format!("{}-{}", exercise.slug, progress::file_stamp(std::time::SystemTime::now()));
    for attempt in 1..1000 {
        let name = if attempt == 1 { base.clone() } else { format!("{base}-{attempt}") };
        let folder = backups.join(name);
        match std::fs::create_dir(&folder) {
            Ok(()) => return Ok(folder),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("could not create the backup folder {}: {e}", shown(&folder, root))),
        }
    }
    Err(format!("could not find a free name for a backup folder in {}", shown(&backups, root)))
}
