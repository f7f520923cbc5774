//! `cargo lab solution [ID]`: after asking (or with `--yes`), show how each of
//! the learner's files differs from the worked solution in `solutions/`, as
//! a unified diff from theirs to the solution's.

use crate::error::CliError;
use crate::progress::shown;
use crate::workspace::{named_or_current, number};
use std::io::{IsTerminal, Write};

#[derive(clap::Args)]
pub(crate) struct SolutionArgs {
    /// The exercise: its number (06) or its id (s3-events); without it, the
    /// one you are on (the workshop's current one, or the last one checked).
    id: Option<String>,
    /// Show it without asking first.
    #[arg(long, short = 'y')]
    yes: bool,
}

const NO_TERMINAL_TO_ASK: &str = "`cargo lab solution` asks before it shows a solution, and there is no terminal here to ask in; add --yes to show it without asking";

pub(crate) fn run(args: SolutionArgs) -> Result<(), CliError> {
    let (root, exercise, chosen) = named_or_current(args.id.as_deref())?;
    super::say_chosen("solution", &exercise, chosen);
    let exercise = &exercise;
    let id = number(exercise);
    let folder = root.join("solutions").join(exercise.dir.file_name().unwrap_or_default());
    if !folder.is_dir() {
        return Err(CliError::Failed(format!(
            "exercise {id} has no solution yet (there is no folder {}).",
            shown(&folder, &root)
        )));
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::usage(NO_TERMINAL_TO_ASK));
        }
        print!("Show the solution of exercise {id}? [y/N] ");
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            println!("The solution stays hidden. `cargo lab hint {id}` gives a smaller nudge.");
            return Ok(());
        }
    }
    println!("The solution of exercise {id} ({}), compared with your files.", exercise.title);
    println!("Lines starting with - are yours, lines starting with + are the solution's.\n");
    for file in &exercise.files {
        let mine_path = exercise.dir.join(file);
        let theirs_path = folder.join(file);
        let Ok(theirs) = std::fs::read_to_string(&theirs_path) else {
            println!("{file}: the solution does not change this file.\n");
            continue;
        };
        let mine = std::fs::read_to_string(&mine_path).unwrap_or_default();
        match unified(&mine, &theirs, &shown(&mine_path, &root), &shown(&theirs_path, &root)) {
            Some(text) => println!("{text}"),
            None => println!("{file}: yours is the same as the solution.\n"),
        }
    }
    Ok(())
}

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// `old` and `new` as a unified diff (`--- old_name`, `+++ new_name`, `@@`
/// hunks, the `similar` crate's), or None when they are the same.
fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let diff = similar::TextDiff::from_lines(old, new);
    Some(diff.unified_diff().context_radius(CONTEXT).header(old_name, new_name).to_string())
}

#[cfg(test)]
mod tests {
    use super::unified;

    #[test]
    fn same_text_has_no_diff() {
        assert_eq!(unified("a\n", "a\n", "x", "y"), None);
    }

    #[test]
    fn a_change_in_the_middle_gets_its_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified(old, new, "a", "b").unwrap(),
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn far_apart_changes_make_two_hunks_and_close_ones_one() {
        let old: String = (1..=20).map(|n| format!("{n}\n")).collect();
        let far = old.replace("2\n", "two\n").replace("19\n", "nineteen\n");
        let text = unified(&old, &far, "a", "b").unwrap();
        assert_eq!(text.matches("@@ -").count(), 2, "{text}");
        assert!(text.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n"), "{text}");
        let close = old.replace("5\n", "five\n").replace("10\n", "ten\n");
        assert_eq!(unified(&old, &close, "a", "b").unwrap().matches("@@ -").count(), 1);
    }

    #[test]
    fn additions_removals_and_a_missing_newline() {
        assert_eq!(unified("", "a\nb\n", "x", "y").unwrap(), "--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n");
        assert_eq!(unified("a\nb\n", "b\n", "x", "y").unwrap(), "--- x\n+++ y\n@@ -1,2 +1 @@\n-a\n b\n");
        assert_eq!(
            unified("a\n", "a", "x", "y").unwrap(),
            "--- x\n+++ y\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"
        );
    }
}
