//! Handlers that fork, start processes, signal their own process or eat
//! memory, and requests Lambda refuses: each ends as Lambda ends it, quickly,
//! and leaves nothing running behind (issue 15, section 3).

mod common;

use harness::{ErrorSource, InvokeOptions};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Whether the process `pid` exists and is not a zombie, and its state letter.
fn state_of(pid: u64) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let state = stat[stat.rfind(')')? + 1..].split_whitespace().next()?.chars().next()?;
    (state != 'Z').then_some(state)
}

/// The state `pid` settles in within a second (a signal takes a moment).
fn settled_state(pid: u64, want: Option<char>) -> Option<char> {
    let until = Instant::now() + Duration::from_secs(1);
    loop {
        let state = state_of(pid);
        if state == want || Instant::now() > until {
            return state;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn pid_in(result: &Option<Value>, key: &str) -> u64 {
    result.as_ref().and_then(|r| r[key].as_u64()).unwrap_or_else(|| panic!("no {key} in {result:?}"))
}

#[test]
#[cfg(target_os = "linux")]
fn a_forked_child_never_returns_into_the_platform_and_its_output_is_logged() {
    let f = common::function(
        "import os\n\
         def handler(event, context):\n    \
             pid = os.fork()\n    \
             if pid == 0:\n        \
                 print('hello from the child')\n        \
                 return {'in': 'child'}\n    \
             os.waitpid(pid, 0)\n    \
             return {'in': 'parent', 'me': os.getpid()}\n",
        "handler",
    );
    let started = Instant::now();
    let call = f.invoke(&json!({}));
    assert_eq!(call.result(), Some(json!({"in": "parent", "me": std::process::id()})), "{:?}", call.logs);
    assert!(call.function_logs().contains(&"hello from the child"), "{:?}", call.logs);
    assert!(started.elapsed() < Duration::from_secs(3));
    // Warm, and the platform still answers (a copy of it did not take over).
    assert!(!f.invoke(&json!({})).cold_start());
}

#[test]
#[cfg(target_os = "linux")]
fn a_child_left_running_is_frozen_between_invocations_thawed_for_the_next_and_killed_with_the_environment() {
    let f = common::function(
        "import subprocess\n\
         proc = None\n\
         def handler(event, context):\n    \
             global proc\n    \
             if proc is None:\n        \
                 proc = subprocess.Popen(['sleep', '20'])\n    \
             return {'pid': proc.pid, 'running': proc.poll() is None}\n",
        "handler",
    );
    let started = Instant::now();
    let first = f.invoke(&json!({}));
    let pid = pid_in(&first.result(), "pid");
    assert!(started.elapsed() < Duration::from_secs(3), "the invocation did not wait for the child");
    assert_eq!(
        settled_state(pid, Some('T')),
        Some('T'),
        "frozen after the invocation, as Lambda freezes the environment"
    );
    let second = f.invoke(&json!({}));
    assert_eq!(second.result(), Some(json!({"pid": pid, "running": true})), "thawed for the next invocation");
    f.reset();
    assert_eq!(settled_state(pid, None), None, "killed with its environment");
}

#[test]
#[cfg(target_os = "linux")]
fn children_go_when_the_function_is_dropped() {
    let f = common::function(
        "import subprocess\n\
         def handler(event, context):\n    \
             return {'pid': subprocess.Popen(['sleep', '20']).pid}\n",
        "handler",
    );
    let pid = pid_in(&f.invoke(&json!({})).result(), "pid");
    drop(f);
    assert_eq!(settled_state(pid, None), None);
}

#[test]
fn sigkill_to_its_own_process_is_a_runtime_exit_error_not_the_end_of_the_tests() {
    let f = common::function(
        "import os, signal\n\
         def handler(event, context):\n    \
             if event.get('how') == 'kill':\n        \
                 os.kill(os.getpid(), signal.SIGKILL)\n    \
             if event.get('how') == 'term':\n        \
                 signal.raise_signal(signal.SIGTERM)\n    \
             if event.get('how') == 'abort':\n        \
                 os.abort()\n    \
             if event.get('how') == 'probe':\n        \
                 os.kill(os.getpid(), 0)\n    \
             return 'alive'\n",
        "handler",
    );
    for (how, reason) in [("kill", "signal: killed"), ("term", "signal: terminated"), ("abort", "signal: aborted")] {
        let call = f.invoke(&json!({ "how": how }));
        let error = call.error().unwrap_or_else(|| panic!("{how}: {:?}", call.logs));
        assert_eq!(error.error_type, "Runtime.ExitError");
        assert_eq!(error.source, ErrorSource::Exit);
        assert_eq!(
            error.error_message,
            format!("RequestId: {} Error: Runtime exited with error: {reason}", call.request_id)
        );
        assert!(call.logs.iter().any(|l| l == "Runtime.ExitError"), "{:?}", call.logs);
        let next = f.invoke(&json!({}));
        assert!(next.cold_start(), "the environment is gone after {how}: {:?}", next.logs);
    }
    assert_eq!(f.invoke(&json!({"how": "probe"})).result(), Some(json!("alive")), "signal 0 only asks");
}

#[test]
fn a_handler_that_stops_its_own_process_times_out() {
    let f = common::configured(
        "import os, signal\ndef handler(event, context):\n    os.kill(os.getpid(), signal.SIGSTOP)\n",
        "handler",
        |c| c.timeout = Duration::from_secs(1),
    );
    let call = f.invoke(&json!({}));
    assert_eq!(call.error().map(|e| e.error_type.as_str()), Some("Sandbox.Timedout"), "{:?}", call.logs);
}

#[test]
#[cfg(target_os = "linux")]
fn memory_far_above_the_setting_is_runtime_out_of_memory() {
    let f = common::configured(
        "def handler(event, context):\n    \
             if event.get('once'):\n        \
                 return len(bytearray(300 * 1024 * 1024))\n    \
             keep = []\n    \
             while True:\n        \
                 keep.append(bytearray(10 * 1024 * 1024))\n",
        "handler",
        |c| c.timeout = Duration::from_secs(30),
    );
    for event in [json!({}), json!({"once": true})] {
        let started = Instant::now();
        let call = f.invoke(&event);
        let error = call.error().unwrap_or_else(|| panic!("{event}: {:?}", call.logs));
        assert_eq!(error.error_type, "Runtime.OutOfMemory");
        assert_eq!(
            error.error_message,
            format!("RequestId: {} Error: Runtime exited with error: signal: killed", call.request_id)
        );
        assert!(started.elapsed() < Duration::from_secs(20), "stopped long before the timeout");
        let report = call.logs.last().unwrap();
        assert!(report.contains("Memory Size: 128 MB\tMax Memory Used: 128 MB"), "{report}");
        assert!(report.ends_with("\tStatus: error\tError Type: Runtime.OutOfMemory"), "{report}");
    }
}

#[test]
#[cfg(target_os = "linux")]
fn memory_far_above_the_setting_during_init_is_runtime_out_of_memory() {
    // A module that allocates without end while Lambda imports it: killed in
    // the init phase, tried once more in the invoke phase, killed again.
    let f = common::configured(
        "keep = []\n\
         while True:\n    \
             keep.append(bytearray(10 * 1024 * 1024))\n\
         def handler(event, context):\n    \
             return 'never'\n",
        "handler",
        |c| c.timeout = Duration::from_secs(30),
    );
    let started = Instant::now();
    let call = f.invoke(&json!({}));
    assert!(started.elapsed() < Duration::from_secs(20), "stopped long before the init limits");
    let error = call.error().unwrap_or_else(|| panic!("{:?}", call.logs));
    assert_eq!(error.error_type, "Runtime.OutOfMemory", "{:?}", call.logs);
    let init_reports: Vec<&String> = call.logs.iter().filter(|l| l.starts_with("INIT_REPORT")).collect();
    assert_eq!(init_reports.len(), 2, "{:?}", call.logs);
    assert!(
        init_reports[0].contains("\tPhase: init\tStatus: error\tError Type: Runtime.OutOfMemory"),
        "{init_reports:?}"
    );
    assert!(
        init_reports[1].contains("\tPhase: invoke\tStatus: error\tError Type: Runtime.OutOfMemory"),
        "{init_reports:?}"
    );
    let report = call.logs.last().unwrap();
    assert!(report.contains("Max Memory Used: 128 MB"), "{report}");
    assert!(report.ends_with("\tStatus: error\tError Type: Runtime.OutOfMemory"), "{report}");
}

#[test]
fn a_request_over_six_mb_is_refused_before_any_environment_sees_it() {
    let f = common::function("def handler(event, context):\n    return len(event)\n", "handler");
    let just_fits = format!("\"{}\"", "x".repeat(6_291_456 - 2)).into_bytes();
    assert_eq!(f.invoke_payload(just_fits, &InvokeOptions::default()).result(), Some(json!(6_291_454)));
    let too_big = format!("\"{}\"", "x".repeat(6_291_456 - 1)).into_bytes();
    let call = f.invoke_payload(too_big, &InvokeOptions::default());
    let error = call.error().expect("refused");
    assert_eq!(error.source, ErrorSource::Request);
    assert_eq!(error.error_type, "RequestEntityTooLargeException");
    assert_eq!(error.error_message, "Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    assert!(call.logs.is_empty(), "no invocation, so no START/END/REPORT: {:?}", call.logs);
    assert!(!f.invoke(&json!({})).cold_start(), "the warm environment was not touched");
}

#[test]
fn the_event_is_read_as_awslambdaric_reads_it() {
    let f = common::function("def handler(event, context):\n    return event\n", "handler");
    let invoke = |bytes: &[u8]| f.invoke_payload(bytes.to_vec(), &InvokeOptions::default());
    // simplejson skips a UTF-8 byte order mark, reads 1e400 as inf and any depth up to Python's recursion limit.
    let bom = invoke(b"\xEF\xBB\xBF{\"a\": 1}");
    assert_eq!(bom.result(), Some(json!({"a": 1})), "{:?}", bom.logs);
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(invoke(deep.as_bytes()).succeeded());
    assert_eq!(invoke(b"[1e400]").result(), Some(json!("[Infinity]")), "inf comes back as Infinity, not JSON");
    // UTF-16 is not UTF-8: simplejson's decode fails, as here.
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("{}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let call = invoke(&utf16);
    let error = call.error().expect("not UTF-8");
    assert_eq!(error.error_type, "Runtime.UnmarshalError");
    assert_eq!(
        error.error_message,
        "Unable to unmarshal input: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
    );
}

#[test]
fn a_frame_of_the_runtime_reads_as_lambdas_runtime_client_frame() {
    // The handler name points at a dict: the only frame is the runtime's own.
    let f = common::function("handler = {'not': 'callable'}\n", "handler");
    let call = f.invoke(&json!({}));
    let error = call.error().expect("a dict cannot be called");
    assert_eq!(
        error.stack_trace,
        [
            "  File \"/var/runtime/awslambdaric/bootstrap.py\", line 178, in handle_event_request\n    response = request_handler(event, lambda_context)\n"
        ]
    );
    assert!(call.logs.iter().any(|l| l.contains("awslambdaric/bootstrap.py\", line 178, in handle_event_request")));
    // A print that cannot be encoded: the user's frame, then the stream's write.
    let f = common::function("def handler(event, context):\n    print('\\ud800')\n", "handler");
    let call = f.invoke(&json!({}));
    let trace = &call.error().expect("a lone surrogate cannot be written").stack_trace;
    assert_eq!(trace.len(), 2, "{trace:?}");
    assert!(trace[0].contains("app.py\", line 2, in handler"), "{trace:?}");
    assert_eq!(
        trace[1],
        "  File \"/var/runtime/awslambdaric/bootstrap.py\", line 361, in write\n    self.stream.write(msg)\n"
    );
}
