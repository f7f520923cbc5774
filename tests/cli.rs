//! The `lab` command line, driven as a learner would drive it.

use assert_cmd::Command;
use serde_json::Value;

fn lab() -> Command {
    let mut cmd = Command::cargo_bin("lab").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    // Never read or write a learner's real progress (.lab/).
    let state = std::env::temp_dir().join(format!("lab-cli-tests-{}", std::process::id()));
    cmd.env("LAB_STATE_DIR", state);
    cmd
}

const HANDLERS: &str = "tests/fixtures/handlers.py";

/// Run `lab` with `args`, expect the exit `code`, and return its standard output.
fn stdout_of(args: &[&str], code: i32) -> Vec<u8> {
    lab().args(args).assert().code(code).get_output().stdout.clone()
}

/// `cargo lab invoke` as a terminal shows it, in two parts: standard output
/// (the response alone, as `sam local invoke` writes it), then standard error
/// from the `Response:` heading on (the heading, the log, the AWS calls).
fn invoke_streams(args: &[&str], code: i32) -> String {
    let output = lab().args(args).assert().code(code).get_output().clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    let from_response = stderr.find("Response:").map_or("", |at| &stderr[at..]);
    format!("standard output:\n{}\nstandard error:\n{from_response}", String::from_utf8(output.stdout).unwrap())
}

fn json_lines(output: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Request ids, timings and memory change on every run; hide them in snapshots.
fn stable(text: &str) -> String {
    let mut out = text.to_string();
    for (pattern, replacement) in [
        (r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "[request-id]"),
        (r"\d+\.\d\d ms", "[ms] ms"),
        (r"Billed Duration: \d+ ms", "Billed Duration: [n] ms"),
        (r"Max Memory Used: \d+ MB", "Max Memory Used: [n] MB"),
    ] {
        out = regex_replace(&out, pattern, replacement);
    }
    out
}

fn regex_replace(text: &str, pattern: &str, replacement: &str) -> String {
    regex_lite::Regex::new(pattern).unwrap().replace_all(text, replacement).into_owned()
}

#[test]
fn bare_lab_lists_the_exercises_and_how_to_start() {
    let out = stdout_of(&["list"], 0);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("01   first-handler "), "{text}");
    assert!(text.contains("--event exercises/01-first-handler/events/ada.json"), "{text}");
    assert!(text.contains("cargo test -p exercise-01"));
    assert!(text.contains("exercises/01-first-handler/handler.py"));
}

#[test]
fn invoke_shows_the_response_then_the_logs() {
    let shown = invoke_streams(&["invoke", HANDLERS, "--handler", "greet", "--event", "tests/fixtures/ada.json"], 0);
    insta::assert_snapshot!(stable(&shown));
}

#[test]
fn invoke_json_prints_one_object_per_invocation_and_repeat_stays_warm() {
    let out = stdout_of(&["invoke", HANDLERS, "--handler", "greet", "--repeat", "3", "--json"], 0);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    for (index, line) in lines.iter().enumerate() {
        let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["requestId", "result", "logs", "report"]);
        assert_eq!(line["result"]["calls"], index + 1);
        let report = line["report"].as_object().unwrap();
        let names: Vec<&String> = report.keys().collect();
        assert_eq!(names, ["durationMs", "billedDurationMs", "memorySizeMb", "maxMemoryUsedMb", "initDurationMs"]);
        assert_eq!(report["memorySizeMb"], 128);
        assert_eq!(report["initDurationMs"].is_null(), index > 0, "only the first is cold");
        let logs = line["logs"].as_array().unwrap();
        assert_eq!(logs[0], format!("START RequestId: {} Version: $LATEST", line["requestId"].as_str().unwrap()));
    }
    assert_ne!(lines[0]["requestId"], lines[1]["requestId"]);
}

#[test]
fn a_failing_handler_exits_1_with_the_error_payload() {
    let out = stdout_of(&["invoke", HANDLERS, "--handler", "fail", "--json"], 1);
    let line = &json_lines(&out)[0];
    assert_eq!(line["error"]["errorType"], "ValueError");
    assert_eq!(line["error"]["errorMessage"], "this handler always fails");
    assert!(line.get("result").is_none());
}

#[test]
fn a_timeout_exits_1() {
    let out = stdout_of(&["invoke", HANDLERS, "--handler", "sleepy", "--timeout", "1", "--json"], 1);
    assert_eq!(json_lines(&out)[0]["error"]["errorType"], "Sandbox.Timedout");
}

#[test]
fn env_sets_a_variable_for_the_function() {
    let out = stdout_of(&["invoke", HANDLERS, "--handler", "read_env", "--env", "GREETING=hi there", "--json"], 0);
    assert_eq!(json_lines(&out)[0]["result"], "hi there");
}

fn usage_error(args: &[&str], expected: &str) {
    let output = lab().args(args).assert().code(2).get_output().clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(expected), "expected {expected:?} in:\n{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn mistakes_in_the_command_exit_2_with_one_clear_line() {
    usage_error(&["invoke", "tests/fixtures/missing.py"], "error: no such handler file: tests/fixtures/missing.py");
    usage_error(
        &["invoke", HANDLERS, "--event", "tests/fixtures/nope.json"],
        "cannot read the event file tests/fixtures/nope.json",
    );
    usage_error(
        &["invoke", HANDLERS, "--event", "tests/fixtures/broken.json"],
        "the event file tests/fixtures/broken.json is not valid JSON",
    );
    usage_error(&["invoke", HANDLERS, "--env", "AWS_REGION=eu-west-1"], "AWS_REGION is set by Lambda itself");
    usage_error(&["invoke", HANDLERS, "--env", "NOEQUALS"], "expected KEY=VALUE");
    usage_error(&["invoke", HANDLERS, "--timeout", "0"], "The timeout must be a whole number of seconds from 1 to 900");
    usage_error(&["invoke", HANDLERS, "--memory", "64"], "Memory must be between 128 and 10240 MB");
    usage_error(&["invoke", "tests/fixtures/ada.json"], "is not a Python file");
    usage_error(&["invoke", HANDLERS, "--flag-that-does-not-exist"], "unexpected argument");
}

#[test]
fn a_folder_given_as_the_handler_is_named_as_a_folder_with_the_file_to_give() {
    usage_error(
        &["invoke", "exercises/01-first-handler"],
        "error: exercises/01-first-handler is a folder: give the .py file that holds your handler, \
         such as exercises/01-first-handler/handler.py",
    );
    // An exercise with no handler: its checks are the way to try it.
    usage_error(
        &["invoke", "exercises/02-trust-and-permissions"],
        "is the folder of exercise 02, which has no handler to invoke: `cargo lab check 02` runs its checks",
    );
    // A folder that holds no Python file: nothing to suggest but the kind of file.
    usage_error(&["invoke", "tests/snapshots"], "tests/snapshots is a folder, with no .py file in it");
    // A folder whose name ends in .py, where the handler file should be.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("handler.py")).unwrap();
    let handler = dir.path().join("handler.py");
    usage_error(
        &["invoke", handler.to_str().unwrap()],
        &format!("error: {} is a folder, not a file, though its name ends in .py", handler.display()),
    );
}

#[test]
fn events_lists_the_catalog_by_source() {
    let text = String::from_utf8(stdout_of(&["events"], 0)).unwrap();
    for entry in harness::events::CATALOG {
        assert!(text.contains(entry.name), "{} missing from:\n{text}", entry.name);
    }
    assert!(text.contains("S3\n  s3-put "), "{text}");
}

#[test]
fn events_show_encodes_a_key_as_s3_sends_it() {
    let out = stdout_of(&["events", "show", "s3-put", "--bucket", "my-bucket", "--key", "my photo (1).jpg"], 0);
    let event: Value = serde_json::from_slice(&out).unwrap();
    let s3 = &event["Records"][0]["s3"];
    assert_eq!(s3["object"]["key"], "my+photo+%281%29.jpg");
    assert_eq!(s3["bucket"]["name"], "my-bucket");
    assert_eq!(s3["bucket"]["arn"], "arn:aws:s3:::my-bucket");
}

#[test]
fn events_show_builds_an_http_request_and_an_sqs_batch() {
    let out = stdout_of(
        &["events", "show", "apigw-rest-get", "--method", "POST", "--path", "/echo", "--body", "{\"a\": 1}"],
        0,
    );
    let event: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!((event["httpMethod"].as_str(), event["path"].as_str()), (Some("POST"), Some("/echo")));
    assert_eq!(event["body"], "{\"a\": 1}");
    assert!(event["queryStringParameters"].is_null());
    let out = stdout_of(&["events", "show", "sqs-batch", "--body", "hello"], 0);
    let event: Value = serde_json::from_slice(&out).unwrap();
    let records = event["Records"].as_array().unwrap();
    assert!(records.iter().all(|r| r["body"] == "hello" && r["md5OfBody"] == "5d41402abc4b2a76b9719d911017c592"));
}

#[test]
fn events_show_refuses_what_does_not_apply() {
    usage_error(&["events", "show", "sqs-batch", "--key", "x"], "--key applies to S3 events, not to sqs-batch");
    usage_error(&["events", "show", "s3-put", "--method", "GET"], "--method applies to API Gateway events");
    usage_error(&["events", "show", "no-such-event"], "there is no event called 'no-such-event' in the catalog");
}

#[test]
fn invoke_takes_a_catalog_event_by_name() {
    let out = stdout_of(&["invoke", HANDLERS, "--handler", "echo_keys", "--event", "s3-put", "--json"], 0);
    assert_eq!(json_lines(&out)[0]["result"], serde_json::json!(["Records"]));
    usage_error(
        &["invoke", HANDLERS, "--event", "s3-putt"],
        "there is no event called 's3-putt' in the catalog; `cargo lab events` lists them",
    );
}

#[test]
fn debug_stops_at_breakpoint_and_takes_pdb_commands_from_the_terminal() {
    let output = lab()
        .args(["invoke", HANDLERS, "--handler", "stops_at_a_breakpoint", "--debug", "--json"])
        .write_stdin("p total\ntotal = 100\nc\n")
        .assert()
        .success()
        .get_output()
        .clone();
    let result = &json_lines(&output.stdout)[0]["result"];
    assert_eq!(result["total"], 102, "the command typed at the (Pdb) prompt changed the variable");
    let terminal = String::from_utf8_lossy(&output.stderr);
    assert!(terminal.contains("Debug mode: breakpoint()"), "{terminal}");
    assert!(terminal.contains("(Pdb)") && terminal.contains("40"), "pdb printed its prompt and `p total`: {terminal}");
}

#[test]
fn without_debug_a_breakpoint_is_skipped_with_a_note_in_the_log() {
    let out = stdout_of(&["invoke", HANDLERS, "--handler", "stops_at_a_breakpoint", "--json"], 0);
    let line = &json_lines(&out)[0];
    assert_eq!(line["result"]["total"], 42);
    assert_eq!(line["result"]["trace"], "Sampled=0");
    let logs = line["logs"].as_array().unwrap();
    assert!(logs.iter().any(|l| l.as_str().unwrap().starts_with("breakpoint() skipped")), "{logs:?}");
}

#[test]
fn active_tracing_samples_the_trace() {
    let out = stdout_of(&["invoke", HANDLERS, "--handler", "stops_at_a_breakpoint", "--active-tracing", "--json"], 0);
    assert_eq!(json_lines(&out)[0]["result"]["trace"], "Sampled=1");
}

const MACHINES: &str = "tests/fixtures/states";

fn chain_functions() -> Vec<String> {
    vec![
        "--function".into(),
        format!("functionA={MACHINES}/functions.py:function_a"),
        "--function".into(),
        format!("functionB={MACHINES}/functions.py:function_b"),
    ]
}

#[test]
fn states_validate_accepts_a_valid_machine_and_reports_an_invalid_one_as_aws_does() {
    let text = String::from_utf8(stdout_of(&["states", "validate", "tests/fixtures/states/chain.json"], 0)).unwrap();
    assert!(text.contains("is a valid state machine"), "{text}");
    // The message AWS returned for this definition (a LocalStack issue quoting the service).
    let text =
        String::from_utf8(stdout_of(&["states", "validate", "tests/fixtures/states/unreachable.json"], 1)).unwrap();
    assert_eq!(
        text.trim_end(),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'"
    );
    let text = String::from_utf8(stdout_of(&["states", "validate", "tests/fixtures/states/broken.json"], 1)).unwrap();
    assert!(text.starts_with("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: "), "{text}");
    usage_error(&["states", "validate", "tests/fixtures/states/missing.json"], "cannot read the state machine");
}

#[test]
fn states_run_chains_the_functions_and_prints_status_output_and_history() {
    let mut args = vec![
        "states".to_string(),
        "run".into(),
        format!("{MACHINES}/chain.json"),
        "--input".into(),
        format!("{MACHINES}/input.json"),
        "--json".into(),
    ];
    args.extend(chain_functions());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result: Value = serde_json::from_slice(&stdout_of(&args, 0)).unwrap();
    assert_eq!(result["status"], "SUCCEEDED");
    assert_eq!(result["output"], serde_json::json!({"order": "o-7", "total": 42}));
    assert!(result.get("error").is_none() && result.get("cause").is_none());
    let history = result["history"].as_array().unwrap();
    assert_eq!(history.len(), 12);
    assert_eq!(history[0]["type"], "ExecutionStarted");
    assert_eq!(history[11]["type"], "ExecutionSucceeded");
}

#[test]
fn states_run_reports_a_failed_execution_with_exit_1() {
    let mut args = vec![
        "states".to_string(),
        "run".into(),
        format!("{MACHINES}/chain.json"),
        "--input".into(),
        format!("{MACHINES}/bad-input.json"),
        "--json".into(),
    ];
    args.extend(chain_functions());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result: Value = serde_json::from_slice(&stdout_of(&args, 1)).unwrap();
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "ValueError");
    assert!(result["cause"].as_str().unwrap().contains("cannot price o-bad"));
    assert!(result.get("output").is_none());
}

#[test]
fn states_run_shows_a_readable_trace() {
    let mut args = vec!["states".to_string(), "run".into(), format!("{MACHINES}/chain.json")];
    args.extend(chain_functions());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let text = String::from_utf8(stdout_of(&args, 0)).unwrap();
    assert!(text.contains("▶ functionA (Task)  input: {}"), "{text}");
    assert!(text.contains("λ call arn:aws:lambda:us-east-1:123456789012:function:functionB"), "{text}");
    assert!(text.contains("Execution SUCCEEDED  output: {\"order\":\"o-1\",\"total\":42}"), "{text}");
}

#[test]
fn states_run_whose_reader_goes_away_ends_quietly() {
    use std::io::Read;
    // As `cargo lab states run ... | head -1`, with the reader gone before
    // the first line (after it, the few lines could all fit in the pipe).
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(["states", "run", &format!("{MACHINES}/chain.json")])
        .args(chain_functions())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("LAB_STATE_DIR", std::env::temp_dir().join(format!("lab-cli-tests-{}", std::process::id())))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let code = child.wait().unwrap().code();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "the execution succeeded: {stderr}");
}

#[test]
fn states_run_writes_a_table_and_sends_a_message_through_the_local_aws() {
    let run = |input: &str, code: i32| -> Value {
        let args = [
            "states",
            "run",
            "tests/fixtures/states/save-order.json",
            "--input",
            input,
            "--aws",
            "tests/fixtures/states/save-order-aws.json",
            "--json",
        ];
        serde_json::from_slice(&stdout_of(&args, code)).unwrap()
    };
    let result = run("tests/fixtures/states/save-order-input.json", 0);
    assert_eq!(result["status"], "SUCCEEDED", "{result}");
    assert_eq!(
        result["awsChanges"],
        serde_json::json!([
            "dynamodb: item put in orders: {\"id\":{\"S\":\"o-2\"},\"total\":{\"N\":\"42\"}}",
            "sqs: message sent to shipping: \"{\\\"order\\\":\\\"o-2\\\"}\"",
        ])
    );
    let scheduled: Vec<&Value> = result["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|event| event["type"] == "TaskScheduled")
        .map(|event| &event["taskScheduledEventDetails"]["resource"])
        .collect();
    assert_eq!(scheduled, ["putItem", "sendMessage"]);
    // o-1 is in the table the file declares: the condition fails, the Catch takes it.
    let input = std::env::temp_dir().join(format!("save-order-o-1-{}.json", std::process::id()));
    std::fs::write(&input, r#"{"order": "o-1", "total": 5}"#).unwrap();
    let result = run(input.to_str().unwrap(), 1);
    let _ = std::fs::remove_file(&input);
    assert_eq!(result["error"], "AlreadySaved", "{result}");
    assert_eq!(result["awsChanges"], serde_json::json!([]));
    usage_error(
        &["states", "run", "tests/fixtures/states/save-order.json", "--aws", "tests/fixtures/states/missing.json"],
        "cannot read the AWS state file",
    );
}

#[test]
fn states_run_names_a_function_that_was_not_given() {
    usage_error(
        &[
            "states",
            "run",
            "tests/fixtures/states/chain.json",
            "--function",
            "functionA=tests/fixtures/states/functions.py:function_a",
        ],
        "the state machine calls the Lambda function 'functionB', but no --function functionB=FILE was given",
    );
    usage_error(&["states", "run", "tests/fixtures/states/unreachable.json"], "Invalid State Machine Definition:");
}

/// The classroom schedule page is generated from book/course.toml and the
/// exercises' minutes; editing either without writing the page again fails here.
#[test]
fn the_schedule_page_is_current_with_the_course_plan() {
    let output = lab().args(["schedule", "--check"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A plan that leaves an exercise out, or names one that does not exist, is
/// refused with the file named.
#[test]
fn a_broken_course_plan_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in ["crates", "exercises/01-first-handler", "book/introduction"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises/01-first-handler/exercise.toml");
    std::fs::copy(source, root.join("exercises/01-first-handler/exercise.toml")).unwrap();
    std::fs::write(root.join("book/introduction/index.md"), "# Intro\n").unwrap();
    let plan = root.join("book/course.toml");
    let run = |text: &str| {
        std::fs::write(&plan, text).unwrap();
        let output = Command::cargo_bin("lab").unwrap().current_dir(root).arg("schedule").output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    let day = "[day]\nstart = \"09:00\"\nhours = 8\nopening = 15\nrecap = 15\nwrap_up = 15\nbreaks = []\n";
    let segment = |exercises: &str| {
        format!("{day}[[segment]]\npage = \"introduction/index.md\"\nteach = 10\nexercises = [{exercises}]\n")
    };
    let (code, stderr) = run(&segment(""));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("book/course.toml leaves out exercise 01 (first-handler)"), "{stderr}");
    let (code, stderr) = run(&segment("\"01\", \"42\""));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("book/course.toml, segment 1: there is no exercise '42'"), "{stderr}");
    let (code, stderr) = run(&segment("\"01\"").replace(day, ""));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("book/course.toml has no [day] table"), "{stderr}");
    let (code, stderr) = run(&segment("\"01\""));
    assert_eq!(code, Some(0), "{stderr}");
    let page = std::fs::read_to_string(root.join("book/classroom/schedule.md")).unwrap();
    assert!(page.contains("| Talk: [Intro](../introduction/index.md) | 10 | no | yes |"), "{page}");
}

/// The workspace's lambda_runtime example, run through `invoke --bin`.
const RUST_FUNCTION: &str = "runtime-api-example";

/// An event file of its own for one test.
fn event_file(json: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), json).unwrap();
    file
}

#[test]
fn invoke_bin_builds_a_rust_function_and_shows_the_same_output() {
    let shown = invoke_streams(&["invoke", "--bin", RUST_FUNCTION, "--event", "tests/fixtures/ada.json"], 0);
    insta::assert_snapshot!(stable(&shown));
}

#[test]
fn invoke_bin_json_has_the_python_shape_and_repeat_stays_warm() {
    let out = stdout_of(
        &["invoke", "--bin", RUST_FUNCTION, "--event", "tests/fixtures/ada.json", "--repeat", "2", "--json"],
        0,
    );
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    for (index, line) in lines.iter().enumerate() {
        let keys: Vec<&String> = line.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["requestId", "result", "logs", "report"]);
        assert_eq!(line["result"], serde_json::json!({"hello": "Ada"}));
        assert_eq!(line["report"]["initDurationMs"].is_null(), index > 0, "only the first is cold");
        let logs = line["logs"].as_array().unwrap();
        assert!(logs[0].as_str().unwrap().starts_with("START RequestId: "));
        assert!(logs.last().unwrap().as_str().unwrap().starts_with("REPORT RequestId: "));
    }
    assert_ne!(lines[0]["requestId"], lines[1]["requestId"]);
}

#[test]
fn invoke_bin_error_exits_1_with_the_diagnostic() {
    let event = event_file(r#"{"name": "Bob", "fail": true}"#);
    let out = stdout_of(&["invoke", "--bin", RUST_FUNCTION, "--event", event.path().to_str().unwrap(), "--json"], 1);
    let error = &json_lines(&out)[0]["error"];
    assert_eq!(error["errorType"], "ExampleError");
    assert_eq!(error["errorMessage"], "asked to fail");
}

#[test]
fn invoke_bin_names_what_it_accepts() {
    usage_error(
        &["invoke", "--bin", "no-such-package"],
        "'no-such-package' is not a package of this workspace with a binary; --bin takes one of: ",
    );
    usage_error(&["invoke", "--bin", "harness"], RUST_FUNCTION);
    usage_error(&["invoke", "--bin", RUST_FUNCTION, HANDLERS], "cannot be used with");
    // A Rust exercise's source file points to its package.
    usage_error(
        &["invoke", "exercises/21-s3-events-in-rust/src/lib.rs"],
        "is Rust source, which runs as a compiled program: give its package instead, as in `cargo lab invoke --bin exercise-21`",
    );
}

#[test]
fn invoke_lists_the_aws_calls_a_handler_made() {
    harness::pyenv::PythonEnv::here()
        .ensure(&harness::pyenv::Source::Index, &mut |line| eprintln!("cli tests: {line}"))
        .unwrap_or_else(|error| panic!("the workshop's Python environment cannot be set up: {error}"));
    let text = invoke_streams(&["invoke", "tests/fixtures/aws_handler.py"], 0);
    let calls = text.split_once("AWS calls (what the function did, in order):\n").map(|(_, calls)| calls);
    let (calls, changes) = calls.and_then(|rest| rest.split_once("\nChanged at the local AWS:\n")).unzip();
    assert_eq!(
        changes,
        Some("  s3: bucket cli-uploads created\n  s3: s3://cli-uploads/notes/a b.txt written (\"hello\")\n"),
        "{text}"
    );
    assert_eq!(
        calls,
        Some(
            "  s3 CreateBucket  arn:aws:s3:::cli-uploads  200\n  s3 PutObject  arn:aws:s3:::cli-uploads/notes/a b.txt  200\n  \
             s3 GetObject  arn:aws:s3:::cli-uploads/missing.txt  404 NoSuchKey\n  s3 GetObject  \
             arn:aws:s3:::cli-uploads/notes/a b.txt  200\n"
        ),
        "{text}"
    );
    let json = json_lines(&stdout_of(&["invoke", "tests/fixtures/aws_handler.py", "--json"], 0));
    assert_eq!(json[0]["result"], "hello");
    assert_eq!(json[0]["awsCalls"].as_array().map(Vec::len), Some(4), "{:#}", json[0]);
    assert_eq!(json[0]["awsCalls"][2]["errorCode"], "NoSuchKey");
    assert_eq!(json[0]["awsChanges"].as_array().map(Vec::len), Some(2), "{:#}", json[0]);
}

#[test]
fn invoke_with_a_policy_denies_what_the_role_does_not_allow() {
    harness::pyenv::PythonEnv::here()
        .ensure(&harness::pyenv::Source::Index, &mut |line| eprintln!("cli tests: {line}"))
        .unwrap_or_else(|error| panic!("the workshop's Python environment cannot be set up: {error}"));
    let args =
        ["invoke", "tests/fixtures/aws_handler.py", "--policy", "tests/fixtures/read-only-policy.json", "--json"];
    let json = json_lines(&stdout_of(&args, 1));
    let message = json[0]["error"]["errorMessage"].as_str().unwrap_or_default();
    // botocore names the exception class after the error code.
    assert_eq!(json[0]["error"]["errorType"], "AccessDenied", "{:#}", json[0]);
    assert!(
        message.starts_with("An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::")
            && message.contains(":assumed-role/aws-handler-function-role/aws-handler-function is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::cli-uploads/notes/a b.txt because no identity-based policy allows the s3:PutObject action"),
        "{message}"
    );
    let calls = json[0]["awsCalls"].as_array().cloned().unwrap_or_default();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[1]["status"], 403);
    usage_error(
        &["invoke", "tests/fixtures/aws_handler.py", "--policy", "tests/fixtures/handlers.py"],
        "is not a permissions policy IAM would take: this is not valid JSON",
    );
}

/// `cargo lab` is an alias; a quiet one hid the whole first build (a minute
/// or more of a blank terminal) and the harness's build-script advice about
/// Python's shared library (issue 19). Cargo's progress must show.
#[test]
fn the_cargo_lab_alias_lets_cargos_progress_and_warnings_through() {
    let config =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".cargo/config.toml")).unwrap();
    let alias = config.lines().find(|line| line.trim_start().starts_with("lab =")).expect("the lab alias");
    let words: Vec<&str> = alias.split(['"', ' ']).collect();
    assert!(words.contains(&"run") && words.contains(&"lab"), "{alias}");
    assert!(!words.iter().any(|w| *w == "--quiet" || *w == "-q"), "the alias is quiet again: {alias}");
}
