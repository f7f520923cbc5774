//! A runtime client run as a process against the local Runtime API, the way
//! Lambda runs every function: the real `lambda_runtime` example
//! (runtime-api-example) for answers, errors, cold and warm starts and
//! timeouts; a few lines of Python speaking the Runtime API for what the
//! example does not do (print, exit, report an init error); `sh` for a
//! process that dies at once.

use harness::process::{ProcessConfig, ProcessFunction, build_binary};
use harness::{ErrorSource, Invocation, json};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The example's executable, built once for all the tests (with the cargo
/// that runs them, so it shares the workspace's target folder and lock).
fn example() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| build_binary("runtime-api-example").expect("build runtime-api-example")).clone()
}

fn new_function(config: ProcessConfig) -> ProcessFunction {
    ProcessFunction::new(config).expect("a valid configuration")
}

/// A runtime client in plain Python (no awslambdaric needed): it prints
/// during init and around each invocation, on both output streams, and its
/// events can ask it to exit or to return environment variables.
const PYTHON_RUNTIME: &str = r#"
import json, os, sys, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
def post(path, body):
    urllib.request.urlopen(urllib.request.Request(api + path, data=json.dumps(body).encode(), method="POST"))
print("init: starting")
if os.environ.get("FAIL_INIT"):
    post("/init/error", {"errorMessage": "Unable to import module 'app': No module named 'nope'",
                         "errorType": "Runtime.ImportModuleError", "stackTrace": []})
    sys.exit(1)
while True:
    with urllib.request.urlopen(api + "/invocation/next") as answer:
        request_id = answer.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(answer.read())
    print("handling " + request_id)
    print("a warning on stderr", file=sys.stderr)
    if "exit" in event:
        sys.exit(event["exit"])
    result = {name: os.environ.get(name) for name in event.get("env", [])}
    result["pid"] = os.getpid()
    post("/invocation/" + request_id + "/response", result)
    print("after the response")
"#;

fn python_function() -> ProcessConfig {
    let dir = std::env::temp_dir().join(format!("harness-process-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("runtime.py");
    std::fs::write(&script, PYTHON_RUNTIME).unwrap();
    let mut config = ProcessConfig::new("python3");
    // -u: unbuffered, so each line is written when printed.
    config.args = vec!["-u".into(), script.to_string_lossy().into_owned()];
    config.function.task_root = dir;
    config.function.function_name = "python-runtime".into();
    config
}

fn sh(script: &str) -> ProcessConfig {
    let mut config = ProcessConfig::new("sh");
    config.args = vec!["-c".into(), script.into()];
    config
}

fn report_line(invocation: &Invocation) -> &str {
    invocation.logs.iter().find(|l| l.starts_with("REPORT RequestId: ")).expect("a REPORT line")
}

/// The index of the first log line starting with `prefix`.
fn position(invocation: &Invocation, prefix: &str) -> usize {
    invocation
        .logs
        .iter()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {:#?}", invocation.logs))
}

#[test]
fn the_example_answers_and_its_first_invocation_is_a_cold_start() {
    let function = new_function(ProcessConfig::new(example()));
    let started = Instant::now();
    let invocation = function.invoke(&json!({"name": "Ada"}));
    eprintln!("cold invoke through a process: {:?}", started.elapsed());
    assert_eq!(invocation.result(), Some(json!({"hello": "Ada"})), "{:#?}", invocation.logs);
    assert!(invocation.cold_start());
    let id = &invocation.request_id;
    assert_eq!(invocation.logs.first().unwrap(), &format!("START RequestId: {id} Version: $LATEST"));
    assert_eq!(invocation.logs[invocation.logs.len() - 2], format!("END RequestId: {id}"));
    let report = report_line(&invocation);
    assert!(report.contains("\tInit Duration: "), "{report}");
    assert!(report.contains("\tMemory Size: 128 MB\t"), "{report}");
    let init = invocation.report.init_duration_ms.unwrap();
    assert!(init > 0.0 && init < 10_000.0, "{init}");
    if cfg!(target_os = "linux") {
        assert!(invocation.report.max_memory_used_mb > 0, "the process's VmHWM: {report}");
    }
}

#[test]
fn cold_then_warm_with_an_error_in_between() {
    let function = new_function(ProcessConfig::new(example()));
    let first = function.invoke(&json!({"name": "one"}));
    let failed = function.invoke(&json!({"name": "two", "fail": true}));
    let third = function.invoke(&json!({"name": "three"}));
    assert!(first.cold_start());
    assert!(!failed.cold_start() && !third.cold_start(), "one process serves them all");
    assert!(!report_line(&third).contains("Init Duration"));

    // A lambda_runtime Diagnostic: its type and message, as the caller gets them.
    let error = failed.error().expect("the example was asked to fail");
    assert_eq!(error.source, ErrorSource::Handler);
    assert_eq!(error.error_type, "ExampleError");
    assert_eq!(error.error_message, "asked to fail");
    assert_eq!(third.result(), Some(json!({"hello": "three"})));

    // The platform's own cost: the whole call against the REPORT's Duration
    // (event queued to answer received); the rest is waiting for the runtime
    // to ask for more work, reading its output and building the record.
    let started = Instant::now();
    let rounds = 50;
    let mut in_function = 0.0;
    for _ in 0..rounds {
        let invocation = function.invoke(&json!({"name": "x"}));
        assert!(invocation.succeeded());
        in_function += invocation.report.duration_ms;
    }
    let each = started.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
    eprintln!(
        "warm invoke through a process: {each:.3} ms each, {:.3} ms of it REPORT Duration",
        in_function / f64::from(rounds)
    );
}

#[test]
fn a_timeout_kills_the_process_and_the_next_invocation_is_cold() {
    let mut config = ProcessConfig::new(example());
    config.function.timeout = Duration::from_secs(1);
    let function = new_function(config);
    assert!(function.invoke(&json!({"name": "warm-up"})).succeeded());
    let started = Instant::now();
    let slow = function.invoke(&json!({"name": "slow", "sleep_ms": 5000}));
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    let error = slow.error().expect("a timeout");
    assert_eq!(error.source, ErrorSource::Timeout);
    assert_eq!(error.error_type, "Sandbox.Timedout");
    assert_eq!(error.error_message, format!("RequestId: {} Error: Task timed out after 1.00 seconds", slow.request_id));
    assert_eq!(slow.report.duration_ms, 1000.0);
    assert!(report_line(&slow).ends_with("\tStatus: timeout"), "{}", report_line(&slow));
    assert!(slow.logs.iter().any(|l| l.ends_with(&format!("{} Task timed out after 1.00 seconds", slow.request_id))));

    let after = function.invoke(&json!({"name": "again"}));
    assert!(after.cold_start(), "a new process after the timeout");
    assert_eq!(after.result(), Some(json!({"hello": "again"})));
}

#[test]
fn the_process_output_is_logged_init_lines_before_start() {
    let function = new_function(python_function());
    let invocation = function.invoke(&json!({}));
    assert!(invocation.succeeded(), "{:#?}", invocation.logs);
    let id = &invocation.request_id;
    let init = position(&invocation, "init: starting");
    let start = position(&invocation, "START RequestId: ");
    let handling = position(&invocation, &format!("handling {id}"));
    let stderr = position(&invocation, "a warning on stderr");
    // Written after the response, but before the runtime asked for more work.
    let after = position(&invocation, "after the response");
    let end = position(&invocation, "END RequestId: ");
    assert!(
        init < start && start < handling && handling < stderr && stderr < after && after < end,
        "{:#?}",
        invocation.logs
    );
    assert_eq!(
        invocation.function_logs(),
        ["init: starting", &format!("handling {id}"), "a warning on stderr", "after the response"]
    );

    let warm = function.invoke(&json!({}));
    assert_eq!(
        warm.function_logs(),
        [format!("handling {}", warm.request_id).as_str(), "a warning on stderr", "after the response"]
    );
}

#[test]
fn the_process_sees_lambdas_variables_and_only_those() {
    let mut config = python_function();
    config.function.environment = vec![("TABLE".into(), "orders".into())];
    let function = new_function(config);
    let names = [
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "_HANDLER",
        "TZ",
        "TABLE",
        "AWS_EXECUTION_ENV",
        "HOME",
        "AWS_LAMBDA_RUNTIME_API",
    ];
    let result = function.invoke(&json!({ "env": names })).result().unwrap();
    assert_eq!(result["AWS_LAMBDA_FUNCTION_NAME"], "python-runtime");
    assert_eq!(result["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128");
    assert!(result["AWS_LAMBDA_LOG_STREAM_NAME"].as_str().unwrap().contains("/[$LATEST]"));
    assert_eq!(result["_HANDLER"], "bootstrap");
    assert_eq!(result["TZ"], ":UTC");
    assert_eq!(result["TABLE"], "orders");
    assert!(result["AWS_EXECUTION_ENV"].is_null(), "not set for an OS-only runtime");
    assert!(result["HOME"].is_null(), "nothing leaks in from the caller's environment");
    assert!(result["AWS_LAMBDA_RUNTIME_API"].as_str().unwrap().starts_with("127.0.0.1:"));
}

#[test]
fn an_exit_during_an_invocation_is_a_runtime_exit_error_and_the_next_is_cold() {
    let function = new_function(python_function());
    assert!(function.invoke(&json!({})).succeeded());
    let exited = function.invoke(&json!({"exit": 3}));
    let error = exited.error().expect("the process exited");
    assert_eq!(error.source, ErrorSource::Exit);
    assert_eq!(error.error_type, "Runtime.ExitError");
    let message = format!("RequestId: {} Error: Runtime exited with error: exit status 3", exited.request_id);
    assert_eq!(error.error_message, message);
    // The process's last words, then the platform's two lines, before END.
    let (words, platform, end) =
        (position(&exited, "handling "), position(&exited, &message), position(&exited, "END "));
    assert!(
        words < platform && exited.logs[platform + 1] == "Runtime.ExitError" && platform + 2 == end,
        "{:#?}",
        exited.logs
    );
    assert!(report_line(&exited).ends_with("\tStatus: error\tError Type: Runtime.ExitError"));
    assert!(function.invoke(&json!({})).cold_start());
}

#[test]
fn a_process_that_exits_during_init_fails_twice_as_on_lambda() {
    let function = new_function(sh("echo about to fail; exit 3"));
    let invocation = function.invoke(&json!({}));
    let error = invocation.error().expect("init failed");
    assert_eq!(error.error_type, "Runtime.ExitError");
    assert_eq!(
        error.error_message,
        format!("RequestId: {} Error: Runtime exited with error: exit status 3", invocation.request_id)
    );
    let init_reports: Vec<&String> = invocation.logs.iter().filter(|l| l.starts_with("INIT_REPORT ")).collect();
    assert_eq!(init_reports.len(), 2, "init, then the retry in the invoke phase: {:#?}", invocation.logs);
    assert!(init_reports[0].contains("\tPhase: init\tStatus: error\tError Type: Runtime.ExitError"));
    assert!(init_reports[1].contains("\tPhase: invoke\t"));
    assert!(position(&invocation, "about to fail") < position(&invocation, "START "));
    assert!(!invocation.cold_start(), "a failed init has no Init Duration in REPORT");

    // Killed by a signal: Lambda names the signal.
    let killed = new_function(sh("kill -9 $$")).invoke(&json!({}));
    assert!(killed.error().unwrap().error_message.ends_with("Runtime exited with error: signal: killed"));
}

#[test]
fn an_init_error_reported_by_the_runtime_is_the_error() {
    let mut config = python_function();
    config.extra_env = vec![("FAIL_INIT".into(), "1".into())];
    let invocation = new_function(config).invoke(&json!({}));
    let error = invocation.error().expect("init failed");
    assert_eq!(error.source, ErrorSource::Init);
    assert_eq!(error.error_type, "Runtime.ImportModuleError");
    assert_eq!(error.error_message, "Unable to import module 'app': No module named 'nope'");
    assert!(invocation.logs.iter().any(|l| l.contains("Error Type: Runtime.ImportModuleError")));
}

#[test]
fn a_missing_program_is_an_error_naming_it() {
    let started = Instant::now();
    let invocation = new_function(ProcessConfig::new("target/no-such-function")).invoke(&json!({}));
    assert!(started.elapsed() < Duration::from_secs(2));
    let error = invocation.error().expect("nothing to run");
    assert_eq!(error.source, ErrorSource::Harness);
    assert!(error.error_message.contains("target/no-such-function"), "{}", error.error_message);
    assert!(error.error_message.contains("there is no such program"), "{}", error.error_message);
    assert!(report_line(&invocation).contains("Max Memory Used: 0 MB"));
}

#[test]
fn reset_and_drop_stop_the_process() {
    let function = new_function(python_function());
    let pid = |invocation: Invocation| invocation.result().unwrap()["pid"].as_u64().unwrap();
    let first = pid(function.invoke(&json!({})));
    function.reset();
    let second = function.invoke(&json!({}));
    assert!(second.cold_start(), "reset makes the next one cold");
    let second = pid(second);
    drop(function);
    if cfg!(target_os = "linux") {
        for gone in [first, second] {
            assert!(!std::path::Path::new(&format!("/proc/{gone}")).exists(), "process {gone} is still there");
        }
    }
    let mut config = ProcessConfig::new(example());
    config.function.memory_mb = 64;
    assert!(ProcessFunction::new(config).is_err(), "Lambda's limits apply");
}
