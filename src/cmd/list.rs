//! `cargo lab list`: the exercises with the learner's progress, then what to
//! do next (how to start, or the first exercise that does not pass yet).
//! The watch loop shows the same table through [`table`], and `cargo lab
//! report` heads its own with the [`summary`] line.

use super::invoke::DEFAULT_FUNCTION;
use crate::error::CliError;
use crate::progress::{Progress, Status, shown};
use crate::workspace::{learner_files, load_progress, number, workspace};
use harness::exercise::Exercise;
use std::fmt::Write as _;
use std::path::Path;

pub(crate) fn run() -> Result<(), CliError> {
    let (root, exercises) = workspace()?;
    let progress = load_progress(&root);
    println!("Python on AWS Lambda, the hands-on book: exercises\n");
    print!("{}", table(&exercises, &progress, &|e| format!("book/{}", e.chapter)));
    println!("\n{}", summary(&exercises, &progress));
    print!("\n{}", next_steps(&root, &exercises, &progress));
    Ok(())
}

/// The progress table: number, id, title, status, and where the exercise's
/// page is (`page` says it: a file of the repository, or the address the
/// workshop serves it at); one line each.
pub(crate) fn table(exercises: &[Exercise], progress: &Progress, page: &dyn Fn(&Exercise) -> String) -> String {
    let (id_width, title_width) = column_widths(exercises);
    let mut out = String::new();
    let _ = writeln!(out, "  {:<4} {:<id_width$}  {:<title_width$}  {:<11}  chapter", "no.", "id", "title", "status");
    for exercise in exercises {
        let _ = writeln!(
            out,
            "  {:<4} {:<id_width$}  {:<title_width$}  {:<11}  {}",
            number(exercise),
            exercise.slug,
            exercise.title,
            progress.status(&exercise.slug).as_str(),
            page(exercise)
        );
    }
    out
}

/// The address of a chapter's page (`introduction/first-handler.md`) on the
/// book served at `base` (`http://127.0.0.1:3000/`): mdBook writes each page
/// as the same path with `.html`.
pub(crate) fn page_address(base: &str, chapter: &str) -> String {
    format!("{base}{}.html", chapter.strip_suffix(".md").unwrap_or(chapter))
}

/// The widths of a table's id and title columns: the longest id and title,
/// and at least the headers' (`id`, `title`).
pub(crate) fn column_widths(exercises: &[Exercise]) -> (usize, usize) {
    let id_width = exercises.iter().map(|e| e.slug.len()).max().unwrap_or(2).max(2);
    let title_width = exercises.iter().map(|e| e.title.chars().count()).max().unwrap_or(5).max(5);
    (id_width, title_width)
}

/// "How to start" when nothing was tried yet, else the first exercise that
/// does not pass yet, with the commands to work on it.
fn next_steps(root: &Path, exercises: &[Exercise], progress: &Progress) -> String {
    let started = exercises.iter().any(|e| progress.status(&e.slug) != Status::NotStarted);
    let Some(next) = exercises.iter().find(|e| progress.status(&e.slug) != Status::Passed) else {
        return "Every exercise passes. Well done! The book goes on past the exercises: `cargo lab book` serves it.\n\
                An instructor can collect your progress with `cargo lab report --json`.\n"
            .to_string();
    };
    let id = number(next);
    let mut out = String::new();
    if started {
        let status = match progress.status(&next.slug) {
            Status::Failing => "its checks fail so far",
            _ => "not started yet",
        };
        let _ = writeln!(out, "Next: exercise {id}, {} ({status})", next.title);
    } else {
        let _ = writeln!(out, "How to start:");
    }
    let _ = writeln!(
        out,
        "  1. Read the book's page for the exercise: {} (or book/{} in the repository)",
        page_address(&format!("http://{}:{}/", crate::serve::LOOPBACK, crate::serve::DEFAULT_PORT), &next.chapter),
        next.chapter
    );
    let _ = writeln!(out, "  2. Edit {}", learner_files(root, next));
    let _ = writeln!(out, "  3. Check your work:  cargo test -p {}   (or: cargo lab check {id})", next.package());
    if let Some(command) = try_it(next, root) {
        let _ = writeln!(out, "  4. Try it by hand:   {command}");
    }
    let _ = writeln!(out, "  Stuck? `cargo lab hint {id}` shows a hint, one at a time.");
    out
}

/// The command that runs the exercise by hand: `cargo lab invoke` for a
/// handler, `cargo lab states run` for a chain of functions; none when the
/// checks of step 3 are the only way to try it.
fn try_it(exercise: &Exercise, root: &Path) -> Option<String> {
    let event = exercise.try_event.clone().unwrap_or_else(|| sample_event(exercise, root));
    if exercise.is_rust() {
        // A Rust exercise is tried as the program it builds.
        return Some(format!("cargo lab invoke --bin {} --event {event}", exercise.package()));
    }
    let path = |file: &str| shown(&exercise.dir.join(file), root);
    let has_events = exercise.dir.join("events").is_dir();
    Some(match &exercise.machine {
        // No handler to invoke with an event (policies, a packaging script):
        // `cargo lab check`, already step 3, is the way to try it, and
        // saying it again as step 4 read as a step of its own.
        None if !has_events => return None,
        None => format!("cargo lab invoke {} --event {event}", path(&exercise.file)),
        Some(machine) => {
            let mut command = format!("cargo lab states run {} --input {event}", path(machine));
            for (name, file, function) in &exercise.functions {
                let _ = write!(command, " --function {name}={}", path(file));
                if function != DEFAULT_FUNCTION {
                    let _ = write!(command, ":{function}");
                }
            }
            command
        }
    })
}

/// `3 passed, 2 failing, 10 not started`.
pub(crate) fn summary(exercises: &[Exercise], progress: &Progress) -> String {
    let count = |status: Status| exercises.iter().filter(|e| progress.status(&e.slug) == status).count();
    format!(
        "{} passed, {} failing, {} not started",
        count(Status::Passed),
        count(Status::Failing),
        count(Status::NotStarted)
    )
}

/// An event file the exercise ships, to show in the "try it" line.
fn sample_event(exercise: &Exercise, root: &Path) -> String {
    let folder = exercise.dir.join("events");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files.first().map(|path| shown(path, root)).unwrap_or_else(|| "EVENT.json".into())
}

#[cfg(test)]
mod tests {
    use super::page_address;

    #[test]
    fn a_chapters_page_is_served_as_html_at_the_same_path() {
        let base = "http://127.0.0.1:3000/";
        assert_eq!(
            page_address(base, "introduction/first-handler.md"),
            "http://127.0.0.1:3000/introduction/first-handler.html"
        );
        assert_eq!(page_address(base, "handlers/index.md"), "http://127.0.0.1:3000/handlers/index.html");
        assert_eq!(page_address(base, "introduction.md"), "http://127.0.0.1:3000/introduction.html");
    }
}
