//! `cargo lab hint [ID]`: show the exercise's next hint, one at a time (the
//! progress file counts how many were shown), and where to turn after the
//! last one.

use crate::error::CliError;
use crate::workspace::{load_progress, named_or_current, number};

pub(crate) fn run(args: super::IdArgs) -> Result<(), CliError> {
    let (root, exercise, chosen) = named_or_current(args.id.as_deref())?;
    super::say_chosen("hint", &exercise, chosen);
    let exercise = &exercise;
    let mut progress = load_progress(&root);
    let shown_so_far = progress.get(&exercise.slug).hints_shown as usize;
    let total = exercise.hints.len();
    let id = number(exercise);
    let Some(next) = exercise.hints.get(shown_so_far) else {
        let seen = match total {
            0 => "This exercise has no hints".to_string(),
            1 => "You have seen its only hint".to_string(),
            n => format!("You have seen all {n} of its hints"),
        };
        println!("No more hints for exercise {id} ({}). {seen}.", exercise.title);
        println!("Its page in the book explains the idea step by step: book/{}", exercise.chapter);
        println!("To compare your file with a worked answer: cargo lab solution {id}");
        return Ok(());
    };
    println!("Hint {} of {total} for exercise {id} ({}):\n", shown_so_far + 1, exercise.title);
    println!("  {next}\n");
    if shown_so_far + 1 < total {
        println!("Still stuck? `cargo lab hint {id}` again shows the next one.");
    } else {
        println!("That was the last hint. The book's page for it is book/{}.", exercise.chapter);
    }
    progress.record_hint(&exercise.slug);
    if let Err(message) = progress.save() {
        eprintln!("note: {message}");
    }
    Ok(())
}
