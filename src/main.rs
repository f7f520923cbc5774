//! `lab`, the workshop's command line (run it as `cargo lab`).
//!
//! A bare `cargo lab` runs the workshop: it serves the book, shows your
//! progress and checks an exercise each time you save one of its files.
//! `cargo lab invoke` is the console's Test button on your own machine, for a
//! Python handler or (`--bin`) a Rust function.

mod book;
mod checks;
mod commands;
mod events;
mod invoke;
mod list;
mod output;
mod progress;
mod runner;
mod schedule;
mod serve;
mod states;
mod workshop;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo lab",
    bin_name = "cargo lab",
    about = "The workshop runner for Python on AWS Lambda, the hands-on book",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: the port to serve the book on (loopback only).
    #[arg(long, default_value_t = 3000)]
    port: u16,
}

#[derive(Subcommand)]
enum Command {
    /// List the exercises with your progress.
    List,
    /// Run an exercise's checks (or every exercise's), with a summary.
    Check(commands::CheckArgs),
    /// Show the exercise's next hint, one at a time.
    Hint(commands::IdArgs),
    /// Put the exercise's starter back (your file is kept as a backup first).
    Reset(commands::IdArgs),
    /// Show how your file differs from the solution (asks first).
    Solution(commands::SolutionArgs),
    /// Progress for an instructor: status, attempts, times; nothing personal.
    Report(commands::ReportArgs),
    /// Serve the book alone.
    Book(runner::BookArgs),
    /// Check that this machine can run the workshop, with a fix for each problem.
    Doctor,
    /// Write the classroom schedule page from book/course.toml (--check: only compare).
    Schedule(schedule::Args),
    /// Invoke a Python handler (or, with --bin, a Rust function) locally, as the Lambda console's Test button does.
    Invoke(invoke::Args),
    /// The catalog of recorded AWS events (list, or show one).
    Events(events::Args),
    /// Validate or run a Step Functions state machine over local functions.
    States(states::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => workshop::run(cli.port),
        Some(Command::List) => list::run(),
        Some(Command::Invoke(args)) => invoke::run(args),
        Some(Command::Events(args)) => events::run(args),
        Some(Command::States(args)) => states::run(args),
        Some(Command::Check(args)) => commands::check(args),
        Some(Command::Hint(args)) => commands::hint(args),
        Some(Command::Reset(args)) => commands::reset(args),
        Some(Command::Solution(args)) => commands::solution(args),
        Some(Command::Report(args)) => commands::report(args),
        Some(Command::Book(args)) => runner::book(args),
        Some(Command::Doctor) => commands::doctor(),
        Some(Command::Schedule(args)) => schedule::run(args),
    }
}

/// Exit status for a command that was itself wrong (missing file, bad flag).
pub const USAGE_ERROR: u8 = 2;

/// Print one clear line about a mistake in the command and return status 2.
pub fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE_ERROR)
}
