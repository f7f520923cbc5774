//! `cargo lab check [ID] [--full]`: run an exercise's checks (or those of
//! every exercise started, skipping any whose files are still the starter),
//! print a verdict line for each with what failed (every failed check on a
//! line and the first in short; with `--full`, every report in full), then
//! a summary and what to do next. Exit status 1 when an exercise fails.

use crate::checks;
use crate::error::CliError;
use crate::starter::still_the_starter;
use crate::workspace::{find, learner_files, load_progress, notify, number, workspace};
use harness::exercise::Exercise;
use std::io::IsTerminal;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// The exercise (its number like 06, or its id like s3-events); all when omitted.
    id: Option<String>,
    /// Show every failed check's whole report (the event, the whole
    /// response, every log line), as `cargo test -p exercise-NN` does.
    #[arg(long)]
    full: bool,
}

pub(crate) fn run(args: CheckArgs) -> Result<ExitCode, CliError> {
    let (root, exercises) = workspace()?;
    let chosen: Vec<&Exercise> = match &args.id {
        Some(id) => vec![find(&exercises, id).map_err(CliError::Usage)?],
        None => exercises.iter().collect(),
    };
    let all = args.id.is_none();
    let progress = load_progress(&root);
    if all {
        println!("Checking every exercise you have started (one whose files are still the starter is skipped).\n");
    }
    let (mut passed, mut failing, mut not_started) = (0, 0, 0);
    let mut first_failing: Option<&Exercise> = None;
    for exercise in chosen {
        let label = format!("{} {}", number(exercise), exercise.slug);
        if all && progress.get(&exercise.slug).attempts == 0 && still_the_starter(&root, exercise) == Some(true) {
            println!("· {label}: not started (your files are still the starter)");
            not_started += 1;
            continue;
        }
        if std::io::stderr().is_terminal() {
            eprintln!("Running the checks of exercise {label}...");
        }
        let outcome = checks::run(&root, exercise);
        crate::workspace::remember_current(&root, exercise);
        notify(outcome.notes.clone());
        let took = format!("{:.1} s", outcome.took.as_secs_f64());
        if outcome.passed {
            println!("✓ {label}: passed, every check is green ({took})");
            passed += 1;
            continue;
        }
        failing += 1;
        first_failing.get_or_insert(exercise);
        let why = match outcome.failed_checks.len() {
            // A Rust exercise whose file does not compile never reaches a check.
            0 if outcome.did_not_compile() => {
                format!("your {} does not compile; the compiler's messages below say where", exercise.file)
            }
            0 => "the checks could not run to the end; what cargo said is below".to_string(),
            n => match outcome.totals {
                Some((passed, failed)) => format!("{failed} of {} checks failed", passed + failed),
                None if n == 1 => "1 check failed".to_string(),
                None => format!("{n} checks failed"),
            },
        };
        println!("✗ {label}: failing, {why} ({took})");
        let report = if args.full { checks::report(&outcome) } else { checks::short_report(&outcome, exercise) };
        println!("\n{}\n", report.trim_matches('\n'));
        if !args.full && !outcome.failed_checks.is_empty() {
            println!("The whole report of each failed check: cargo lab check {} --full\n", number(exercise));
        }
    }
    println!("{passed} passed, {failing} failing, {not_started} not started");
    if let Some(exercise) = first_failing {
        println!(
            "Next: fix {} as the report above says, then run `cargo lab check {}` again. Stuck? `cargo lab hint {}` gives a hint.",
            learner_files(&root, exercise),
            number(exercise),
            number(exercise)
        );
        return Ok(ExitCode::FAILURE);
    }
    if all && passed == 0 {
        if let Some(first) = exercises.first() {
            println!(
                "Nothing to check yet. Start with exercise {}: edit {}, then run `cargo lab check {}`.",
                number(first),
                learner_files(&root, first),
                number(first)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
