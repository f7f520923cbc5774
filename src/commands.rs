//! The workshop subcommands: check, hint, reset, solution, report, doctor
//! (to be written).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The exercise (its number like 06, or its id like s3-events); all when omitted.
    pub id: Option<String>,
}

#[derive(clap::Args)]
pub struct IdArgs {
    /// The exercise: its number (06) or its id (s3-events).
    pub id: String,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn check(_args: CheckArgs) -> ExitCode {
    crate::usage_error("`cargo lab check` is not written yet")
}
pub fn hint(_args: IdArgs) -> ExitCode {
    crate::usage_error("`cargo lab hint` is not written yet")
}
pub fn reset(_args: IdArgs) -> ExitCode {
    crate::usage_error("`cargo lab reset` is not written yet")
}
pub fn solution(_args: IdArgs) -> ExitCode {
    crate::usage_error("`cargo lab solution` is not written yet")
}
pub fn report(_args: ReportArgs) -> ExitCode {
    crate::usage_error("`cargo lab report` is not written yet")
}
pub fn doctor() -> ExitCode {
    crate::usage_error("`cargo lab doctor` is not written yet")
}
