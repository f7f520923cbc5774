//! `lab`, the workshop's command line (run it as `cargo lab`).
//!
//! A bare `cargo lab` runs the workshop: it serves the book, shows your
//! progress and checks an exercise each time you save one of its files.
//! `cargo lab invoke` is the console's Test button on your own machine, for a
//! Python handler or (`--bin`) a Rust function.

// Every `println!`, `print!`, `eprintln!` and `eprint!` in this crate is one
// of these (they are defined before the modules, so they shadow std's in
// all of them): they write through `output`, which stops writing quietly
// when the reader goes away (`cargo lab reset 01 | head -1`) where std's
// would panic halfway through the command. See `output`'s documentation.
macro_rules! println {
    () => {
        $crate::output::print_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::print_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::output::print_out(format_args!($($arg)*))
    };
}
macro_rules! eprintln {
    () => {
        $crate::output::print_err(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::print_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
// Unused today; here so that one added later goes through `output` too.
#[allow(unused_macros)]
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::output::print_err(format_args!($($arg)*))
    };
}

mod book;
mod book_runner;
mod checks;
mod class;
mod cmd;
mod error;
mod output;
mod progress;
mod pyodide;
mod serve;
mod starter;
mod terminal;
mod watch;
mod workspace;

use clap::{Parser, Subcommand};
use error::CliError;
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
    #[arg(long, default_value_t = serve::DEFAULT_PORT)]
    port: u16,
}

#[derive(Subcommand)]
enum Command {
    /// List the exercises with your progress.
    List,
    /// Run an exercise's checks (or every exercise's), with a summary.
    Check(cmd::check::CheckArgs),
    /// Show the exercise's next hint, one at a time.
    Hint(cmd::IdArgs),
    /// Put the exercise's starter back (your file is kept as a backup first).
    Reset(cmd::IdArgs),
    /// Show how your file differs from the solution (asks first).
    Solution(cmd::solution::SolutionArgs),
    /// Progress for an instructor: status, attempts, times; nothing personal.
    Report(cmd::report::ReportArgs),
    /// Serve the book alone.
    Book(cmd::book::BookArgs),
    /// Check that this machine can run the workshop, with a fix for each problem.
    Doctor,
    /// Make the workshop's Python environment (AWS SDK, moto, pytest) in .lab/python.
    Setup(cmd::setup::Args),
    /// Write the classroom schedule page from book/course.toml (--check: only compare).
    Schedule(cmd::schedule::Args),
    /// Invoke a Python handler (or, with --bin, a Rust function) locally, as the Lambda console's Test button does.
    Invoke(cmd::invoke::Args),
    /// The catalog of recorded AWS events (list, or show one).
    Events(cmd::events::Args),
    /// Validate or run a Step Functions state machine over local functions.
    States(cmd::states::Args),
    /// For an instructor: a live page of every learner's progress (learners opt in with `join`).
    Class(cmd::class::ClassArgs),
    /// Join the instructor's class view: your progress is sent as it changes; nothing personal.
    Join(cmd::join::JoinArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let finished = match cli.command {
        None => cmd::workshop::run(cli.port).map(|()| ExitCode::SUCCESS),
        Some(command) => run(command),
    };
    finished.unwrap_or_else(|error| error.report())
}

/// Run one command: the exit status it ends with, or the error it stopped on.
fn run(command: Command) -> Result<ExitCode, CliError> {
    let done = match command {
        // These end with a status saying what they found: 1 when a check, an
        // invocation or an execution failed, the machine has a problem, or
        // the schedule page is out of date.
        Command::Check(args) => return cmd::check::run(args),
        Command::Doctor => return Ok(cmd::doctor::run()),
        Command::Invoke(args) => return cmd::invoke::run(args),
        Command::States(args) => return cmd::states::run(args),
        Command::Schedule(args) => return cmd::schedule::run(args),
        // These succeed unless they stop on an error.
        Command::List => cmd::list::run(),
        Command::Hint(args) => cmd::hint::run(args),
        Command::Reset(args) => cmd::reset::run(args),
        Command::Solution(args) => cmd::solution::run(args),
        Command::Report(args) => cmd::report::run(args),
        Command::Book(args) => cmd::book::run(args),
        Command::Events(args) => cmd::events::run(args),
        Command::Setup(args) => cmd::setup::run(args),
        Command::Class(args) => cmd::class::run(args),
        Command::Join(args) => cmd::join::run(args),
    };
    done.map(|()| ExitCode::SUCCESS)
}
