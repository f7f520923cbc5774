//! The intrinsic functions of the Amazon States Language (JSONPath mode),
//! `States.Format(...)` and friends, as AWS Step Functions evaluates them.
//!
//! A call is `States.Name(arg, ...)`; an argument is a string literal in
//! single quotes (escapes `\'`, `\{`, `\}`, `\\` only), a number, `true`,
//! `false`, `null`, a path into the state's input (`$...`) or the context
//! object (`$$...`), or another call.
//!
//! How the service behaves, and where that was seen:
//! - results and argument handling come from the AWS-recorded LocalStack
//!   snapshots (`tests/aws/services/stepfunctions/v2/intrinsic_functions/*.snapshot.json`
//!   in localstack/localstack), cited test by test below;
//! - failures: AWS fails the execution with `States.Runtime` (not
//!   `States.IntrinsicFailure`) and a cause containing
//!   `Invalid arguments in States.<Name>`, also for a wrong number of
//!   arguments, which the service only notices when the state runs. That,
//!   and the boundaries (1000 items, 10000 characters, int32 sums,
//!   truncation of fractional arguments), come from a third-party conformance
//!   suite run against AWS (files `tests/support/conformance/intrinsicCases/States.*.ts`),
//!   not from AWS-recorded snapshots; the full AWS cause text beyond that
//!   phrase is not known.
//! - the service is written in Java: values are rendered by `toString` on
//!   plain Java collections (`{a=1, b=[x, y]}`), `States.JsonMerge` and
//!   `States.ArrayUnique` return a `java.util.HashMap`/`HashSet` iteration
//!   order, which is emulated here (see `java`).

use crate::StatesError;
use serde_json::{Number, Value};

/// The error AWS reports when an intrinsic function fails.
const FAILURE: &str = "States.Runtime";

/// Most intrinsic functions a field may hold ("You can nest up to 10
/// intrinsic functions within a field", AWS developer guide).
const MAX_FUNCTIONS: usize = 10;

/// Whether `text` is written as an intrinsic function call.
pub fn is_call(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Check the call's syntax and function names (and the paths it reads)
/// without evaluating it: what the service checks when a state machine is
/// created. Argument counts and types are not checked here, as the service
/// only rejects them when the state runs (`Invalid arguments in ...`); see
/// [`check_arguments`] for a stricter check.
pub fn check(text: &str) -> Result<(), String> {
    let call = parse(text)?;
    let count = call.function_count();
    if count > MAX_FUNCTIONS {
        return Err(format!(
            "{count} intrinsic functions are nested in '{}'; a field may hold at most {MAX_FUNCTIONS}",
            text.trim()
        ));
    }
    let mut paths = Vec::new();
    call.paths(&mut paths);
    for path in paths {
        if !crate::jsonpath::is_valid(path) {
            return Err(format!("'{path}' is not a valid JSONPath in '{}'", text.trim()));
        }
    }
    Ok(())
}

/// [`check`], and also that every function gets as many arguments as it
/// takes. Stricter than the service, which accepts such a definition and
/// fails the execution when the state runs.
pub fn check_arguments(text: &str) -> Result<(), String> {
    check(text)?;
    parse(text)?.check_arity()
}

/// Evaluate the call; path arguments read `input` (`$`) or `context` (`$$`).
/// Failures are `States.Runtime`, as AWS reports them: the cause is
/// `Invalid arguments in States.<Name>` for arguments of the wrong count,
/// type or value, or says which path could not be found.
pub fn evaluate(text: &str, input: &Value, context: &Value) -> Result<Value, StatesError> {
    let call = parse(text).map_err(|message| {
        StatesError::new(
            FAILURE,
            format!("The value '{}' is not a valid intrinsic function call: {message}", text.trim()),
        )
    })?;
    call.evaluate(input, context)
}

// ---------------------------------------------------------------------------
// The functions

#[derive(Clone, Copy, Debug, PartialEq)]
enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

const FUNCTIONS: [(&str, Function); 18] = [
    ("Format", Function::Format),
    ("StringToJson", Function::StringToJson),
    ("JsonToString", Function::JsonToString),
    ("Array", Function::Array),
    ("ArrayPartition", Function::ArrayPartition),
    ("ArrayContains", Function::ArrayContains),
    ("ArrayRange", Function::ArrayRange),
    ("ArrayGetItem", Function::ArrayGetItem),
    ("ArrayLength", Function::ArrayLength),
    ("ArrayUnique", Function::ArrayUnique),
    ("Base64Encode", Function::Base64Encode),
    ("Base64Decode", Function::Base64Decode),
    ("Hash", Function::Hash),
    ("JsonMerge", Function::JsonMerge),
    ("MathRandom", Function::MathRandom),
    ("MathAdd", Function::MathAdd),
    ("StringSplit", Function::StringSplit),
    ("UUID", Function::Uuid),
];

impl Function {
    fn named(name: &str) -> Option<Function> {
        FUNCTIONS.iter().find(|(known, _)| *known == name).map(|(_, function)| *function)
    }

    fn name(self) -> &'static str {
        FUNCTIONS.iter().find(|(_, function)| *function == self).map(|(name, _)| *name).unwrap_or("")
    }

    /// The argument counts the function takes: (least, most).
    fn arity(self) -> (usize, usize) {
        match self {
            Function::Format => (1, usize::MAX),
            Function::Array => (0, usize::MAX),
            Function::Uuid => (0, 0),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, 1),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, 2),
            Function::ArrayRange | Function::JsonMerge => (3, 3),
            Function::MathRandom => (2, 3),
        }
    }

    fn invalid(self) -> StatesError {
        StatesError::new(FAILURE, format!("Invalid arguments in States.{}", self.name()))
    }
}

// ---------------------------------------------------------------------------
// Syntax

#[derive(Clone, Debug, PartialEq)]
enum Arg {
    /// A string literal: its value, and its text between the quotes with the
    /// escapes still written (States.Format reads `\{` there).
    Text {
        value: String,
        raw: String,
    },
    Number(Number),
    Bool(bool),
    Null,
    /// `$...` or `$$...`: `path` is the JSONPath to read (for `$$`, one `$`
    /// is dropped and the path reads the context object).
    Path {
        context: bool,
        path: String,
        written: String,
    },
    Call(Call),
}

#[derive(Clone, Debug, PartialEq)]
struct Call {
    function: Function,
    args: Vec<Arg>,
}

impl Call {
    fn function_count(&self) -> usize {
        1 + self.args.iter().map(|arg| if let Arg::Call(call) = arg { call.function_count() } else { 0 }).sum::<usize>()
    }

    fn paths<'a>(&'a self, out: &mut Vec<&'a str>) {
        for arg in &self.args {
            match arg {
                Arg::Path { path, .. } => out.push(path),
                Arg::Call(call) => call.paths(out),
                _ => {}
            }
        }
    }

    fn check_arity(&self) -> Result<(), String> {
        let (least, most) = self.function.arity();
        let count = self.args.len();
        if count < least || count > most {
            let takes = match (least, most) {
                (l, m) if l == m => format!("{l}"),
                (l, usize::MAX) => format!("at least {l}"),
                (l, m) => format!("{l} to {m}"),
            };
            return Err(format!("States.{} takes {takes} argument(s), not {count}", self.function.name()));
        }
        self.args.iter().try_for_each(|arg| if let Arg::Call(call) = arg { call.check_arity() } else { Ok(()) })
    }
}

fn parse(text: &str) -> Result<Call, String> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_space();
    if !parser.rest().starts_with("States.") {
        return Err("an intrinsic function call starts with 'States.'".to_string());
    }
    let call = parser.call()?;
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(format!("unexpected '{}' after the call", parser.rest()));
    }
    Ok(call)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if !c.is_whitespace() {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn call(&mut self) -> Result<Call, String> {
        self.pos += "States.".len();
        let name_len = self.rest().find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(self.rest().len());
        let name = &self.rest()[..name_len];
        let function = Function::named(name).ok_or_else(|| {
            if name.is_empty() {
                "a function name must follow 'States.'".to_string()
            } else {
                format!("'States.{name}' is not an intrinsic function")
            }
        })?;
        self.pos += name_len;
        self.skip_space();
        if self.peek() != Some('(') {
            return Err(format!("'(' must follow 'States.{name}'"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_space();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(Call { function, args });
        }
        loop {
            self.skip_space();
            args.push(self.arg()?);
            self.skip_space();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(Call { function, args });
                }
                Some(_) => return Err(format!("expected ',' or ')' before '{}'", self.rest())),
                None => {
                    return Err(format!("the arguments of States.{name} are not closed with ')'"));
                }
            }
        }
    }

    fn arg(&mut self) -> Result<Arg, String> {
        let rest = self.rest();
        match self.peek() {
            None => Err("an argument is missing at the end".to_string()),
            Some('\'') => self.string(),
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(_) if rest.starts_with("States.") => Ok(Arg::Call(self.call()?)),
            Some(_) => {
                let word_len = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(rest.len());
                let word = &rest[..word_len];
                let arg = match word {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    "null" => Arg::Null,
                    "" => return Err(format!("an argument is missing before '{rest}'")),
                    _ => return Err(format!("'{word}' is not a valid argument")),
                };
                self.pos += word_len;
                Ok(arg)
            }
        }
    }

    fn string(&mut self) -> Result<Arg, String> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\'' => {
                    let raw = self.text[start + 1..self.pos + at].to_string();
                    self.pos += at + 1;
                    return Ok(Arg::Text { value, raw });
                }
                '\\' => match chars.next() {
                    Some((_, escaped @ ('\'' | '{' | '}' | '\\'))) => value.push(escaped),
                    Some((_, other)) => {
                        return Err(format!(
                            "'\\{other}' is not an escape sequence; only \\', \\{{, \\}} and \\\\ are"
                        ));
                    }
                    None => break,
                },
                other => value.push(other),
            }
        }
        Err(format!("the string {} is not closed with '", &self.text[start..]))
    }

    fn number(&mut self) -> Result<Arg, String> {
        let bytes = self.rest().as_bytes();
        let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut len = usize::from(bytes[0] == b'-');
        let int_digits = digits(len);
        let bad = || format!("'{}' is not a valid number", self.rest().split([',', ')']).next().unwrap_or("").trim());
        if int_digits == 0 || (int_digits > 1 && bytes[len] == b'0') {
            return Err(bad());
        }
        len += int_digits;
        let mut float = false;
        if bytes.get(len) == Some(&b'.') {
            let frac = digits(len + 1);
            if frac == 0 {
                return Err(bad());
            }
            len += 1 + frac;
            float = true;
        }
        if matches!(bytes.get(len), Some(b'e' | b'E')) {
            let mut at = len + 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let exp = digits(at);
            if exp == 0 {
                return Err(bad());
            }
            len = at + exp;
            float = true;
        }
        if bytes.get(len).is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$')) {
            return Err(bad());
        }
        let written = &self.rest()[..len];
        let number = match (float, written.parse::<i64>()) {
            (false, Ok(int)) => Number::from(int),
            _ => written.parse::<f64>().ok().and_then(Number::from_f64).ok_or_else(bad)?,
        };
        self.pos += len;
        Ok(Arg::Number(number))
    }

    fn path(&mut self) -> Result<Arg, String> {
        let rest = self.rest();
        let context = rest.starts_with("$$");
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut end = rest.len();
        let mut chars = rest.char_indices();
        while let Some((at, c)) = chars.next() {
            if let Some(q) = quote {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' if depth > 0 => quote = Some(c),
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                ',' | ')' if depth == 0 => {
                    end = at;
                    break;
                }
                c if c.is_whitespace() && depth == 0 => {
                    end = at;
                    break;
                }
                _ => {}
            }
        }
        let written = &rest[..end];
        let path = if context { &written[1..] } else { written };
        if path.len() > 1 && !path[1..].starts_with(['.', '[']) {
            return Err(format!("'{written}' is not a valid path"));
        }
        if quote.is_some() || depth > 0 {
            return Err(format!("the path '{written}' is not closed"));
        }
        self.pos += end;
        Ok(Arg::Path { context, path: path.to_string(), written: written.to_string() })
    }
}

// ---------------------------------------------------------------------------
// Evaluation

impl Call {
    fn evaluate(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        let values = self.args.iter().map(|arg| arg.evaluate(input, context)).collect::<Result<Vec<_>, _>>()?;
        let function = self.function;
        let (least, most) = function.arity();
        if values.len() < least || values.len() > most {
            return Err(function.invalid());
        }
        let invalid = || function.invalid();
        match function {
            Function::Format => format(self, &values),
            Function::StringToJson => {
                let text = values[0].as_str().ok_or_else(invalid)?;
                // test_json_manipulation.snapshot.json (test_string_to_json): "" and " " give null.
                if text.trim().is_empty() {
                    return Ok(Value::Null);
                }
                let mut parsed = serde_json::from_str(text).map_err(|_| invalid())?;
                integral_negative_zero(&mut parsed);
                Ok(parsed)
            }
            Function::JsonToString => Ok(Value::String(values[0].to_string())),
            Function::Array => Ok(Value::Array(values)),
            Function::ArrayPartition => {
                let items = values[0].as_array().ok_or_else(invalid)?;
                let size = truncate(&values[1]).filter(|size| *size > 0).ok_or_else(invalid)?;
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                Ok(Value::Array(items.chunks(size).map(|chunk| Value::Array(chunk.to_vec())).collect()))
            }
            Function::ArrayContains => {
                let items = values[0].as_array().ok_or_else(invalid)?;
                let wanted = java::to_string(&values[1]);
                Ok(Value::Bool(items.iter().any(|item| java::to_string(item) == wanted)))
            }
            Function::ArrayRange => array_range(&values).ok_or_else(invalid),
            Function::ArrayGetItem => {
                let items = values[0].as_array().ok_or_else(invalid)?;
                let index = truncate(&values[1]).ok_or_else(invalid)?;
                if items.is_empty() {
                    // Seen on AWS: any index into an empty array gives null.
                    return Ok(Value::Null);
                }
                let index = usize::try_from(index).map_err(|_| invalid())?;
                items.get(index).cloned().ok_or_else(invalid)
            }
            Function::ArrayLength => Ok(Value::from(values[0].as_array().ok_or_else(invalid)?.len())),
            Function::ArrayUnique => Ok(Value::Array(java::hash_set(values[0].as_array().ok_or_else(invalid)?))),
            Function::Base64Encode => {
                let text = limited_text(&values[0]).ok_or_else(invalid)?;
                Ok(Value::String(harness::events::base64_encode(text.as_bytes())))
            }
            Function::Base64Decode => {
                let text = limited_text(&values[0]).ok_or_else(invalid)?;
                Ok(Value::String(String::from_utf8_lossy(&base64_decode(text)).into_owned()))
            }
            Function::Hash => {
                let data = match &values[0] {
                    Value::String(text) => text.clone(),
                    other => java::to_string(other),
                };
                if data.encode_utf16().count() > TEXT_LIMIT {
                    return Err(invalid());
                }
                let algorithm = values[1].as_str().ok_or_else(invalid)?;
                hash(algorithm, data.as_bytes()).map(Value::String).ok_or_else(invalid)
            }
            Function::JsonMerge => {
                let (Value::Object(left), Value::Object(right)) = (&values[0], &values[1]) else {
                    return Err(invalid());
                };
                let deep = match &values[2] {
                    Value::Bool(deep) => *deep,
                    Value::String(text) => text.eq_ignore_ascii_case("true"),
                    _ => false,
                };
                if deep {
                    return Err(invalid());
                }
                Ok(Value::Object(java::merge(left, right)))
            }
            Function::MathRandom => math_random(&values).ok_or_else(invalid),
            Function::MathAdd => {
                let int32 = |value: &Value| round_half_up(value).and_then(|n| i32::try_from(n).ok());
                let (a, b) = (int32(&values[0]).ok_or_else(invalid)?, int32(&values[1]).ok_or_else(invalid)?);
                a.checked_add(b).map(Value::from).ok_or_else(invalid)
            }
            Function::StringSplit => {
                let (Some(text), Some(delimiters)) = (values[0].as_str(), values[1].as_str()) else {
                    return Err(invalid());
                };
                Ok(Value::Array(
                    text.split(|c| delimiters.contains(c)).filter(|part| !part.is_empty()).map(Value::from).collect(),
                ))
            }
            Function::Uuid => Ok(Value::String(uuid_v4())),
        }
    }
}

impl Arg {
    fn evaluate(&self, input: &Value, context: &Value) -> Result<Value, StatesError> {
        match self {
            Arg::Text { value, .. } => Ok(Value::String(value.clone())),
            Arg::Number(number) => Ok(Value::Number(number.clone())),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Null => Ok(Value::Null),
            Arg::Call(call) => call.evaluate(input, context),
            Arg::Path { context: in_context, path, written } => {
                let document = if *in_context { context } else { input };
                crate::jsonpath::get(document, path).map_err(|_| {
                    StatesError::new(
                        FAILURE,
                        format!("The JsonPath argument '{written}' could not be found in the input '{document}'"),
                    )
                })
            }
        }
    }
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

/// Longest string (in UTF-16 units, as Java counts) Base64Encode,
/// Base64Decode and Hash accept: 10000 passes, 10001 fails on AWS.
const TEXT_LIMIT: usize = 10_000;

fn limited_text(value: &Value) -> Option<&str> {
    value.as_str().filter(|text| text.encode_utf16().count() <= TEXT_LIMIT)
}

/// A number argument cut to an integer toward zero, as AWS does for
/// ArrayPartition, ArrayRange, ArrayGetItem and MathRandom (2.6 → 2).
fn truncate(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(int) = number.as_i64() {
        return Some(int);
    }
    let float = number.as_f64()?.trunc();
    (float.is_finite() && float.abs() < 9.2e18).then_some(float as i64)
}

/// A number argument rounded as Java's `Math.round` does (halves go up:
/// 2.5 → 3, -2.5 → -2), as AWS does for MathAdd.
fn round_half_up(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(int) = number.as_i64() {
        return Some(int);
    }
    let float = number.as_f64()?;
    let floor = float.floor();
    let rounded = if float - floor >= 0.5 { floor + 1.0 } else { floor };
    (rounded.is_finite() && rounded.abs() < 9.2e18).then_some(rounded as i64)
}

/// States.Format: each `{}` of the template replaced by the next argument,
/// rendered as Java's `toString` renders it.
fn format(call: &Call, values: &[Value]) -> Result<Value, StatesError> {
    let invalid = || Function::Format.invalid();
    // A literal template keeps its escapes, so that `\{` stays a brace.
    let template = match (&call.args[0], &values[0]) {
        (Arg::Text { raw, .. }, _) => raw.as_str(),
        (_, Value::String(text)) => text.as_str(),
        _ => return Err(invalid()),
    };
    let mut out = String::new();
    let mut fills = values[1..].iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&escaped @ ('\'' | '{' | '}' | '\\')) => {
                    out.push(escaped);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push_str(&java::to_string(fills.next().ok_or_else(invalid)?));
            }
            '{' | '}' => return Err(invalid()),
            other => out.push(other),
        }
    }
    if fills.next().is_some() {
        return Err(invalid());
    }
    Ok(Value::String(out))
}

/// Most items States.ArrayRange may produce.
const RANGE_LIMIT: i64 = 1000;

fn array_range(values: &[Value]) -> Option<Value> {
    let (first, last, step) = (truncate(&values[0])?, truncate(&values[1])?, truncate(&values[2])?);
    if step == 0 {
        return None;
    }
    let count = if (step > 0 && first > last) || (step < 0 && first < last) {
        0
    } else {
        (i128::from(last) - i128::from(first)) / i128::from(step) + 1
    };
    if count > i128::from(RANGE_LIMIT) {
        return None;
    }
    Some(Value::Array((0..count as i64).map(|i| Value::from(first + i * step)).collect()))
}

fn math_random(values: &[Value]) -> Option<Value> {
    let start = i32::try_from(truncate(&values[0])?).ok()?;
    let end = i32::try_from(truncate(&values[1])?).ok()?;
    if start >= end {
        return None;
    }
    let bound = i32::try_from(i64::from(end) - i64::from(start)).ok()?;
    let seed = match values.get(2) {
        Some(seed) => truncate(seed)?,
        None => entropy() as i64,
    };
    Some(Value::from(i64::from(start) + i64::from(java::Random::new(seed).next_int(bound))))
}

/// Base64 decoding as lenient as AWS's (conformance: it decodes `abc`,
/// `!!!invalid!!!`, ` YWJjZA== ` and `ab==cd` without complaint): characters
/// outside the alphabet are skipped, missing padding is accepted, and the
/// first `=` ends the data (the way Apache Commons Codec decodes; what AWS
/// does after a `=` is not known).
fn base64_decode(text: &str) -> Vec<u8> {
    let sextets: Vec<u32> = text
        .bytes()
        .take_while(|b| *b != b'=')
        .filter_map(|b| match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for group in sextets.chunks(4) {
        let bits = group.iter().enumerate().fold(0u32, |acc, (i, s)| acc | s << (18 - 6 * i));
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        out.extend_from_slice(&bytes[..group.len().saturating_sub(1)]);
    }
    out
}

/// The digest States.Hash gives: lowercase hex, for the algorithm names AWS
/// accepts (exactly these spellings).
fn hash(algorithm: &str, data: &[u8]) -> Option<String> {
    use harness::digest;
    Some(match algorithm {
        "MD5" => digest::md5_hex(data),
        "SHA-1" => digest::sha1_hex(data),
        "SHA-256" => digest::sha256_hex(data),
        "SHA-384" => digest::sha384_hex(data),
        "SHA-512" => digest::sha512_hex(data),
        _ => return None,
    })
}

/// Fresh randomness for States.UUID and an unseeded States.MathRandom: the
/// standard library's per-process random keys, a counter and the clock.
fn entropy() -> u64 {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|since| since.as_nanos() as u64)
        .unwrap_or(0);
    std::collections::hash_map::RandomState::new().hash_one((count, nanos))
}

/// A random (version 4) UUID in lowercase, as States.UUID returns.
fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&entropy().to_le_bytes());
    bytes[8..].copy_from_slice(&entropy().to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

// ---------------------------------------------------------------------------
// What the Java service does with values

mod java {
    use serde_json::{Map, Value};

    /// `String.valueOf` of the Java object the value deserializes to:
    /// strings bare, `null`, numbers as Integer/Long/Double print, lists as
    /// `[a, b]`, objects (LinkedHashMap) as `{k=v, k2=v2}`.
    pub(super) fn to_string(value: &Value) -> String {
        let mut out = String::new();
        write(value, &mut out);
        out
    }

    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::String(text) => out.push_str(text),
            Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
                (Some(int), _, _) => out.push_str(&int.to_string()),
                (None, Some(int), _) => out.push_str(&int.to_string()),
                (_, _, Some(float)) => out.push_str(&double_to_string(float)),
                _ => out.push_str(&number.to_string()),
            },
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(fields) => {
                out.push('{');
                for (i, (key, item)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(key);
                    out.push('=');
                    write(item, out);
                }
                out.push('}');
            }
        }
    }

    /// `Double.toString`: plain decimals with at least one fraction digit
    /// from 10^-3 up to 10^7, else `1.5E10` notation.
    pub(super) fn double_to_string(float: f64) -> String {
        let magnitude = float.abs();
        if float == 0.0 || (1e-3..1e7).contains(&magnitude) {
            let plain = format!("{float}");
            return if plain.contains('.') { plain } else { format!("{plain}.0") };
        }
        let scientific = format!("{float:e}");
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
        format!("{mantissa}E{exponent}")
    }

    /// The kinds of number Jackson makes of JSON numbers.
    enum Num {
        Int(i32),
        Long(i64),
        Double(f64),
    }

    fn num(number: &serde_json::Number) -> Num {
        match number.as_i64() {
            Some(int) => i32::try_from(int).map(Num::Int).unwrap_or(Num::Long(int)),
            // Beyond i64 Jackson makes a BigInteger; a Long stands in for it here.
            None => match number.as_u64() {
                Some(int) => Num::Long(int as i64),
                None => Num::Double(number.as_f64().unwrap_or(0.0)),
            },
        }
    }

    /// `Object.equals` between the Java objects: numbers of different kinds
    /// differ (1 and 1.0), maps compare without regard to key order.
    pub(super) fn equals(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::String(x), Value::String(y)) => x == y,
            (Value::Number(x), Value::Number(y)) => match (num(x), num(y)) {
                (Num::Int(x), Num::Int(y)) => x == y,
                (Num::Long(x), Num::Long(y)) => x == y,
                (Num::Double(x), Num::Double(y)) => x.to_bits() == y.to_bits(),
                _ => false,
            },
            (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equals(x, y)),
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(key, value)| y.get(key).is_some_and(|other| equals(value, other)))
            }
            _ => false,
        }
    }

    /// `hashCode` of the Java object.
    fn hash_code(value: &Value) -> i32 {
        match value {
            Value::Null => 0,
            Value::Bool(b) => {
                if *b {
                    1231
                } else {
                    1237
                }
            }
            Value::String(text) => string_hash(text),
            Value::Number(number) => match num(number) {
                Num::Int(int) => int,
                Num::Long(long) => (long ^ ((long as u64) >> 32) as i64) as i32,
                Num::Double(float) => {
                    let bits = float.to_bits();
                    (bits ^ (bits >> 32)) as i32
                }
            },
            Value::Array(items) => items.iter().fold(1i32, |h, item| h.wrapping_mul(31).wrapping_add(hash_code(item))),
            Value::Object(fields) => {
                fields.iter().fold(0i32, |h, (key, item)| h.wrapping_add(string_hash(key) ^ hash_code(item)))
            }
        }
    }

    fn string_hash(text: &str) -> i32 {
        text.encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)))
    }

    /// `HashMap.hash`: the hash code with its high half folded in.
    fn spread(hash: i32) -> usize {
        let h = hash as u32;
        (h ^ (h >> 16)) as usize
    }

    /// `HashMap.tableSizeFor`.
    fn table_size_for(wanted: usize) -> usize {
        wanted.max(1).next_power_of_two()
    }

    /// The capacity and threshold of a `java.util.HashMap` (load factor
    /// 0.75) as entries are put into it; iteration goes bucket by bucket
    /// (hash & (capacity - 1)), and within a bucket in insertion order.
    #[derive(Default)]
    struct Table {
        capacity: usize,
        threshold: usize,
        size: usize,
    }

    impl Table {
        fn resize(&mut self) {
            if self.capacity > 0 {
                let doubled = self.capacity * 2;
                self.threshold =
                    if self.capacity >= 16 { self.threshold * 2 } else { (doubled as f32 * 0.75) as usize };
                self.capacity = doubled;
            } else if self.threshold > 0 {
                self.capacity = self.threshold;
                self.threshold = (self.capacity as f32 * 0.75) as usize;
            } else {
                self.capacity = 16;
                self.threshold = 12;
            }
        }

        /// `putAll` of a map of `size` entries, `new_keys` of them not yet in.
        fn put_all(&mut self, size: usize, new_keys: usize) {
            if size > 0 {
                if self.capacity == 0 {
                    let wanted = (size as f32 / 0.75 + 1.0) as usize;
                    if wanted > self.threshold {
                        self.threshold = table_size_for(wanted);
                    }
                } else if size > self.threshold {
                    self.resize();
                }
            }
            for _ in 0..new_keys {
                if self.capacity == 0 {
                    self.resize();
                }
                self.size += 1;
                if self.size > self.threshold {
                    self.resize();
                }
            }
        }

        fn bucket(&self, hash: i32) -> usize {
            spread(hash) & (self.capacity.max(1) - 1)
        }
    }

    /// States.JsonMerge (shallow): `new HashMap<>(left)` then
    /// `putAll(right)`, so right wins and keys come in HashMap order.
    /// test_json_manipulation.snapshot.json shows it: merging
    /// {"constant_in_literal"} with {"constant_input_field"} gives
    /// constant_input_field first.
    pub(super) fn merge(left: &Map<String, Value>, right: &Map<String, Value>) -> Map<String, Value> {
        let mut entries: Vec<(String, Value)> = left.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut new_keys = 0;
        for (key, value) in right {
            match entries.iter_mut().find(|(existing, _)| existing == key) {
                Some(entry) => entry.1 = value.clone(),
                None => {
                    entries.push((key.clone(), value.clone()));
                    new_keys += 1;
                }
            }
        }
        let mut table = Table::default();
        table.put_all(left.len(), left.len());
        table.put_all(right.len(), new_keys);
        entries.sort_by_key(|(key, _)| table.bucket(string_hash(key)));
        entries.into_iter().collect()
    }

    /// States.ArrayUnique: `new ArrayList<>(new HashSet<>(items))`: the
    /// first of equal items stays, in HashSet order (AWS gives
    /// [false, true] for [true, false, true, false]).
    pub(super) fn hash_set(items: &[Value]) -> Vec<Value> {
        let mut unique: Vec<&Value> = Vec::new();
        for item in items {
            if !unique.iter().any(|kept| equals(kept, item)) {
                unique.push(item);
            }
        }
        // HashSet(Collection): a HashMap of initial capacity max(n/.75 + 1, 16).
        let table =
            Table { capacity: table_size_for(((items.len() as f32 / 0.75) as usize + 1).max(16)), ..Table::default() };
        unique.sort_by_key(|item| table.bucket(hash_code(item)));
        unique.into_iter().cloned().collect()
    }

    /// `java.util.Random`, for a seeded States.MathRandom: AWS gives -5 for
    /// `States.MathRandom(-5, 5, 42)`, which is `new Random(42).nextInt(10) - 5`.
    pub(super) struct Random {
        seed: u64,
    }

    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    impl Random {
        pub(super) fn new(seed: i64) -> Random {
            Random { seed: (seed as u64 ^ MULTIPLIER) & MASK }
        }

        fn next(&mut self, bits: u32) -> i32 {
            self.seed = (self.seed.wrapping_mul(MULTIPLIER).wrapping_add(0xB)) & MASK;
            (self.seed >> (48 - bits)) as i32
        }

        /// `nextInt(bound)`, for bound > 0.
        pub(super) fn next_int(&mut self, bound: i32) -> i32 {
            let mut r = self.next(31);
            let m = bound - 1;
            if bound & m == 0 {
                return ((i64::from(bound) * i64::from(r)) >> 31) as i32;
            }
            let mut u = r;
            loop {
                r = u % bound;
                if i64::from(u) - i64::from(r) + i64::from(m) <= i64::from(i32::MAX) {
                    return r;
                }
                u = self.next(31);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Expected values come from the AWS-recorded LocalStack snapshots
    //! (localstack/localstack, tests/aws/services/stepfunctions/v2/intrinsic_functions/,
    //! named per test), from FIPS 180 examples, or, where marked "conformance",
    //! from a third-party suite's observations of AWS.
    //!
    //! The snapshots pass arguments by path; tests here that do not need the
    //! JSONPath reader pass the same values as literals or build them with
    //! States.Array / States.StringToJson. Path arguments are tested last.

    use super::*;
    use serde_json::json;

    fn eval(text: &str) -> Value {
        evaluate(text, &json!({}), &json!({})).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn failure(text: &str) -> StatesError {
        match evaluate(text, &json!({}), &json!({})) {
            Ok(value) => panic!("{text} gave {value}, expected a failure"),
            Err(error) => error,
        }
    }

    fn invalid_in(name: &str) -> StatesError {
        StatesError::new("States.Runtime", format!("Invalid arguments in States.{name}"))
    }

    // -- syntax -------------------------------------------------------------

    #[test]
    fn well_formed_calls_pass_the_check() {
        for text in [
            "States.Array()",
            "States.UUID()",
            "  States.Array( 1 , 'a' , true, false, null, -1.5e3 )  ",
            "States.Format('Hello, my name is {}.', 'Arnav')",
            "States.Format('a \\{\\} \\' \\\\ {}', 1)",
            // test_json_manipulation.py json_merge_escaped_argument: braces need no escape outside Format.
            "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), States.Array(), false)",
            // AWS guide: nine nested functions in one field.
            "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit('a/b/c.d', '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit('a/b/c.d', '/'), 2), '.'), 1))",
            // conformance: AWS accepts these definitions and fails only when the state runs.
            "States.Hash()",
            "States.ArrayRange(1, 5)",
            "States.Format('Hello {', 1)",
        ] {
            assert_eq!(check(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn malformed_calls_fail_the_check() {
        for text in [
            "States.Nope(1)",
            "States.format('x')",
            "States.Array",
            "States.Array(1",
            "States.Array(1,)",
            "States.Array(, 1)",
            "States.Array(1) trailing",
            "States.Array([1,2])",
            "States.Array(1.)",
            "States.Array(.5)",
            "States.Array(01)",
            "States.Array(1x)",
            "States.Array(nothing)",
            "States.Array('open)",
            // conformance: AWS rejects '\n' (backslash, n) at definition time.
            "States.Base64Decode('YWJj\\nZA==')",
            "Array(1)",
            "",
        ] {
            assert!(check(text).is_err(), "{text} should not pass");
        }
    }

    #[test]
    fn a_field_holds_at_most_ten_functions() {
        let ten = "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(1))))))))))";
        assert_eq!(check(ten), Ok(()));
        let eleven = format!("States.Array({ten})");
        assert!(check(&eleven).is_err());
    }

    #[test]
    fn check_arguments_also_counts_arguments() {
        assert_eq!(check_arguments("States.ArrayRange(1, 9, 2)"), Ok(()));
        assert_eq!(check_arguments("States.MathRandom(1, 9)"), Ok(()));
        assert_eq!(check_arguments("States.MathRandom(1, 9, 3)"), Ok(()));
        assert_eq!(check_arguments("States.Format('x')"), Ok(()));
        assert!(check_arguments("States.ArrayRange(1, 5)").is_err());
        assert!(check_arguments("States.Array(States.Hash('x'))").is_err());
        assert!(check_arguments("States.UUID(1)").is_err());
        assert!(check_arguments("States.Format()").is_err());
    }

    #[test]
    fn string_literals_take_four_escapes() {
        assert_eq!(
            eval("States.Array('it\\'s', '\\{\\}', 'a\\\\b', '{\"k\": 1}')"),
            json!(["it's", "{}", "a\\b", "{\"k\": 1}"])
        );
    }

    #[test]
    fn number_literals_keep_integers_and_floats_apart() {
        assert_eq!(eval("States.Array(1, -2, 1.5, 2e3, 0)"), json!([1, -2, 1.5, 2000.0, 0]));
        assert!(eval("States.Array(1)")[0].is_i64());
        assert!(eval("States.Array(1.0)")[0].is_f64());
    }

    #[test]
    fn a_malformed_call_fails_at_run_time_too() {
        let error = failure("States.Array(");
        assert_eq!(error.error, "States.Runtime");
    }

    // -- States.Array -------------------------------------------------------

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

    // -- States.ArrayPartition ----------------------------------------------

    #[test]
    fn array_partition_cuts_chunks() {
        // test_array.snapshot.json test_array_partition.
        assert_eq!(eval("States.ArrayPartition(States.Array(), 1)"), json!([]));
        assert_eq!(eval("States.ArrayPartition(States.Array(), 2)"), json!([]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 1)"), json!([[0], [1], [2], [3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 2)"), json!([[0, 1], [2, 3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 3)"), json!([[0, 1, 2], [3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 4)"), json!([[0, 1, 2, 3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 5)"), json!([[0, 1, 2, 3]]));
    }

    #[test]
    fn array_partition_truncates_the_size_and_wants_it_positive() {
        // conformance: 2.6 acts as 2 on AWS; 0.49, -0.4, 0, -1, '2' and null fail.
        assert_eq!(eval("States.ArrayPartition(States.Array(1, 2, 3, 4, 5), 2.6)"), json!([[1, 2], [3, 4], [5]]));
        for size in ["0.49", "-0.4", "0.6", "0", "-1", "'2'", "null"] {
            assert_eq!(
                failure(&format!("States.ArrayPartition(States.Array(1, 2, 3), {size})")),
                invalid_in("ArrayPartition")
            );
        }
        assert_eq!(failure("States.ArrayPartition('not-array', 2)"), invalid_in("ArrayPartition"));
        assert_eq!(failure("States.ArrayPartition(States.Array(1))"), invalid_in("ArrayPartition"));
    }

    // -- States.ArrayContains -----------------------------------------------

    #[test]
    fn array_contains_finds_equal_values() {
        // test_array.snapshot.json test_array_contains, the nine bindings in order.
        assert_eq!(eval("States.ArrayContains(States.Array(), null)"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(), States.Array())"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(), 1)"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(States.Array(1, 2, 3), 2), null)"), json!(false));
        assert_eq!(
            eval("States.ArrayContains(States.Array(States.Array(1, 2, 3), 2), States.Array(1, 2, 3))"),
            json!(true)
        );
        let object = "States.StringToJson('{\"1\": 2, \"2\": []}')";
        assert_eq!(eval(&format!("States.ArrayContains(States.Array({object}), States.Array())")), json!(false));
        assert_eq!(eval(&format!("States.ArrayContains(States.Array({object}), {object})")), json!(true));
        assert_eq!(eval("States.ArrayContains(States.Array(true, false), true)"), json!(true));
        assert_eq!(eval("States.ArrayContains(States.Array(true, false), false)"), json!(true));
    }

    #[test]
    fn array_contains_compares_as_the_java_service_prints() {
        // conformance: on AWS reordered keys do not match, and true matches 'true'.
        let reordered = "States.ArrayContains(States.Array(States.StringToJson('{\"a\": 1, \"b\": 2}')), States.StringToJson('{\"b\": 2, \"a\": 1}'))";
        assert_eq!(eval(reordered), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array('true', 'false', 'maybe'), true)"), json!(true));
        assert_eq!(eval("States.ArrayContains(States.Array(0, 1, -1, -1.5), false)"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(1, null, 3), null)"), json!(true));
        assert_eq!(failure("States.ArrayContains('not-array', 'x')"), invalid_in("ArrayContains"));
        assert_eq!(failure("States.ArrayContains(States.Array(1), 1, 2)"), invalid_in("ArrayContains"));
    }

    // -- States.ArrayRange --------------------------------------------------

    #[test]
    fn array_range_counts_to_the_last_value_inclusive() {
        // test_array.snapshot.json test_array_range.
        assert_eq!(eval("States.ArrayRange(0, 9, 3)"), json!([0, 3, 6, 9]));
        assert_eq!(eval("States.ArrayRange(0, 10, 3)"), json!([0, 3, 6, 9]));
        assert_eq!(eval("States.ArrayRange(1, 9, 9)"), json!([1]));
        assert_eq!(eval("States.ArrayRange(1, 9, 2)"), json!([1, 3, 5, 7, 9]));
    }

    #[test]
    fn array_range_goes_down_truncates_and_stops_at_a_thousand_items() {
        // conformance (observed on AWS).
        assert_eq!(eval("States.ArrayRange(5, 1, -2)"), json!([5, 3, 1]));
        assert_eq!(eval("States.ArrayRange(5, 1, 1)"), json!([]));
        assert_eq!(eval("States.ArrayRange(1, 5, -1)"), json!([]));
        assert_eq!(eval("States.ArrayRange(3, 3, -1)"), json!([3]));
        assert_eq!(eval("States.ArrayRange(1.6, 1.4, 1)"), json!([1]));
        assert_eq!(eval("States.ArrayRange(5.4, -0.6, -2.4)"), json!([5, 3, 1]));
        assert_eq!(eval("States.ArrayRange(1, 1000, 1)").as_array().map(Vec::len), Some(1000));
        assert_eq!(eval("States.ArrayRange(1000, 1, -1)").as_array().map(Vec::len), Some(1000));
        for bad in ["1, 1001, 1", "1001, 1, -1", "1, 10, 0", "1, 10, 0.49", "'a', 5, 1", "1, 5"] {
            assert_eq!(failure(&format!("States.ArrayRange({bad})")), invalid_in("ArrayRange"));
        }
    }

    // -- States.ArrayGetItem / ArrayLength ----------------------------------

    #[test]
    fn array_get_item_and_length() {
        // test_array.snapshot.json test_array_get_item and test_array_length.
        assert_eq!(eval("States.ArrayGetItem(States.Array(1, 2, 3, 4, 5, 6, 7, 8, 9), 5)"), json!(6));
        assert_eq!(eval("States.ArrayLength(States.Array(1, 2, 3, 4, 5, 6, 7, 8, 9))"), json!(9));
        // test_generic nested_calls_1 and nested_calls_2 (name "a-b-c" stands in for $$.StateMachine.Name).
        assert_eq!(eval("States.ArrayGetItem(States.StringSplit('first-second-last', '-'), 0)"), json!("first"));
        assert_eq!(
            eval(
                "States.ArrayGetItem(States.StringSplit('first-second-last', '-'), States.MathAdd(States.ArrayLength(States.StringSplit('first-second-last', '-')), -1))"
            ),
            json!("last")
        );
    }

    #[test]
    fn array_get_item_edges_as_observed_on_aws() {
        // conformance: 1.2 reads index 1, an empty array gives null, out of range fails.
        assert_eq!(eval("States.ArrayGetItem(States.Array(10, 20, 30), 1.2)"), json!(20));
        assert_eq!(eval("States.ArrayGetItem(States.Array(), 999)"), json!(null));
        for bad in [
            "States.Array(10, 20, 30), 3",
            "States.Array(10, 20, 30), -1",
            "States.Array(10, 20, 30), '1'",
            "'not-array', 0",
        ] {
            assert_eq!(failure(&format!("States.ArrayGetItem({bad})")), invalid_in("ArrayGetItem"));
        }
        assert_eq!(failure("States.ArrayLength('not-array')"), invalid_in("ArrayLength"));
    }

    // -- States.ArrayUnique -------------------------------------------------

    #[test]
    fn array_unique_keeps_one_of_each_in_hash_set_order() {
        // conformance (AWS results, including its HashSet order).
        assert_eq!(eval("States.ArrayUnique(States.Array(1, 2, 3, 3, 3, 4))"), json!([1, 2, 3, 4]));
        assert_eq!(eval("States.ArrayUnique(States.Array('a', 'b', 'a', 'c', 'b'))"), json!(["a", "b", "c"]));
        assert_eq!(eval("States.ArrayUnique(States.Array(true, false, true, false))"), json!([false, true]));
        assert_eq!(eval("States.ArrayUnique(States.Array(null, null, 1, null))"), json!([null, 1]));
        assert_eq!(eval("States.ArrayUnique(States.Array(1, '1', 1, '01'))"), json!([1, "1", "01"]));
        assert_eq!(
            eval("States.ArrayUnique(States.Array(States.Array(1, 2), States.Array(1, 2), States.Array(2, 1)))"),
            json!([[2, 1], [1, 2]])
        );
        assert_eq!(
            eval(
                "States.ArrayUnique(States.Array(States.StringToJson('{\"a\": 1, \"b\": 2}'), States.StringToJson('{\"b\": 2, \"a\": 1}')))"
            ),
            json!([{"a": 1, "b": 2}])
        );
        assert_eq!(eval("States.ArrayUnique(States.Array())"), json!([]));
        assert_eq!(failure("States.ArrayUnique('not-array')"), invalid_in("ArrayUnique"));
    }

    // -- States.Format ------------------------------------------------------

    #[test]
    fn format_fills_placeholders_as_the_service_prints_values() {
        // test_generic.snapshot.json test_format_1.
        let one = |arg: &str| eval(&format!("States.Format('Formatting argument {{}}.', {arg})"));
        assert_eq!(one("''"), json!("Formatting argument ."));
        assert_eq!(one("' '"), json!("Formatting argument  ."));
        assert_eq!(one("'HelloWorld'"), json!("Formatting argument HelloWorld."));
        assert_eq!(one("null"), json!("Formatting argument null."));
        assert_eq!(one("1"), json!("Formatting argument 1."));
        assert_eq!(one("1.1"), json!("Formatting argument 1.1."));
        assert_eq!(one("'{\"Arg1\": 1, \"Arg2\": []}'"), json!("Formatting argument {\"Arg1\": 1, \"Arg2\": []}."));
        // test_generic.snapshot.json test_format_2, last binding: an object
        // (by path there; built with StringToJson here).
        let object = "States.StringToJson('{\"Arg1\": 1, \"Arg2\": []}')";
        assert_eq!(
            eval(&format!("States.Format('Formatting arguments fst={{}} and snd={{}}.', {object}, {object})")),
            json!("Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.")
        );
        // conformance.
        assert_eq!(eval("States.Format('{} {} {}', 'x', 2, true)"), json!("x 2 true"));
        assert_eq!(eval("States.Format('no placeholders')"), json!("no placeholders"));
        assert_eq!(eval("States.Format('Name: \\'{}\\'', 'Gabriel')"), json!("Name: 'Gabriel'"));
        assert_eq!(
            eval("States.Format('arn:{}:{}', 'lambda', States.JsonToString(States.StringToJson('{\"k\":1}')))"),
            json!("arn:lambda:{\"k\":1}")
        );
    }

    #[test]
    fn format_takes_escaped_braces_literally() {
        assert_eq!(eval("States.Format('\\{{}\\}', 'x')"), json!("{x}"));
        assert_eq!(eval("States.Format('a \\\\ b {}', 1)"), json!("a \\ b 1"));
    }

    #[test]
    fn format_fails_on_a_count_mismatch_or_a_stray_brace() {
        // conformance: all fail on AWS with States.Runtime.
        for bad in ["'{} {}', 'x'", "'{}', 'x', 'y'", "'Hello {', 'x'", "'Hello {{}}', 'x'", "'}'", "1, 2"] {
            assert_eq!(failure(&format!("States.Format({bad})")), invalid_in("Format"));
        }
    }

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

    // -- States.MathAdd -----------------------------------------------------

    #[test]
    fn math_add_rounds_each_operand_half_up() {
        // test_math_operations.snapshot.json test_math_add, the 21 bindings in order.
        for (a, b, sum) in [
            ("-9", "3", -6),
            ("1.49", "1.5", 3),
            ("1.5", "1.51", 4),
            ("-1.49", "-1.5", -2),
            ("-1.5", "-1.51", -3),
            ("1.49", "0", 1),
            ("1.49", "-1.49", 0),
            ("1.5", "0", 2),
            ("1.51", "0", 2),
            ("-1.49", "0", -1),
            ("-1.5", "0", -1),
            ("-1.51", "0", -2),
            ("0.5", "0", 1),
            ("1.5", "0", 2),
            ("2.5", "0", 3),
            ("3.5", "0", 4),
            ("-0.5", "0.5", 1),
            ("-0.5", "0", 0),
            ("-1.5", "0", -1),
            ("-2.5", "0", -2),
            ("-3.5", "0", -3),
        ] {
            let result = eval(&format!("States.MathAdd({a}, {b})"));
            assert_eq!(result, json!(sum), "MathAdd({a}, {b})");
            assert!(result.is_i64());
        }
    }

    #[test]
    fn math_add_stays_in_int32_and_wants_numbers() {
        // conformance.
        assert_eq!(eval("States.MathAdd(2147483646, 1)"), json!(2147483647));
        assert_eq!(eval("States.MathAdd(-2147483647, -1)"), json!(-2147483648i64));
        for bad in ["2147483647, 1", "-2147483648, -1", "3000000000, 1", "'a', 1", "1, '1'", "null, 1", "true, 1", "1"]
        {
            assert_eq!(failure(&format!("States.MathAdd({bad})")), invalid_in("MathAdd"));
        }
    }

    // -- States.MathRandom --------------------------------------------------

    #[test]
    fn math_random_stays_in_its_range() {
        for _ in 0..200 {
            let value = eval("States.MathRandom(1, 10)").as_i64().unwrap_or(-1);
            assert!((1..10).contains(&value), "{value}");
            // conformance: (1.6, 5.4) acts as [1, 5) on AWS.
            let value = eval("States.MathRandom(1.6, 5.4)").as_i64().unwrap_or(-1);
            assert!((1..5).contains(&value), "{value}");
        }
        // test_math_operations.py test_math_random bounds.
        let value = eval("States.MathRandom(-99999, -9999)").as_i64().unwrap_or(0);
        assert!((-99999..-9999).contains(&value));
    }

    #[test]
    fn math_random_with_a_seed_is_java_random() {
        // conformance: AWS gives -5 for seed 42 over [-5, 5).
        assert_eq!(eval("States.MathRandom(-5, 5, 42)"), json!(-5));
        assert_eq!(eval("States.MathRandom(1, 100, 42)"), eval("States.MathRandom(1, 100, 42)"));
        let seeded = eval("States.MathRandom(0, 999, 3)").as_i64().unwrap_or(-1);
        assert!((0..999).contains(&seeded));
        for bad in ["1, 1", "10, 5", "1.4, 1.6", "1.49, 1.49", "'a', 10", "1, 'b'", "1, 10, 'seed'", "1, 10, null", "1"]
        {
            assert_eq!(failure(&format!("States.MathRandom({bad})")), invalid_in("MathRandom"));
        }
    }

    // -- States.StringSplit -------------------------------------------------

    #[test]
    fn string_split_breaks_on_each_delimiter_character_and_drops_empty_parts() {
        // test_string_operations.snapshot.json test_string_split.
        assert_eq!(eval("States.StringSplit(' ', ',')"), json!([" "]));
        assert_eq!(eval("States.StringSplit(' , ', ',')"), json!([" ", " "]));
        assert_eq!(eval("States.StringSplit(', , ,', ',')"), json!([" ", " "]));
        assert_eq!(eval("States.StringSplit(',,,,', ',')"), json!([]));
        assert_eq!(eval("States.StringSplit('1,2,3,4,5', ',')"), json!(["1", "2", "3", "4", "5"]));
        assert_eq!(
            eval("States.StringSplit('This.is+a,test=string', '.+,=')"),
            json!(["This", "is", "a", "test", "string"])
        );
        assert_eq!(
            eval("States.StringSplit('split on T and \nnew line', 'T\n')"),
            json!(["split on ", " and ", "new line"])
        );
        // test_string_operations.snapshot.json test_string_split_context_object (the input by value).
        assert_eq!(
            eval(
                "States.StringSplit('Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,\\'HelloWorld\\'\nNull,None,\n   \n', ',')"
            ),
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
        // test_generic.snapshot.json test_escape_sequence.
        assert_eq!(eval("States.StringSplit('Hello\nWorld', '\n')"), json!(["Hello", "World"]));
        // conformance.
        assert_eq!(eval("States.StringSplit('', ',')"), json!([]));
        assert_eq!(eval("States.StringSplit('1a2b3ab4', 'ab')"), json!(["1", "2", "3", "4"]));
        for bad in ["123, ','", "'a,b', 1", "null, ','", "'a,b', null", "false, ','", "'a,b', States.Array(',')"] {
            assert_eq!(failure(&format!("States.StringSplit({bad})")), invalid_in("StringSplit"));
        }
    }

    // -- States.Base64Encode / Base64Decode ---------------------------------

    #[test]
    fn base64_encodes_and_decodes() {
        // test_encode_decode.snapshot.json.
        assert_eq!(eval("States.Base64Encode('')"), json!(""));
        assert_eq!(eval("States.Base64Encode('Data to encode')"), json!("RGF0YSB0byBlbmNvZGU="));
        assert_eq!(eval("States.Base64Decode('')"), json!(""));
        assert_eq!(eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), json!("Data to encode"));
        // conformance: UTF-8 text; lenient decoding as on AWS.
        assert_eq!(eval("States.Base64Encode('✓')"), json!("4pyT"));
        assert_eq!(eval("States.Base64Encode('🚀')"), json!("8J+agA=="));
        assert_eq!(eval("States.Base64Decode('44GT44KT44Gr44Gh44Gv')"), json!("こんにちは"));
        assert_eq!(eval("States.Base64Decode(' YWJjZA== ')"), json!("abcd"));
        assert_eq!(eval("States.Base64Decode('YWJjZA')"), json!("abcd"));
        assert_eq!(eval("States.Base64Decode(States.Base64Encode('hello'))"), json!("hello"));
    }

    #[test]
    fn base64_takes_ten_thousand_characters_of_text() {
        // conformance: 10000 passes, 10001 fails; other types fail.
        let text = |n: usize| "a".repeat(n);
        assert!(eval(&format!("States.Base64Encode('{}')", text(10_000))).is_string());
        assert_eq!(failure(&format!("States.Base64Encode('{}')", text(10_001))), invalid_in("Base64Encode"));
        assert!(eval(&format!("States.Base64Decode('{}')", "A".repeat(10_000))).is_string());
        assert_eq!(failure(&format!("States.Base64Decode('{}')", "A".repeat(10_001))), invalid_in("Base64Decode"));
        assert_eq!(failure("States.Base64Encode(123)"), invalid_in("Base64Encode"));
        assert_eq!(failure("States.Base64Decode(States.Array())"), invalid_in("Base64Decode"));
        assert_eq!(failure("States.Base64Encode('a', 'b')"), invalid_in("Base64Encode"));
    }

    // -- States.Hash --------------------------------------------------------

    #[test]
    fn hash_gives_lowercase_hex_digests() {
        // test_hash_calculations.snapshot.json test_hash ("input data").
        for (algorithm, digest) in [
            ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
            (
                "SHA-384",
                "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
            ),
            (
                "SHA-512",
                "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
            ),
        ] {
            assert_eq!(eval(&format!("States.Hash('input data', '{algorithm}')")), json!(digest), "{algorithm}");
        }
    }

    #[test]
    fn hash_edges_as_observed_on_aws() {
        // conformance.
        assert_eq!(eval("States.Hash('hello', 'MD5')"), json!("5d41402abc4b2a76b9719d911017c592"));
        assert_eq!(
            eval("States.Hash('✓', 'SHA-256')"),
            json!("1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604")
        );
        assert_eq!(
            eval("States.Hash('🚀', 'SHA-256')"),
            json!("ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5")
        );
        assert_eq!(
            eval("States.Hash(States.Format('{}:{}', 'x', 'y'), 'SHA-256')"),
            json!("1274e286686b54fe765ec40735665b4bf789cee2a5b22124c5e0491a88e15271")
        );
        assert!(eval(&format!("States.Hash('{}', 'SHA-256')", "a".repeat(10_000))).is_string());
        assert_eq!(failure(&format!("States.Hash('{}', 'SHA-256')", "a".repeat(10_001))), invalid_in("Hash"));
        for algorithm in ["'sha-256'", "'SHA256'", "''", "'MD-5'", "'SHA-257'", "123"] {
            assert_eq!(failure(&format!("States.Hash('data', {algorithm})")), invalid_in("Hash"));
        }
        assert_eq!(failure("States.Hash('hello')"), invalid_in("Hash"));
        assert_eq!(failure("States.Hash('hello', 'SHA-256', 'extra')"), invalid_in("Hash"));
    }

    // -- States.UUID --------------------------------------------------------

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

    // -- the Java service's ways --------------------------------------------

    #[test]
    fn doubles_print_as_java_prints_them() {
        for (float, text) in [
            (1.1, "1.1"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (1e7, "1.0E7"),
            (1.5e10, "1.5E10"),
            (1.5e-5, "1.5E-5"),
            (-3.5, "-3.5"),
            (0.0, "0.0"),
        ] {
            assert_eq!(java::double_to_string(float), text);
        }
        assert_eq!(
            java::to_string(&json!({"a": [1, "x", null, {"b": true}], "c": 2.0})),
            "{a=[1, x, null, {b=true}], c=2.0}"
        );
    }

    #[test]
    fn java_random_matches_its_definition() {
        // new Random(42).nextInt(10) is 0 (see math_random_with_a_seed_is_java_random).
        assert_eq!(java::Random::new(42).next_int(10), 0);
        // Power-of-two bounds take the high bits.
        let value = java::Random::new(7).next_int(16);
        assert!((0..16).contains(&value));
    }
    // -- path arguments (need the JSONPath reader) ----------------------------

    fn eval_in(text: &str, input: &Value, context: &Value) -> Value {
        evaluate(text, input, context).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn paths_pass_the_check_when_valid() {
        for text in [
            "States.Array($)",
            "States.Array($$)",
            "States.Array($.a, $.a.b, $['a b'], $.a[0], $.a[*].b, $$.Execution.Id)",
            "States.Array($['a,b'], $.items[?(@.n > 1)])",
            "States.Array( $.a , $.b )",
        ] {
            assert_eq!(check(text), Ok(()), "{text}");
        }
        for text in ["States.Array($a)", "States.Array($.a[)", "States.Array($.a b)", "States.Array($$$.a)"] {
            assert!(check(text).is_err(), "{text} should not pass");
        }
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
