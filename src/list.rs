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
    println!("  {:<4} {:<26} {:<40} {:>4}", "no.", "id", "title", "min");
    for exercise in &exercises {
        println!(
            "  {:<4} {:<26} {:<40} {:>4}",
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
        println!("  4. Try it by hand:   cargo lab invoke {} --event EVENT.json", file.display());
    }
    ExitCode::SUCCESS
}
