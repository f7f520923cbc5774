//! The quotas an execution runs under, ended as AWS ends them: the 25,000
//! events of a history, a year (or the machine's TimeoutSeconds), and 256 KiB
//! of data. See `step_functions::limits` for the sources.

#[path = "../../harness/tests/common/mod.rs"]
mod common;

use harness::{Function, FunctionConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use step_functions::runner::{self, Execution, Options, Status};

fn run(machine: &Value, input: Value, functions: &HashMap<String, Function>) -> Execution {
    runner::execute(machine, &input, functions, &Options::default())
        .unwrap_or_else(|problems| panic!("invalid: {problems:?}"))
}

fn kinds(execution: &Execution) -> Vec<&str> {
    execution.history.events.iter().map(|e| e.kind.as_str()).collect()
}

#[test]
fn a_machine_that_loops_forever_fails_at_its_25000th_event() {
    // The review's loop2.json: Pass and Choice, forever on this input.
    let machine = json!({"StartAt": "Spin", "States": {
        "Spin": {"Type": "Pass", "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "Spin"},
        "Done": {"Type": "Succeed"}}});
    let execution = run(&machine, json!({}), &HashMap::new());
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    assert_eq!(execution.cause.as_deref(), Some("The execution reached the maximum number of history events (25000)."));
    let events = &execution.history.events;
    assert_eq!(events.len(), 25_000);
    let last = &events[24_999];
    assert_eq!((last.id, last.kind.as_str(), last.previous_event_id), (25_000, "ExecutionFailed", 24_999));
}

#[test]
fn a_map_too_big_for_the_history_fails_without_running_every_item() {
    let machine = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}},
        "Caught": {"Type": "Succeed"}}});
    let execution = run(&machine, json!((0..100_000).collect::<Vec<_>>()), &HashMap::new());
    // Not even States.ALL catches it: the quota ends the execution.
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    assert_eq!(execution.history.events.len(), 25_000);
}

#[test]
fn a_history_whose_25000th_event_is_execution_succeeded_succeeds() {
    // ExecutionStarted, a Pass (2 events), MapStateEntered, MapStateStarted,
    // 4 events per item, MapStateSucceeded, MapStateExited, ExecutionSucceeded:
    // 8 + 4n events, exactly 25,000 for 6,248 items.
    let machine = json!({"StartAt": "First", "States": {"First": {"Type": "Pass", "Next": "Each"},
        "Each": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}});
    let fits = run(&machine, json!((0..6_248).collect::<Vec<_>>()), &HashMap::new());
    assert_eq!((fits.status, fits.history.events.len()), (Status::Succeeded, 25_000));
    assert_eq!(fits.history.events[24_999].kind, "ExecutionSucceeded");
    let one_more = run(&machine, json!((0..6_249).collect::<Vec<_>>()), &HashMap::new());
    assert_eq!((one_more.status, one_more.history.events.len()), (Status::Failed, 25_000));
    assert_eq!(one_more.history.events[24_999].kind, "ExecutionFailed");
}

#[test]
fn an_execution_longer_than_its_timeout_or_a_year_times_out_at_once() {
    let wait = |seconds: u64, timeout: Option<u64>| {
        let mut machine = json!({"StartAt": "Nap", "States": {
            "Nap": {"Type": "Wait", "Seconds": seconds, "Next": "Done"}, "Done": {"Type": "Succeed"}}});
        if let Some(timeout) = timeout {
            machine["TimeoutSeconds"] = json!(timeout);
        }
        run(&machine, json!({}), &HashMap::new())
    };
    // The review's wait2y.json: two years, on the virtual clock.
    let two_years = wait(63_072_000, None);
    assert_eq!(two_years.status, Status::TimedOut);
    assert_eq!(kinds(&two_years), ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]);
    let events = &two_years.history.events;
    assert_eq!(events[2].timestamp_ms - events[0].timestamp_ms, 365 * 24 * 3600 * 1000);
    // LocalStack's test_global_timeout (recorded against AWS): TimeoutSeconds 5 over a 60 s Wait.
    let global = wait(60, Some(5));
    assert_eq!(global.status, Status::TimedOut);
    assert_eq!(global.to_json()["status"], "TIMED_OUT");
    assert_eq!(wait(60, Some(61)).status, Status::Succeeded);
}

#[test]
fn a_result_over_256_kib_fails_with_data_limit_exceeded() {
    // LocalStack's test_start_large_input, recorded against AWS: 257 KiB in a Pass state's Result.
    let machine = json!({"StartAt": "State_1", "States": {"State_1": {"Type": "Pass",
        "Result": {"Arg1": "a".repeat(257 * 1024)}, "End": true}}});
    let execution = run(&machine, json!({}), &HashMap::new());
    assert_eq!(kinds(&execution), ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]);
    assert_eq!(execution.history.events[2].previous_event_id, 2);
    assert_eq!(execution.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(
        execution.cause.as_deref(),
        Some(
            "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit."
        )
    );
}

#[test]
fn states_all_catches_a_function_result_over_256_kib() {
    // LocalStack's test_service_task_lambada_catch_state_all_data_limit_exceeded_on_large_utf8_response.
    let root = common::task_root(&[("big.py", "def handler(event, context):\n    return 'a' * (257 * 1024)\n")]);
    let mut config = FunctionConfig::new(&root, "big.handler");
    config.function_name = "big".into();
    let functions = HashMap::from([("big".to_string(), Function::new(config).unwrap())]);
    let machine = json!({"StartAt": "InvokeLambda", "States": {
        "InvokeLambda": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName.$": "$.FunctionName", "Payload.$": "$.Payload"}, "Next": "ProcessResult",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "HandleGeneralError"}]},
        "ProcessResult": {"Type": "Pass", "End": true},
        "HandleGeneralError": {"Type": "Pass", "End": true}}});
    let execution = run(&machine, json!({"FunctionName": "big", "Payload": null}), &functions);
    let cause =
        "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit.";
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(execution.output, Some(json!({"Error": "States.DataLimitExceeded", "Cause": cause})));
    assert_eq!(
        kinds(&execution),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
}
