//! Evaluating a parsed call: arguments first (nested calls and paths), then
//! the argument count, then the function itself, each family in its own
//! module. Every failure of a function's arguments is the same
//! `Invalid arguments in States.<Name>`, so the families answer `None` for
//! it and this module words the error.

use super::parse::{Arg, Call, Function};
use super::{FAILURE, arrays, json, math, text};
use crate::StatesError;
use crate::context::ContextObject;
use serde_json::Value;

impl Function {
    /// The error AWS reports for arguments of the wrong count, type or value.
    pub(super) fn invalid(self) -> StatesError {
        StatesError::new(FAILURE, format!("Invalid arguments in States.{}", self.name()))
    }
}

impl Call {
    pub(super) fn evaluate(&self, input: &Value, context: &dyn ContextObject) -> Result<Value, StatesError> {
        let values = self.args.iter().map(|arg| arg.evaluate(input, context)).collect::<Result<Vec<_>, _>>()?;
        let function = self.function;
        let (least, most) = function.arity();
        if values.len() < least || values.len() > most {
            return Err(function.invalid());
        }
        let result = match function {
            Function::Format => text::format(&self.args[0], &values),
            Function::StringToJson => json::string_to_json(&values[0]),
            Function::JsonToString => Some(json::json_to_string(&values[0])),
            Function::Array => return Ok(Value::Array(values)),
            Function::ArrayPartition => arrays::partition(&values[0], &values[1]),
            Function::ArrayContains => arrays::contains(&values[0], &values[1]),
            Function::ArrayRange => arrays::range(&values[0], &values[1], &values[2]),
            Function::ArrayGetItem => arrays::get_item(&values[0], &values[1]),
            Function::ArrayLength => arrays::length(&values[0]),
            Function::ArrayUnique => arrays::unique(&values[0]),
            Function::Base64Encode => text::base64_encode(&values[0]),
            Function::Base64Decode => text::base64_decode(&values[0]),
            Function::Hash => text::hash(&values[0], &values[1]),
            Function::JsonMerge => json::merge(&values[0], &values[1], &values[2]),
            Function::MathRandom => math::random(&values[0], &values[1], values.get(2)),
            Function::MathAdd => math::add(&values[0], &values[1]),
            Function::StringSplit => text::split(&values[0], &values[1]),
            // A random (version 4) UUID in lowercase, from the harness's one
            // random source (the same form as a Lambda request id).
            Function::Uuid => Some(Value::String(harness::ids::request_id())),
        };
        result.ok_or_else(|| function.invalid())
    }
}

impl Arg {
    fn evaluate(&self, input: &Value, context: &dyn ContextObject) -> Result<Value, StatesError> {
        match self {
            Arg::Text { value, .. } => Ok(Value::String(value.clone())),
            Arg::Number(number) => Ok(Value::Number(number.clone())),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Null => Ok(Value::Null),
            Arg::Call(call) => call.evaluate(input, context),
            Arg::Path { context: in_context, written, .. } => {
                crate::context::read(written, input, context).map_err(|_| {
                    let document = if *in_context { context.whole() } else { input };
                    StatesError::new(
                        FAILURE,
                        format!("The JsonPath argument '{written}' could not be found in the input '{document}'"),
                    )
                })
            }
        }
    }
}

/// A number argument cut to an integer toward zero, as AWS does for
/// ArrayPartition, ArrayRange, ArrayGetItem and MathRandom (2.6 → 2).
pub(super) fn truncate(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(int) = number.as_i64() {
        return Some(int);
    }
    let float = number.as_f64()?.trunc();
    (float.is_finite() && float.abs() < 9.2e18).then_some(float as i64)
}

#[cfg(test)]
mod tests {
    use crate::intrinsics::evaluate;
    use crate::intrinsics::testing::{eval, failure, invalid_in};
    use serde_json::{Value, json};

    #[test]
    fn array_lists_its_arguments() {
        // test_array.snapshot.json test_array_0 and test_array_2.
        assert_eq!(eval("States.Array()"), json!([]));
        assert_eq!(eval("States.Array('', '')"), json!(["", ""]));
        assert_eq!(eval("States.Array(' ', ' ')"), json!([" ", " "]));
        assert_eq!(eval("States.Array(null, null)"), json!([null, null]));
        assert_eq!(eval("States.Array(1, 1)"), json!([1, 1]));
        assert_eq!(eval("States.Array(1.1, 1.1)"), json!([1.1, 1.1]));
        assert_eq!(
            eval("States.Array('{\"Arg1\": 1, \"Arg2\": []}', '{\"Arg1\": 1, \"Arg2\": []}')"),
            json!(["{\"Arg1\": 1, \"Arg2\": []}", "{\"Arg1\": 1, \"Arg2\": []}"])
        );
        // conformance: nested calls.
        assert_eq!(eval("States.Array(1, States.Array(2, 3))"), json!([1, [2, 3]]));
    }

    #[test]
    fn uuid_is_a_random_version_4_uuid() {
        let first = eval("States.UUID()");
        let text = first.as_str().unwrap_or("");
        assert_eq!(text.len(), 36);
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(text.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert!(groups[2].starts_with('4'));
        assert!(groups[3].starts_with(['8', '9', 'a', 'b']));
        assert_ne!(first, eval("States.UUID()"));
        assert_eq!(failure("States.UUID(1)"), invalid_in("UUID"));
    }

    // -- path arguments --------------------------------------------------------

    fn eval_in(text: &str, input: &Value, context: &Value) -> Value {
        evaluate(text, input, context).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn paths_read_the_input_and_the_context_object() {
        let input = json!({"a": {"b": [1, 2]}, "a,b": "comma", "items": [{"n": 1}, {"n": 2}, {"n": 3}]});
        let context = json!({"Execution": {"Id": "arn:exec", "Input": {"x": 1}}});
        assert_eq!(eval_in("States.Array($.a.b, $$.Execution.Id)", &input, &context), json!([[1, 2], "arn:exec"]));
        assert_eq!(eval_in("States.Array($['a,b'], $.a.b[1])", &input, &context), json!(["comma", 2]));
        assert_eq!(eval_in("States.ArrayLength($.items[?(@.n > 1)])", &input, &context), json!(2));
        assert_eq!(eval_in("States.JsonToString($$.Execution.Input)", &input, &context), json!("{\"x\":1}"));
        assert_eq!(eval_in("States.JsonToString($.a)", &input, &context), json!("{\"b\":[1,2]}"));
    }

    #[test]
    fn a_missing_path_fails_the_state() {
        // conformance: States.Runtime, "... could not be found in the input '{}'".
        let error = evaluate("States.Hash($.missing, 'SHA-256')", &json!({}), &json!({})).expect_err("missing");
        assert_eq!(error.error, "States.Runtime");
        assert!(error.cause.contains("could not be found in the input '{}'"), "{}", error.cause);
        assert!(error.cause.contains("$.missing"), "{}", error.cause);
    }

    #[test]
    fn snapshot_cases_by_path() {
        // test_generic.snapshot.json test_format_2: an object renders as {Arg1=1, Arg2=[]}.
        let input = json!({"FunctionInput": {"fst": {"Arg1": 1, "Arg2": []}, "snd": {"Arg1": 1, "Arg2": []}}});
        assert_eq!(
            eval_in(
                "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)",
                &input,
                &json!({})
            ),
            json!("Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.")
        );
        // test_generic.snapshot.json test_context_json_path (names and ARN stand in for the masked ones).
        let context = json!({
            "Execution": {"Name": "exec-name"},
            "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:sm", "Name": "sm"}
        });
        assert_eq!(
            eval_in(
                "States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)",
                &json!({}),
                &context
            ),
            json!(
                "Formatting arguments fst=exec-name and snd={Id=arn:aws:states:us-east-1:111111111111:stateMachine:sm, Name=sm}."
            )
        );
        // test_string_operations.snapshot.json test_string_split_context_object.
        let context = json!({"Execution": {"Input": {"FunctionInput": "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n"}}});
        assert_eq!(
            eval_in("States.StringSplit($$.Execution.Input.FunctionInput, ',')", &json!({}), &context),
            json!([
                "Value1",
                "Value2",
                "Value3\nValue4",
                "Value5",
                "Value6\n",
                "\ntrue",
                "1",
                "'HelloWorld'\nNull",
                "None",
                "\n   \n"
            ])
        );
        // test_json_manipulation.snapshot.json test_json_merge_escaped_argument.
        let context = json!({"Execution": {"Input": {"input_field": {"constant_input_field": "constant_value"}}}});
        let merged = eval_in(
            "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), $$.Execution.Input.input_field, false)",
            &json!({}),
            &context,
        );
        assert_eq!(
            serde_json::to_string(&merged).ok(),
            Some(r#"{"constant_input_field":"constant_value","constant_in_literal":"false"}"#.to_string())
        );
        // test_array.snapshot.json test_array_get_item, test_array_partition.
        let input = json!({"FunctionInput": {"fst": [1, 2, 3, 4, 5, 6, 7, 8, 9], "snd": 5}});
        assert_eq!(
            eval_in("States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)", &input, &json!({})),
            json!(6)
        );
        let input = json!({"FunctionInput": {"fst": [0, 1, 2, 3], "snd": 3}});
        assert_eq!(
            eval_in("States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)", &input, &json!({})),
            json!([[0, 1, 2], [3]])
        );
        // test_hash_calculations.snapshot.json test_hash.
        let input = json!({"FunctionInput": {"fst": "input data", "snd": "SHA-256"}});
        assert_eq!(
            eval_in("States.Hash($.FunctionInput.fst, $.FunctionInput.snd)", &input, &json!({})),
            json!("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")
        );
    }
}
