//! The function's entry point, as `cargo lambda new` writes it: set up
//! logging, then hand the handler to the runtime client, which asks Lambda's
//! Runtime API for events for as long as the environment lives. You do not
//! need to change this file; your work is in src/lib.rs.

use lambda_runtime::{Error, run, service_fn, tracing};

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    run(service_fn(exercise_22::function_handler)).await
}
