//! The recorded suite: executions recorded against AWS (LocalStack's parity
//! snapshots, extracted into `tests/recorded/cases.json` by
//! `tests/recorded/extract.py`; origin and licence in `tests/recorded/README.md`)
//! run through the local runner, which must end each one as AWS did: the same
//! status, output (or error and cause) and history event types, and the same
//! variables assigned by each state.
//!
//! A case the runner does not model is skipped, with the reason counted
//! (service integrations other than Lambda and DynamoDB's and SQS's
//! request-response ones, a task token, a Map reading S3...),
//! and so is one the recording cannot rebuild (an input LocalStack masked, a
//! history read before the execution ended). Values LocalStack masked in
//! what the execution ends with are matched as its transformers wrote them
//! (placeholders, the `sfn_snapshot` fixture's masks, a test's own
//! `JsonpathTransformer`s, ISO 8601 dates written `date`).
//! A supported case that still differs from AWS is listed in
//! [`KNOWN_DIFFERENCES`] with the finding; the test fails when any other case
//! differs, and when a listed case passes (so the list only shrinks).
//!
//! Print the tally: `cargo test -p step-functions --test recorded -- --nocapture`;
//! with `RECORDED_SHOW=text` also what differs in each case whose id holds `text`.

use harness::{Clock, Function, FunctionConfig};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use step_functions::integrations::{Account, Target};
use step_functions::runner::{self, Options};

/// Supported cases that differ from AWS, each with what differs. Remove a
/// line when the runner is fixed.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "tests/aws/services/stepfunctions/v2/services/test_dynamodb_task_service.py::TestTaskServiceDynamoDB::test_base_integrations[DYNAMODB_PUT_GET_ITEM]",
        "AWS spelt the getItem answer's request-id header `x-amzn-requestid` (lower case, second in AllHttpHeaders) and the putItem answer's `x-amzn-RequestId`; the runner spells it `x-amzn-RequestId` always, as AWS did in test_base_scenarios' getItem: DynamoDB's front ends answer with either spelling",
    ),
    (
        "tests/aws/services/stepfunctions/v2/services/test_dynamodb_task_service.py::TestTaskServiceDynamoDB::test_base_integrations[DYNAMODB_PUT_UPDATE_GET_ITEM]",
        "the same header spelling: AWS's getItem answer has `x-amzn-requestid` in lower case, its putItem and updateItem answers `x-amzn-RequestId`; the runner spells it `x-amzn-RequestId` always",
    ),
    (
        "tests/aws/services/stepfunctions/v2/timeouts/test_timeouts.py::TestTimeouts::test_service_lambda_map_timeout",
        "an inline Map's iterations run one after another here: AWS ran the four at once, all four timed out, and the first failure aborted the others (MapIterationAborted, TaskStateAborted); here the Map fails after the first, the others never started",
    ),
];

/// The account the recordings were made in (`111111111111` in LocalStack's snapshots).
const ACCOUNT: &str = "111111111111";

fn recorded_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/recorded")
}

/// Why the runner cannot run a case, or None when it can.
fn unsupported(case: &Value) -> Option<String> {
    let definition = &case["definition"];
    let text = definition.to_string();
    if text.contains("\"ItemReader\"") || text.contains("\"ResultWriter\"") {
        return Some("a Distributed Map reading or writing S3 (ItemReader, ResultWriter)".into());
    }
    let mut resources = Vec::new();
    collect_resources(definition, &mut resources);
    for resource in resources {
        let lambda = resource.starts_with("arn:aws:lambda:") || resource == "arn:aws:states:::lambda:invoke";
        let integration = matches!(Target::of(&resource), Target::Service(_));
        if !lambda && !integration {
            let call = resource.trim_start_matches("arn:aws:states:::");
            let service = call.split([':', '.']).next().unwrap_or("");
            if call.ends_with(".waitForTaskToken") {
                return Some(format!("a Task waiting for a task token ({service}, .waitForTaskToken)"));
            }
            return Some(format!(
                "a Task calling a service other than Lambda, DynamoDB's and SQS's items and messages ({service})"
            ));
        }
    }
    None
}

/// The table and queue the recorded DynamoDB and SQS tests created
/// (LocalStack's test_dynamodb_task_service, test_sqs_task_service,
/// test_task_service_dynamodb, test_task_service_sqs and
/// test_base_scenarios), in an account of the case's own, and the case's
/// input with the names LocalStack masked put back: `table-name` is a table
/// keyed by `id` (a string); `<test-table>` is a table the test never
/// created (its test names a missing or invalid table); `<sqs_queue_url>`
/// and `sqs-queue-url` are the URL of a queue the test created;
/// `<no_such_sqs_queue_url>` is `http://no-such-queue-UID`, the UID being
/// the one the recorded cause names. None for a case without such Tasks.
fn services_for(case: &Value, input: &Value) -> Option<(Arc<Account>, Value)> {
    let mut resources = Vec::new();
    collect_resources(&case["definition"], &mut resources);
    if !resources.iter().any(|resource| matches!(Target::of(resource), Target::Service(_))) {
        return None;
    }
    let account = Account::new("us-east-1").expect("the local AWS starts");
    let state = json!({
        "dynamodb": {"table-name": {"key": {"id": "S"}}},
        "sqs": {"test-queue": []},
    });
    account.seed(&state).expect("the recorded test's table and queue are created");
    let events = case["events"].to_string();
    let no_such_queue = events
        .find("no-such-queue-")
        .map(|at| {
            let uid: String = events[at + 14..].chars().take_while(char::is_ascii_alphanumeric).collect();
            format!("http://no-such-queue-{uid}")
        })
        .unwrap_or_else(|| "http://no-such-queue".into());
    let queue_url = account.queue_url("test-queue");
    let text = input
        .to_string()
        .replace("<no_such_sqs_queue_url>", &no_such_queue)
        .replace("<sqs_queue_url>", &queue_url)
        .replace("\"sqs-queue-url\"", &format!("\"{queue_url}\""))
        .replace("<test-table>", "test-table");
    Some((Arc::new(account), serde_json::from_str(&text).expect("still JSON")))
}

/// Why a case cannot be compared with what AWS did, or None when it can:
/// the recording lacks what the run needs or what it ends with.
fn not_rebuilt(case: &Value) -> Option<String> {
    let events = case["events"].as_array()?;
    let last = events.last()?["type"].as_str().unwrap_or_default();
    if !matches!(last, "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted") {
        return Some(format!(
            "cannot be rebuilt from the recording: its history was read before the execution ended (last event {last})"
        ));
    }
    // LocalStack wrote a function's name as `<lambda_function_name>` in the
    // recording; a lambda:invoke result whose Payload holds it was counted
    // by AWS (Content-Length) with the real name, of another length.
    let masked_payload = events.iter().any(|event| {
        let output = parsed(&event["taskSucceededEventDetails"]["output"]);
        let payload = output["Payload"].to_string();
        !output["SdkHttpMetadata"].is_null() && payload.contains("<lambda_function_name>")
    });
    if masked_payload {
        return Some(
            "cannot be rebuilt from the recording: a function name LocalStack masked is in a Lambda result, whose Content-Length AWS counted with the real name"
                .into(),
        );
    }
    if masked_timestamp(&parsed(&case["input"]), "") {
        return Some(
            "cannot be rebuilt from the recording: LocalStack masked a timestamp in the input ('date', 'timestamp')"
                .into(),
        );
    }
    None
}

/// Whether `value` (under `key`) holds what LocalStack's basic transformers
/// write in place of a timestamp: `date` for an ISO 8601 date-time, or
/// `timestamp` for the value of a key naming one. The extractor rebuilds
/// such an input from the test's parameter where it can.
fn masked_timestamp(value: &Value, key: &str) -> bool {
    match value {
        Value::String(text) => text == "date" || (text == "timestamp" && key.to_lowercase().contains("timestamp")),
        Value::Object(object) => object.iter().any(|(k, v)| masked_timestamp(v, k)),
        Value::Array(items) => items.iter().any(|v| masked_timestamp(v, key)),
        _ => false,
    }
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

/// The values LocalStack masked when recording a case: each key whose
/// value a transformer replaced, with the replacement. Those of the
/// `sfn_snapshot` fixture (`TransformerUtility.stepfunctions_api()`: HTTP
/// dates, request and trace ids) apply to every case; a test's own
/// `JsonpathTransformer("$..KEY", replacement)` calls to its case (the
/// extractor lists them in `masks`).
struct Masks {
    keys: Vec<(String, String)>,
}

impl Masks {
    fn of(case: &Value) -> Masks {
        let fixture = [
            ("Date", "date"),
            ("RequestId", "RequestId"),
            ("X-Amzn-Trace-Id", "X-Amzn-Trace-Id"),
            ("x-amz-crc32", "x-amz-crc32"),
            ("x-amzn-RequestId", "x-amzn-RequestId"),
            ("x-amzn-requestid", "x-amzn-requestid"),
        ];
        let mut keys: Vec<(String, String)> = fixture.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        for mask in case["masks"].as_array().into_iter().flatten() {
            let (Some(path), Some(replacement)) = (mask[0].as_str(), mask[1].as_str()) else { continue };
            // `$..KEY` or `$..PARENT.KEY`: the key is what the runner's
            // value is found under.
            let key = path.rsplit(['.', '$']).next().unwrap_or(path);
            keys.push((key.to_string(), replacement.to_string()));
        }
        Masks { keys }
    }

    /// Whether the recorded `value` of `key` is a mask, which matches any value.
    fn hides(&self, key: &str, value: &Value) -> bool {
        self.keys.iter().any(|(k, mask)| k == key && value.as_str() == Some(mask))
    }
}

/// Whether a recorded value (with LocalStack's placeholders such as
/// `<region>`, `<uuid:1>`, `<lambda_function_1_name>`, and its masks) matches ours.
fn matches(expected: &Value, got: &Value, masks: &Masks) -> bool {
    match (expected, got) {
        (Value::String(e), Value::String(g)) => {
            // A function's file is /var/task/handler.py on AWS, where LocalStack deployed it.
            let handlers = format!("{}/", recorded_dir().join("handlers").display());
            let g = aws_file_paths(g, &handlers);
            // LocalStack writes the execution role's ARN as `snf_role_arn`
            // (`create_state_machine_with_iam_role`) and, in every snapshot,
            // an ISO 8601 date-time as `date` (its basic transformers).
            let role = format!("arn:aws:iam::{ACCOUNT}:role/StepFunctions-StateMachine-role");
            let g = g.replace(&role, "snf_role_arn");
            let g = if e.contains("date") { iso_dates_masked(&g) } else { g };
            let g = g.replace("arn:aws:", "arn:<partition>:").replace("us-east-1", "<region>");
            e == &g || placeholder_pattern(e).is_some_and(|parts| matches_parts(&parts, &g))
        }
        (Value::String(e), _) => e.starts_with('<') && e.ends_with('>'),
        (Value::Object(e), Value::Object(g)) => {
            e.len() == g.len()
                && e.iter().all(|(k, v)| g.get(k).is_some_and(|gv| masks.hides(k, v) || matches(v, gv, masks)))
        }
        (Value::Array(e), Value::Array(g)) => e.len() == g.len() && e.iter().zip(g).all(|(a, b)| matches(a, b, masks)),
        (Value::Number(e), Value::Number(g)) => e.as_f64() == g.as_f64(),
        _ => expected == got,
    }
}

/// `text` with each ISO 8601 date-time (`2016-03-14T01:59:00Z`, with an
/// optional fraction and a `Z` or `±hh[:mm]` offset, a real date and time)
/// written `date`, as LocalStack's `PATTERN_ISO8601` transformer does.
fn iso_dates_masked(text: &str) -> String {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |v, d| v * 10 + u32::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let stamp_at = |i: usize| -> Option<usize> {
        let (year, month, day) = (digits(i, 4)?, digits(i + 5, 2)?, digits(i + 8, 2)?);
        let (hour, minute, second) = (digits(i + 11, 2)?, digits(i + 14, 2)?, digits(i + 17, 2)?);
        let shape = at(i + 4, b'-') && at(i + 7, b'-') && at(i + 10, b'T') && at(i + 13, b':') && at(i + 16, b':');
        let valid = year >= 1000
            && (1..=12).contains(&month)
            && day >= 1
            && i64::from(day) <= harness::time::days_in_month(i64::from(year), i64::from(month))
            && hour < 24
            && minute < 60
            && second < 60;
        if !(shape && valid) {
            return None;
        }
        let mut end = i + 19;
        if at(end, b'.') {
            let count = b[end + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if (1..=9).contains(&count) {
                end += 1 + count;
            }
        }
        match b.get(end) {
            Some(b'Z') => Some(end + 1),
            Some(b'+' | b'-') if digits(end + 1, 2).is_some() => {
                let mut end = end + 3;
                if at(end, b':') {
                    end += 1;
                }
                Some(if digits(end, 2).is_some() { end + 2 } else { end })
            }
            _ => None,
        }
    };
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        match stamp_at(i) {
            Some(end) => {
                out.push_str("date");
                i = end;
            }
            None => {
                let c = text[i..].chars().next().expect("within the text");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// LocalStack's `SfnNoneRecursiveParallelTransformer`, which some tests add,
/// applied to our event types: it sorts the events between a
/// ParallelStateStarted and the next ParallelStateSucceeded, -Exited,
/// -Failed or -Aborted, and, as it writes the same sorted events again over
/// the list it is walking, drops the event before a second such end
/// (the ParallelStateSucceeded before ParallelStateExited). Written as its
/// Python is (`localstack/testing/pytest/stepfunctions/utils.py`), so the
/// recording and ours go through the same steps.
fn parallel_events_sorted(mut events: Vec<&str>) -> Vec<&str> {
    let ends = ["ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed"];
    let (mut start, mut sublist, mut in_sublist) = (0, Vec::new(), false);
    let mut i = 0;
    while i < events.len() {
        let kind = events[i];
        if ends.contains(&kind) {
            let mut sorted = sublist.clone();
            sorted.sort();
            // Python's `events[start:i] = sorted`: an empty slice when i < start.
            events.splice(start..i.max(start), sorted);
            in_sublist = false;
        } else if kind == "ParallelStateStarted" {
            (in_sublist, start) = (true, i + 1);
            sublist.clear();
        } else if in_sublist {
            sublist.push(kind);
        }
        i += 1;
    }
    events
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
    let input = parsed(&case["input"]);
    let (aws, input) = match services_for(case, &input) {
        Some((account, input)) => (Some(account), input),
        None => (None, input),
    };
    let options = Options { account_id: ACCOUNT.into(), aws, ..Options::default() };
    let execution = match runner::execute(&case["definition"], &input, functions, &options) {
        Ok(execution) => execution,
        Err(problems) => return vec![format!("refused as invalid: {problems:?}")],
    };
    let recorded: Vec<&Value> = case["events"].as_array().unwrap().iter().collect();
    let mut out = Vec::new();
    let expected_types: Vec<&str> = recorded.iter().map(|e| e["type"].as_str().unwrap()).collect();
    let mut got_types: Vec<&str> = execution.history.events.iter().map(|e| e.kind.as_str()).collect();
    if case["parallel_events_sorted"] == true {
        got_types = parallel_events_sorted(got_types);
    }
    let masks = Masks::of(case);
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
    // What each state assigned (`assignedVariables` of its StateExited
    // events), state by state: Parallel branches and Map iterations ran
    // concurrently on AWS, so the events of a state are compared as a set.
    let assigned = |events: Vec<(String, Value)>| -> BTreeMap<String, Vec<String>> {
        let mut by_state: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, assigned) in events {
            by_state.entry(name).or_default().push(assigned.to_string());
        }
        by_state.values_mut().for_each(|values| values.sort());
        by_state
    };
    let parsed_values = |v: &Value| -> Value {
        v.as_object().map_or(Value::Null, |o| o.iter().map(|(k, v)| (k.clone(), parsed(v))).collect())
    };
    let exited = "stateExitedEventDetails";
    let expected_assigned = assigned(
        recorded
            .iter()
            .filter(|e| !e[exited].is_null())
            .map(|e| {
                (e[exited]["name"].as_str().unwrap_or("").to_string(), parsed_values(&e[exited]["assignedVariables"]))
            })
            .collect(),
    );
    let got_assigned = assigned(
        execution
            .history
            .events
            .iter()
            .filter(|e| e.kind.ends_with("StateExited"))
            .filter_map(|e| e.details.as_ref())
            .map(|d| (d["name"].as_str().unwrap_or("").to_string(), parsed_values(&d["assignedVariables"])))
            .collect(),
    );
    for (state, expected) in &expected_assigned {
        let got = got_assigned.get(state).cloned().unwrap_or_default();
        let same = expected.len() == got.len()
            && expected.iter().zip(&got).all(|(e, g)| {
                let (e, g) =
                    (serde_json::from_str(e).unwrap_or(Value::Null), serde_json::from_str(g).unwrap_or(Value::Null));
                matches(&e, &g, &masks)
            });
        if !same {
            out.push(format!("assigned variables of state {state}:\n  AWS:   {expected:?}\n  local: {got:?}"));
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
                if !masks.hides(field, &e) && !matches(&e, &g, &masks) {
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
    let default_timeout = data["function_timeout_seconds"].as_u64();
    let known: HashMap<&str, &str> = KNOWN_DIFFERENCES.iter().copied().collect();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    let (mut passed, mut supported) = (0, 0);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    // RECORDED_SHOW=text prints what differs in each case whose id contains it.
    let show = std::env::var("RECORDED_SHOW").ok();
    for case in data["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if let Some(reason) = unsupported(case).or_else(|| not_rebuilt(case)) {
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
                // The Timeout the recorded test deployed the function with
                // (LocalStack's default, 30 s, unless the test gave one), so a
                // Task's TimeoutSeconds ends a slow function first, as on AWS.
                let seconds = case["function_timeouts"][name].as_u64().or(default_timeout).unwrap_or(3);
                config.timeout = Duration::from_secs(seconds);
                // A virtual clock: a handler's time.sleep takes no real time.
                config.clock = Clock::virtual_default();
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

#[test]
fn localstacks_parallel_transformer_drops_the_event_before_a_second_end() {
    let events = vec![
        "ParallelStateEntered",
        "ParallelStateStarted",
        "PassStateEntered",
        "PassStateExited",
        "ParallelStateSucceeded",
        "ParallelStateExited",
        "ExecutionSucceeded",
    ];
    assert_eq!(
        parallel_events_sorted(events),
        [
            "ParallelStateEntered",
            "ParallelStateStarted",
            "PassStateEntered",
            "PassStateExited",
            "ParallelStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn iso_dates_are_masked_as_localstack_writes_them() {
    assert_eq!(iso_dates_masked("at 2016-03-14T01:59:00Z."), "at date.");
    assert_eq!(iso_dates_masked("2016-03-05T21:29:29.243167252Z"), "date");
    assert_eq!(iso_dates_masked("2026-11-27T12:00:00.000+01:00"), "date");
    // Not a real date or time, or no offset: left as it is.
    for text in ["2016-13-05T21:29:29Z", "2016-12-05T25:29:29Z", "2016-12-05T21:29:29", "2016-12-05 21:29:29Z"] {
        assert_eq!(iso_dates_masked(text), text);
    }
}
