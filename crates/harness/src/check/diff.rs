//! Where two JSON values differ, as a list of paths a learner can read:
//! `body: expected "Hello, Ada!", got "Hello from Lambda!"`.

use serde_json::Value;

/// One difference between the expected and the actual value.
#[derive(Debug, PartialEq)]
pub struct Difference {
    /// A readable path into the value: `body`, `items[2].name`, or `(the whole value)`.
    pub path: String,
    pub text: String,
}

/// Every place where `got` differs from `expected`, in document order.
pub fn differences(expected: &Value, got: &Value) -> Vec<Difference> {
    let mut found = Vec::new();
    walk(expected, got, &mut String::new(), &mut found);
    found
}

fn walk(expected: &Value, got: &Value, path: &mut String, found: &mut Vec<Difference>) {
    match (expected, got) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, want_value) in want {
                let mark = path.len();
                push_key(path, key);
                match have.get(key) {
                    Some(have_value) => walk(want_value, have_value, path, found),
                    None => found.push(Difference {
                        path: path.clone(),
                        text: format!("missing; expected {}", short(want_value)),
                    }),
                }
                path.truncate(mark);
            }
            for (key, have_value) in have {
                if !want.contains_key(key) {
                    let mark = path.len();
                    push_key(path, key);
                    found.push(Difference {
                        path: path.clone(),
                        text: format!("not expected, but got {}", short(have_value)),
                    });
                    path.truncate(mark);
                }
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            for (index, (w, h)) in want.iter().zip(have).enumerate() {
                let mark = path.len();
                path.push_str(&format!("[{index}]"));
                walk(w, h, path, found);
                path.truncate(mark);
            }
            if want.len() != have.len() {
                found.push(Difference {
                    path: display(path),
                    text: format!("expected {} item(s), got {}", want.len(), have.len()),
                });
            }
        }
        _ if same(expected, got) => {}
        _ => found.push(Difference {
            path: display(path),
            text: format!("expected {}, got {}", short(expected), short(got)),
        }),
    }
}

/// Equal as JSON values, with 1 and 1.0 counted equal (Python may send either).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Equal in the sense the checks use.
pub fn equal(expected: &Value, got: &Value) -> bool {
    differences(expected, got).is_empty()
}

/// A hint for a mistake whatever the exercise: when the values differ only
/// by a type slip that looks the same when printed (the number 200 written
/// as the text "200", true as "True", null as "None"), or by a list cut
/// short whose items are all right (the first record handled, the others
/// not), what to change. The hint the exercise ties to the check, about
/// the task, would not fit such a failure.
pub fn slip_hint(expected: &Value, got: &Value) -> Option<&'static str> {
    let mut slips = Vec::new();
    if !collect_slips(expected, got, &mut slips) || slips.is_empty() {
        return None;
    }
    let first = slips[0];
    slips.iter().all(|s| *s == first).then_some(first)
}

const NUMBER_AS_TEXT: &str = "A number and the same digits in quotes are different JSON values: 200 is a number, \"200\" is text. Return the number itself (no quotes, no str(), no f-string), as the check expects.";
const TEXT_AS_NUMBER: &str = "The check expects text here, and your value is a number: put it in quotes, or make it text with str() or an f-string.";
const BOOL_AS_TEXT: &str =
    "JSON's true and false are Python's True and False, without quotes: the text \"True\" is something else.";
const CUT_SHORT: &str = "The items your handler gave are right, but there are fewer than expected: it handles only part of what the event holds. Look for [0] (the first record only) or a return inside the loop, which ends it after the first item.";
const NULL_AS_TEXT: &str =
    "Python's None becomes JSON's null; the text \"None\" (or \"null\") is something else: return None itself.";

/// Walk `expected` and `got` together; false when they differ by anything
/// but type slips (which are pushed into `slips`).
fn collect_slips(expected: &Value, got: &Value, slips: &mut Vec<&'static str>) -> bool {
    match (expected, got) {
        (Value::Object(want), Value::Object(have)) => {
            want.len() == have.len()
                && want.iter().all(|(key, w)| have.get(key).is_some_and(|h| collect_slips(w, h, slips)))
        }
        (Value::Array(want), Value::Array(have)) if want.len() > have.len() && !have.is_empty() => {
            let right_so_far = want.iter().zip(have).all(|(w, h)| differences(w, h).is_empty());
            if right_so_far {
                slips.push(CUT_SHORT);
            }
            right_so_far
        }
        (Value::Array(want), Value::Array(have)) => {
            want.len() == have.len() && want.iter().zip(have).all(|(w, h)| collect_slips(w, h, slips))
        }
        _ if same(expected, got) => true,
        (Value::Number(n), Value::String(s)) if s.trim().parse::<f64>().ok() == n.as_f64() => {
            slips.push(NUMBER_AS_TEXT);
            true
        }
        (Value::String(s), Value::Number(n)) if s.trim().parse::<f64>().ok() == n.as_f64() => {
            slips.push(TEXT_AS_NUMBER);
            true
        }
        (Value::Bool(b), Value::String(s)) if s.eq_ignore_ascii_case(&b.to_string()) => {
            slips.push(BOOL_AS_TEXT);
            true
        }
        (Value::Null, Value::String(s)) if s == "None" || s == "null" => {
            slips.push(NULL_AS_TEXT);
            true
        }
        _ => false,
    }
}

fn push_key(path: &mut String, key: &str) {
    let plain = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.is_empty();
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push_str(&format!("[{}]", Value::String(key.to_string())));
    }
}

fn display(path: &str) -> String {
    if path.is_empty() { "(the whole value)".into() } else { path.to_string() }
}

/// A value short enough for one line, with its JSON type visible.
pub fn short(value: &Value) -> String {
    let text = value.to_string();
    let kind = match value {
        Value::Null => "",
        Value::Bool(_) => "",
        Value::Number(_) => " (a number)",
        Value::String(_) => " (a string)",
        Value::Array(_) => " (a list)",
        Value::Object(_) => " (an object)",
    };
    let shown =
        if text.chars().count() > 70 { format!("{}…", text.chars().take(70).collect::<String>()) } else { text };
    // Strings and numbers that look alike ("200" vs 200) are a classic mix-up:
    // name the type only when it helps tell them apart.
    match value {
        Value::String(s) if s.parse::<f64>().is_ok() => format!("{shown}{kind}"),
        Value::Number(_) => format!("{shown}{kind}"),
        Value::Array(_) | Value::Object(_) if shown.ends_with('…') => format!("{shown}{kind}"),
        _ => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_values_have_no_differences() {
        assert!(differences(&json!({"a": [1, 2]}), &json!({"a": [1, 2]})).is_empty());
        assert!(equal(&json!(1), &json!(1.0)));
    }

    #[test]
    fn changed_missing_and_extra_keys_are_listed() {
        let found = differences(
            &json!({"statusCode": 200, "body": "Hello, Ada!"}),
            &json!({"statusCode": "200", "headers": {}}),
        );
        let lines: Vec<String> = found.iter().map(|d| format!("{}: {}", d.path, d.text)).collect();
        assert_eq!(
            lines,
            [
                "statusCode: expected 200 (a number), got \"200\" (a string)",
                "body: missing; expected \"Hello, Ada!\"",
                "headers: not expected, but got {}",
            ]
        );
    }

    #[test]
    fn paths_reach_into_lists_and_odd_keys() {
        let found = differences(
            &json!({"items": [{"id": 1}, {"id": 2}], "a b": true}),
            &json!({"items": [{"id": 1}], "a b": false}),
        );
        let lines: Vec<String> = found.iter().map(|d| format!("{}: {}", d.path, d.text)).collect();
        assert_eq!(lines, ["items: expected 2 item(s), got 1", "[\"a b\"]: expected true, got false"]);
    }

    #[test]
    fn a_type_slip_gets_a_hint_of_its_own_and_nothing_else_does() {
        let expected = json!({"statusCode": 200, "body": "Hello, Ada!", "ok": true, "error": null});
        let hint = |got: Value| slip_hint(&expected, &got);
        let number = hint(json!({"statusCode": "200", "body": "Hello, Ada!", "ok": true, "error": null}));
        assert!(number.unwrap().contains("200 is a number, \"200\" is text"));
        let boolean = hint(json!({"statusCode": 200, "body": "Hello, Ada!", "ok": "True", "error": null}));
        assert!(boolean.unwrap().contains("True and False"));
        let null = hint(json!({"statusCode": 200, "body": "Hello, Ada!", "ok": true, "error": "None"}));
        assert!(null.unwrap().contains("None itself"));
        assert_eq!(
            hint(json!({"statusCode": "200", "body": "Hello!", "ok": true, "error": null})),
            None,
            "another mistake too"
        );
        assert_eq!(hint(json!({"statusCode": "200", "body": "Hello, Ada!", "ok": true})), None, "a missing field too");
        assert_eq!(hint(json!({"statusCode": "201", "body": "Hello, Ada!", "ok": true, "error": null})), None);
        assert_eq!(hint(expected.clone()), None, "no difference, no hint");
        assert!(slip_hint(&json!({"size": "17"}), &json!({"size": 17})).unwrap().contains("expects text"));
        let three = json!({"objects": [{"key": "a"}, {"key": "b"}, {"key": "c"}]});
        let first = slip_hint(&three, &json!({"objects": [{"key": "a"}]}));
        assert!(first.unwrap().contains("[0] (the first record only)"));
        assert_eq!(slip_hint(&three, &json!({"objects": [{"key": "b"}]})), None, "a wrong item is another mistake");
        assert_eq!(slip_hint(&three, &json!({"objects": []})), None, "nothing at all is another mistake");
    }

    #[test]
    fn a_whole_value_mismatch_is_named() {
        let found = differences(&json!("x"), &json!(null));
        assert_eq!(found[0].path, "(the whole value)");
        assert_eq!(found[0].text, "expected \"x\", got null");
    }
}
