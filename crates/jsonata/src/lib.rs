//! JSONata as AWS Step Functions evaluates it, for the local runner.
//!
//! A state machine whose `QueryLanguage` is `JSONata` writes `{% … %}`
//! expressions in `Arguments`, `Output`, `Assign`, `Condition`, `Items` and
//! friends. Step Functions evaluates them with JSONata 2.0.6, less `$eval`,
//! plus a handful of functions of its own (`$partition`, `$range`, `$hash`,
//! `$random` with a seed, `$uuid`, `$parse`); docs/jsonata.md has the sources.
//!
//! What this crate models:
//!
//! - the language and its built-in functions, through `jsonata-core`, the
//!   Rust implementation that came closest to the reference (the figures and
//!   the known differences are in docs/jsonata.md and in
//!   `tests/reference_suite.rs`, which holds it to jsonata-js's own suite);
//! - `$eval` is absent, as on AWS: calling it fails as calling any name that is
//!   not a function does (T1006); `$random` and `$clone`, which `jsonata-core`
//!   lacks, are supplied here; `$now()` and `$millis()` report one instant per
//!   evaluation, the caller's if it gives one ([`Bindings::with_now`]);
//! - values go in and come out as [`serde_json::Value`]; JSONata's
//!   `undefined` (no result at all) is `None`;
//! - variables and native Rust functions the caller supplies ([`Bindings`]),
//!   which is how the runner will add `$states` and the AWS functions;
//! - guards ([`Limits`]) so that a hostile or careless expression ends in an
//!   error, never a hang or a blown stack: a wall-clock timeout (D1012), a
//!   depth limit (D1011, with the engine's own backstop at U1001), and a cap on
//!   the length of a sequence (D2015). The parser refuses nesting deeper than
//!   1,000 levels (U1002). Memory has no cap of its own: the guards are
//!   checked between evaluation steps, so one built-in asked for a huge
//!   string (`$pad('', 2e9)`) runs to the end before the timeout is noticed.
//!
//! What it does not model: AWS's own additions and its `$states` variable
//! (they belong to the runner, which supplies them as bindings), nor the
//! payload size limits, which the runner checks on the values.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator, EvaluatorError, EvaluatorOptions};
use jsonata_core::parser;
use jsonata_core::value::JValue;
use serde_json::{Map, Number, Value};

/// A JSONata failure: its code (`S0201`, `T2001`, `D3030`…) and message, as
/// JSONata words them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: String,
    message: String,
}

impl Error {
    /// An error with JSONata's code and message; native functions return
    /// these to fail an evaluation.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Error { code: code.into(), message: message.into() }
    }

    /// JSONata's code: `S…` for syntax, `T…` for types, `D…` for dynamic
    /// errors, `U…` for the guards.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, without the code.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Splits `"T2001: The left side…"`; a message without a code gets the
    /// one the caller knows the failure by.
    fn from_coded(text: &str, fallback: &str) -> Self {
        match split_code(text) {
            Some((code, message)) => Error::new(code, message),
            None => Error::new(fallback, text),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// `Some((code, rest))` for the first JSONata code in `text`: at its start or
/// after a `": "` (the engine wraps some coded messages, as in
/// `"Invalid syntax: S0209: A predicate…"`).
fn split_code(text: &str) -> Option<(&str, &str)> {
    let starts = std::iter::once(0).chain(text.match_indices(": ").map(|(at, _)| at + 2));
    starts.into_iter().find_map(|start| {
        let rest = &text[start..];
        let code = rest.get(..5)?;
        let mut chars = code.chars();
        let coded = chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_digit())
            && rest[5..].starts_with(':');
        coded.then(|| (code, rest[6..].trim_start()))
    })
}

/// The code a parse failure carries. The engine words a few of its syntax
/// errors without one; these get the code jsonata-js gives the same mistake.
fn parse_error(error: &parser::ParserError) -> Error {
    let text = error.to_string();
    if let Some((code, message)) = split_code(&text) {
        return Error::new(code, message);
    }
    let code = match error {
        parser::ParserError::UnclosedComment => "S0106",
        parser::ParserError::InvalidNumber(_) => "S0102",
        _ => "S0201",
    };
    let message = match error {
        parser::ParserError::UnclosedComment => "Comment has no closing tag".to_string(),
        parser::ParserError::InvalidNumber(number) => {
            format!("Number out of range: {number}")
        }
        _ => text,
    };
    Error::new(code, message)
}

fn evaluation_error(error: &EvaluatorError) -> Error {
    Error::from_coded(error.message(), "D1000")
}

/// A native function: it gets the arguments as evaluated (`None` for an
/// undefined one, and for a function, which has no JSON form) and returns a
/// value, `None` for undefined, or an error.
pub type NativeFunction = dyn Fn(&[Option<Value>]) -> Result<Option<Value>, Error> + Send + Sync;

/// The variables and native functions an expression sees besides JSONata's
/// own, by name without the `$`.
///
/// A native function named like a built-in replaces it (AWS's `$random`
/// takes a seed, for one); the few built-ins the engine compiles to a fast
/// path cannot be replaced, and evaluating with such a binding fails (U2001).
#[derive(Clone, Default)]
pub struct Bindings {
    values: Vec<(String, Value)>,
    functions: Vec<(String, Arc<NativeFunction>)>,
    now: Option<i64>,
}

impl fmt::Debug for Bindings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let functions: Vec<&str> = self.functions.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Bindings")
            .field("values", &self.values)
            .field("functions", &functions)
            .field("now", &self.now)
            .finish()
    }
}

/// The name as bound: a leading `$` is accepted and dropped.
fn bare(name: &str) -> String {
    name.strip_prefix('$').unwrap_or(name).to_string()
}

impl Bindings {
    /// No bindings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds `$name` to `value` (a later binding of the same name wins).
    pub fn with_value(mut self, name: &str, value: Value) -> Self {
        self.insert_value(name, value);
        self
    }

    /// Binds `$name` to a native function.
    pub fn with_function<F>(mut self, name: &str, function: F) -> Self
    where
        F: Fn(&[Option<Value>]) -> Result<Option<Value>, Error> + Send + Sync + 'static,
    {
        self.insert_function(name, function);
        self
    }

    /// The instant `$now()` and `$millis()` report, in milliseconds since
    /// 1970 (a runner on a virtual clock sets it). Without it they report the
    /// wall clock, read once when the evaluation starts: JSONata gives every
    /// call in one evaluation the same instant.
    pub fn with_now(mut self, millis: i64) -> Self {
        self.now = Some(millis);
        self
    }

    /// Binds `$name` to `value` in place.
    pub fn insert_value(&mut self, name: &str, value: Value) {
        let name = bare(name);
        self.values.retain(|(bound, _)| *bound != name);
        self.values.push((name, value));
    }

    /// Binds `$name` to a native function in place.
    pub fn insert_function<F>(&mut self, name: &str, function: F)
    where
        F: Fn(&[Option<Value>]) -> Result<Option<Value>, Error> + Send + Sync + 'static,
    {
        let name = bare(name);
        self.functions.retain(|(bound, _)| *bound != name);
        self.functions.push((name, Arc::new(function)));
    }
}

/// The guards one evaluation runs under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time before the evaluation stops with D1012.
    pub timeout: Option<Duration>,
    /// Nesting of evaluation steps (each call, operator and path step is one)
    /// before it stops with D1011. Without it the engine still stops at
    /// 30,000 levels with U1001; deep levels run on stack segments it
    /// allocates, so the caller's thread stack is never the limit.
    pub max_depth: Option<usize>,
    /// Length of one sequence (a path's results, `$append`, a range…) before
    /// it stops with D2015.
    pub max_sequence_length: Option<usize>,
}

impl Default for Limits {
    /// Ten seconds, the engine's own depth backstop, and ten million items:
    /// far beyond what a state's payload (256 KiB on AWS) needs, and short of
    /// what would stall the runner.
    fn default() -> Self {
        Limits { timeout: Some(Duration::from_secs(10)), max_depth: None, max_sequence_length: Some(10_000_000) }
    }
}

/// A parsed JSONata expression, ready to evaluate any number of times.
#[derive(Clone, Debug)]
pub struct Expression {
    source: String,
    ast: AstNode,
}

impl Expression {
    /// Parses `source`; a syntax error comes back with JSONata's `S0…` code.
    pub fn parse(source: &str) -> Result<Self, Error> {
        let ast = parser::parse(source).map_err(|error| parse_error(&error))?;
        Ok(Expression { source: source.to_string(), ast })
    }

    /// The text the expression was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates against `input` (JSONata's `$`) under the default
    /// [`Limits`]; `Ok(None)` is JSONata's undefined.
    pub fn evaluate(&self, input: &Value, bindings: &Bindings) -> Result<Option<Value>, Error> {
        self.evaluate_with(Some(input), bindings, &Limits::default())
    }

    /// Evaluates with an input that may itself be undefined (`None`), under
    /// the given limits.
    pub fn evaluate_with(
        &self,
        input: Option<&Value>,
        bindings: &Bindings,
        limits: &Limits,
    ) -> Result<Option<Value>, Error> {
        let mut context = Context::new();
        for (name, value) in &bindings.values {
            context.bind(name.clone(), to_engine(value));
        }
        let options = EvaluatorOptions {
            timeout_ms: limits.timeout.map(|timeout| u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX)),
            max_stack_depth: limits.max_depth,
            max_sequence_length: limits.max_sequence_length,
            ..EvaluatorOptions::default()
        };
        let mut evaluator = Evaluator::with_options(context, options);
        // Step Functions leaves `$eval` out (`$parse` reads JSON text instead);
        // an expression that calls it fails as a call of any non-function does.
        evaluator
            .register_fn_override("eval", |_: &[JValue]| {
                Err(EvaluatorError::TypeError("T1006: Attempted to invoke a non-function".to_string()))
            })
            .map_err(|error| evaluation_error(&error))?;
        // The engine reads the clock at each call; JSONata reads it once.
        let now = bindings.now.unwrap_or_else(wall_clock_millis);
        evaluator
            .register_fn_override("millis", move |_: &[JValue]| Ok(JValue::from(now)))
            .map_err(|error| evaluation_error(&error))?;
        evaluator
            .register_fn_override("now", move |args: &[JValue]| format_instant(now, args))
            .map_err(|error| evaluation_error(&error))?;
        // Two functions jsonata-js 2.0.6 binds that the engine names but does
        // not provide; the caller's own bindings, registered after, win.
        evaluator
            .register_fn_override("random", |_: &[JValue]| Ok(JValue::Number(random())))
            .map_err(|error| evaluation_error(&error))?;
        evaluator
            .register_fn("clone", |args: &[JValue]| Ok(args.first().cloned().unwrap_or(JValue::Undefined)))
            .map_err(|error| evaluation_error(&error))?;
        for (name, function) in &bindings.functions {
            register(&mut evaluator, name, Arc::clone(function))?;
        }
        let input = input.map_or(JValue::Undefined, to_engine);
        let result = evaluator.evaluate(&self.ast, &input).map_err(|error| evaluation_error(&error))?;
        from_engine(&result)
    }
}

fn register(evaluator: &mut Evaluator, name: &str, function: Arc<NativeFunction>) -> Result<(), Error> {
    let call = move |args: &[JValue]| -> Result<JValue, EvaluatorError> {
        let args: Vec<Option<Value>> = args.iter().map(|arg| from_engine(arg).unwrap_or(None)).collect();
        match function(&args) {
            Ok(Some(value)) => Ok(to_engine(&value)),
            Ok(None) => Ok(JValue::Undefined),
            Err(error) => Err(EvaluatorError::EvaluationError(error.to_string())),
        }
    };
    let registered = if evaluator.register_fn(name, call.clone()).is_ok() {
        Ok(())
    } else {
        evaluator.register_fn_override(name, call)
    };
    registered.map_err(|error| Error::new("U2001", format!("${name} cannot be bound: {}", error.message())))
}

fn wall_clock_millis() -> i64 {
    let since_1970 = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_1970.as_millis()).unwrap_or(i64::MAX)
}

/// `$now([picture [, timezone]])` at the evaluation's instant: the engine's
/// own `$fromMillis` does the formatting, in an evaluator of its own.
fn format_instant(now: i64, args: &[JValue]) -> Result<JValue, EvaluatorError> {
    let format = parser::parse("$fromMillis($instant, $picture, $timezone)")
        .map_err(|error| EvaluatorError::EvaluationError(error.to_string()))?;
    let mut context = Context::new();
    context.bind("instant".to_string(), JValue::from(now));
    for (name, arg) in ["picture", "timezone"].into_iter().zip(args) {
        if !arg.is_undefined() {
            context.bind(name.to_string(), arg.clone());
        }
    }
    Evaluator::with_context(context).evaluate(&format, &JValue::Undefined)
}

/// A number in [0, 1) for `$random()`. Each `RandomState` is keyed afresh
/// from the process's random seed, and hashing the clock through it spreads
/// the bits; JSONata promises no more (AWS's seeded `$random` is the
/// runner's to bind).
fn random() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    // The top 53 bits: exactly the precision of an f64 in [0, 1).
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

fn to_engine(value: &Value) -> JValue {
    JValue::from(value.clone())
}

/// The JSON form of an engine value: undefined is `None` (and drops out of
/// arrays and objects, as in JSONata's own output), an integral number
/// becomes a JSON integer, a function becomes `""` as `$string` renders it.
fn from_engine(value: &JValue) -> Result<Option<Value>, Error> {
    Ok(Some(match value {
        JValue::Undefined => return Ok(None),
        JValue::Null => Value::Null,
        JValue::Bool(flag) => Value::Bool(*flag),
        JValue::Number(number) => Value::Number(json_number(*number)?),
        JValue::String(text) => Value::String(text.to_string()),
        JValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                if let Some(item) = from_engine(item)? {
                    out.push(item);
                }
            }
            Value::Array(out)
        }
        JValue::Object(fields) => {
            let mut out = Map::new();
            for (key, field) in fields.iter() {
                if let Some(field) = from_engine(field)? {
                    out.insert(key.clone(), field);
                }
            }
            Value::Object(out)
        }
        JValue::Lambda { .. } | JValue::Builtin { .. } | JValue::Regex { .. } => Value::String(String::new()),
    }))
}

/// 2^53: past it an f64 no longer holds every integer, so it stays a float.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

fn json_number(number: f64) -> Result<Number, Error> {
    if number.fract() == 0.0 && number.abs() <= EXACT_INTEGERS {
        // Exact: the value is integral and within i64's exactly held range.
        return Ok(Number::from(number as i64));
    }
    Number::from_f64(number).ok_or_else(|| Error::new("D1001", format!("Number out of range: {number}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(source: &str, input: Value) -> Result<Option<Value>, Error> {
        Expression::parse(source)?.evaluate(&input, &Bindings::new())
    }

    #[test]
    fn paths_and_arithmetic() {
        let input = json!({"order": {"items": [{"price": 2, "qty": 3}, {"price": 1.5, "qty": 2}]}});
        assert_eq!(eval("$sum(order.items.(price * qty))", input).unwrap(), Some(json!(9)));
    }

    #[test]
    fn undefined_is_none() {
        assert_eq!(eval("missing", json!({})).unwrap(), None);
        assert_eq!(eval("[1, missing, 2]", json!({})).unwrap(), Some(json!([1, 2])));
    }

    #[test]
    fn errors_carry_the_code() {
        let error = eval("1 + 'a'", json!(null)).unwrap_err();
        assert_eq!(error.code(), "T2002");
        let error = Expression::parse("1 +").unwrap_err();
        assert_eq!(error.code(), "S0207");
        let error = Expression::parse("/* open").unwrap_err();
        assert_eq!(error.code(), "S0106");
    }

    #[test]
    fn eval_is_not_available() {
        let error = eval("$eval('1 + 1')", json!(null)).unwrap_err();
        assert_eq!(error.code(), "T1006");
    }

    #[test]
    fn bindings_hold_values_and_native_functions() {
        let bindings = Bindings::new()
            .with_value("$states", json!({"input": {"n": 20}}))
            .with_function("double", |args| {
                let n = args.first().cloned().flatten().and_then(|v| v.as_f64());
                Ok(n.map(|n| json!(n * 2.0)))
            })
            .with_function("random", |_| Ok(Some(json!(0.5))));
        let expression = Expression::parse("[$double($states.input.n), $random()]").unwrap();
        assert_eq!(expression.evaluate(&json!(null), &bindings).unwrap(), Some(json!([40, 0.5])));
    }

    #[test]
    fn native_errors_pass_through() {
        let bindings = Bindings::new().with_function("fail", |_| Err(Error::new("X0001", "no good")));
        let error = Expression::parse("$fail()").unwrap().evaluate(&json!(null), &bindings).unwrap_err();
        assert_eq!(error, Error::new("X0001", "no good"));
    }

    #[test]
    fn runaway_recursion_and_loops_end_in_errors() {
        let deep = "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))";
        let error = eval(deep, json!(null)).unwrap_err();
        assert!(["U1001", "D1011"].contains(&error.code()), "{error}");

        let forever = Expression::parse("($f := function($n){ $f($n + 1) }; $f(0))").unwrap();
        let limits = Limits { timeout: Some(Duration::from_millis(200)), ..Limits::default() };
        let error = forever.evaluate_with(None, &Bindings::new(), &limits).unwrap_err();
        assert_eq!(error.code(), "D1012");

        let nested = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(Expression::parse(&nested).unwrap_err().code(), "U1002");
    }

    #[test]
    fn one_evaluation_sees_one_instant() {
        let same = "($a := $millis(); $b := $sum([1..200000]); [$a = $millis(), $now() = $now()])";
        assert_eq!(eval(same, json!(null)).unwrap(), Some(json!([true, true])));

        let at = Bindings::new().with_now(1_700_000_000_123);
        let expression =
            Expression::parse("[$millis(), $now(), $now('[Y0001]-[M01]-[D01]'), $now('[H01]', '+0100')]").unwrap();
        assert_eq!(
            expression.evaluate(&json!(null), &at).unwrap(),
            Some(json!([1_700_000_000_123_i64, "2023-11-14T22:13:20.123Z", "2023-11-14", "23"]))
        );
    }

    #[test]
    fn random_and_clone_are_there() {
        let draws: Vec<f64> =
            (0..20).map(|_| eval("$random()", json!(null)).unwrap().unwrap().as_f64().unwrap()).collect();
        assert!(draws.iter().all(|draw| (0.0..1.0).contains(draw)), "{draws:?}");
        assert!(draws.iter().any(|draw| *draw != draws[0]), "{draws:?}");
        assert_eq!(eval("$clone({'a': [1, 2]})", json!(null)).unwrap(), Some(json!({"a": [1, 2]})));
        let seeded = Bindings::new().with_function("random", |_| Ok(Some(json!(0.25))));
        let expression = Expression::parse("$random()").unwrap();
        assert_eq!(expression.evaluate(&json!(null), &seeded).unwrap(), Some(json!(0.25)));
    }

    #[test]
    fn expressions_and_bindings_cross_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Expression>();
        shared::<Bindings>();
        shared::<Error>();
    }

    #[test]
    fn deep_recursion_fits_a_small_thread_stack() {
        let run = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| eval("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(2000))", json!(null)))
            .unwrap();
        assert_eq!(run.join().unwrap().unwrap(), Some(json!(2000)));
    }
}
