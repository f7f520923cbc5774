//! `cargo lab` with no arguments: the workshop runner (to be written).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct BookArgs {
    /// The port to serve the book on (loopback only).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Open the book in a browser.
    #[arg(long)]
    pub open: bool,
}

pub fn book(_args: BookArgs) -> ExitCode {
    crate::usage_error("`cargo lab book` is not written yet")
}
