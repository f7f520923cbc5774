//! Input and output processing of a state, in the order Step Functions
//! applies it: InputPath → Parameters (a payload template) → the state's
//! work → ResultSelector (a payload template over the result) → ResultPath →
//! OutputPath.
//!
//! # Errors and their causes
//!
//! A failure is a [`StatesError`] whose cause is the text AWS writes *after*
//! its state prefix. For `States.Runtime` the runner must put
//! `An error occurred while executing the state 'NAME' (entered at the event
//! id #N). ` in front ([`with_state_prefix`] does it), giving for example
//! (real AWS):
//!
//! ```text
//! An error occurred while executing the state 'Check Address' (entered at the event id #7).
//! The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{"flagged":false}'
//! ```
//!
//! The causes, with the sources they were checked against:
//! - payload template (Parameters, ResultSelector, ItemSelector):
//!   `The JSONPath '$.x' specified for the field 'x.$' could not be found in
//!   the input '<input as compact JSON>'` (AWS output quoted in the AWS
//!   Workshop "Check Address" page and in floci issue #2521 from Step
//!   Functions Local; LocalStack's `StringJsonPath` writes the same);
//! - InputPath / OutputPath: `Invalid path '$.x' : No results for path:
//!   $['x']` (an OutputPath failure quoted from real AWS in a 2021 blog post;
//!   LocalStack's `input_path.py` / `output_path.py` write the same);
//! - ResultPath conflict: error `States.ReferencePathConflict`, cause
//!   `Unable to apply step "x" to input <input as compact JSON>`, which AWS
//!   writes *without* the state prefix (cdklabs/construct-hub PR #459 quotes
//!   `{"error": "States.ReferencePathConflict", "cause": "Unable to apply step
//!   \"catalogBuilderOutput\" to input <omitted>"}`).
//!
//! Missing-path failures are `States.Runtime`, which on AWS fail the execution
//! and cannot be caught.

use crate::context::ContextObject;
use crate::jsonpath;
use crate::{StatesError, intrinsics};
use serde_json::{Map, Value};

/// Error name of a path that cannot be read, and other data-flow failures.
pub const STATES_RUNTIME: &str = "States.Runtime";
/// Error name of a ResultPath that cannot be applied to the state's input.
pub const STATES_REFERENCE_PATH_CONFLICT: &str = "States.ReferencePathConflict";

/// InputPath: None when the field is absent ($), Some(None) when null
/// (the state gets {}), else the path.
///
/// A `$$...` path reads the context object. A path that does not exist is
/// `States.Runtime` with cause `Invalid path '$.x' : No results for path:
/// $['x']` (see the module documentation for the prefix the runner adds).
/// Null giving `{}` is the developer guide's rule and what AWS recorded in
/// LocalStack's `test_state_pass_result_null_input_output_paths` snapshot.
pub fn input_path(
    input: &Value,
    path: Option<Option<&str>>,
    context: &dyn ContextObject,
) -> Result<Value, StatesError> {
    match path {
        None => Ok(input.clone()),
        Some(None) => Ok(Value::Object(Map::new())),
        Some(Some(path)) => read_path(input, context, path),
    }
}

/// A payload template (Parameters, ResultSelector, ItemSelector): fields whose
/// name ends in `.$` take the value of a path into `input` (`$...`), the
/// context object (`$$...`), or an intrinsic function call.
///
/// Objects nested at any depth, and objects inside arrays, are templates too;
/// other values (strings in arrays included) are copied as they are. The key
/// loses its `.$` suffix. A path that is not found is `States.Runtime` with
/// cause `The JSONPath '$.x' specified for the field 'x.$' could not be found
/// in the input '<compact JSON>'` (for a `$$` path, the context object is the
/// input quoted). An indefinite path that matches nothing gives `[]`.
pub fn template(template: &Value, input: &Value, context: &dyn ContextObject) -> Result<Value, StatesError> {
    match template {
        Value::Object(fields) => {
            let mut out = Map::with_capacity(fields.len());
            for (key, value) in fields {
                match key.strip_suffix(".$") {
                    Some(name) => {
                        let resolved = resolve_binding(key, value, input, context)?;
                        out.insert(name.to_string(), resolved);
                    }
                    None => {
                        out.insert(key.clone(), self::template(value, input, context)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|item| self::template(item, input, context))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// ResultPath: where the result goes in the state's input.
///
/// Absent: the result replaces the input (`$`); null: the input passes
/// unchanged and the result is discarded; a reference path: the input with
/// the result placed there, missing objects created. A step that cannot be
/// applied (a member of a string, of an array...) is
/// `States.ReferencePathConflict`, `Unable to apply step "b" to input {...}`.
pub fn result_path(input: &Value, result: Value, path: Option<Option<&str>>) -> Result<Value, StatesError> {
    match path {
        None => Ok(result),
        Some(None) => Ok(input.clone()),
        Some(Some(path)) => {
            if !jsonpath::is_reference_path(path) || jsonpath::is_context_path(path) {
                return Err(StatesError::new(
                    STATES_RUNTIME,
                    format!("The value for the field 'ResultPath' must be a valid Reference Path: '{path}'"),
                ));
            }
            jsonpath::set(input, path, result).map_err(|e| StatesError::new(STATES_REFERENCE_PATH_CONFLICT, e.message))
        }
    }
}

/// OutputPath, like InputPath.
///
/// A `$$...` path here has no context object to read and fails as missing;
/// use [`output_path_with_context`] to allow one.
pub fn output_path(output: &Value, path: Option<Option<&str>>) -> Result<Value, StatesError> {
    output_path_with_context(output, path, &Value::Null)
}

/// OutputPath where `$$...` reads `context`.
pub fn output_path_with_context(
    output: &Value,
    path: Option<Option<&str>>,
    context: &dyn ContextObject,
) -> Result<Value, StatesError> {
    input_path(output, path, context)
}

/// `error` as the runner reports it for the state `state_name` entered at
/// event `entered_event_id`: `States.Runtime` (and
/// `States.QueryEvaluationError`) causes get AWS's prefix
/// `An error occurred while executing the state 'NAME' (entered at the event
/// id #N). `; other errors are returned unchanged.
pub fn with_state_prefix(error: StatesError, state_name: &str, entered_event_id: u64) -> StatesError {
    // States.QueryEvaluationError's cause has the same prefix (recorded against
    // AWS in tests/recorded/cases.json, `test_wait_timestamp_jsonata[NO_T]`).
    if error.error != STATES_RUNTIME && error.error != crate::query::QUERY_EVALUATION_ERROR {
        return error;
    }
    StatesError {
        cause: format!(
            "An error occurred while executing the state '{state_name}' (entered at the event id #{entered_event_id}). {}",
            error.cause
        ),
        ..error
    }
}

/// Read an InputPath / OutputPath.
fn read_path(input: &Value, context: &dyn ContextObject, path: &str) -> Result<Value, StatesError> {
    crate::context::read(path, input, context).map_err(|e| StatesError::new(STATES_RUNTIME, e.to_string()))
}

/// The value of a `"key.$": "..."` field.
fn resolve_binding(key: &str, value: &Value, input: &Value, context: &dyn ContextObject) -> Result<Value, StatesError> {
    let invalid = || {
        StatesError::new(
            STATES_RUNTIME,
            format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call"),
        )
    };
    let Value::String(text) = value else {
        return Err(invalid());
    };
    if text.starts_with('$') {
        if !jsonpath::is_valid_reading(text) {
            return Err(invalid());
        }
        let in_context = jsonpath::is_context_path(text);
        return crate::context::read(text, input, context).map_err(|error| {
            if jsonpath::variable(text).is_some() {
                return StatesError::new(STATES_RUNTIME, error.to_string());
            }
            let document = if in_context { context.whole() } else { input };
            StatesError::new(
                STATES_RUNTIME,
                format!(
                    "The JSONPath '{text}' specified for the field '{key}' could not be found in the input '{}'",
                    serde_json::to_string(document).unwrap_or_default()
                ),
            )
        });
    }
    if intrinsics::is_call(text) {
        return intrinsics::evaluate(text, input, context);
    }
    Err(invalid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn runtime(cause: &str) -> StatesError {
        StatesError::new("States.Runtime", cause)
    }

    #[test]
    fn input_path_absent_null_and_path() {
        let input = json!({"a": {"b": 1}, "c": [1, 2, 3]});
        let ctx = json!({"Execution": {"Id": "arn:e"}});
        assert_eq!(input_path(&input, None, &ctx).unwrap(), input);
        // LocalStack test_state_pass_result_null_input_output_paths (recorded
        // on AWS): "InputPath": null gives the state {} ("FromInput.$": "$"
        // then yields {}).
        assert_eq!(input_path(&input, Some(None), &ctx).unwrap(), json!({}));
        assert_eq!(input_path(&input, Some(Some("$")), &ctx).unwrap(), input);
        assert_eq!(input_path(&input, Some(Some("$.a")), &ctx).unwrap(), json!({"b": 1}));
        assert_eq!(input_path(&input, Some(Some("$.c[1:]")), &ctx).unwrap(), json!([2, 3]));
        assert_eq!(input_path(&input, Some(Some("$$.Execution.Id")), &ctx).unwrap(), json!("arn:e"));
    }

    #[test]
    fn input_path_missing() {
        let input = json!({"a": 1});
        assert_eq!(
            input_path(&input, Some(Some("$.missing")), &Value::Null).unwrap_err(),
            runtime("Invalid path '$.missing' : No results for path: $['missing']")
        );
        assert_eq!(
            input_path(&input, Some(Some("$.x.y")), &Value::Null).unwrap_err(),
            runtime("Invalid path '$.x.y' : Missing property in path $['x']")
        );
    }

    #[test]
    fn output_path_cases() {
        let output = json!({"ExecutedVersion": "$LATEST", "Payload": {"ok": true}, "StatusCode": 200});
        assert_eq!(output_path(&output, None).unwrap(), output);
        assert_eq!(output_path(&output, Some(None)).unwrap(), json!({}));
        assert_eq!(output_path(&output, Some(Some("$.Payload"))).unwrap(), json!({"ok": true}));
        // Real AWS, OutputPath "$.Payload" on a result without Payload:
        // "... (entered at the event id #13). Invalid path '$.Payload' : No
        // results for path: $['Payload']" (blog post quoted in the report).
        let err = output_path(&json!({"ok": false}), Some(Some("$.Payload"))).unwrap_err();
        assert_eq!(err, runtime("Invalid path '$.Payload' : No results for path: $['Payload']"));
        assert_eq!(
            with_state_prefix(err, "AggregateIdentityResults", 13).cause,
            "An error occurred while executing the state 'AggregateIdentityResults' (entered at the event id #13). Invalid path '$.Payload' : No results for path: $['Payload']"
        );
        let ctx = json!({"State": {"Name": "S"}});
        assert_eq!(output_path_with_context(&output, Some(Some("$$.State.Name")), &ctx).unwrap(), json!("S"));
    }

    #[test]
    fn template_paths_and_literals() {
        // States Language spec, "Parameters" example.
        let input = json!({"flagged": 7, "vals": [0, 10, 20, 30, 40, 50]});
        let tmpl = json!({"flagged": true, "parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[3:]"}});
        assert_eq!(
            template(&tmpl, &input, &Value::Null).unwrap(),
            json!({"flagged": true, "parts": {"first": 0, "last3": [30, 40, 50]}})
        );
    }

    #[test]
    fn template_context_arrays_and_nesting() {
        let input = json!({"id": 7, "items": [{"n": 1}, {"n": 2}]});
        let ctx = json!({"Execution": {"Id": "arn:e", "Input": {"x": 1}}, "Map": {"Item": {"Index": 3}}});
        let tmpl = json!({
            "exec.$": "$$.Execution.Id",
            "index.$": "$$.Map.Item.Index",
            "whole.$": "$",
            "all.$": "$$",
            "list": ["$.id", {"v.$": "$.id"}, [{"w.$": "$.items[*].n"}], 5],
            "plain": "$.id",
            "deep": {"deeper": {"x.$": "$.items[1]"}}
        });
        assert_eq!(
            template(&tmpl, &input, &ctx).unwrap(),
            json!({
                "exec": "arn:e",
                "index": 3,
                "whole": input,
                "all": ctx,
                "list": ["$.id", {"v": 7}, [{"w": [1, 2]}], 5],
                "plain": "$.id",
                "deep": {"deeper": {"x": {"n": 2}}}
            })
        );
        // Key order is kept (serde_json with preserve_order).
        let out = template(&json!({"b": 1, "a.$": "$.id", "c": 2}), &input, &ctx).unwrap();
        let keys: Vec<_> = out.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a", "c"]);
        // A non-object template is copied.
        assert_eq!(template(&json!("x"), &input, &ctx).unwrap(), json!("x"));
        // An indefinite path that matches nothing is [] (Jayway).
        assert_eq!(template(&json!({"none.$": "$.items[?(@.n > 5)]"}), &input, &ctx).unwrap(), json!({"none": []}));
    }

    #[test]
    fn template_missing_path() {
        // Real AWS (AWS Workshop "Check Address" step): "The JSONPath
        // '$.application.address' specified for the field 'address.$' could
        // not be found in the input '{\"flagged\":false}'".
        let err = template(&json!({"address.$": "$.application.address"}), &json!({"flagged": false}), &Value::Null)
            .unwrap_err();
        assert_eq!(
            err,
            runtime(
                "The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{\"flagged\":false}'"
            )
        );
        assert_eq!(
            with_state_prefix(err, "Check Address", 7).cause,
            "An error occurred while executing the state 'Check Address' (entered at the event id #7). The JSONPath '$.application.address' specified for the field 'address.$' could not be found in the input '{\"flagged\":false}'"
        );
        // Step Functions Local (floci issue #2521): a nested key reports the
        // key itself and the input as compact JSON.
        let err =
            template(&json!({"outer": {"missing.$": "$.nope.deep"}}), &json!({"other": 1}), &Value::Null).unwrap_err();
        assert_eq!(
            err.cause,
            "The JSONPath '$.nope.deep' specified for the field 'missing.$' could not be found in the input '{\"other\":1}'"
        );
        // A context path quotes the context object.
        let err = template(&json!({"t.$": "$$.Task.Token"}), &json!({}), &json!({"State": {"Name": "S"}})).unwrap_err();
        assert_eq!(
            err.cause,
            "The JSONPath '$$.Task.Token' specified for the field 't.$' could not be found in the input '{\"State\":{\"Name\":\"S\"}}'"
        );
    }

    #[test]
    fn template_intrinsic_calls() {
        // A `.$` value starting with `States.` goes to the intrinsics module,
        // with the same input and context as paths.
        let out = template(
            &json!({"greeting.$": "States.Format('Hello, {}!', $.name)", "keep": "States.Format('x')"}),
            &json!({"name": "Ada"}),
            &Value::Null,
        )
        .unwrap();
        assert_eq!(out, json!({"greeting": "Hello, Ada!", "keep": "States.Format('x')"}));
    }

    #[test]
    fn template_invalid_values() {
        for bad in [json!({"x.$": 5}), json!({"x.$": "not a path"}), json!({"x.$": "$.a["}), json!({"x.$": "$var["})] {
            let err = template(&bad, &json!({"a": 1}), &Value::Null).unwrap_err();
            assert_eq!(err.error, "States.Runtime");
            assert_eq!(
                err.cause,
                "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call"
            );
        }
    }

    #[test]
    fn result_path_cases() {
        // AWS developer guide, "Specifying state output using ResultPath".
        let input = json!({"comment": "This is a test", "details": "Default example", "who": "Step Functions"});
        let result = json!("Hello, Step Functions!");
        assert_eq!(result_path(&input, result.clone(), None).unwrap(), result);
        assert_eq!(result_path(&input, result.clone(), Some(Some("$"))).unwrap(), result);
        assert_eq!(result_path(&input, result.clone(), Some(None)).unwrap(), input);
        assert_eq!(
            result_path(&input, result.clone(), Some(Some("$.taskresult"))).unwrap(),
            json!({"comment": "This is a test", "details": "Default example", "who": "Step Functions", "taskresult": "Hello, Step Functions!"})
        );
        let nested =
            json!({"comment": "An input comment.", "strings": {"string1": "foo", "string2": "bar", "string3": "baz"}});
        assert_eq!(
            result_path(&nested, json!("Hello, Step Functions!"), Some(Some("$.strings.lambdaresult"))).unwrap(),
            json!({"comment": "An input comment.", "strings": {"string1": "foo", "string2": "bar", "string3": "baz", "lambdaresult": "Hello, Step Functions!"}})
        );
        // Catcher output merged into the input.
        assert_eq!(
            result_path(&json!({"a": 1}), json!({"Error": "E", "Cause": "c"}), Some(Some("$.error"))).unwrap(),
            json!({"a": 1, "error": {"Error": "E", "Cause": "c"}})
        );
    }

    #[test]
    fn result_path_conflict() {
        let err = result_path(&json!([1, 2]), json!(1), Some(Some("$.x"))).unwrap_err();
        assert_eq!(err, StatesError::new("States.ReferencePathConflict", "Unable to apply step \"x\" to input [1,2]"));
        // Not States.Runtime: the runner's prefix is not added.
        assert_eq!(with_state_prefix(err.clone(), "S", 2), err);
        let err = result_path(&json!({"a": "s"}), json!(1), Some(Some("$.a.b"))).unwrap_err();
        assert_eq!(err.cause, "Unable to apply step \"b\" to input {\"a\":\"s\"}");
        let err = result_path(&json!({}), json!(1), Some(Some("$.a[*]"))).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
    }
}
