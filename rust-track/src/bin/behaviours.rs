//! A `lambda_runtime::run` binary serving one of the handlers of
//! `rust_track::behaviours`, named by the `BEHAVIOUR` variable.

use lambda_runtime::{Error, run, service_fn, tracing};
use rust_track::behaviours;

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    let behaviour = std::env::var("BEHAVIOUR").unwrap_or_default();
    match behaviour.as_str() {
        "echo" => run(service_fn(behaviours::echo)).await,
        "boxed_error" => run(service_fn(behaviours::boxed_error)).await,
        "diagnostic" => run(service_fn(behaviours::diagnostic)).await,
        "panics" => run(service_fn(behaviours::panics)).await,
        "typed" => run(service_fn(behaviours::typed)).await,
        other => Err(format!("BEHAVIOUR={other:?} names no handler").into()),
    }
}
