//! The one error every command returns to `main`, which prints it and picks
//! the exit status.
//!
//! A command that ran to the end returns its own exit status instead (1 when
//! a check failed, say); an error is for a command that stopped, and is one
//! line on standard error, `error: ...`.

use std::fmt::Display;
use std::process::ExitCode;

/// Exit status for a command that was itself wrong (missing file, bad flag).
const USAGE_ERROR: u8 = 2;

/// Why a command stopped.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The command itself is wrong: outside the workspace, an unknown
    /// exercise, a missing file, flags that do not go together. Exit status 2.
    Usage(String),
    /// The command was right but could not do its work (no git to find a
    /// starter with, no solution yet, a backup that could not be written).
    /// Exit status 1.
    Failed(String),
}

impl CliError {
    /// [`CliError::Usage`] from any error that says what is wrong.
    pub(crate) fn usage(message: impl Display) -> CliError {
        CliError::Usage(message.to_string())
    }

    /// Say what went wrong, on standard error, and give the exit status for it.
    pub(crate) fn report(&self) -> ExitCode {
        let (message, status) = match self {
            CliError::Usage(message) => (message, USAGE_ERROR),
            CliError::Failed(message) => (message, 1),
        };
        eprintln!("error: {message}");
        ExitCode::from(status)
    }
}
