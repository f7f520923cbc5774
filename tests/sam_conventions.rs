//! What people who know AWS SAM CLI type, taken by `cargo lab invoke` and
//! `cargo lab events` (issue 19): `sam local invoke`'s `-e/--event` (with `-`
//! for standard input), `--no-event` and `-n/--env-vars`, its streams (the
//! response alone on standard output, the log on standard error), and
//! `sam local generate-event SERVICE EVENT`'s two words.

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::Path;

fn lab() -> Command {
    let mut cmd = Command::cargo_bin("lab").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    // Never read or write a learner's real progress (.lab/).
    let state = std::env::temp_dir().join(format!("lab-sam-tests-{}", std::process::id()));
    cmd.env("LAB_STATE_DIR", state);
    cmd
}

const HANDLERS: &str = "tests/fixtures/handlers.py";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let output = cmd.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn lab_run(args: &[&str]) -> Run {
    run(lab().args(args))
}

/// The one JSON line `--json` prints for a single invocation.
fn json_result(out: &Run) -> Value {
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line: Value =
        serde_json::from_str(out.stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.stdout));
    line["result"].clone()
}

/// A folder holding `handler.py`, whose handler returns the environment
/// variables the event names, and a SAM template declaring it as `Function`,
/// as every exercise's template.yaml does.
fn env_handler() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("handler.py"),
        "import os\n\ndef lambda_handler(event, context):\n    return {name: os.environ.get(name) for name in event['names']}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("template.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  \
         Function:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      \
         Handler: handler.lambda_handler\n      Runtime: python3.12\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("names.json"), r#"{"names": ["TABLE", "STAGE", "RETRIES", "DEBUG", "EMPTY"]}"#)
        .unwrap();
    dir
}

/// `lab invoke` of the env handler in `dir` with the env-vars file `vars` and `extra` arguments.
fn invoke_with_env_vars(dir: &Path, vars: &str, extra: &[&str]) -> Run {
    std::fs::write(dir.join("env.json"), vars).unwrap();
    let mut cmd = lab();
    cmd.arg("invoke").arg(dir.join("handler.py")).arg("-n").arg(dir.join("env.json"));
    cmd.arg("-e").arg(dir.join("names.json")).args(extra);
    run(&mut cmd)
}

#[test]
fn dash_e_is_short_for_event_and_takes_a_file_or_a_catalog_name() {
    let out = lab_run(&["invoke", HANDLERS, "--handler", "greet", "-e", "tests/fixtures/ada.json", "--json"]);
    assert_eq!(json_result(&out)["hello"], "Ada");
    let out = lab_run(&["invoke", HANDLERS, "--handler", "echo_keys", "-e", "s3-put", "--json"]);
    assert_eq!(json_result(&out), json!(["Records"]));
}

#[test]
fn event_dash_reads_the_event_from_standard_input() {
    let out = run(lab()
        .args(["invoke", HANDLERS, "--handler", "greet", "--event", "-", "--json"])
        .write_stdin(r#"{"name": "Grace"}"#));
    assert_eq!(json_result(&out)["hello"], "Grace");

    let out = run(lab().args(["invoke", HANDLERS, "--handler", "greet", "-e", "-"]).write_stdin("{\"name\": "));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("the event on standard input is not valid JSON"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn no_event_sends_the_empty_object_and_cannot_go_with_event() {
    let out = lab_run(&["invoke", HANDLERS, "--handler", "echo_keys", "--no-event", "--json"]);
    assert_eq!(json_result(&out), json!([]));
    let out = lab_run(&["invoke", HANDLERS, "--handler", "echo_keys", "--no-event", "-e", "s3-put"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("'--no-event' cannot be used with '--event"), "{}", out.stderr);
}

#[test]
fn env_vars_parameters_apply_to_the_function_with_values_made_text_as_sam_makes_them() {
    let dir = env_handler();
    let vars = r#"{"Parameters": {"TABLE": "orders", "STAGE": "dev", "RETRIES": 3, "DEBUG": false, "EMPTY": null}}"#;
    let out = invoke_with_env_vars(dir.path(), vars, &["--json"]);
    assert_eq!(
        json_result(&out),
        json!({"TABLE": "orders", "STAGE": "dev", "RETRIES": "3", "DEBUG": "false", "EMPTY": ""})
    );
    assert!(out.stderr.contains("env.json: Parameters"), "the note says what was taken: {}", out.stderr);
}

#[test]
fn env_vars_the_functions_own_object_wins_over_parameters_and_env_wins_over_both() {
    let dir = env_handler();
    // `Function` is the logical ID in the template beside the handler; the
    // object of another function is left alone.
    let vars = r#"{"Parameters": {"TABLE": "global", "STAGE": "dev"},
                   "Function": {"TABLE": "own", "RETRIES": "5"},
                   "OtherFunction": {"STAGE": "not ours"}}"#;
    let out = invoke_with_env_vars(dir.path(), vars, &["--json"]);
    assert_eq!(
        json_result(&out),
        json!({"TABLE": "own", "STAGE": "dev", "RETRIES": "5", "DEBUG": null, "EMPTY": null})
    );
    let out = invoke_with_env_vars(dir.path(), vars, &["--json", "--env", "TABLE=from-the-command-line"]);
    assert_eq!(json_result(&out)["TABLE"], "from-the-command-line");

    // Without the template, the function answers to its name and its file's.
    std::fs::remove_file(dir.path().join("template.yaml")).unwrap();
    let out = invoke_with_env_vars(dir.path(), r#"{"handler-function": {"TABLE": "by name"}}"#, &["--json"]);
    assert_eq!(json_result(&out)["TABLE"], "by name");
    let out = invoke_with_env_vars(dir.path(), r#"{"handler": {"TABLE": "by file"}}"#, &["--json"]);
    assert_eq!(json_result(&out)["TABLE"], "by file");
    let out = invoke_with_env_vars(dir.path(), r#"{"HelloWorldFunction": {"TABLE": "x"}}"#, &["--json"]);
    assert_eq!(json_result(&out)["TABLE"], Value::Null);
    assert!(
        out.stderr.contains("has variables for \"HelloWorldFunction\", and none for this function"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_malformed_env_vars_file_is_named_with_what_is_wrong() {
    let dir = env_handler();
    let file = dir.path().join("env.json");
    for (vars, wrong) in [
        (r#"{"Parameters": {"TABLE": "#, "is not valid JSON"),
        (r#"{"Parameters": "TABLE=orders"}"#, "\"Parameters\" holds a string"),
        (r#"["TABLE"]"#, "holds a list, not an object"),
    ] {
        let out = invoke_with_env_vars(dir.path(), vars, &[]);
        assert_eq!(out.code, 2, "a usage error, not a crash: {}", out.stderr);
        let expected = format!("the env-vars file {}", file.display());
        assert!(out.stderr.contains(&expected) && out.stderr.contains(wrong), "{vars}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{}", out.stdout);
    }
    let out = lab_run(&["invoke", HANDLERS, "-n", "tests/fixtures/no-such-env.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot read the env-vars file tests/fixtures/no-such-env.json"), "{}", out.stderr);
}

#[test]
fn the_response_alone_is_on_stdout_and_the_log_on_stderr() {
    // `cargo lab invoke FILE -e EVENT | jq .` reads the response, as with sam local invoke.
    let out = lab_run(&["invoke", HANDLERS, "--handler", "greet", "-e", "tests/fixtures/ada.json", "--repeat", "2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let responses: Vec<Value> =
        serde_json::Deserializer::from_str(&out.stdout).into_iter().map(|v| v.expect("JSON on stdout")).collect();
    assert_eq!(responses, [json!({"hello": "Ada", "calls": 1}), json!({"hello": "Ada", "calls": 2})]);
    for line in ["Response:", "Function logs:", "START RequestId: ", "call 1", "call 2", "END RequestId: ", "REPORT "] {
        assert!(out.stderr.contains(line), "{line:?} on stderr: {}", out.stderr);
    }
    assert!(out.stderr.contains("=== Invocation 2 of 2 (warm start) ==="), "{}", out.stderr);

    // An error: its payload is what the caller gets, so it is on stdout too.
    let out = lab_run(&["invoke", HANDLERS, "--handler", "fail"]);
    assert_eq!(out.code, 1);
    let error: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout));
    assert_eq!(error["errorType"], "ValueError");
    assert!(out.stderr.contains("[ERROR] ValueError: this handler always fails"), "{}", out.stderr);
}

/// `cargo lab events ARGS`: its stdout parsed, with its stderr.
fn event_of(args: &[&str]) -> (Value, String) {
    let out = run(lab().arg("events").args(args));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let event = serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.stdout));
    (event, out.stderr)
}

#[test]
fn events_take_sams_two_words_with_its_flags() {
    let (event, note) = event_of(&["s3", "put", "--bucket", "photo-uploads", "--key", "my photo.jpg"]);
    assert_eq!(event["Records"][0]["s3"]["bucket"]["name"], "photo-uploads");
    assert_eq!(event["Records"][0]["s3"]["object"]["key"], "my+photo.jpg");
    assert!(note.contains("SAM CLI's s3 put is s3-put in this catalog"), "{note}");

    let (event, _) = event_of(&["sqs", "receive-message", "--body", "hello", "--region", "eu-west-1"]);
    let records = event["Records"].as_array().unwrap();
    assert!(records.iter().all(|r| r["body"] == "hello" && r["awsRegion"] == "eu-west-1"), "{event:#}");
    assert!(records[0]["eventSourceARN"].as_str().unwrap().starts_with("arn:aws:sqs:eu-west-1:"), "{event:#}");

    let (event, _) =
        event_of(&["apigateway", "http-api-proxy", "--method", "POST", "--path", "orders", "--body", "{}"]);
    assert_eq!(
        (&event["version"], &event["rawPath"], &event["body"]),
        (&json!("2.0"), &json!("/orders"), &json!("{}"))
    );
    assert_eq!(event["requestContext"]["http"]["method"], "POST");
    let (event, _) = event_of(&["apigateway", "aws-proxy"]);
    assert_eq!(event["httpMethod"], "POST", "a REST API (v1) request");

    let (event, _) = event_of(&["dynamodb", "update"]);
    let names: Vec<&Value> = event["Records"].as_array().unwrap().iter().map(|r| &r["eventName"]).collect();
    assert_eq!(names, [&json!("INSERT"), &json!("MODIFY"), &json!("REMOVE")]);

    // The catalog's own names keep working, shown or in two words.
    assert_eq!(event_of(&["show", "s3-put"]).0, event_of(&["s3", "put"]).0);
    assert_eq!(event_of(&["apigw", "rest-get"]).0, event_of(&["show", "apigw-rest-get"]).0);
}

#[test]
fn an_event_the_catalog_lacks_is_named_with_what_it_has_for_that_service() {
    let out = lab_run(&["events", "s3", "batch-invocation"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("the catalog has no counterpart of SAM CLI's s3 batch-invocation"), "{}", out.stderr);
    assert!(out.stderr.contains("s3 put (s3-put)") && out.stderr.contains("s3-multipart-upload"), "{}", out.stderr);
    assert!(out.stdout.is_empty());

    let out = lab_run(&["events", "sqs", "send-message"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("SAM CLI has no event sqs send-message"), "{}", out.stderr);
    assert!(out.stderr.contains("sqs receive-message (sqs-batch)"), "{}", out.stderr);

    let out = lab_run(&["events", "alb", "request"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("the catalog has no alb events"), "{}", out.stderr);

    let out = lab_run(&["events", "s3"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("batch-invocation           not in the catalog"), "{}", out.stdout);
    assert!(out.stdout.contains("put                        s3-put"), "{}", out.stdout);
}
