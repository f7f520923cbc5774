//! A local AWS Lambda for Python handlers: the Lambda core every Python
//! exercise needs, and nothing more (the Step Functions engine, the IAM
//! evaluator and deployment packages are crates of their own).
//!
//! Real Lambda has three layers, and so does this crate:
//! - the platform ([`Function`], with the record of each invocation in
//!   [`record`]): environments, cold and warm starts, the timeout,
//!   START/END/REPORT lines and their figures;
//! - the runtime interface client (the Python modules in `runtime/`, run in an embedded
//!   CPython): imports the handler, builds the context, marshals the response
//!   and shapes errors and logs as `awslambdaric` does;
//! - the handler: the learner's file, untouched.
//!
//! A function whose runtime client is a program of its own (a Rust binary on
//! `lambda_runtime`, `python -m awslambdaric`) runs through
//! [`process::ProcessFunction`] instead: the same platform around a real
//! process and a local Runtime API, giving the same [`Invocation`].
//!
//! Around them: recorded AWS [`events`], Embedded Metric Format logs read back
//! ([`emf`]), the [`exercise`] manifest, and the learner [`check`]s with their
//! reports.

// The platform and the runtime client.
pub mod aws;
pub mod config;
mod environment;
pub mod function;
pub mod invocation;
pub mod memory;
pub mod process;
pub mod pyenv;
pub mod python;
pub mod raw_json;
pub mod record;

// What the checks and the CLI read and write around a function.
pub mod check;
pub mod emf;
pub mod events;
pub mod exercise;
pub mod pytest;
pub mod snapshot;

// Shared building blocks: identifiers and randomness, dates, digests.
pub mod digest;
pub mod ids;
pub mod time;

pub use config::{Clock, ConfigError, FunctionConfig};
pub use function::{Function, InvokeOptions};
pub use invocation::{ErrorSource, FunctionError, Invocation, Outcome, Report};

/// Re-exported so an exercise crate needs no dependency but the harness.
pub use insta;
pub use serde_json;
pub use serde_json::{Value, json};
