//! A Rust handler run in-process: what it receives (event, context) and
//! what the caller and the log get back, for answers, errors, panics,
//! events that do not fit, and timeouts.

use aws_lambda_events::event::s3::S3Event;
use harness::{ErrorSource, FunctionConfig, Value, json};
use harness_rust::{RustFunction, logged_messages};
use lambda_runtime::tracing::info;
use lambda_runtime::{Diagnostic, Error, LambdaEvent, service_fn};
use std::time::Duration;

fn config() -> FunctionConfig {
    let mut config = FunctionConfig::new(std::env::temp_dir(), "bootstrap.handler");
    config.function_name = "rust-test".into();
    config
}

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[test]
fn the_response_is_the_serialized_return_value_and_the_first_invoke_is_cold() {
    let function = RustFunction::new(config(), service_fn(echo));
    let first = function.invoke(&json!({"name": "Ada", "n": [1, 2.5]}));
    assert_eq!(first.result(), Some(json!({"name": "Ada", "n": [1, 2.5]})));
    assert!(first.cold_start());
    let second = function.invoke(&json!(null));
    assert_eq!(second.result(), Some(Value::Null));
    assert!(!second.cold_start(), "the environment is reused");
    assert!(second.logs[0].starts_with(&format!("START RequestId: {} Version: $LATEST", second.request_id)));
    assert_eq!(second.logs[second.logs.len() - 2], format!("END RequestId: {}", second.request_id));
    assert!(second.logs.last().unwrap().starts_with(&format!("REPORT RequestId: {}\tDuration: ", second.request_id)));
    function.reset();
    assert!(function.invoke(&json!(1)).cold_start(), "after a reset the next invoke is cold");
}

async fn context_echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let ctx = event.context;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as u64;
    Ok(json!({
        "requestId": ctx.request_id,
        "arn": ctx.invoked_function_arn,
        "trace": ctx.xray_trace_id,
        "functionName": ctx.env_config.function_name,
        "memory": ctx.env_config.memory,
        "version": ctx.env_config.version,
        "logGroup": ctx.env_config.log_group,
        "msLeft": ctx.deadline.saturating_sub(now),
    }))
}

#[test]
fn the_context_is_made_by_lambda_runtime_from_the_functions_configuration() {
    let mut config = config();
    config.memory_mb = 512;
    config.timeout = Duration::from_secs(7);
    let function = RustFunction::new(config, service_fn(context_echo));
    let call = function.invoke(&json!({}));
    let got = call.result().unwrap();
    assert_eq!(got["requestId"], json!(call.request_id));
    assert_eq!(got["arn"], "arn:aws:lambda:us-east-1:123456789012:function:rust-test");
    assert_eq!(got["functionName"], "rust-test");
    assert_eq!(got["memory"], 512);
    assert_eq!(got["version"], "$LATEST");
    assert_eq!(got["logGroup"], "/aws/lambda/rust-test");
    let trace = got["trace"].as_str().unwrap();
    assert!(trace.starts_with("Root=1-") && trace.ends_with(";Sampled=0"), "{trace}");
    let left = got["msLeft"].as_u64().unwrap();
    assert!((6_000..=7_000).contains(&left), "about 7 s left, got {left} ms");
}

async fn typed_s3(event: LambdaEvent<S3Event>) -> Result<Value, Error> {
    let keys: Vec<_> = event.payload.records.iter().map(|r| r.s3.object.key.clone()).collect();
    info!("got {} records", keys.len());
    Ok(json!({ "keys": keys }))
}

#[test]
fn a_typed_event_is_read_with_serde_and_logs_carry_the_invocation_span() {
    let function = RustFunction::new(config(), service_fn(typed_s3));
    let call = function.invoke(&harness::events::recorded("s3-put"));
    assert_eq!(call.result(), Some(json!({"keys": ["uploads/2026/11/report.pdf"]})));
    let lines = call.function_logs();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let expected_start = format!(" INFO Lambda runtime invoke{{requestId=\"{}\" xrayTraceId=\"Root=", call.request_id);
    assert!(lines[0].starts_with(&expected_start), "{}", lines[0]);
    assert!(lines[0].ends_with("}: got 1 records"), "{}", lines[0]);
    assert_eq!(logged_messages(&call), ["got 1 records"]);
}

#[test]
fn an_event_that_does_not_fit_the_type_is_answered_as_lambda_runtime_does() {
    let function = RustFunction::new(config(), service_fn(typed_s3));
    let call = function.invoke(&json!({"Records": [{"s3": {"bucket": {"name": "b"}}}]}));
    let error = call.error().expect("an error");
    assert_eq!(error.error_type, "&lambda_runtime::deserializer::DeserializeError");
    assert!(
        error.error_message.starts_with("failed to deserialize the incoming data into the function's payload type: [Records[0].s3] Records[0].s3: missing field `object`"),
        "{}",
        error.error_message
    );
    assert!(error.error_message.ends_with('\n'), "lambda_runtime's message ends with a newline");
    let logged = call.function_logs().join("\n");
    assert!(logged.contains("ERROR Lambda runtime invoke{"), "{logged}");
    assert!(logged.contains("Request payload deserialization into LambdaEvent<T> failed."), "{logged}");
    // A handler's error is the caller's business: the REPORT line has no
    // status for it, as for a Python handler that raised.
    assert!(!call.logs.last().unwrap().contains("Status:"), "{}", call.logs.last().unwrap());
}

async fn refuses(event: LambdaEvent<Value>) -> Result<Value, Diagnostic> {
    Err(Diagnostic { error_type: "OrderRejected".into(), error_message: format!("no order in {}", event.payload) })
}

#[test]
fn a_diagnostic_error_gives_its_own_type_and_message() {
    let function = RustFunction::new(config(), service_fn(refuses));
    let call = function.invoke(&json!({"x": 1}));
    let error = call.error().unwrap();
    assert_eq!(error.source, ErrorSource::Handler);
    assert_eq!(error.payload, json!({"errorType": "OrderRejected", "errorMessage": "no order in {\"x\":1}"}));
    assert_eq!(error.text, r#"{"errorType":"OrderRejected","errorMessage":"no order in {\"x\":1}"}"#);
    let logged = call.function_logs();
    assert!(logged[0].starts_with("ERROR Lambda runtime invoke{"), "{logged:?}");
    assert!(
        logged[0]
            .ends_with("}: Diagnostic { error_type: \"OrderRejected\", error_message: \"no order in {\\\"x\\\":1}\" }"),
        "{logged:?}"
    );
}

async fn boxed_error(_: LambdaEvent<Value>) -> Result<Value, Error> {
    Err("the queue is empty".into())
}

#[test]
fn a_boxed_error_is_named_by_its_rust_type() {
    let function = RustFunction::new(config(), service_fn(boxed_error));
    let error = function.invoke(&json!({})).error().unwrap().clone();
    assert_eq!(error.error_message, "the queue is empty");
    // lambda_runtime names the type of a reference to the error, hence the `&`.
    assert_eq!(
        error.error_type,
        "&alloc::boxed::Box<dyn core::error::Error + core::marker::Send + core::marker::Sync>"
    );
}

async fn panics(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let items = event.payload["items"].as_array().unwrap();
    Ok(items[5].clone())
}

#[test]
fn a_panic_is_caught_logged_and_answered_and_the_environment_lives_on() {
    let function = RustFunction::new(config(), service_fn(panics));
    let call = function.invoke(&json!({"items": [1]}));
    let error = call.error().unwrap();
    assert_eq!(error.error_type, "&alloc::boxed::Box<dyn core::any::Any + core::marker::Send>");
    assert_eq!(error.error_message, "Lambda panicked: index out of bounds: the len is 1 but the index is 5");
    let logged = call.function_logs().join("\n");
    assert!(logged.contains("thread 'main' ("), "{logged}");
    assert!(logged.contains(") panicked at crates/harness-rust/tests/function.rs:"), "{logged}");
    assert!(logged.contains("user handler panicked"), "{logged}");
    let again = function.invoke(&json!({"items": [0, 1, 2, 3, 4, "five"]}));
    assert_eq!(again.result(), Some(json!("five")));
    assert!(!again.cold_start(), "a caught panic does not end the environment");
}

async fn sleeps(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let ms = event.payload["ms"].as_u64().unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Ok(json!("woke"))
}

#[test]
fn a_handler_that_outlives_its_timeout_ends_as_sandbox_timedout_and_the_next_start_is_cold() {
    let mut config = config();
    config.timeout = Duration::from_secs(1);
    let function = RustFunction::new(config, service_fn(sleeps));
    let call = function.invoke(&json!({"ms": 5_000}));
    let error = call.error().unwrap();
    assert_eq!(error.source, ErrorSource::Timeout);
    assert_eq!(error.error_type, "Sandbox.Timedout");
    assert_eq!(error.error_message, format!("RequestId: {} Error: Task timed out after 1.00 seconds", call.request_id));
    assert!(call.logs.iter().any(|l| l.ends_with(&format!("{} Task timed out after 1.00 seconds", call.request_id))));
    assert!(call.logs.last().unwrap().ends_with("\tStatus: timeout"));
    let next = function.invoke(&json!({"ms": 0}));
    assert_eq!(next.result(), Some(json!("woke")));
    assert!(next.cold_start());
}

async fn spins(_: LambdaEvent<Value>) -> Result<Value, Error> {
    let started = std::time::Instant::now();
    // Never awaits: only the platform's own clock can stop it.
    while started.elapsed() < Duration::from_secs(4) {
        std::hint::spin_loop();
    }
    Ok(json!("done"))
}

#[test]
fn a_handler_that_never_awaits_is_left_behind_at_the_timeout() {
    let mut config = config();
    config.timeout = Duration::from_secs(1);
    let function = RustFunction::new(config, service_fn(spins));
    let started = std::time::Instant::now();
    let call = function.invoke(&json!({}));
    assert_eq!(call.error().unwrap().error_type, "Sandbox.Timedout");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}
