//! `cargo lab` with no arguments: the exercises, and how to start.

use harness::exercise::{self, Exercise};
use std::process::ExitCode;

pub fn run() -> ExitCode {
    let here = std::env::current_dir().unwrap_or_default();
    let Some(root) = exercise::workspace_root(&here) else {
        return crate::usage_error(
            "this is not inside the workshop's folder; cd into your clone of the book's repository first",
        );
    };
    let exercises = match Exercise::discover(&root) {
        Ok(found) => found,
        Err(message) => return crate::usage_error(message),
    };
    println!("Python on AWS Lambda, the hands-on book: exercises\n");
    let id_width = exercises.iter().map(|e| e.slug.len()).max().unwrap_or(2).max(2);
    let title_width = exercises.iter().map(|e| e.title.chars().count()).max().unwrap_or(5).max(5);
    println!("  {:<4} {:<id_width$}  {:<title_width$}  {:>3}", "no.", "id", "title", "min");
    for exercise in &exercises {
        println!(
            "  {:<4} {:<id_width$}  {:<title_width$}  {:>3}",
            format!("{:02}", exercise.number),
            exercise.slug,
            exercise.title,
            exercise.minutes
        );
    }
    if let Some(first) = exercises.first() {
        let file = first.dir.join(&first.file);
        let file = file.strip_prefix(&root).unwrap_or(&file);
        println!("\nHow to start:");
        println!("  1. Read the book's page for the exercise: book/{}", first.chapter);
        println!("  2. Edit {}", file.display());
        println!("  3. Check your work:  cargo test -p {}", first.package());
        println!("  4. Try it by hand:   cargo lab invoke {} --event {}", file.display(), sample_event(first, &root));
    }
    ExitCode::SUCCESS
}

/// An event file the exercise ships, to show in the "try it" line.
fn sample_event(exercise: &Exercise, root: &std::path::Path) -> String {
    let folder = exercise.dir.join("events");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .first()
        .map(|path| path.strip_prefix(root).unwrap_or(path).display().to_string())
        .unwrap_or_else(|| "EVENT.json".into())
}
