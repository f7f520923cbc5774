//! The function that runtime-api's end-to-end test runs: a real
//! `lambda_runtime::run` binary, so the local Runtime API is checked against
//! the official Rust client rather than against our own idea of the protocol.
//!
//! Events: `{"name": ..}` echoes `{"hello": name}`; `"fail": true` returns an
//! error (reported through /invocation/{id}/error); `"sleep_ms": N` sleeps
//! first, so a test can make the invocation outlive its deadline.

use lambda_runtime::{Diagnostic, Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    let (payload, _ctx) = event.into_parts();
    if let Some(ms) = payload.get("sleep_ms").and_then(Value::as_u64) {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    if payload.get("fail").and_then(Value::as_bool) == Some(true) {
        // A Diagnostic, not a boxed error: for a boxed error lambda_runtime
        // reports the Rust type name (`&alloc::boxed::Box<dyn ...>`) as
        // errorType, which says nothing; a Diagnostic names the type itself.
        return Err(Diagnostic { error_type: "ExampleError".into(), error_message: "asked to fail".into() });
    }
    Ok(json!({ "hello": payload["name"] }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
