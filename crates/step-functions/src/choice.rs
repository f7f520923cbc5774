//! Choice rules, in JSONPath mode.
//!
//! A rule is either a boolean combination (`And`: `[rules]`, `Or`: `[rules]`,
//! `Not`: rule) or a data test: a `Variable` path and one operator.
//!
//! How a data test behaves, checked against the choice-operator snapshots
//! LocalStack recorded on AWS (`tests/aws/services/stepfunctions/v2/
//! choice_operators/*.snapshot.json`):
//! - a value of the wrong type never matches and is not an error:
//!   `StringEquals` on a number, `NumericEquals` on `"1"`, `BooleanEquals` on
//!   `0`, `TimestampEquals` on a string that is not a timestamp are all false;
//! - numbers compare by value (`0 == 0.0`, `1 == 1.0`);
//! - `Is*` tests compare the type test with their boolean: `IsNull: false`
//!   holds for any non-null value; `IsPresent` holds for a present `null`.
//!
//! A `Variable` (or the second path of a `...Path` operator) that is not in
//! the input is `States.Runtime` — except under `IsPresent`, where it is just
//! "absent" — with the cause AWS writes after its state prefix:
//! `Invalid path '$.x': The choice state's condition path references an
//! invalid value.` (quoted from AWS executions in public projects: "Invalid
//! path '$.processing_type': The choice state's condition path references an
//! invalid value.", and Step Functions Local: "Invalid path '$.should_enrich':
//! ..."). The runner adds `An error occurred while executing the state 'NAME'
//! (entered at the event id #N). ` in front (see `data::with_state_prefix`).
//!
//! Strings compare in UTF-16 code-unit order, as Java's `String.compareTo`
//! does. Timestamps are RFC 3339 strings with an uppercase `T` and `Z` (or a
//! numeric offset), compared as instants to the nanosecond.

use crate::StatesError;
use crate::context::ContextObject;
use crate::jsonpath;
use serde_json::Value;
use std::cmp::Ordering;

/// Whether `rule` (a Choice rule, with And/Or/Not nesting) holds for `input`.
///
/// A `$$...` Variable has no context object here and counts as missing; use
/// [`matches_with_context`] to give one.
pub fn matches(rule: &Value, input: &Value) -> Result<bool, StatesError> {
    matches_with_context(rule, input, &Value::Null)
}

/// [`matches()`], with `$$...` paths reading `context` (the context object).
pub fn matches_with_context(rule: &Value, input: &Value, context: &dyn ContextObject) -> Result<bool, StatesError> {
    if let Some(rules) = rule.get("And") {
        for r in rule_list(rules, "And")? {
            if !matches_with_context(r, input, context)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let Some(rules) = rule.get("Or") {
        for r in rule_list(rules, "Or")? {
            if matches_with_context(r, input, context)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(inner) = rule.get("Not") {
        return Ok(!matches_with_context(inner, input, context)?);
    }

    let Some(variable) = rule.get("Variable").and_then(Value::as_str) else {
        return Err(runtime("A Choice rule needs a Variable, And, Or or Not".to_string()));
    };
    let Some((operator, operand)) =
        rule.as_object().and_then(|fields| fields.iter().find(|(name, _)| Operator::parse(name).is_some()))
    else {
        return Err(runtime(format!("The Choice rule on '{variable}' has no comparison operator")));
    };
    let (op, by_path) = Operator::parse(operator).expect("found above");
    let value = lookup(variable, input, context);

    if op == Operator::IsPresent {
        return Ok(value.is_some() == expect_bool(operator, operand)?);
    }
    let Some(value) = value else {
        return Err(invalid_path(variable));
    };
    let operand = if by_path {
        let Some(path) = operand.as_str() else {
            return Err(runtime(format!("The value of '{operator}' must be a path")));
        };
        lookup(path, input, context).ok_or_else(|| invalid_path(path))?
    } else {
        operand.clone()
    };
    test(op, operator, &value, &operand)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Operator {
    /// A comparison of `Kind` values, with the ordering results that hold.
    Compare(Kind, Relation),
    StringMatches,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Relation {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

impl Relation {
    fn holds(self, ordering: Ordering) -> bool {
        match self {
            Relation::Equals => ordering == Ordering::Equal,
            Relation::LessThan => ordering == Ordering::Less,
            Relation::GreaterThan => ordering == Ordering::Greater,
            Relation::LessThanEquals => ordering != Ordering::Greater,
            Relation::GreaterThanEquals => ordering != Ordering::Less,
        }
    }
}

impl Operator {
    /// The operator a rule field names, and whether it compares with the
    /// value of another path (the `...Path` forms).
    fn parse(name: &str) -> Option<(Operator, bool)> {
        let simple = match name {
            "StringMatches" => Some(Operator::StringMatches),
            "IsNull" => Some(Operator::IsNull),
            "IsPresent" => Some(Operator::IsPresent),
            "IsNumeric" => Some(Operator::IsNumeric),
            "IsString" => Some(Operator::IsString),
            "IsBoolean" => Some(Operator::IsBoolean),
            "IsTimestamp" => Some(Operator::IsTimestamp),
            _ => None,
        };
        if let Some(op) = simple {
            return Some((op, false));
        }
        let (base, by_path) = match name.strip_suffix("Path") {
            Some(base) => (base, true),
            None => (name, false),
        };
        let (kind, relation) = [
            ("String", Kind::String),
            ("Numeric", Kind::Numeric),
            ("Boolean", Kind::Boolean),
            ("Timestamp", Kind::Timestamp),
        ]
        .into_iter()
        .find_map(|(prefix, kind)| base.strip_prefix(prefix).map(|rest| (kind, rest)))?;
        let relation = match relation {
            "Equals" => Relation::Equals,
            "LessThan" => Relation::LessThan,
            "GreaterThan" => Relation::GreaterThan,
            "LessThanEquals" => Relation::LessThanEquals,
            "GreaterThanEquals" => Relation::GreaterThanEquals,
            _ => return None,
        };
        if kind == Kind::Boolean && relation != Relation::Equals {
            return None;
        }
        Some((Operator::Compare(kind, relation), by_path))
    }
}

fn test(op: Operator, name: &str, value: &Value, operand: &Value) -> Result<bool, StatesError> {
    Ok(match op {
        Operator::Compare(kind, relation) => {
            let ordering = match (kind, value, operand) {
                (Kind::String, Value::String(a), Value::String(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
                (Kind::Numeric, Value::Number(a), Value::Number(b)) => jsonpath::number_cmp(a, b),
                (Kind::Boolean, Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
                (Kind::Timestamp, Value::String(a), Value::String(b)) => {
                    match (parse_timestamp(a), parse_timestamp(b)) {
                        (Some(x), Some(y)) => Some(x.cmp(&y)),
                        _ => None,
                    }
                }
                _ => None,
            };
            ordering.is_some_and(|o| relation.holds(o))
        }
        Operator::StringMatches => match (value, operand) {
            (Value::String(text), Value::String(pattern)) => string_matches(text, pattern),
            _ => false,
        },
        Operator::IsNull => value.is_null() == expect_bool(name, operand)?,
        Operator::IsNumeric => value.is_number() == expect_bool(name, operand)?,
        Operator::IsString => value.is_string() == expect_bool(name, operand)?,
        Operator::IsBoolean => value.is_boolean() == expect_bool(name, operand)?,
        Operator::IsTimestamp => {
            let is = value.as_str().is_some_and(|s| parse_timestamp(s).is_some());
            is == expect_bool(name, operand)?
        }
        Operator::IsPresent => unreachable!("handled before the value is required"),
    })
}

fn rule_list<'a>(rules: &'a Value, name: &str) -> Result<&'a Vec<Value>, StatesError> {
    rules.as_array().ok_or_else(|| runtime(format!("The value of '{name}' must be an array of Choice rules")))
}

fn expect_bool(name: &str, operand: &Value) -> Result<bool, StatesError> {
    operand.as_bool().ok_or_else(|| runtime(format!("The value of '{name}' must be a boolean")))
}

/// The value at `path` in the input, or in the context object for `$$...`.
fn lookup(path: &str, input: &Value, context: &dyn ContextObject) -> Option<Value> {
    crate::context::read(path, input, context).ok()
}

fn invalid_path(path: &str) -> StatesError {
    runtime(format!("Invalid path '{path}': The choice state's condition path references an invalid value."))
}

fn runtime(cause: String) -> StatesError {
    StatesError::new("States.Runtime", cause)
}

/// `StringMatches`: `*` matches any run of characters (none included);
/// `\*` is a literal star and `\\` a literal backslash; nothing else is
/// special (States Language spec, "Choice Rules").
pub fn string_matches(text: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Token {
        Char(char),
        Star,
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&next @ ('*' | '\\')) => {
                    chars.next();
                    tokens.push(Token::Char(next));
                }
                _ => tokens.push(Token::Char('\\')),
            },
            '*' => tokens.push(Token::Star),
            other => tokens.push(Token::Char(other)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Greedy match that backtracks to the last star.
    let (mut p, mut t) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Token::Star) => {
                last_star = Some((p, t));
                p += 1;
            }
            _ => match last_star {
                Some((star, from)) => {
                    p = star + 1;
                    t = from + 1;
                    last_star = Some((star, from + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|token| *token == Token::Star)
}

/// An RFC 3339 timestamp as nanoseconds since the Unix epoch:
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, uppercase `T` and `Z`
/// required (States Language spec, "Timestamps"); up to 9 fraction digits.
pub fn parse_timestamp(text: &str) -> Option<i128> {
    let b = text.as_bytes();
    let number = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-') && at(10, b'T') && at(13, b':') && at(16, b':')) {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    if !(1..=12).contains(&month) || day < 1 || day > harness::time::days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut pos = 19;
    let mut nanos: i64 = 0;
    if at(pos, b'.') {
        pos += 1;
        let start = pos;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        let count = pos - start;
        if count == 0 || count > 9 {
            return None;
        }
        nanos = number(start, count)? * 10_i64.pow((9 - count) as u32);
    }
    let offset_seconds = match b.get(pos) {
        Some(b'Z') if pos + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if pos + 6 == b.len() && at(pos + 3, b':') => {
            let (h, m) = (number(pos + 1, 2)?, number(pos + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = h * 3600 + m * 60;
            if sign == b'+' { seconds } else { -seconds }
        }
        _ => return None,
    };
    let days = harness::time::days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Some(i128::from(seconds) * 1_000_000_000 + i128::from(nanos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The 36 `Variable` values of LocalStack's choice-operator tests
    /// (`choice_operators/utils.py`, TYPE_COMPARISONS), each paired with the
    /// operator's boolean argument.
    fn type_comparisons() -> Vec<(Value, bool)> {
        vec![
            (json!(null), true),
            (json!(null), false),
            (json!(0), true),
            (json!(0), false),
            (json!(0.0), true),
            (json!(0.0), false),
            (json!(1), true),
            (json!(1), false),
            (json!(1.1), true),
            (json!(1.1), false),
            (json!(""), true),
            (json!(""), false),
            (json!(" "), true),
            (json!(" "), false),
            (json!("HelloWorld"), true),
            (json!("HelloWorld"), false),
            (json!("2012-10-09T19:00:55"), true),
            (json!("2012-10-09T19:00:55"), false),
            (json!("2012-10-09T19:00:55Z"), true),
            (json!("2012-10-09T19:00:55Z"), false),
            (json!("2012-10-09T19:00:55+01:00"), true),
            (json!("2012-10-09T19:00:55+01:00"), false),
            (json!("2023-02-24"), true),
            (json!("2023-02-24"), false),
            (json!([]), true),
            (json!([]), false),
            (json!([""]), true),
            (json!([""]), false),
            (json!({}), true),
            (json!({}), false),
            (json!({"A": 0}), true),
            (json!({"A": 0}), false),
            (json!(true), true),
            (json!(false), true),
            (json!(false), true),
            (json!(false), false),
        ]
    }

    /// Run `operator` over the cases as AWS did: input {"Variable": v,
    /// "Value": arg}, rule {"Variable": "$.Variable", operator: arg}.
    fn outcomes(operator: &str, cases: &[(Value, Value)], by_path: bool) -> String {
        cases
            .iter()
            .map(|(variable, value)| {
                let input = json!({"Variable": variable, "Value": value});
                let argument = if by_path { json!("$.Value") } else { value.clone() };
                let rule = json!({"Variable": "$.Variable", operator: argument, "Next": "X"});
                if matches(&rule, &input).unwrap() { 'T' } else { 'F' }
            })
            .collect()
    }

    fn with_bools(cases: Vec<(Value, bool)>) -> Vec<(Value, Value)> {
        cases.into_iter().map(|(v, b)| (v, Value::Bool(b))).collect()
    }

    #[test]
    fn is_operators_match_aws_snapshots() {
        // Expected strings read off test_is_operators.snapshot.json
        // (ConditionTrue = T), case by case.
        let cases = with_bools(type_comparisons());
        let pairs = |s: &str, n: usize| s.repeat(n);
        assert_eq!(outcomes("IsBoolean", &cases, false), pairs("FT", 16) + "TTTF");
        assert_eq!(outcomes("IsNull", &cases, false), "TF".to_string() + &pairs("FT", 15) + "FFFT");
        assert_eq!(
            outcomes("IsNumeric", &cases, false),
            "FT".to_string() + &pairs("TF", 4) + &pairs("FT", 11) + "FFFT"
        );
        assert_eq!(outcomes("IsPresent", &cases, false), pairs("TF", 16) + "TTTF");
        assert_eq!(outcomes("IsString", &cases, false), pairs("FT", 5) + &pairs("TF", 7) + &pairs("FT", 4) + "FFFT");
        // BooleanEquals with the same cases (test_boolean_equals.snapshot.json),
        // literal and ...Path forms alike.
        let expected = pairs("FF", 16) + "TFFT";
        assert_eq!(outcomes("BooleanEquals", &cases, false), expected);
        assert_eq!(outcomes("BooleanEqualsPath", &cases, true), expected);
    }

    #[test]
    fn is_timestamp() {
        // Not recorded by LocalStack (the test is skipped): these follow the
        // spec's profile (uppercase T, Z or an offset required).
        let cases = with_bools(type_comparisons());
        assert_eq!(outcomes("IsTimestamp", &cases, false), "FT".repeat(9) + "TFTF" + &"FT".repeat(5) + "FFFT");
    }

    #[test]
    fn numeric_operators_match_aws_snapshots() {
        // test_numeric.py / test_numeric.snapshot.json.
        let vars = [
            json!(null),
            json!(0),
            json!(0.0),
            json!(1),
            json!(1.1),
            json!(""),
            json!(" "),
            json!([]),
            json!([""]),
            json!({}),
            json!({"A": 0}),
            json!(false),
            json!(true),
        ];
        let mut cases = Vec::new();
        for v in &vars {
            for value in [json!(0), json!(0.0), json!(1), json!(1.0)] {
                cases.push((v.clone(), value));
            }
        }
        cases.extend([(json!(-0), json!(0)), (json!(0.0), json!(0)), (json!(2.22), json!(2.22))]);
        let expected = "FFFF".to_string() + "TTFF" + "TTFF" + "FFTT" + &"FFFF".repeat(9) + "TTT";
        assert_eq!(outcomes("NumericEquals", &cases, false), expected);
        assert_eq!(outcomes("NumericEqualsPath", &cases, true), expected);

        let base = [
            (json!(-0), json!(0)),
            (json!(0.0), json!(0)),
            (json!(0), json!(1)),
            (json!(1), json!(1)),
            (json!(1), json!(0)),
            (json!(0), json!(1)),
        ];
        for (op, expected) in [
            ("NumericGreaterThan", "FFFFTF"),
            ("NumericGreaterThanEquals", "TTFTTF"),
            ("NumericLessThan", "FFTFFT"),
            ("NumericLessThanEquals", "TTTTFT"),
        ] {
            assert_eq!(outcomes(op, &base, false), expected, "{op}");
            assert_eq!(outcomes(&format!("{op}Path"), &base, true), expected, "{op}Path");
        }
    }

    #[test]
    fn string_operators_match_aws_snapshots() {
        // test_string_operators.py / .snapshot.json.
        let vars = [
            json!(null),
            json!(0),
            json!(0.0),
            json!(1),
            json!(1.1),
            json!(""),
            json!(" "),
            json!([]),
            json!([""]),
            json!({}),
            json!({"A": 0}),
            json!(false),
            json!(true),
        ];
        let mut cases: Vec<_> = vars.iter().map(|v| (v.clone(), json!("HelloWorld"))).collect();
        let tail = [(json!(" "), json!("     ")), (json!("\t\n"), json!("\t\r\n")), (json!("Hello"), json!("Hello"))];
        cases.extend(tail.clone());
        assert_eq!(outcomes("StringEquals", &cases, false), "F".repeat(15) + "T");
        assert_eq!(outcomes("StringEqualsPath", &tail, true), "FFT");

        let gt = [
            (json!(""), json!("")),
            (json!("A"), json!("A ")),
            (json!("A"), json!("A\t\n\r")),
            (json!("AB"), json!("ABC")),
        ];
        assert_eq!(outcomes("StringGreaterThan", &gt, false), "FFFF");
        assert_eq!(outcomes("StringGreaterThanPath", &gt, true), "FFFF");
        let three = [(json!(""), json!("")), (json!("A"), json!("AB")), (json!("AB"), json!("A"))];
        for (op, expected) in
            [("StringGreaterThanEquals", "TFT"), ("StringLessThan", "FTF"), ("StringLessThanEquals", "TTF")]
        {
            assert_eq!(outcomes(op, &three, false), expected, "{op}");
            assert_eq!(outcomes(&format!("{op}Path"), &three, true), expected, "{op}Path");
        }
    }

    #[test]
    fn timestamp_operators_match_aws_snapshots() {
        // test_timestamp_operators.py / .snapshot.json (T0, T1 from the .py;
        // the snapshot masks them as "date").
        let (t0, t1) = (json!("2012-10-09T19:00:55Z"), json!("2012-10-09T19:00:56Z"));
        let vars = [
            json!(null),
            json!(0),
            json!(0.0),
            json!(1),
            json!(1.1),
            json!(""),
            json!(" "),
            json!("2023-02-24 12:15:56.832957"),
            json!([]),
            json!([""]),
            json!({}),
            json!({"A": 0}),
            json!(false),
            json!(true),
        ];
        let base = [(t0.clone(), t0.clone()), (t0.clone(), t1.clone()), (t1.clone(), t0.clone())];
        let mut cases: Vec<_> = vars.iter().map(|v| (v.clone(), t0.clone())).collect();
        cases.extend(base.clone());
        assert_eq!(outcomes("TimestampEquals", &cases, false), "F".repeat(14) + "TFF");
        assert_eq!(outcomes("TimestampEqualsPath", &base, true), "TFF");
        for (op, expected) in [
            ("TimestampGreaterThan", "FFT"),
            ("TimestampGreaterThanEquals", "TFT"),
            ("TimestampLessThan", "FTF"),
            ("TimestampLessThanEquals", "TTF"),
        ] {
            assert_eq!(outcomes(op, &base, false), expected, "{op}");
        }
        assert_eq!(outcomes("TimestampGreaterThanPath", &[(t0.clone(), t1.clone())], true), "F");
        assert_eq!(outcomes("TimestampGreaterThanEqualsPath", &[(t0.clone(), t1.clone())], true), "F");
        assert_eq!(outcomes("TimestampLessThanPath", &[(t1.clone(), t0.clone())], true), "F");
        assert_eq!(outcomes("TimestampLessThanEqualsPath", &[(t1, t0)], true), "F");
    }

    #[test]
    fn timestamps_compare_as_instants() {
        let ts = |s: &str| parse_timestamp(s);
        assert_eq!(ts("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(ts("1970-01-02T00:00:00Z"), Some(86_400_000_000_000));
        assert_eq!(ts("2000-03-01T00:00:00Z"), Some(951_868_800_000_000_000));
        assert_eq!(ts("2016-03-14T01:59:00Z"), Some(1_457_920_740_000_000_000));
        assert_eq!(ts("2016-03-14T01:59:00.5Z"), Some(1_457_920_740_500_000_000));
        assert_eq!(ts("2016-03-14T01:59:00.123456789Z"), Some(1_457_920_740_123_456_789));
        assert_eq!(ts("1969-12-31T23:59:59Z"), Some(-1_000_000_000));
        assert_eq!(ts("2012-10-09T20:00:55+01:00"), ts("2012-10-09T19:00:55Z"));
        assert_eq!(ts("2012-10-09T18:30:55-00:30"), ts("2012-10-09T19:00:55Z"));
        assert_eq!(ts("2024-02-29T00:00:00Z").map(|_| ()), Some(()));
        for bad in [
            "2012-10-09T19:00:55",
            "2012-10-09t19:00:55Z",
            "2012-10-09T19:00:55z",
            "2012-10-09 19:00:55Z",
            "2023-02-24",
            "2023-02-24 12:15:56.832957",
            "2023-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2023-13-01T00:00:00Z",
            "2023-01-01T24:00:00Z",
            "2023-01-01T00:60:00Z",
            "2023-01-01T00:00:60Z",
            "2023-01-01T00:00:00.Z",
            "2023-01-01T00:00:00.1234567891Z",
            "2023-01-01T00:00:00+0100",
            "2023-01-01T00:00:00+01:00Z",
            "2023-01-01T00:00:00Zjunk",
            "",
        ] {
            assert_eq!(ts(bad), None, "{bad}");
        }
        let rule = json!({"Variable": "$.t", "TimestampLessThan": "2012-10-09T19:00:55.001Z"});
        assert!(matches(&rule, &json!({"t": "2012-10-09T20:00:55+01:00"})).unwrap());
    }

    #[test]
    fn string_matches_wildcards() {
        // States Language spec, StringMatches examples.
        assert!(string_matches("foo23.log", "foo*.log"));
        assert!(string_matches("zebra.log", "*.log"));
        assert!(string_matches("foobar.zebra", "foo*.*"));
        assert!(!string_matches("foo23.txt", "foo*.log"));
        assert!(string_matches("", "*"));
        assert!(string_matches("abc", "abc"));
        assert!(!string_matches("abcd", "abc"));
        assert!(string_matches("aXbYc", "a*b*c"));
        assert!(string_matches("abcbc", "a*bc"));
        assert!(!string_matches("ab", "a*bc"));
        // "\*" is a literal star; "\\" a literal backslash.
        assert!(string_matches("log*", "log\\*"));
        assert!(!string_matches("logs", "log\\*"));
        assert!(string_matches("a\\b", "a\\\\b"));
        assert!(string_matches("a\\b", "a\\b"));
        let rule = json!({"Variable": "$.f", "StringMatches": "*.log"});
        assert!(matches(&rule, &json!({"f": "x.log"})).unwrap());
        assert!(!matches(&rule, &json!({"f": 5})).unwrap());
    }

    #[test]
    fn boolean_combinations() {
        // The spec's example rule: Not StringEquals, And Numeric range.
        let input = json!({"type": "Public", "value": 30});
        let not_private = json!({"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"});
        assert!(matches(&not_private, &input).unwrap());
        let range = json!({"And": [
            {"Variable": "$.value", "NumericGreaterThanEquals": 20},
            {"Variable": "$.value", "NumericLessThan": 30}
        ], "Next": "ValueInTwenties"});
        assert!(!matches(&range, &input).unwrap());
        assert!(matches(&range, &json!({"value": 25})).unwrap());
        let either = json!({"Or": [
            {"Variable": "$.value", "NumericEquals": 1},
            {"Variable": "$.type", "StringEquals": "Public"}
        ]});
        assert!(matches(&either, &input).unwrap());
        assert!(!matches(&json!({"Not": either}), &input).unwrap());
        // Guarding a missing value with IsPresent: And stops at the first false.
        let guarded = json!({"And": [
            {"Variable": "$.maybe", "IsPresent": true},
            {"Variable": "$.maybe", "StringEquals": "x"}
        ]});
        assert!(!matches(&guarded, &input).unwrap());
        // Or stops at the first true.
        let lazy = json!({"Or": [
            {"Variable": "$.type", "IsPresent": true},
            {"Variable": "$.missing", "StringEquals": "x"}
        ]});
        assert!(matches(&lazy, &input).unwrap());
    }

    #[test]
    fn missing_paths() {
        let input = json!({"present": null, "n": 8});
        let err = matches(&json!({"Variable": "$.approved", "BooleanEquals": true}), &input).unwrap_err();
        assert_eq!(
            err,
            StatesError::new(
                "States.Runtime",
                "Invalid path '$.approved': The choice state's condition path references an invalid value."
            )
        );
        // IsNull does not excuse a missing value; IsPresent does.
        assert!(matches(&json!({"Variable": "$.x", "IsNull": true}), &input).is_err());
        assert!(!matches(&json!({"Variable": "$.x", "IsPresent": true}), &input).unwrap());
        assert!(matches(&json!({"Variable": "$.x", "IsPresent": false}), &input).unwrap());
        assert!(matches(&json!({"Variable": "$.present", "IsPresent": true}), &input).unwrap());
        assert!(matches(&json!({"Variable": "$.present", "IsNull": true}), &input).unwrap());
        assert!(matches(&json!({"Variable": "$.x.y.z", "IsPresent": false}), &input).unwrap());
        // The second path of a ...Path operator is checked too.
        let err = matches(&json!({"Variable": "$.n", "NumericEqualsPath": "$.right"}), &input).unwrap_err();
        assert_eq!(err.cause, "Invalid path '$.right': The choice state's condition path references an invalid value.");
        // A missing value inside Not is still an error.
        assert!(matches(&json!({"Not": {"Variable": "$.x", "StringEquals": "a"}}), &input).is_err());
    }

    #[test]
    fn context_paths() {
        let ctx = json!({"Execution": {"Input": {"mode": "fast"}}, "Map": {"Item": {"Index": 2}}});
        let rule = json!({"Variable": "$$.Execution.Input.mode", "StringEquals": "fast"});
        assert!(matches_with_context(&rule, &json!({}), &ctx).unwrap());
        let rule = json!({"Variable": "$.limit", "NumericGreaterThanPath": "$$.Map.Item.Index"});
        assert!(matches_with_context(&rule, &json!({"limit": 3}), &ctx).unwrap());
        // Without a context object the path is missing.
        assert!(matches(&json!({"Variable": "$$.Execution.Input.mode", "StringEquals": "fast"}), &json!({})).is_err());
    }

    #[test]
    fn malformed_rules() {
        let input = json!({"a": 1});
        assert!(matches(&json!({"Next": "X"}), &input).is_err());
        assert!(matches(&json!({"Variable": "$.a", "Next": "X"}), &input).is_err());
        assert!(matches(&json!({"Variable": "$.a", "NumericEqual": 1}), &input).is_err());
        assert!(matches(&json!({"Variable": "$.a", "BooleanLessThan": true}), &input).is_err());
        assert!(matches(&json!({"Variable": "$.a", "IsNull": "yes"}), &input).is_err());
        assert!(matches(&json!({"And": {"Variable": "$.a", "IsNull": true}}), &input).is_err());
    }
}
