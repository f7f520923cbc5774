//! Machines from AWS's own documentation, run locally, must give the result
//! the documentation states.
//!
//! "Transforming data with JSONata in Step Functions"
//! (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html)
//! converts a Task's JSONPath `Parameters` into JSONata `Arguments` and says
//! that, for the input `{"title": "Doctor"}` with the variable `customerName`
//! set to "María", both give
//! `{"static": "Hello", "title": "Doctor", "name": "María", "not-evaluated": "$customerName"}`.
//! The page shows only the Task; the state before it, which sets the
//! variable, is ours, and the function that receives the arguments returns
//! them unchanged so the execution's output is what the Task sent.

#[path = "../../harness/tests/common/mod.rs"]
mod common;

use harness::{Function, FunctionConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use step_functions::runner::{self, Options, Status};

const ECHO: &str = "arn:aws:lambda:us-east-1:123456789012:function:Echo";

fn echo() -> HashMap<String, Function> {
    let root = common::task_root(&[("echo.py", "def handler(event, context):\n    return event\n")]);
    let mut config = FunctionConfig::new(&root, "echo.handler");
    config.function_name = "Echo".into();
    HashMap::from([("Echo".to_string(), Function::new(config).unwrap())])
}

/// The machine: a Pass state that assigns `customerName`, then the page's Task.
fn machine(language: &str, task: Value) -> Value {
    json!({
        "QueryLanguage": language,
        "StartAt": "RememberCustomer",
        "States": {
            "RememberCustomer": {"Type": "Pass", "Assign": {"customerName": "María"}, "Next": "Greet"},
            "Greet": task,
        }
    })
}

fn documented_result() -> Value {
    json!({"static": "Hello", "title": "Doctor", "name": "María", "not-evaluated": "$customerName"})
}

fn output_of(machine: &Value) -> Value {
    let execution = runner::execute(machine, &json!({"title": "Doctor"}), &echo(), &Options::default())
        .unwrap_or_else(|problems| panic!("the documented machine is refused: {problems:?}"));
    assert_eq!(execution.status, Status::Succeeded, "{:?} {:?}", execution.error, execution.cause);
    execution.output.expect("a succeeded execution has an output")
}

#[test]
fn the_jsonpath_task_gives_the_documented_result() {
    let task = json!({
        "Type": "Task",
        "Resource": ECHO,
        "Parameters": {
            "static": "Hello",
            "title.$": "$.title",
            "name.$": "$customerName",
            "not-evaluated": "$customerName"
        },
        "End": true
    });
    assert_eq!(output_of(&machine("JSONPath", task)), documented_result());
}

#[test]
fn the_same_task_converted_to_jsonata_gives_the_same_result() {
    let task = json!({
        "Type": "Task",
        "Resource": ECHO,
        "Arguments": {
            "static": "Hello",
            "title": "{% $states.input.title %}",
            "name": "{% $customerName %}",
            "not-evaluated": "$customerName"
        },
        "End": true
    });
    assert_eq!(output_of(&machine("JSONata", task)), documented_result());
}
