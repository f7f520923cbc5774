//! Workflow variables and JSONata states, run without functions: what each
//! behaviour does to the output, the history and the trace. AWS's own
//! recordings of these features are held in tests/recorded (cases.json).

use serde_json::{Value, json};
use std::collections::HashMap;
use step_functions::runner::{self, Execution, Options, Status};
use step_functions::trace;

fn run(machine: &Value, input: Value) -> Execution {
    runner::execute(machine, &input, &HashMap::new(), &Options::default()).expect("valid machine")
}

fn kinds(execution: &Execution) -> Vec<&str> {
    execution.history.events.iter().map(|e| e.kind.as_str()).collect()
}

fn exited_assignments(execution: &Execution) -> Vec<Value> {
    let events = execution.history.events.iter();
    events.filter_map(|e| e.details.as_ref()?.get("assignedVariables").cloned()).collect()
}

#[test]
fn jsonpath_assign_then_read_in_later_states() {
    let machine = json!({"StartAt": "Keep", "States": {
        "Keep": {"Type": "Pass", "Parameters": {"order.$": "$.order"}, "ResultPath": "$.kept",
                 "Assign": {"orderId.$": "$.order.id", "fixed": 7, "items.$": "$.order.items"}, "Next": "Forget"},
        "Forget": {"Type": "Pass", "Result": {}, "Next": "Use"},
        "Use": {"Type": "Pass", "Parameters": {"id.$": "$orderId", "first.$": "$items[0]", "msg.$": "States.Format('{} x{}', $orderId, $fixed)"},
                "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$fixed", "NumericEquals": 7, "Next": "Done"}], "Default": "Bad"},
        "Bad": {"Type": "Fail", "Error": "Wrong"},
        "Done": {"Type": "Succeed"}
    }});
    let execution = run(&machine, json!({"order": {"id": "o-1", "items": ["a", "b"]}}));
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(execution.output, Some(json!({"id": "o-1", "first": "a", "msg": "o-1 x7"})));
    // AWS's StateExited event: each assigned value as JSON text.
    assert_eq!(exited_assignments(&execution), [json!({"orderId": "\"o-1\"", "fixed": "7", "items": "[\"a\",\"b\"]"})]);
    let lines = trace::lines(&execution).join("\n");
    assert!(lines.contains("$orderId := \"o-1\", $fixed := 7, $items := [\"a\",\"b\"]"), "{lines}");
}

#[test]
fn a_state_reads_the_values_it_entered_with() {
    // Assign takes effect when the state is left: its own Parameters see the old value.
    let machine = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"seen.$": "$n"}, "Assign": {"n": 2}, "Next": "C"},
        "C": {"Type": "Pass", "Parameters": {"before.$": "$.seen", "now.$": "$n"}, "End": true}
    }});
    assert_eq!(run(&machine, json!({})).output, Some(json!({"before": 1, "now": 2})));
}

#[test]
fn inner_scopes_read_outer_variables_and_may_not_assign_them() {
    let map = |inner_assign: Value| {
        json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"factor": 10}, "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
                "ItemProcessor": {"StartAt": "Scale", "States": {"Scale": {"Type": "Pass",
                    "Parameters": {"v.$": "States.MathAdd($.n, $factor)"}, "Assign": inner_assign, "End": true}}}}
        }})
    };
    let input = json!({"items": [{"n": 1}, {"n": 2}]});
    let execution = run(&map(json!({"local": 1})), input.clone());
    assert_eq!(execution.output, Some(json!([{"v": 11}, {"v": 12}])));
    let execution = run(&map(json!({"factor": 1})), input);
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    assert!(
        execution
            .cause
            .as_deref()
            .unwrap()
            .ends_with("Cannot bind value '1' to variable 'factor' as it belongs to an outer scope."),
        "{:?}",
        execution.cause
    );
    // What an iteration assigns ends with it: the outer scope never sees it.
    let machine = json!({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Next": "After", "Branches": [
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"inner": 1}, "End": true}}}]},
        "After": {"Type": "Pass", "Parameters": {"x.$": "$inner"}, "End": true}
    }});
    let execution = run(&machine, json!({}));
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    assert!(execution.cause.as_deref().unwrap().contains("No such variable 'inner' in scope"), "{:?}", execution.cause);
}

#[test]
fn a_variable_over_the_size_limit_fails_the_state() {
    let big = "a".repeat(300_000);
    let machine = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"big.$": "$.big"}, "End": true}}});
    let execution = run(&machine, json!({"big": big}));
    assert_eq!(execution.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn jsonata_task_free_machine_with_every_field() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "Start", "States": {
        "Start": {"Type": "Pass", "Assign": {"total": "{% $sum($states.input.prices) %}"},
                  "Output": "{% $states.input.prices %}", "Next": "Branch"},
        "Branch": {"Type": "Choice", "Default": "Small",
                   "Choices": [{"Condition": "{% $total > 10 %}", "Next": "Each", "Assign": {"label": "big"}}]},
        "Small": {"Type": "Succeed", "Output": "small"},
        "Each": {"Type": "Map", "Items": "{% $states.input %}", "Next": "Both",
                 "ItemSelector": {"price": "{% $states.context.Map.Item.Value %}", "at": "{% $states.context.Map.Item.Index %}"},
                 "ItemProcessor": {"StartAt": "Share", "States": {"Share": {"Type": "Pass", "End": true,
                     "Output": "{% $round($states.input.price / $total * 100) %}"}}},
                 "Output": "{% {'shares': $states.result, 'label': $label} %}"},
        "Both": {"Type": "Parallel", "Arguments": "{% $states.input.shares %}", "Next": "Wait",
                 "Branches": [{"StartAt": "Max", "States": {"Max": {"Type": "Pass", "Output": "{% $max($states.input) %}", "End": true}}},
                              {"StartAt": "Ids", "States": {"Ids": {"Type": "Pass", "Output": "{% $partition($states.input, 2) %}", "End": true}}}],
                 "Output": "{% $states.result %}"},
        "Wait": {"Type": "Wait", "Seconds": "{% 1 + 1 %}", "Next": "End"},
        "End": {"Type": "Succeed", "Output": "{% {'result': $states.input, 'at': $states.context.State.Name} %}"}
    }});
    let execution = run(&machine, json!({"prices": [5, 10, 5]}));
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    assert_eq!(execution.output, Some(json!({"result": [50, [[25, 50], [25]]], "at": "End"})));
}

#[test]
fn a_failing_expression_is_a_query_evaluation_error_with_its_event() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "Add", "States": {
        "Add": {"Type": "Pass", "Output": "{% $states.input.a + 'x' %}", "End": true}}});
    let execution = run(&machine, json!({"a": 1}));
    assert_eq!(kinds(&execution), ["ExecutionStarted", "PassStateEntered", "EvaluationFailed", "ExecutionFailed"]);
    assert_eq!(execution.error.as_deref(), Some("States.QueryEvaluationError"));
    let cause = execution.cause.unwrap();
    assert!(
        cause.starts_with("An error occurred while executing the state 'Add' (entered at the event id #2). The JSONata expression '$states.input.a + 'x'' specified for the field 'Output' threw an error during evaluation. T2002"),
        "{cause}"
    );
    // Undefined is an error too; a Catch takes a QueryEvaluationError.
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Parallel", "Next": "Done",
              "Branches": [{"StartAt": "Miss", "States": {"Miss": {"Type": "Pass", "Output": "{% $states.input.nothing %}", "End": true}}}],
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Done",
                         "Output": "{% $states.errorOutput.Error %}", "Assign": {"why": "{% $states.errorOutput.Cause %}"}}]},
        "Done": {"Type": "Succeed"}}});
    let execution = run(&machine, json!({}));
    assert_eq!(execution.output, Some(json!("States.QueryEvaluationError")));
    let assigned = exited_assignments(&execution);
    assert!(assigned[0]["why"].as_str().unwrap().contains("returned nothing (undefined)"), "{assigned:?}");
}

#[test]
fn a_hostile_expression_ends_within_the_evaluation_timeout() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "Spin", "States": {
        "Spin": {"Type": "Pass", "Output": "{% ($f := function($n){ $f($n + 1) }; $f(0)) %}", "End": true}}});
    let started = std::time::Instant::now();
    let execution = run(&machine, json!({}));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(execution.error.as_deref(), Some("States.QueryEvaluationError"));
}

#[test]
fn a_malformed_expression_is_refused_before_the_run() {
    let machine = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Output": {"x": "{% $states.input. %}"}, "End": true}}});
    let problems = runner::execute(&machine, &json!({}), &HashMap::new(), &Options::default()).err().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].pointer, "/States/A/Output/x");
}
