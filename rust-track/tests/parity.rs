//! The Python and Rust solutions keep the same contract: for every event
//! exercises 06 and 08 use (the recorded ones, the exercises' own event
//! files, and the batches their checks build), the Python solution (run by
//! the harness as Lambda's Python runtime would) and the Rust solution (run
//! as lambda_runtime would) give the same response and log the same lines.

use harness::events::{self, sqs_batch};
use harness::{Function, FunctionConfig, Invocation, Value, json};
use harness_rust::{RustFunction, logged_messages};
use lambda_runtime::service_fn;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn python_solution(folder: &str) -> Function {
    let path = root().join("solutions").join(folder).join("handler.py");
    Function::new(FunctionConfig::from_file(&path, "lambda_handler"))
        .expect("the Python solution's configuration is valid")
}

fn event_file(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// The response (parsed) and the lines logged, for one side.
fn answer(invocation: &Invocation, lines: Vec<String>) -> (Value, Vec<String>) {
    let response = invocation.result().unwrap_or_else(|| panic!("the function failed: {:?}", invocation.error()));
    (response, lines)
}

fn python_lines(invocation: &Invocation) -> Vec<String> {
    invocation.function_logs().into_iter().map(String::from).collect()
}

fn assert_same(name: &str, python: &Function, rust: &RustFunction, event: &Value) {
    let from_python = python.invoke(event);
    let from_rust = rust.invoke(event);
    let python_answer = answer(&from_python, python_lines(&from_python));
    let rust_answer = answer(&from_rust, logged_messages(&from_rust));
    assert_eq!(python_answer.0, rust_answer.0, "{name}: the responses differ");
    assert_eq!(python_answer.1, rust_answer.1, "{name}: the logged lines differ");
}

#[test]
fn the_s3_solutions_answer_every_event_of_exercise_06_alike() {
    let python = python_solution("06-s3-events");
    let rust =
        RustFunction::new(FunctionConfig::new(root(), "bootstrap"), service_fn(rust_track::s3::function_handler));
    let mut cases: Vec<(String, Value)> = ["s3-put", "s3-special-keys", "s3-batch", "s3-multipart-upload"]
        .iter()
        .map(|name| (name.to_string(), events::recorded(name)))
        .collect();
    cases.push(("holiday-photos.json".into(), event_file("exercises/06-s3-events/events/holiday-photos.json")));
    cases.push(("a built upload".into(), events::s3_put("holiday-pics", "my photo (1).jpg", 2048)));
    cases.push((
        "built uploads".into(),
        events::s3_uploads(
            "scans",
            &[("b/second page.png", 300), ("c/third page.png", 100), ("a/first page.png", 200)],
        ),
    ));
    for (name, event) in &cases {
        assert_same(name, &python, &rust, event);
    }
    // The contract is the parsed JSON; the bytes differ, and the chapter says so.
    let python_bytes = python.invoke(&events::recorded("s3-put"));
    let rust_bytes = rust.invoke(&events::recorded("s3-put"));
    let text = |i: &Invocation| match &i.outcome {
        harness::Outcome::Returned { payload, .. } => String::from_utf8_lossy(payload).into_owned(),
        harness::Outcome::Failed(_) => String::new(),
    };
    assert!(
        text(&python_bytes).starts_with(r#"{"statusCode": 200, "objects": [{"bucket": "#),
        "{}",
        text(&python_bytes)
    );
    assert!(text(&rust_bytes).starts_with(r#"{"statusCode":200,"objects":[{"bucket":"#), "{}", text(&rust_bytes));
}

#[test]
fn the_sqs_solutions_answer_every_event_of_exercise_08_alike() {
    let python = python_solution("08-sqs-partial-batch");
    let rust =
        RustFunction::new(FunctionConfig::new(root(), "bootstrap"), service_fn(rust_track::sqs::function_handler));
    let mut cases: Vec<(String, Value)> = vec![
        ("sqs-batch".into(), events::recorded("sqs-batch")),
        ("mixed-batch.json".into(), event_file("exercises/08-sqs-partial-batch/events/mixed-batch.json")),
    ];
    // Every body exercise 08's checks send, in one batch.
    let bodies = [
        r#"{"orderId": "o-1001", "amount": 25.5}"#,
        r#"{"orderId": "o-1002", "amount": 100}"#,
        "not json",
        "[1, 2]",
        "42",
        r#""o-1001""#,
        "null",
        "{}",
        r#"{"orderId": "o-1001"}"#,
        r#"{"amount": 10}"#,
        r#"{"orderId": "o-1004", "amount": 0}"#,
        r#"{"orderId": "o-1002", "amount": -5}"#,
        r#"{"orderId": "o-1003", "amount": "25.50"}"#,
        r#"{"orderId": "o-1004", "amount": null}"#,
        r#"{"orderId": "o-1005", "amount": 0.01}"#,
        r#"{"orderId": "o-1006", "amount": 1.25}"#,
        r#"{"orderId": "o-1007", "amount": 9.99}"#,
    ];
    cases.push(("every body of the checks".into(), sqs_batch(&bodies)));
    cases.push(("a good batch".into(), sqs_batch(&bodies[..2])));
    for (name, event) in &cases {
        assert_same(name, &python, &rust, event);
    }
    assert_eq!(
        rust.invoke(&sqs_batch(&bodies[..2])).result(),
        Some(json!({"batchItemFailures": []})),
        "the typed response keeps the empty list, as the contract wants"
    );
}
