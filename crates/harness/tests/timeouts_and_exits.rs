//! A handler that never returns, or that ends the process, must never hang or
//! kill the test process: it ends as Lambda reports it, and the next invoke
//! starts a fresh environment.

mod common;

use harness::ErrorSource;
use serde_json::json;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Invocations run one at a time in a process, so a test timing its own
/// invocation must not queue behind another test's timeout.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn one_second(source: &str) -> harness::Function {
    common::configured(source, "handler", |c| c.timeout = Duration::from_secs(1))
}

/// Invoke and check it ends as Sandbox.Timedout within timeout + 1 s.
fn assert_times_out(source: &str) {
    let f = one_second(source);
    let started = Instant::now();
    let call = f.invoke(&json!({}));
    let took = started.elapsed();
    let error = call.error().expect("a timeout is an error");
    assert_eq!(error.error_type, "Sandbox.Timedout");
    assert_eq!(error.source, ErrorSource::Timeout);
    assert_eq!(error.error_message, format!("RequestId: {} Error: Task timed out after 1.00 seconds", call.request_id));
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let timed_out_line = format!("{} Task timed out after 1.00 seconds", call.request_id);
    assert!(call.logs.iter().any(|l| l.ends_with(&timed_out_line)), "{:?}", call.logs);
    assert!(call.logs.last().unwrap().ends_with("\tStatus: timeout"));
    assert_eq!(call.report.duration_ms, 1000.0);
    // The environment is not reused.
    let next = f.invoke(&json!({"quick": true}));
    assert!(next.cold_start());
}

#[test]
fn a_cpu_loop_times_out() {
    let _serial = serial();
    assert_times_out(
        "def handler(event, context):\n    if event.get('quick'): return 1\n    while True:\n        pass\n",
    );
}

#[test]
fn a_long_sleep_times_out() {
    let _serial = serial();
    assert_times_out(
        "import time\ndef handler(event, context):\n    if event.get('quick'): return 1\n    time.sleep(100)\n",
    );
}

#[test]
fn a_blocking_read_times_out() {
    let _serial = serial();
    assert_times_out(
        "import os\nR, W = os.pipe()\ndef handler(event, context):\n    if event.get('quick'): return 1\n    return os.read(R, 1)\n",
    );
}

#[test]
fn a_wait_on_a_lock_that_never_opens_times_out() {
    let _serial = serial();
    assert_times_out(
        "import threading\ndef handler(event, context):\n    if event.get('quick'): return 1\n    threading.Event().wait()\n",
    );
}

#[test]
fn output_before_a_timeout_is_kept_and_after_it_dropped() {
    let _serial = serial();
    let f = one_second(
        "import os, time\nR, W = os.pipe()\ndef handler(event, context):\n    print('before')\n    os.read(R, 1)\n    print('after')\n",
    );
    let call = f.invoke(&json!({}));
    assert_eq!(call.function_logs()[0], "before");
    assert!(!call.function_logs().contains(&"after"));
}

#[test]
fn output_before_a_timeout_is_kept_when_the_handler_stops_in_time() {
    let _serial = serial();
    let f = one_second("import time\ndef handler(event, context):\n    print('working')\n    time.sleep(5)\n");
    let call = f.invoke(&json!({}));
    assert_eq!(call.error().unwrap().error_type, "Sandbox.Timedout");
    assert_eq!(call.function_logs()[0], "working");
}

#[test]
fn the_remaining_time_counts_down_from_the_timeout() {
    let _serial = serial();
    let f = common::function(
        "import time\ndef handler(e, c):\n    a = c.get_remaining_time_in_millis()\n    time.sleep(0.2)\n    return [a, c.get_remaining_time_in_millis()]\n",
        "handler",
    );
    let result = f.invoke(&json!({})).result().unwrap();
    let (before, after) = (result[0].as_i64().unwrap(), result[1].as_i64().unwrap());
    // It starts from the 3 s timeout and falls by at least the 200 ms slept
    // (generous upper bounds: a loaded machine may sleep longer).
    assert!((2500..=3000).contains(&before), "{before}");
    assert!((199..=1000).contains(&(before - after)), "{before} then {after}");
}

fn exit_case(body: &str, status_text: &str) {
    let source = format!(
        "import os, sys\nCOUNT = 0\ndef handler(event, context):\n    global COUNT\n    COUNT += 1\n    if event.get('exit'):\n        {body}\n    return COUNT\n"
    );
    let f = common::function(&source, "handler");
    assert_eq!(f.invoke(&json!({})).result(), Some(json!(1)));
    let call = f.invoke(&json!({"exit": true}));
    let error = call.error().unwrap();
    assert_eq!(error.error_type, "Runtime.ExitError");
    assert_eq!(error.error_message, format!("RequestId: {} Error: {status_text}", call.request_id));
    assert_eq!(error.payload, json!({"errorMessage": error.error_message, "errorType": "Runtime.ExitError"}));
    assert!(call.logs.contains(&"Runtime.ExitError".to_string()));
    // The process "died": the next invoke is cold, and module state starts over.
    let next = f.invoke(&json!({}));
    assert!(next.cold_start());
    assert_eq!(next.result(), Some(json!(1)));
}

#[test]
fn sys_exit_with_a_status_is_an_exit_error() {
    let _serial = serial();
    exit_case("sys.exit(3)", "Runtime exited with error: exit status 3");
}

#[test]
fn sys_exit_without_a_status_exits_without_a_reason() {
    let _serial = serial();
    exit_case("sys.exit()", "Runtime exited without providing a reason");
}

#[test]
fn sys_exit_with_a_message_prints_it_and_exits_with_status_1() {
    let _serial = serial();
    exit_case("sys.exit('bye')", "Runtime exited with error: exit status 1");
}

#[test]
fn os_exit_is_an_exit_error_and_does_not_kill_the_tests() {
    let _serial = serial();
    exit_case("os._exit(4)", "Runtime exited with error: exit status 4");
}

#[test]
fn exit_during_init_is_an_exit_error() {
    let _serial = serial();
    let f = common::function("import sys\nsys.exit(2)\n", "handler");
    let error = f.invoke(&json!({})).error().cloned().unwrap();
    assert_eq!(error.error_type, "Runtime.ExitError");
    assert!(error.error_message.ends_with("Runtime exited with error: exit status 2"));
}
