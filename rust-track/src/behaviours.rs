//! Handlers that exercise each way lambda_runtime can answer (a response, a
//! boxed error, a `Diagnostic`, a panic, an event that does not fit the
//! type, a log line per level), so the harness's in-process Rust functions can
//! be compared with a real `lambda_runtime::run` binary running the same
//! code: the binary `behaviours` runs the one named by `BEHAVIOUR`.

use aws_lambda_events::event::s3::S3Event;
use lambda_runtime::{Diagnostic, Error, LambdaEvent, tracing};
use serde_json::{Value, json};

/// Answers with the event and a few context fields, logging at each level.
pub async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    tracing::debug!("not shown at the default level");
    tracing::info!("echoing {}", event.payload);
    tracing::warn!(size = event.payload.to_string().len(), "a field after the message");
    Ok(json!({"event": event.payload, "function": event.context.env_config.function_name}))
}

/// Returns a boxed error, named by its Rust type.
pub async fn boxed_error(_: LambdaEvent<Value>) -> Result<Value, Error> {
    Err("the queue is empty".into())
}

/// Returns a Diagnostic, named as it says.
pub async fn diagnostic(event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    Err(Diagnostic { error_type: "OrderRejected".into(), error_message: format!("no order in {}", event.payload) })
}

/// Panics on an index out of bounds.
pub async fn panics(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let items = event.payload["items"].as_array().cloned().unwrap_or_default();
    Ok(items[5].clone())
}

/// Reads a typed S3 event (so a record without `object` does not fit).
pub async fn typed(event: LambdaEvent<S3Event>) -> Result<Value, Error> {
    Ok(json!(event.payload.records.len()))
}
