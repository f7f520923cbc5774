//! The harness's in-process Rust functions (harness-rust) answer as a real
//! `lambda_runtime::run` binary does. Each handler of `rust_track::behaviours`
//! and each solution runs both ways on the same event: in-process, and as the
//! binary started against the local Runtime API (harness::process). The
//! response bytes, the error payload bytes, the log lines and the REPORT
//! line's status must match, once the request id and trace id (which differ
//! per invocation) are set aside.

use harness::process::{ProcessConfig, ProcessFunction};
use harness::{FunctionConfig, Invocation, Outcome, Value, events, json};
use harness_rust::RustFunction;
use lambda_runtime::service_fn;
use rust_track::behaviours;
use std::path::PathBuf;

fn config() -> FunctionConfig {
    let mut config = FunctionConfig::new(std::env::temp_dir(), "bootstrap");
    config.function_name = "same-as-lambda-runtime".into();
    config
}

fn binary(name: &str, behaviour: Option<&str>) -> ProcessFunction {
    let path = match name {
        "behaviours" => env!("CARGO_BIN_EXE_behaviours"),
        "s3-in-rust" => env!("CARGO_BIN_EXE_s3-in-rust"),
        _ => env!("CARGO_BIN_EXE_sqs-in-rust"),
    };
    let mut process = ProcessConfig::new(PathBuf::from(path));
    process.function = config();
    if let Some(behaviour) = behaviour {
        process.extra_env.push(("BEHAVIOUR".into(), behaviour.into()));
    }
    ProcessFunction::new(process).expect("the configuration is valid")
}

/// The outcome's bytes and the function's own log lines, with this
/// invocation's ids replaced, so two invocations can be compared.
fn comparable(invocation: &Invocation) -> (String, Vec<String>, String) {
    let trace = invocation
        .function_logs()
        .iter()
        .find_map(|line| line.split("xrayTraceId=\"").nth(1).and_then(|rest| rest.split('"').next()))
        .map(str::to_string);
    let neutral = |text: &str| {
        let text = text.replace(&invocation.request_id, "<request id>");
        match &trace {
            Some(trace) => text.replace(trace, "<trace id>"),
            None => text,
        }
    };
    let outcome = match &invocation.outcome {
        Outcome::Returned { payload, .. } => format!("response {}", String::from_utf8_lossy(payload)),
        Outcome::Failed(error) => format!("error {:?} {}", error.source, error.text),
    };
    let lines = invocation.function_logs().iter().map(|line| neutral(&without_thread_id(line))).collect();
    // The REPORT line's figures differ; its status (after a timeout, an
    // exit) must not.
    let report = invocation.logs.last().map(String::as_str).unwrap_or("");
    let status = report.split_once("\tStatus: ").map(|(_, status)| status.to_string()).unwrap_or_default();
    (neutral(&outcome), lines, status)
}

/// `thread 'main' (4242) panicked at` → `thread 'main' (<id>) panicked at`:
/// the operating system's thread id differs between any two processes.
fn without_thread_id(line: &str) -> String {
    match line.split_once("' (") {
        Some((before, after)) if line.starts_with("thread '") => match after.split_once(") panicked at ") {
            Some((id, rest)) if id.chars().all(|c| c.is_ascii_digit()) => {
                format!("{before}' (<id>) panicked at {rest}")
            }
            _ => line.to_string(),
        },
        _ => line.to_string(),
    }
}

fn assert_same(what: &str, in_process: &Invocation, real: &Invocation) {
    let (ours, theirs) = (comparable(in_process), comparable(real));
    assert_eq!(ours.0, theirs.0, "{what}: the answers differ");
    assert_eq!(ours.1, theirs.1, "{what}: the log lines differ");
    assert_eq!(ours.2, theirs.2, "{what}: the REPORT statuses differ");
}

#[test]
fn responses_errors_panics_and_logs_match_a_real_lambda_runtime_binary() {
    let cases: Vec<(&str, RustFunction, Value)> = vec![
        ("echo", RustFunction::new(config(), service_fn(behaviours::echo)), json!({"name": "Ada", "n": [1, 2.5]})),
        ("boxed_error", RustFunction::new(config(), service_fn(behaviours::boxed_error)), json!({})),
        ("diagnostic", RustFunction::new(config(), service_fn(behaviours::diagnostic)), json!({"x": "quote\" and é"})),
        ("panics", RustFunction::new(config(), service_fn(behaviours::panics)), json!({"items": [1]})),
        (
            "typed",
            RustFunction::new(config(), service_fn(behaviours::typed)),
            json!({"Records": [{"s3": {"bucket": {"name": "b"}}}]}),
        ),
        ("typed", RustFunction::new(config(), service_fn(behaviours::typed)), events::recorded("s3-batch")),
    ];
    for (behaviour, function, event) in cases {
        let real = binary("behaviours", Some(behaviour));
        // The first invocation of each is a cold start on both sides.
        assert_same(behaviour, &function.invoke(&event), &real.invoke(&event));
        // A second, warm, shows that the environment survived alike.
        assert_same(&format!("{behaviour}, warm"), &function.invoke(&event), &real.invoke(&event));
    }
}

#[test]
fn the_solutions_answer_as_their_binaries_do() {
    let s3 = RustFunction::new(config(), service_fn(rust_track::s3::function_handler));
    let s3_binary = binary("s3-in-rust", None);
    for name in ["s3-put", "s3-special-keys", "s3-batch", "s3-multipart-upload", "s3-delete"] {
        let event = events::recorded(name);
        assert_same(name, &s3.invoke(&event), &s3_binary.invoke(&event));
    }
    let sqs = RustFunction::new(config(), service_fn(rust_track::sqs::function_handler));
    let sqs_binary = binary("sqs-in-rust", None);
    let mixed =
        events::sqs_batch(&[r#"{"orderId": "o-1", "amount": 2.5}"#, "not json", r#"{"orderId": "o-3", "amount": 0}"#]);
    for (name, event) in [("sqs-batch", events::recorded("sqs-batch")), ("a mixed batch", mixed)] {
        assert_same(name, &sqs.invoke(&event), &sqs_binary.invoke(&event));
    }
}
