//! The reference solutions of the Rust track, compiled from the very files
//! in `solutions/` (so what is tested and measured here is what learners are
//! shown), for the parity tests and the Python-vs-Rust benchmark.
//!
//! - [`s3`]: exercise 21, the S3 handler of exercise 06 in Rust;
//! - [`sqs`]: exercise 22, the SQS partial-batch handler of exercise 08.
//!
//! The binaries `s3-in-rust` and `sqs-in-rust` run them with
//! `lambda_runtime::run`, as they would run on Lambda.

#[path = "../../solutions/21-s3-events-in-rust/src/lib.rs"]
pub mod s3;

#[path = "../../solutions/22-sqs-partial-batch-in-rust/src/lib.rs"]
pub mod sqs;

pub mod behaviours;
