//! The solution of exercise 21 as a Lambda function binary, its main the same
//! as the exercise's src/main.rs.

use lambda_runtime::{Error, run, service_fn, tracing};

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    run(service_fn(rust_track::s3::function_handler)).await
}
