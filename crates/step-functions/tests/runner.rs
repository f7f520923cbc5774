//! Step Functions executions over local Python handlers, checked against
//! histories AWS recorded (LocalStack's AWS-recorded snapshots:
//! tests/aws/services/stepfunctions/v2/services/test_lambda_task.snapshot.json
//! and .../error_handling/test_task_lambda.snapshot.json): the same event
//! types in the same order, with the same previousEventId chain.

#[path = "../../harness/tests/common/mod.rs"]
mod common;

use harness::{Function, FunctionConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use step_functions::runner::{self, Execution, Options, Status};

const HANDLERS: &str = r#"
ATTEMPTS = {"count": 0}

def hello(event, context):
    return {"Return": "HelloWorld"}

def raise_exception(event, context):
    raise Exception("Some exception was raised.")

def flaky(event, context):
    ATTEMPTS["count"] += 1
    if ATTEMPTS["count"] <= 2:
        raise ConnectionError("try again")
    return {"attempts": ATTEMPTS["count"]}

def double(event, context):
    return event * 2

def slow(event, context):
    import time
    time.sleep(1.5)
    return "late"

def refuse_odd(event, context):
    if event % 2:
        raise ValueError("odd item %d" % event)
    return event
"#;

fn functions(names: &[(&str, &str)]) -> HashMap<String, Function> {
    let root = common::task_root(&[("handlers.py", HANDLERS)]);
    names
        .iter()
        .map(|(name, handler)| {
            let mut config = FunctionConfig::new(&root, format!("handlers.{handler}"));
            config.function_name = name.to_string();
            (name.to_string(), Function::new(config).unwrap())
        })
        .collect()
}

fn arn(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{name}")
}

fn run(machine: &Value, input: Value, functions: &HashMap<String, Function>) -> Execution {
    runner::execute(machine, &input, functions, &Options::default())
        .unwrap_or_else(|problems| panic!("invalid: {problems:?}"))
}

fn kinds(execution: &Execution) -> Vec<&str> {
    execution.history.events.iter().map(|e| e.kind.as_str()).collect()
}

fn previous_ids(execution: &Execution) -> Vec<u64> {
    execution.history.events.iter().map(|e| e.previous_event_id).collect()
}

#[test]
fn a_chain_of_two_functions_has_the_history_aws_records() {
    let machine = json!({"StartAt": "step1", "States": {
        "step1": {"Type": "Task", "Resource": arn("fn1"), "Next": "step2"},
        "step2": {"Type": "Task", "Resource": arn("fn2"), "ResultPath": "$.Return", "End": true}
    }});
    // As in the recorded test, both steps call a function returning {"Return": "HelloWorld"}.
    let fns = functions(&[("fn1", "hello"), ("fn2", "hello")]);
    let execution = run(&machine, json!({}), &fns);
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(
        kinds(&execution),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded",
        ]
    );
    assert_eq!(previous_ids(&execution), [0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    let events = execution.history.to_json();
    assert_eq!(events[2]["lambdaFunctionScheduledEventDetails"]["resource"], arn("fn1"));
    assert_eq!(events[4]["lambdaFunctionSucceededEventDetails"]["output"], r#"{"Return":"HelloWorld"}"#);
    assert_eq!(events[6]["stateEnteredEventDetails"]["input"], r#"{"Return":"HelloWorld"}"#);
    assert_eq!(events[9]["lambdaFunctionSucceededEventDetails"]["output"], r#"{"Return":"HelloWorld"}"#);
    assert_eq!(execution.output, Some(json!({"Return": {"Return": "HelloWorld"}})));
}

#[test]
fn an_uncaught_function_error_fails_the_execution_with_the_payload_as_cause() {
    let machine =
        json!({"StartAt": "Start", "States": {"Start": {"Type": "Task", "Resource": arn("boom"), "End": true}}});
    let fns = functions(&[("boom", "raise_exception")]);
    let execution = run(&machine, json!({}), &fns);
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(
        kinds(&execution),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "ExecutionFailed"
        ]
    );
    assert_eq!(previous_ids(&execution), [0, 0, 2, 3, 4, 5]);
    assert_eq!(execution.error.as_deref(), Some("Exception"));
    // The Cause is the payload as Lambda returned it: awslambdaric's spacing.
    let cause = execution.cause.unwrap();
    assert!(
        cause.starts_with(r#"{"errorMessage": "Some exception was raised.", "errorType": "Exception", "requestId": ""#),
        "{cause}"
    );
    assert!(cause.contains(r#""stackTrace": ["  File \""#), "{cause}");
}

#[test]
fn a_caught_error_exits_the_task_and_goes_to_the_catcher() {
    let machine = json!({"StartAt": "Start", "States": {
        "Start": {"Type": "Task", "Resource": arn("boom"), "End": true,
                  "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "EndWithStateTaskFailedHandler"}]},
        "EndWithStateTaskFailedHandler": {"Type": "Pass", "ResultPath": "$.task_failed_error", "End": true}
    }});
    let fns = functions(&[("boom", "raise_exception")]);
    let execution = run(&machine, json!({}), &fns);
    assert_eq!(execution.status, Status::Succeeded);
    assert_eq!(
        kinds(&execution),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(previous_ids(&execution), [0, 0, 2, 3, 4, 5, 6, 7, 8]);
    let output = execution.output.unwrap();
    assert_eq!(output["Error"], "Exception");
    assert_eq!(output["task_failed_error"]["Error"], "Exception");
    assert_eq!(output["Cause"], output["task_failed_error"]["Cause"]);
}

#[test]
fn retries_wait_with_backoff_and_repeat_the_call_without_reentering_the_state() {
    let machine = json!({"StartAt": "Pay", "States": {"Pay": {"Type": "Task", "Resource": arn("pay"), "End": true,
        "Retry": [{"ErrorEquals": ["ConnectionError"], "IntervalSeconds": 1, "BackoffRate": 2.0, "MaxAttempts": 3}]}}});
    let fns = functions(&[("pay", "flaky")]);
    let execution = run(&machine, json!({}), &fns);
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(execution.output, Some(json!({"attempts": 3})));
    let types = kinds(&execution);
    assert_eq!(types.iter().filter(|t| **t == "TaskStateEntered").count(), 1);
    assert_eq!(types.iter().filter(|t| **t == "LambdaFunctionScheduled").count(), 3);
    assert_eq!(types.iter().filter(|t| **t == "LambdaFunctionFailed").count(), 2);
    // The waits between a failure and the next call: 1 s, then 2 s.
    let events = &execution.history.events;
    let gaps: Vec<u64> = events
        .windows(2)
        .filter(|w| w[0].kind == "LambdaFunctionFailed" && w[1].kind == "LambdaFunctionScheduled")
        .map(|w| w[1].timestamp_ms - w[0].timestamp_ms)
        .collect();
    assert_eq!(gaps.len(), 2);
    assert!((1000..1100).contains(&gaps[0]) && (2000..2100).contains(&gaps[1]), "{gaps:?}");
}

#[test]
fn a_missing_path_is_an_uncatchable_runtime_error() {
    let machine = json!({"StartAt": "Start", "States": {"Start": {"Type": "Task", "Resource": arn("fn1"), "InputPath": "$.missing", "End": true,
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]}, "Caught": {"Type": "Succeed"}}});
    let fns = functions(&[("fn1", "hello")]);
    let execution = run(&machine, json!({"present": 1}), &fns);
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    let cause = execution.cause.clone().unwrap();
    assert!(
        cause.starts_with("An error occurred while executing the state 'Start' (entered at the event id #2)."),
        "{cause}"
    );
    assert!(!kinds(&execution).contains(&"SucceedStateEntered"));
}

#[test]
fn a_fail_state_inside_a_map_is_caught_by_the_maps_catch() {
    let machine = json!({"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.out", "Next": "Done",
                 "ItemProcessor": {"StartAt": "Refuse", "States": {"Refuse": {"Type": "Fail", "Error": "Refused", "Cause": "no"}}},
                 "Catch": [{"ErrorEquals": ["Refused"], "ResultPath": "$.error", "Next": "Handled"}]},
        "Handled": {"Type": "Succeed"},
        "Done": {"Type": "Succeed"}
    }});
    let execution = run(&machine, json!({"items": [1]}), &HashMap::new());
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(execution.output.clone().unwrap()["error"], json!({"Error": "Refused", "Cause": "no"}));
    assert!(kinds(&execution).contains(&"SucceedStateEntered"));
}

#[test]
fn a_task_longer_than_its_timeout_fails_with_states_timeout() {
    let machine = json!({"StartAt": "Slow", "States": {"Slow": {"Type": "Task", "Resource": arn("slow"), "TimeoutSeconds": 1, "End": true}}});
    let fns = functions(&[("slow", "slow")]);
    let execution = run(&machine, json!({}), &fns);
    assert_eq!(execution.error.as_deref(), Some("States.Timeout"));
    // No cause: LocalStack's test_timeouts snapshot, recorded against AWS, has
    // `{"error": "States.Timeout"}` alone in LambdaFunctionTimedOut and ExecutionFailed.
    assert_eq!(execution.cause, None);
    assert!(kinds(&execution).contains(&"LambdaFunctionTimedOut"));
    // States.TaskFailed does not match a timeout; States.ALL does.
    let caught = json!({"StartAt": "Slow", "States": {
        "Slow": {"Type": "Task", "Resource": arn("slow"), "TimeoutSeconds": 1, "End": true, "Catch": [
            {"ErrorEquals": ["States.TaskFailed"], "Next": "Wrong"}, {"ErrorEquals": ["States.ALL"], "Next": "Right"}]},
        "Wrong": {"Type": "Pass", "Result": "wrong", "End": true}, "Right": {"Type": "Pass", "Result": "right", "End": true}}});
    assert_eq!(run(&caught, json!({}), &fns).output, Some(json!("right")));
}

#[test]
fn the_first_matching_catcher_wins() {
    let machine = json!({"StartAt": "Start", "States": {
        "Start": {"Type": "Task", "Resource": arn("boom"), "End": true, "Catch": [
            {"ErrorEquals": ["ValueError"], "Next": "NotThis"},
            {"ErrorEquals": ["Exception"], "Next": "This"},
            {"ErrorEquals": ["States.ALL"], "Next": "NotThis"}]},
        "This": {"Type": "Pass", "Result": "this", "End": true},
        "NotThis": {"Type": "Pass", "Result": "not this", "End": true}}});
    let fns = functions(&[("boom", "raise_exception")]);
    assert_eq!(run(&machine, json!({}), &fns).output, Some(json!("this")));
}

#[test]
fn a_failed_map_item_or_parallel_branch_fails_the_state_with_its_error() {
    let map = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "Check", "States": {"Check": {"Type": "Task", "Resource": arn("refuse"), "End": true}}}}}});
    let fns = functions(&[("refuse", "refuse_odd")]);
    let execution = run(&map, json!([2, 4, 5, 6]), &fns);
    assert_eq!(execution.error.as_deref(), Some("ValueError"));
    assert!(execution.cause.as_deref().unwrap().contains("odd item 5"));
    let types = kinds(&execution);
    assert_eq!(types.iter().filter(|t| **t == "MapIterationSucceeded").count(), 2);
    assert!(types.contains(&"MapIterationFailed") && types.contains(&"MapStateFailed"));
    assert!(!types.contains(&"MapStateSucceeded"));
    let parallel = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Ok", "States": {"Ok": {"Type": "Pass", "End": true}}},
        {"StartAt": "No", "States": {"No": {"Type": "Fail", "Error": "BranchFailed", "Cause": "the second branch"}}}]}}});
    let execution = run(&parallel, json!({}), &fns);
    assert_eq!(
        (execution.error.as_deref(), execution.cause.as_deref()),
        (Some("BranchFailed"), Some("the second branch"))
    );
    assert!(kinds(&execution).contains(&"ParallelStateFailed"));
}

#[test]
fn choice_wait_map_and_parallel_work_together() {
    let machine = json!({"StartAt": "Check", "States": {
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Pause"}], "Default": "Done"},
        "Pause": {"Type": "Wait", "Seconds": 30, "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "Double", "States": {
            "Double": {"Type": "Task", "Resource": arn("double"), "End": true}}}, "ResultPath": "$.doubled", "Next": "Both"},
        "Both": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}
        ], "ResultPath": "$.branches", "Next": "Done"},
        "Done": {"Type": "Succeed"}
    }});
    let fns = functions(&[("double", "double")]);
    let execution = run(&machine, json!({"n": 2, "items": [1, 2, 3]}), &fns);
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(
        execution.output,
        Some(json!({"n": 2, "items": [1, 2, 3], "doubled": [2, 4, 6], "branches": ["a", "b"]}))
    );
    let events = &execution.history.events;
    let entered = events.iter().find(|e| e.kind == "WaitStateEntered").unwrap().timestamp_ms;
    let exited = events.iter().find(|e| e.kind == "WaitStateExited").unwrap().timestamp_ms;
    assert!((30_000..30_100).contains(&(exited - entered)), "the Wait state waited 30 s on the virtual clock");
    let started = events.iter().find(|e| e.kind == "MapStateStarted").unwrap();
    assert_eq!(started.details.as_ref().unwrap()["length"], 3);
    assert_eq!(kinds(&execution).iter().filter(|k| **k == "MapIterationSucceeded").count(), 3);
}

/// AWS's context object has no `State.RetryCount` outside the states that
/// can retry: the execution recorded against AWS in `tests/recorded/cases.json`
/// (`test_base.py::TestSnfBase::test_query_context_object_values`) reads
/// `$$.State` in a Pass state as `{"Name", "EnteredTime"}` only.
#[test]
fn a_pass_state_sees_no_retry_count_in_the_context_object() {
    let machine = json!({"StartAt": "Look", "States": {
        "Look": {"Type": "Pass", "Parameters": {"state.$": "$$.State"}, "End": true}}});
    let execution = run(&machine, json!({}), &HashMap::new());
    assert_eq!(execution.status, Status::Succeeded);
    let state = &execution.output.as_ref().unwrap()["state"];
    assert_eq!(state["Name"], "Look");
    assert!(state.get("EnteredTime").is_some(), "{state}");
    assert!(state.get("RetryCount").is_none(), "{state}");
}

/// A SecondsPath value that is not a number of seconds fails as AWS words it,
/// per LocalStack's `seconds_path.py` (`_validate_seconds_value`), held to
/// executions recorded against AWS: "cannot be parsed as a long value" or
/// "references a negative value", then `<path> == <value>`.
#[test]
fn a_seconds_path_that_is_not_a_number_of_seconds_fails_with_aws_wording() {
    let machine = json!({"StartAt": "Pause", "States": {
        "Pause": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}});
    let execution = run(&machine, json!({"s": "abc"}), &HashMap::new());
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    let cause = execution.cause.clone().unwrap();
    assert!(cause.contains("The SecondsPath parameter cannot be parsed as a long value: $.s == abc"), "{cause}");
    let execution = run(&machine, json!({"s": -1}), &HashMap::new());
    let cause = execution.cause.clone().unwrap();
    assert!(cause.contains("The SecondsPath parameter references a negative value: $.s == -1"), "{cause}");
}

#[test]
fn a_distributed_map_runs_its_items_as_child_executions_and_fails_its_map_run_past_the_tolerance() {
    let map = |tolerated: u64| {
        json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true, "ToleratedFailureCount": tolerated,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Check", "States": {"Check": {"Type": "Task", "Resource": arn("refuse"), "End": true}}}}}})
    };
    let fns = functions(&[("refuse", "refuse_odd")]);
    // Within the tolerance: the failed item's result is null, and the
    // parent's history holds the Map Run, not the iterations.
    let execution = run(&map(1), json!([2, 5]), &fns);
    assert_eq!(execution.output, Some(json!([2, null])), "{:?}", execution.cause);
    assert_eq!(
        kinds(&execution),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    let arn = execution.history.events[3].details.as_ref().unwrap()["mapRunArn"].as_str().unwrap().to_string();
    assert!(arn.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/"), "{arn}");
    // Past it: the Map Run fails with States.ExceedToleratedFailureThreshold.
    let execution = run(&map(0), json!([2, 5]), &fns);
    assert_eq!(
        (execution.error.as_deref(), execution.cause.as_deref()),
        (
            Some("States.ExceedToleratedFailureThreshold"),
            Some("The specified tolerated failure threshold was exceeded")
        )
    );
    assert_eq!(kinds(&execution)[3..], ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]);
}

#[test]
fn a_missing_function_is_a_catchable_resource_not_found_in_both_resource_forms() {
    let legacy = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": arn("nowhere"), "End": true,
                 "Catch": [{"ErrorEquals": ["Lambda.ResourceNotFoundException"], "Next": "Handled"}]},
        "Handled": {"Type": "Pass", "End": true}}});
    let execution = run(&legacy, json!({}), &HashMap::new());
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    let output = execution.output.clone().unwrap();
    assert_eq!(output["Error"], "Lambda.ResourceNotFoundException");
    let cause = output["Cause"].as_str().unwrap();
    assert!(
        cause.starts_with("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nowhere:$LATEST (Service: AWSLambda; Status Code: 404;"),
        "{cause}"
    );
    assert!(kinds(&execution).contains(&"LambdaFunctionFailed"));
    let optimised = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                 "Parameters": {"FunctionName.$": "$.name", "Payload": {}}}}});
    let execution = run(&optimised, json!({"name": "nowhere"}), &HashMap::new());
    assert_eq!(execution.error.as_deref(), Some("Lambda.ResourceNotFoundException"));
    assert!(kinds(&execution).contains(&"TaskFailed"));
}

#[test]
fn a_map_reading_its_items_from_s3_is_refused_not_run_over_other_items() {
    for (field, value) in [
        ("ItemReader", json!({"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k"}})),
        ("ItemBatcher", json!({"MaxItemsPerBatch": 2})),
        (
            "ResultWriter",
            json!({"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}),
        ),
    ] {
        let mut map = json!({"Type": "Map", "ItemsPath": "$.items", "End": true, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}});
        map[field] = value;
        let machine = json!({"StartAt": "M", "States": {"M": map}});
        let execution = run(&machine, json!({"items": [1, 2]}), &HashMap::new());
        assert_eq!(execution.status, Status::Failed, "{field}");
        assert_eq!(execution.error.as_deref(), Some("States.Runtime"), "{field}");
        let cause = execution.cause.clone().unwrap_or_default();
        assert!(cause.contains(&format!("cannot run this Map: its {field}")), "{field}: {cause}");
        assert!(!kinds(&execution).contains(&"MapStateStarted"), "{field}: no item ran");
    }
}
