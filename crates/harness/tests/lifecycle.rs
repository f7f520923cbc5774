//! Cold and warm starts, and what survives between invocations.

mod common;

use harness::{ErrorSource, Function, FunctionConfig};
use serde_json::json;

const COUNTER: &str = "
import sys
COUNT = 0
INITS = getattr(sys, '_test_inits', 0)
def handler(event, context):
    global COUNT
    COUNT += 1
    if event.get('fail'):
        raise RuntimeError('asked to fail')
    return COUNT
";

#[test]
fn first_invoke_is_cold_and_later_ones_warm() {
    let f = common::function(COUNTER, "handler");
    let first = f.invoke(&json!({}));
    let second = f.invoke(&json!({}));
    assert!(first.cold_start() && first.report.init_duration_ms.is_some());
    assert!(!second.cold_start() && second.report.init_duration_ms.is_none());
    assert_eq!(first.result(), Some(json!(1)));
    assert_eq!(second.result(), Some(json!(2)));
    assert!(first.logs.last().unwrap().contains("\tInit Duration: "));
    assert!(!second.logs.last().unwrap().contains("Init Duration"));
}

#[test]
fn globals_survive_a_handler_that_raised() {
    let f = common::function(COUNTER, "handler");
    f.invoke(&json!({}));
    let failed = f.invoke(&json!({"fail": true}));
    assert_eq!(failed.error().unwrap().error_type, "RuntimeError");
    assert_eq!(f.invoke(&json!({})).result(), Some(json!(3)));
}

#[test]
fn reset_gives_a_fresh_environment() {
    let f = common::function(COUNTER, "handler");
    f.invoke(&json!({}));
    f.reset();
    let again = f.invoke(&json!({}));
    assert!(again.cold_start());
    assert_eq!(again.result(), Some(json!(1)));
}

#[test]
fn two_functions_never_share_module_state_even_with_same_file_names() {
    let util_a = "NAME = 'a'\nSEEN = []\n";
    let util_b = "NAME = 'b'\nSEEN = []\n";
    let app = "
import utils
def handler(event, context):
    utils.SEEN.append(1)
    return [utils.NAME, len(utils.SEEN)]
";
    let a =
        Function::new(FunctionConfig::new(common::task_root(&[("app.py", app), ("utils.py", util_a)]), "app.handler"))
            .unwrap();
    let b =
        Function::new(FunctionConfig::new(common::task_root(&[("app.py", app), ("utils.py", util_b)]), "app.handler"))
            .unwrap();
    assert_eq!(a.invoke(&json!({})).result(), Some(json!(["a", 1])));
    assert_eq!(b.invoke(&json!({})).result(), Some(json!(["b", 1])));
    assert_eq!(a.invoke(&json!({})).result(), Some(json!(["a", 2])));
    assert_eq!(b.invoke(&json!({})).result(), Some(json!(["b", 2])));
}

#[test]
fn two_functions_of_one_file_have_separate_globals() {
    let root = common::task_root(&[("app.py", COUNTER)]);
    let a = Function::new(FunctionConfig::new(&root, "app.handler")).unwrap();
    let b = Function::new(FunctionConfig::new(&root, "app.handler")).unwrap();
    a.invoke(&json!({}));
    a.invoke(&json!({}));
    assert_eq!(b.invoke(&json!({})).result(), Some(json!(1)));
    assert_eq!(a.invoke(&json!({})).result(), Some(json!(3)));
}

#[test]
fn after_a_failed_init_the_next_invoke_tries_again() {
    let root = common::task_root(&[("app.py", "raise RuntimeError('not yet')\n")]);
    let f = Function::new(FunctionConfig::new(&root, "app.handler")).unwrap();
    let failed = f.invoke(&json!({}));
    assert_eq!(failed.error().unwrap().source, ErrorSource::Init);
    std::fs::write(root.join("app.py"), "def handler(e, c):\n    return 'ready'\n").unwrap();
    let fixed = f.invoke(&json!({}));
    assert_eq!(fixed.result(), Some(json!("ready")));
    assert!(fixed.cold_start());
}

#[test]
fn a_failed_init_is_retried_once_in_the_invoke_phase_and_reported() {
    let f = common::function("print('importing')\nimport not_a_real_package\n", "handler");
    let failed = f.invoke(&json!({}));
    let error = failed.error().unwrap();
    assert_eq!(error.error_type, "Runtime.ImportModuleError");
    assert_eq!(error.payload["requestId"], json!(""));
    let logs = failed.function_logs();
    assert_eq!(logs.iter().filter(|l| **l == "importing").count(), 2, "{logs:?}");
    let reports: Vec<&String> = failed.logs.iter().filter(|l| l.starts_with("INIT_REPORT")).collect();
    assert_eq!(reports.len(), 2);
    assert!(reports[0].contains("\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError"));
    assert!(reports[1].contains("\tPhase: invoke\tStatus: error"));
    let report = failed.logs.last().unwrap();
    assert!(report.ends_with("\tStatus: error\tError Type: Runtime.ImportModuleError"), "{report}");
    assert!(!report.contains("Init Duration"), "init was reported by INIT_REPORT: {report}");
}

#[test]
fn each_invoke_gets_a_fresh_request_id() {
    let f = common::function("def handler(e, c):\n    return c.aws_request_id\n", "handler");
    let a = f.invoke(&json!({}));
    let b = f.invoke(&json!({}));
    assert_ne!(a.request_id, b.request_id);
    assert_eq!(a.result(), Some(json!(a.request_id)));
    assert_eq!(b.result(), Some(json!(b.request_id)));
}

#[test]
fn invocations_from_many_threads_stay_apart() {
    let source = "
import os, time
def handler(event, context):
    os.environ['MINE'] = event['who']
    print('I am', event['who'])
    time.sleep(0.001)
    return [os.environ['MINE'], os.environ['WHO'], context.aws_request_id]
";
    std::thread::scope(|scope| {
        for who in ["ann", "bob", "cy", "dee"] {
            scope.spawn(move || {
                let f = common::configured(source, "handler", |c| {
                    c.environment.push(("WHO".into(), who.into()));
                });
                for _ in 0..20 {
                    let call = f.invoke(&json!({ "who": who }));
                    let result = call.result().unwrap();
                    assert_eq!(result[0], json!(who));
                    assert_eq!(result[1], json!(who));
                    assert_eq!(result[2], json!(call.request_id));
                    assert_eq!(call.function_logs(), [format!("I am {who}").as_str()]);
                    assert!(call.logs.iter().filter(|l| l.contains("RequestId")).all(|l| l.contains(&call.request_id)));
                }
            });
        }
    });
}

/// A module whose import takes 12 s (on a virtual clock, so the test does not
/// wait): more than the init phase's 10 s.
const SLOW_IMPORT: &str = "import time\ntime.sleep(12)\ndef handler(e, c):\n    return 'ready'\n";

#[test]
fn init_that_outlasts_10_s_is_retried_with_the_function_timeout() {
    // Lambda gives the retry in the invoke phase the function's timeout: with
    // 30 s, the 12 s import succeeds the second time.
    let f = common::configured(SLOW_IMPORT, "handler", |c| {
        c.timeout = std::time::Duration::from_secs(30);
        c.clock = harness::Clock::virtual_default();
    });
    let call = f.invoke(&json!({}));
    assert_eq!(call.result(), Some(json!("ready")), "{:?}", call.logs);
    let reports: Vec<&String> = call.logs.iter().filter(|l| l.starts_with("INIT_REPORT")).collect();
    assert_eq!(reports.len(), 1, "{:?}", call.logs);
    assert!(reports[0].contains("\tPhase: init\t") && reports[0].contains("Sandbox.Timedout"), "{}", reports[0]);
    // With a 5 s timeout the retry times out too, after the function's timeout.
    let f = common::configured(SLOW_IMPORT, "handler", |c| {
        c.timeout = std::time::Duration::from_secs(5);
        c.clock = harness::Clock::virtual_default();
    });
    let call = f.invoke(&json!({}));
    let error = call.error().unwrap();
    assert_eq!(error.error_type, "Sandbox.Timedout");
    assert!(error.error_message.ends_with("Task timed out after 5.00 seconds"), "{}", error.error_message);
    let reports: Vec<&String> = call.logs.iter().filter(|l| l.starts_with("INIT_REPORT")).collect();
    assert_eq!(reports.len(), 2, "{:?}", call.logs);
    assert!(reports[1].contains("\tPhase: invoke\t"), "{}", reports[1]);
}
