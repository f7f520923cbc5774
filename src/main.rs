//! `lab`, the workshop's command line (run it as `cargo lab`).
//!
//! A bare `cargo lab` lists the exercises and says how to start;
//! `cargo lab invoke` is the console's Test button on your own machine.

mod events;
mod invoke;
mod list;
mod output;
mod states;

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
}

#[derive(Subcommand)]
enum Command {
    /// List the exercises and how to start.
    List,
    /// Invoke a Python handler locally, as the Lambda console's Test button does.
    Invoke(invoke::Args),
    /// The catalog of recorded AWS events (list, or show one).
    Events(events::Args),
    /// Validate or run a Step Functions state machine over local functions.
    States(states::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::List) => list::run(),
        Some(Command::Invoke(args)) => invoke::run(args),
        Some(Command::Events(args)) => events::run(args),
        Some(Command::States(args)) => states::run(args),
    }
}

/// Exit status for a command that was itself wrong (missing file, bad flag).
pub const USAGE_ERROR: u8 = 2;

/// Print one clear line about a mistake in the command and return status 2.
pub fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE_ERROR)
}
