//! The JSON functions: `States.StringToJson`, `JsonToString` and
//! `JsonMerge`. Each answers `None` for arguments AWS rejects
//! (`Invalid arguments in States.<Name>`).

use super::java_hash;
use serde_json::Value;

/// States.StringToJson: the text parsed as JSON, as Jackson reads it.
pub(super) fn string_to_json(text: &Value) -> Option<Value> {
    let text = text.as_str()?;
    // test_json_manipulation.snapshot.json (test_string_to_json): "" and " " give null.
    if text.trim().is_empty() {
        return Some(Value::Null);
    }
    let mut parsed = serde_json::from_str(text).ok()?;
    integral_negative_zero(&mut parsed);
    Some(parsed)
}

/// States.JsonToString: compact JSON, keys in their order.
pub(super) fn json_to_string(value: &Value) -> Value {
    Value::String(value.to_string())
}

/// States.JsonMerge: a shallow merge (the right object wins), keys in the
/// order of the Java service's `HashMap`. A deep merge is refused, as on AWS.
pub(super) fn merge(left: &Value, right: &Value, deep: &Value) -> Option<Value> {
    let (Value::Object(left), Value::Object(right)) = (left, right) else {
        return None;
    };
    let deep = match deep {
        Value::Bool(deep) => *deep,
        Value::String(text) => text.eq_ignore_ascii_case("true"),
        _ => false,
    };
    if deep {
        return None;
    }
    Some(Value::Object(java_hash::merge(left, right)))
}

/// Jackson reads `-0` as the integer 0 (test_json_manipulation.snapshot.json,
/// test_string_to_json: "-0" gives 0) where serde_json reads the float -0.0.
/// (A written `-0.0` comes out as 0 too: serde_json cannot tell them apart.)
fn integral_negative_zero(value: &mut Value) {
    match value {
        Value::Number(number) if number.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()) => {
            *value = Value::from(0);
        }
        Value::Array(items) => items.iter_mut().for_each(integral_negative_zero),
        Value::Object(fields) => fields.values_mut().for_each(integral_negative_zero),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::intrinsics::testing::{eval, failure, invalid_in};
    use serde_json::json;

    // -- States.StringToJson / JsonToString ---------------------------------

    #[test]
    fn string_to_json_parses() {
        // test_json_manipulation.snapshot.json test_string_to_json.
        assert_eq!(eval("States.StringToJson('')"), json!(null));
        assert_eq!(eval("States.StringToJson(' ')"), json!(null));
        assert_eq!(eval("States.StringToJson('null')"), json!(null));
        assert_eq!(eval("States.StringToJson('-0')"), json!(0));
        assert_eq!(eval("States.StringToJson('1')"), json!(1));
        assert_eq!(eval("States.StringToJson('1.1')"), json!(1.1));
        assert_eq!(eval("States.StringToJson('true')"), json!(true));
        assert_eq!(eval("States.StringToJson('\"HelloWorld\"')"), json!("HelloWorld"));
        assert_eq!(eval("States.StringToJson('[1, 2, \"HelloWorld\"]')"), json!([1, 2, "HelloWorld"]));
        assert_eq!(eval("States.StringToJson('{\"Arg1\": 1, \"Arg2\": []}')"), json!({"Arg1": 1, "Arg2": []}));
        // conformance.
        assert_eq!(eval("States.StringToJson(' {\"a\":1} ')"), json!({"a": 1}));
        for bad in ["'{bad json}'", "'{\"a\":1'", "'undefined'", "123", "States.Array(1)"] {
            assert_eq!(failure(&format!("States.StringToJson({bad})")), invalid_in("StringToJson"));
        }
    }

    #[test]
    fn json_to_string_prints_compact_json_in_order() {
        // test_json_manipulation.snapshot.json test_json_to_string.
        assert_eq!(eval("States.JsonToString(null)"), json!("null"));
        assert_eq!(eval("States.JsonToString(States.StringToJson('-0'))"), json!("0"));
        assert_eq!(eval("States.JsonToString(1)"), json!("1"));
        assert_eq!(eval("States.JsonToString(1.1)"), json!("1.1"));
        assert_eq!(eval("States.JsonToString(true)"), json!("true"));
        assert_eq!(eval("States.JsonToString('HelloWorld')"), json!("\"HelloWorld\""));
        assert_eq!(eval("States.JsonToString(States.Array(1, 2, 'HelloWorld'))"), json!("[1,2,\"HelloWorld\"]"));
        assert_eq!(
            eval("States.JsonToString(States.StringToJson('{\"Arg1\": 1, \"Arg2\": []}'))"),
            json!("{\"Arg1\":1,\"Arg2\":[]}")
        );
        // conformance: key order kept.
        assert_eq!(
            eval("States.JsonToString(States.StringToJson('{\"nested\": {\"a\": 1}, \"arr\": [true, null]}'))"),
            json!("{\"nested\":{\"a\":1},\"arr\":[true,null]}")
        );
        assert_eq!(failure("States.JsonToString()"), invalid_in("JsonToString"));
    }

    // -- States.JsonMerge ---------------------------------------------------

    #[test]
    fn json_merge_is_shallow_and_in_hash_map_order() {
        // test_json_manipulation.snapshot.json test_json_merge.
        let merged = eval(
            "States.JsonMerge(States.StringToJson('{\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2, \"d\": 3}'), States.StringToJson('{\"a\": {\"a3\": 1, \"a4\": 2}, \"c\": 3, \"d\": 4}'), false)",
        );
        assert_eq!(merged, json!({"a": {"a3": 1, "a4": 2}, "b": 2, "c": 3, "d": 4}));
        let keys: Vec<&String> = merged.as_object().map(|o| o.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["a", "b", "c", "d"]);
        // test_json_manipulation.snapshot.json test_json_merge_escaped_argument: the
        // right object's key comes first in the output.
        let merged = eval(
            "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), States.StringToJson('{\"constant_input_field\": \"constant_value\"}'), false)",
        );
        assert_eq!(
            serde_json::to_string(&merged).ok(),
            Some(r#"{"constant_input_field":"constant_value","constant_in_literal":"false"}"#.to_string())
        );
    }

    #[test]
    fn json_merge_wants_two_objects_and_no_deep_merge() {
        // conformance.
        assert_eq!(
            eval("States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{\"x\": 1}'), false)"),
            json!({"x": 1})
        );
        assert_eq!(
            eval("States.JsonMerge(States.StringToJson('{\"x\": 1}'), States.StringToJson('{}'), 'false')"),
            json!({"x": 1})
        );
        let objects = "States.StringToJson('{\"n\": {\"a\": 1}}'), States.StringToJson('{\"n\": {\"b\": 2}}')";
        assert_eq!(eval(&format!("States.JsonMerge({objects}, false)")), json!({"n": {"b": 2}}));
        assert_eq!(failure(&format!("States.JsonMerge({objects}, true)")), invalid_in("JsonMerge"));
        for bad in [
            "null, States.StringToJson('{}'), false",
            "States.Array(), States.StringToJson('{}'), false",
            "States.StringToJson('{}'), 'x', false",
            "States.StringToJson('{}'), States.StringToJson('{}')",
        ] {
            assert_eq!(failure(&format!("States.JsonMerge({bad})")), invalid_in("JsonMerge"));
        }
    }
}
