//! Rust handlers in the harness: a `lambda_runtime` service (what you pass
//! to `lambda_runtime::run`, usually `service_fn(function_handler)`) run as a
//! Lambda function in-process, answering with the same
//! [`harness::Invocation`] as a Python handler: the response or error
//! payload, the log lines with START / END / REPORT, and the REPORT figures.
//!
//! The parts, as in the Python harness:
//! - [`function`]: the platform (environments, context, timeout, report);
//! - [`environment`]: one environment's thread, runtime and log;
//! - [`pipeline`]: what lambda_runtime does with each event;
//! - [`lab`]: checks for the Rust exercises.
//!
//! To run a real `lambda_runtime::run` binary instead, end to end through a
//! local Runtime API, see `harness::process` and `cargo lab invoke --bin`.

pub mod environment;
pub mod function;
pub mod lab;
pub mod pipeline;

pub use function::RustFunction;
pub use lab::{LogChecks, RustLab, logged_messages};
