//! The recorded suite: executions recorded against AWS (LocalStack's parity
//! snapshots, extracted into `tests/recorded/cases.json` by
//! `tests/recorded/extract.py`; origin and licence in `tests/recorded/README.md`)
//! run through the local runner, which must end each one as AWS did: the same
//! status, output (or error and cause) and history event types.
//!
//! A case the runner does not model is skipped, with the reason counted
//! (JSONata machines, service integrations other than Lambda, variables...).
//! A supported case that still differs from AWS is listed in
//! [`KNOWN_DIFFERENCES`] with the finding; the test fails when any other case
//! differs, and when a listed case passes (so the list only shrinks).
//!
//! Print the tally: `cargo test -p step-functions --test recorded -- --nocapture`;
//! with `RECORDED_SHOW=text` also what differs in each case whose id holds `text`.

use harness::{Function, FunctionConfig};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use step_functions::runner::{self, Options};

/// Supported cases that differ from AWS, each with what differs. Remove a
/// line when the runner is fixed.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "tests/aws/services/stepfunctions/v2/base/test_base.py::TestSnfBase::test_state_fail_intrinsic",
        "intrinsic functions in ErrorPath/CausePath fail",
    ),
    (
        "tests/aws/services/stepfunctions/v2/base/test_base.py::TestSnfBase::test_query_context_object_values",
        "LocalStack masks the context object's names and times, which the matcher does not know",
    ),
    (
        "tests/aws/services/stepfunctions/v2/error_handling/test_task_lambda.py::TestTaskLambda::test_raise_custom_exception",
        "validation refuses an empty ErrorEquals in a Catch, in a machine AWS ran",
    ),
    (
        "tests/aws/services/stepfunctions/v2/error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_raise_custom_exception",
        "validation refuses an empty ErrorEquals in a Catch, in a machine AWS ran",
    ),
    (
        "tests/aws/services/stepfunctions/v2/error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_no_such_function",
        "a missing function is an uncatchable States.Runtime; AWS: a catchable Lambda.ResourceNotFoundException",
    ),
    (
        "tests/aws/services/stepfunctions/v2/error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_no_such_function_catch",
        "a missing function is an uncatchable States.Runtime; AWS: a catchable Lambda.ResourceNotFoundException",
    ),
    (
        "tests/aws/services/stepfunctions/v2/error_handling/test_task_service_lambda.py::TestTaskServiceLambda::test_invoke_timeout",
        "the recorded function sleeps past the harness's 3 s function timeout (Lambda.Unknown) before the Task's TimeoutSeconds (States.Timeout) ends it",
    ),
    (
        "tests/aws/services/stepfunctions/v2/local_mocking/test_base_scenarios.py::TestBaseScenarios::test_parallel_state_lambda",
        "lambda:invoke's result lacks AWS's SdkHttpMetadata headers (AllHttpHeaders, HttpHeaders)",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path",
        "LocalStack masks the input's timestamp as 'date': the input cannot be rebuilt",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_parallel_state_order",
        "Parallel: AWS writes no ParallelStateSucceeded here, and a different event order",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_parallel_state_nested",
        "Parallel: AWS writes no ParallelStateSucceeded here, and a different event order",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_max_concurrency_path_negative",
        "MaxConcurrencyPath values are not validated at run time",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path[SECONDS]",
        "LocalStack masks the input's timestamp as 'date': the input cannot be rebuilt",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path[NANOSECONDS]",
        "LocalStack masks the input's timestamp as 'date': the input cannot be rebuilt",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path[NO_T]",
        "a bad TimestampPath value's cause is worded differently from AWS",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path[NO_Z]",
        "a bad TimestampPath value's cause is worded differently from AWS",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path[INVALID_DATE]",
        "a bad TimestampPath value's cause is worded differently from AWS",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path[INVALID_TIME]",
        "a bad TimestampPath value's cause is worded differently from AWS",
    ),
    (
        "tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.py::TestBaseScenarios::test_wait_timestamp_path[INVALID_ISO]",
        "a bad TimestampPath value's cause is worded differently from AWS",
    ),
    (
        "tests/aws/services/stepfunctions/v2/timeouts/test_timeouts.py::TestTimeouts::test_fixed_timeout_lambda",
        "the recorded function sleeps past the harness's 3 s function timeout (Lambda.Unknown) before the Task's TimeoutSeconds (States.Timeout) ends it",
    ),
    (
        "tests/aws/services/stepfunctions/v2/timeouts/test_timeouts.py::TestTimeouts::test_fixed_timeout_service_lambda",
        "the recorded function sleeps past the harness's 3 s function timeout (Lambda.Unknown) before the Task's TimeoutSeconds (States.Timeout) ends it",
    ),
    (
        "tests/aws/services/stepfunctions/v2/timeouts/test_timeouts.py::TestTimeouts::test_service_lambda_map_timeout",
        "the recorded function sleeps past the harness's 3 s function timeout (Lambda.Unknown) before the Task's TimeoutSeconds (States.Timeout) ends it",
    ),
    (
        "tests/aws/services/stepfunctions/v2/timeouts/test_timeouts.py::TestTimeouts::test_fixed_timeout_service_lambda_with_path",
        "the recorded function sleeps past the harness's 3 s function timeout (Lambda.Unknown) before the Task's TimeoutSeconds (States.Timeout) ends it",
    ),
];

fn recorded_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recorded")
}

/// Why the runner cannot run a case, or None when it can.
fn unsupported(case: &Value) -> Option<String> {
    let definition = &case["definition"];
    let text = definition.to_string();
    if text.contains("\"JSONata\"") {
        return Some("JSONata (QueryLanguage: JSONata): a later issue".into());
    }
    if text.contains("\"Assign\"") {
        return Some("variables (Assign)".into());
    }
    if text.contains("\"ItemReader\"") || text.contains("\"ResultWriter\"") {
        return Some("a Distributed Map reading or writing S3 (ItemReader, ResultWriter)".into());
    }
    let mut resources = Vec::new();
    collect_resources(definition, &mut resources);
    for resource in resources {
        let lambda = resource.starts_with("arn:aws:lambda:") || resource == "arn:aws:states:::lambda:invoke";
        if !lambda {
            let service = resource.trim_start_matches("arn:aws:states:::").split([':', '.']).next().unwrap_or("");
            return Some(format!("a Task calling a service other than Lambda ({service})"));
        }
    }
    None
}

fn collect_resources(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            if object.get("Type").and_then(Value::as_str) == Some("Task") {
                if let Some(resource) = object.get("Resource").and_then(Value::as_str) {
                    out.push(resource.to_string());
                }
            }
            object.values().for_each(|v| collect_resources(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_resources(v, out)),
        _ => {}
    }
}

/// Whether a recorded value (with LocalStack's placeholders such as
/// `<region>`, `<uuid:1>`, `<lambda_function_1_name>`) matches ours.
fn matches(expected: &Value, got: &Value) -> bool {
    match (expected, got) {
        (Value::String(e), Value::String(g)) => {
            // A function's file is /var/task/handler.py on AWS, where LocalStack deployed it.
            let handlers = format!("{}/", recorded_dir().join("handlers").display());
            let g = aws_file_paths(g, &handlers);
            let g = g.replace("arn:aws:", "arn:<partition>:").replace("us-east-1", "<region>");
            e == &g || placeholder_pattern(e).is_some_and(|parts| matches_parts(&parts, &g))
        }
        (Value::String(e), _) => e.starts_with('<') && e.ends_with('>'),
        (Value::Object(e), Value::Object(g)) => {
            e.len() == g.len() && e.iter().all(|(k, v)| g.get(k).is_some_and(|gv| masked(k, v) || matches(v, gv)))
        }
        (Value::Array(e), Value::Array(g)) => e.len() == g.len() && e.iter().zip(g).all(|(a, b)| matches(a, b)),
        (Value::Number(e), Value::Number(g)) => e.as_f64() == g.as_f64(),
        _ => expected == got,
    }
}

/// Whether the recorded `value` of `key` is the mask LocalStack's
/// `sfn_snapshot` fixture puts in place of any value of that key
/// (`TransformerUtility.stepfunctions_api()`: HTTP dates, request and trace
/// ids), which matches whatever value the runner gives.
fn masked(key: &str, value: &Value) -> bool {
    const MASKS: [(&str, &str); 6] = [
        ("Date", "date"),
        ("RequestId", "RequestId"),
        ("X-Amzn-Trace-Id", "X-Amzn-Trace-Id"),
        ("x-amz-crc32", "x-amz-crc32"),
        ("x-amzn-RequestId", "x-amzn-RequestId"),
        ("x-amzn-requestid", "x-amzn-requestid"),
    ];
    MASKS.iter().any(|(k, mask)| *k == key && value == mask)
}

/// `text` with each `<handlers>/NAME.py` written `/var/task/handler.py`.
fn aws_file_paths(text: &str, handlers: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(handlers) {
        out.push_str(&rest[..at]);
        let after = &rest[at + handlers.len()..];
        let end = after.find(".py").map_or(0, |i| i + 3);
        out.push_str("/var/task/handler.py");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The literal parts around `<...>` placeholders, or None without any.
fn placeholder_pattern(text: &str) -> Option<Vec<&str>> {
    if !text.contains('<') {
        return None;
    }
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { break };
        parts.push(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    parts.push(rest);
    Some(parts)
}

fn matches_parts(parts: &[&str], text: &str) -> bool {
    let Some((first, rest)) = parts.split_first() else { return text.is_empty() };
    let Some(mut remaining) = text.strip_prefix(first) else { return false };
    for (index, part) in rest.iter().enumerate() {
        let last = index == rest.len() - 1;
        if last {
            return remaining.ends_with(part);
        }
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// LocalStack's snapshots hold JSON text parsed; ours is text.
fn parsed(value: &Value) -> Value {
    match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

/// What differs between the recorded history and our execution.
fn differences(case: &Value, functions: &HashMap<String, Function>) -> Vec<String> {
    let options = Options { account_id: "111111111111".into(), ..Options::default() };
    let input = parsed(&case["input"]);
    let execution = match runner::execute(&case["definition"], &input, functions, &options) {
        Ok(execution) => execution,
        Err(problems) => return vec![format!("refused as invalid: {problems:?}")],
    };
    let recorded: Vec<&Value> = case["events"].as_array().unwrap().iter().collect();
    let mut out = Vec::new();
    let expected_types: Vec<&str> = recorded.iter().map(|e| e["type"].as_str().unwrap()).collect();
    let got_types: Vec<&str> = execution.history.events.iter().map(|e| e.kind.as_str()).collect();
    if expected_types != got_types {
        // Map iterations and Parallel branches run concurrently on AWS, one
        // after another here: the same events in another order still match.
        let (mut e, mut g) = (expected_types.clone(), got_types.clone());
        e.sort();
        g.sort();
        if e != g {
            out.push(format!("event types:\n  AWS:   {expected_types:?}\n  local: {got_types:?}"));
        }
    }
    let last = recorded.last().unwrap();
    let ours = execution.history.events.last().map(|e| e.to_json()).unwrap_or(Value::Null);
    for (kind, key, fields) in [
        ("ExecutionSucceeded", "executionSucceededEventDetails", &["output"][..]),
        ("ExecutionFailed", "executionFailedEventDetails", &["error", "cause"][..]),
    ] {
        if last["type"] == kind && ours["type"] == kind {
            for field in fields {
                let (e, g) = (parsed(&last[key][*field]), parsed(&ours[key][*field]));
                if !matches(&e, &g) {
                    out.push(format!("{field}:\n  AWS:   {e}\n  local: {g}"));
                }
            }
        }
    }
    if last["type"] != ours["type"] {
        out.push(format!(
            "outcome: AWS {} {}, local {} {}",
            last["type"],
            last.get("executionFailedEventDetails").unwrap_or(&Value::Null),
            ours["type"],
            ours.get("executionFailedEventDetails").unwrap_or(&Value::Null)
        ));
    }
    out
}

#[test]
fn executions_recorded_against_aws_end_the_same_way_locally() {
    let text = std::fs::read_to_string(recorded_dir().join("cases.json")).unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    let handlers = recorded_dir().join("handlers");
    let known: HashMap<&str, &str> = KNOWN_DIFFERENCES.iter().copied().collect();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let (mut passed, mut supported) = (0, 0);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    // RECORDED_SHOW=text prints what differs in each case whose id contains it.
    let show = std::env::var("RECORDED_SHOW").ok();
    for case in data["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if let Some(reason) = unsupported(case) {
            *skipped.entry(reason).or_default() += 1;
            continue;
        }
        supported += 1;
        let functions: HashMap<String, Function> = case["functions"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, file)| {
                let stem = file.as_str().unwrap().trim_end_matches(".py");
                let mut config = FunctionConfig::new(&handlers, format!("{stem}.handler"));
                config.function_name = name.clone();
                (name.clone(), Function::new(config).unwrap())
            })
            .collect();
        let found = differences(case, &functions);
        if show.as_deref().is_some_and(|pattern| id.contains(pattern)) && !found.is_empty() {
            println!("{id}\n{}\n", found.join("\n"));
        }
        match (found.is_empty(), known.contains_key(id)) {
            (true, false) => passed += 1,
            (true, true) => fixed.push(id.to_string()),
            (false, true) => {}
            (false, false) => unexpected.push(format!("{id}\n{}", found.join("\n"))),
        }
    }
    let not_rebuilt = data["not_rebuilt"].as_array().map_or(0, Vec::len);
    println!("recorded suite: {passed} passed of {supported} supported; {} known differences", known.len());
    println!("skipped: {}", skipped.values().sum::<usize>());
    for (reason, count) in &skipped {
        println!("  {count:>4}  {reason}");
    }
    println!("not rebuilt from LocalStack's tests by extract.py: {not_rebuilt} (see cases.json)");
    assert!(unexpected.is_empty(), "{} case(s) differ from AWS:\n\n{}", unexpected.len(), unexpected.join("\n\n"));
    assert!(fixed.is_empty(), "now passing, remove from KNOWN_DIFFERENCES: {fixed:?}");
    assert_eq!(json!(passed + known.len()), json!(supported));
}
