//! The JSONata query language in states (`QueryLanguage: JSONata`), as AWS's
//! "Transforming data with JSONata in Step Functions" describes it.
//!
//! - A string `"{% … %}"` anywhere in Arguments, Output, Assign, Items,
//!   ItemSelector (and in Condition, Seconds, Timestamp, Error, Cause,
//!   TimeoutSeconds, MaxConcurrency…) is an expression; anything else is a
//!   literal. A definition's expressions are parsed once, when it is
//!   converted ([`Template::compile`]); validation reports a malformed one.
//! - An expression reads `$states` (`input`, `context`, and `result` or
//!   `errorOutput` where the state has them), the workflow variables, and
//!   the functions AWS adds (`$partition`, `$range`, `$hash`, `$random` with
//!   a seed, `$uuid`, `$parse`; JSONata's own, less `$eval`, come from the
//!   `jsonata` crate). `$now()` and `$millis()` read the runner's clock.
//! - Only what an expression names is bound: the variables it mentions, and
//!   the members of `$states` it reads (the execution input inside
//!   `$states.context` only when it may read it), so a Map over many items
//!   does not copy every variable, its input and the execution's for each one.
//! - An expression that fails, gives nothing (JSONata's undefined) or gives
//!   a function fails the state with `States.QueryEvaluationError`, its cause
//!   naming the expression and the field (`Output/result`): "returned nothing
//!   (undefined).", "threw an error during evaluation. T1006: …", "returned
//!   an unsupported result type.", as recorded against AWS in
//!   tests/recorded/cases.json (`test_undefined_reference[...]`,
//!   `test_math_random_seeded#0`, `test_map_state_items_eval_jsonata_fail`).
//!   Each evaluation stops after [`EVALUATION_TIMEOUT`], so a hostile
//!   expression cannot hang a run.

use crate::StatesError;
use crate::context::{Context, ContextObject};
use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The field a JSONata evaluation's cause names (`Output/result`), which
/// is also the `location` of its EvaluationFailed event.
pub fn field_of(cause: &str) -> Option<&str> {
    let start = cause.find("specified for the field '")? + "specified for the field '".len();
    let length = cause[start..].find('\'')?;
    Some(&cause[start..start + length])
}

/// The error of a failed JSONata evaluation.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// How long one evaluation may run before it fails (JSONata's D1012).
pub const EVALUATION_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether `text` is written as an expression: `{%` first and `%}` last,
/// nothing around them (AWS kept `" {% states.input %} "` as a string:
/// recorded in tests/recorded/cases.json, `test_output.py::test_base_cases[BASE_LITERALS]`).
pub fn is_expression(text: &str) -> bool {
    text.len() >= 4 && text.starts_with("{%") && text.ends_with("%}")
}

/// A parsed `{% … %}` expression.
#[derive(Clone, Debug)]
pub struct Expr {
    /// The text between `{%` and `%}`, as AWS quotes it in causes.
    source: String,
    expression: Arc<jsonata::Expression>,
    /// The members of `$states` it may read: only those are bound, so a Map
    /// over many items does not copy its input (or the execution's, in the
    /// context object) for each item.
    reads: StatesParts,
    /// The variables it may read (every `$name` in its text but `$states`).
    variables: Vec<String>,
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Expr {
    /// Parse `{% … %}` text. Err: why it is not a valid expression.
    pub fn parse(text: &str) -> Result<Expr, String> {
        let inner = text
            .strip_prefix("{%")
            .and_then(|rest| rest.strip_suffix("%}"))
            .ok_or_else(|| format!("'{text}' is not a JSONata expression ({{% … %}})"))?;
        let source = inner.trim().to_string();
        if source.is_empty() {
            return Err("The JSONata expression is empty".into());
        }
        let names = names_in(&source);
        // AWS refuses `$` and `$$` at the top level of a state's expression:
        // the data is `$states.input` (docs/jsonata.md has the sources).
        if source == "$" || names.iter().any(|name| name == "$") {
            return Err(format!(
                "The JSONata expression '{source}' reads '$' or '$$': read the state's input as $states.input"
            ));
        }
        let expression = jsonata::Expression::parse(&source).map_err(|error| error.to_string())?;
        let reads = StatesParts::of(&source, names.iter().any(|name| name == crate::variables::RESERVED));
        let mut variables: Vec<String> = names
            .into_iter()
            .filter(|name| !name.is_empty() && name != "$" && name != crate::variables::RESERVED)
            .collect();
        variables.sort();
        variables.dedup();
        Ok(Expr { source, expression: Arc::new(expression), reads, variables })
    }

    /// Whether the expression gives a function (JSONata's `$type` says so),
    /// which AWS refuses (recorded in tests/recorded/cases.json,
    /// `test_map_state_items_eval_jsonata_fail[function]`). Asked only of an
    /// expression whose value came out as "", so it costs nothing otherwise.
    fn is_function(&self, bindings: &jsonata::Bindings, limits: &jsonata::Limits) -> bool {
        let Ok(typed) = jsonata::Expression::parse(&format!("$type(({}))", self.source)) else { return false };
        matches!(typed.evaluate_with(None, bindings, limits), Ok(Some(Value::String(kind))) if kind == "function")
    }

    /// The expression's text, without `{%` and `%}`.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluate for the field `field` of a state; undefined is an error, as
    /// JSON has no undefined.
    pub fn evaluate(&self, field: &str, env: &Env) -> Result<Value, StatesError> {
        let mut bindings = base_bindings().clone();
        if self.reads.any {
            bindings.insert_value("states", env.states(&self.reads));
        }
        for name in &self.variables {
            if let Some(value) = env.context.variables().get(name) {
                bindings.insert_value(name, value.clone());
            }
        }
        let bindings = bindings.with_now(i64::try_from(env.now_ms).unwrap_or(i64::MAX));
        let limits = jsonata::Limits { timeout: Some(EVALUATION_TIMEOUT), ..jsonata::Limits::default() };
        let source = &self.source;
        match self.expression.evaluate_with(None, &bindings, &limits) {
            // A function comes out as "" from the engine: JSON has no function.
            Ok(Some(Value::String(text))) if text.is_empty() && self.is_function(&bindings, &limits) => {
                Err(StatesError::new(
                    QUERY_EVALUATION_ERROR,
                    format!(
                        "The JSONata expression '{source}' specified for the field '{field}' returned an unsupported result type."
                    ),
                ))
            }
            Ok(Some(value)) => Ok(value),
            Ok(None) => Err(StatesError::new(
                QUERY_EVALUATION_ERROR,
                format!(
                    "The JSONata expression '{source}' specified for the field '{field}' returned nothing (undefined)."
                ),
            )),
            Err(error) => Err(StatesError::new(
                QUERY_EVALUATION_ERROR,
                format!(
                    "The JSONata expression '{source}' specified for the field '{field}' threw an error during evaluation. {}",
                    as_jsonata_js_words_it(&error)
                ),
            )),
        }
    }
}

/// An evaluation error as AWS words it: JSONata 2.0.6's code and message
/// (recorded in tests/recorded/cases.json, `test_math_random_seeded#0`:
/// "T1006: Attempted to invoke a non-function", where the engine adds the
/// name, ": $randomSeeded").
fn as_jsonata_js_words_it(error: &jsonata::Error) -> String {
    match error.code() {
        "T1006" => "T1006: Attempted to invoke a non-function".to_string(),
        _ => error.to_string(),
    }
}

/// Every `$name` in an expression's text outside its string literals, the
/// name without `$` (empty for a bare `$`, `$` for `$$`).
fn names_in(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' | '\'' | '`' => {
                // Skip a string literal (or a backquoted name), escapes included.
                while let Some((_, inner)) = chars.next() {
                    if inner == '\\' {
                        chars.next();
                    } else if inner == c {
                        break;
                    }
                }
            }
            '$' => {
                if chars.peek().is_some_and(|&(_, next)| next == '$') {
                    chars.next();
                    names.push("$".to_string());
                    continue;
                }
                let mut name = String::new();
                while let Some(&(_, next)) = chars.peek() {
                    if next.is_alphanumeric() || next == '_' {
                        name.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                names.push(name);
            }
            _ => {}
        }
    }
    names
}

/// What an expression sees besides the variables.
pub struct Env<'a> {
    /// The state's input: `$states.input`.
    pub input: &'a Value,
    /// The context object (`$states.context`) and the variables.
    pub context: &'a Context,
    /// A Task's, Parallel's or Map's result: `$states.result`.
    pub result: Option<&'a Value>,
    /// In a Catch: `$states.errorOutput`.
    pub error_output: Option<&'a Value>,
    /// The runner's clock, for `$now()` and `$millis()`.
    pub now_ms: u64,
}

impl Env<'_> {
    /// `$states`, with the members the expression may read.
    fn states(&self, reads: &StatesParts) -> Value {
        let mut states = Map::new();
        if reads.input {
            states.insert("input".into(), self.input.clone());
        }
        if reads.context {
            // The execution's input is in the context object only when the
            // expression may reach it (as `Context` does for `$$` paths).
            let path = if reads.execution_input { "$$" } else { "$$.State" };
            states.insert("context".into(), self.context.document_for(path).clone());
        }
        if let (true, Some(result)) = (reads.result, self.result) {
            states.insert("result".into(), result.clone());
        }
        if let (true, Some(error_output)) = (reads.error_output, self.error_output) {
            states.insert("errorOutput".into(), error_output.clone());
        }
        Value::Object(states)
    }
}

/// Which members of `$states` an expression may read, from its text: a
/// member is bound when its name appears, all of them when `$states` is
/// read whole (not followed by `.`).
#[derive(Clone, Debug, Default)]
struct StatesParts {
    any: bool,
    input: bool,
    context: bool,
    /// `$states.context.Execution.Input`, or the context object whole.
    execution_input: bool,
    result: bool,
    error_output: bool,
}

impl StatesParts {
    fn of(source: &str, reads_states: bool) -> StatesParts {
        if !reads_states {
            return StatesParts::default();
        }
        let whole = source.match_indices("$states").any(|(at, _)| {
            let after = &source[at + "$states".len()..];
            !after.starts_with('.')
        });
        let context_paths: Vec<String> = source
            .match_indices("$states.context")
            .map(|(at, _)| {
                let after = &source[at + "$states.context".len()..];
                let end = after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(after.len());
                format!("$${}", &after[..end])
            })
            .collect();
        let context = whole || !context_paths.is_empty();
        StatesParts {
            any: true,
            input: whole || source.contains("input"),
            context,
            execution_input: whole || context_paths.iter().any(|path| crate::context::reads_input(path)),
            result: whole || source.contains("result"),
            error_output: whole || source.contains("errorOutput"),
        }
    }
}

/// JSONata's functions as Step Functions has them: AWS's own added, each
/// failing as a JSONata function given the wrong arguments does.
fn base_bindings() -> &'static jsonata::Bindings {
    static BASE: OnceLock<jsonata::Bindings> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut bindings = jsonata::Bindings::new();
        for name in ["partition", "range", "hash", "random", "uuid", "parse"] {
            bindings.insert_function(name, move |args| {
                crate::intrinsics::jsonata_function(name, args).map(Some).ok_or_else(|| {
                    jsonata::Error::new("T0410", format!("The arguments of ${name} are not valid for it"))
                })
            });
        }
        bindings
    })
}

/// A field's value as written in a JSONata state: literals, expressions,
/// and objects and arrays of them, compiled once.
#[derive(Clone, Debug, PartialEq)]
pub enum Template {
    Literal(Value),
    Expression(Expr),
    Object(Vec<(String, Template)>),
    Array(Vec<Template>),
}

impl Template {
    /// Compile a value; a part without expressions stays one literal. Err:
    /// the JSON pointer (from the value, `""` for itself) of the first
    /// malformed expression, and why.
    pub fn compile(value: &Value) -> Result<Template, (String, String)> {
        match value {
            Value::String(text) if is_expression(text) => {
                Expr::parse(text).map(Template::Expression).map_err(|why| (String::new(), why))
            }
            Value::Object(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                for (key, field) in fields {
                    let compiled = Template::compile(field).map_err(|(at, why)| (format!("/{key}{at}"), why))?;
                    out.push((key.clone(), compiled));
                }
                if out.iter().all(|(_, t)| matches!(t, Template::Literal(_))) {
                    return Ok(Template::Literal(value.clone()));
                }
                Ok(Template::Object(out))
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    out.push(Template::compile(item).map_err(|(at, why)| (format!("[{index}]{at}"), why))?);
                }
                if out.iter().all(|t| matches!(t, Template::Literal(_))) {
                    return Ok(Template::Literal(value.clone()));
                }
                Ok(Template::Array(out))
            }
            other => Ok(Template::Literal(other.clone())),
        }
    }

    /// Compile a value validation accepted.
    ///
    /// # Panics
    ///
    /// On a malformed expression, which validation reports first.
    pub fn from_validated(value: &Value) -> Template {
        Template::compile(value).unwrap_or_else(|(at, why)| panic!("validated: the expression at {at} parses: {why}"))
    }

    /// The value, expressions evaluated, for the field `field` of a state.
    pub fn evaluate(&self, field: &str, env: &Env) -> Result<Value, StatesError> {
        match self {
            Template::Literal(value) => Ok(value.clone()),
            Template::Expression(expr) => expr.evaluate(field, env),
            // AWS names the member: `Output/result`, `Arguments/FunctionName`
            // (recorded in tests/recorded/cases.json, `test_undefined_reference`);
            // an array's item is written `[i]`, as validation's pointers do.
            Template::Object(fields) => {
                let mut out = Map::with_capacity(fields.len());
                for (key, template) in fields {
                    out.insert(key.clone(), template.evaluate(&format!("{field}/{key}"), env)?);
                }
                Ok(Value::Object(out))
            }
            Template::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| item.evaluate(&format!("{field}[{index}]"), env))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
        }
    }

    /// The literal value of the member `key` of an object template.
    pub fn literal_field(&self, key: &str) -> Option<&Value> {
        match self {
            Template::Literal(value) => value.get(key),
            Template::Object(fields) => fields.iter().find(|(k, _)| k == key).and_then(|(_, t)| t.literal()),
            _ => None,
        }
    }

    /// The literal value, when the template has no expression.
    pub fn literal(&self) -> Option<&Value> {
        match self {
            Template::Literal(value) => Some(value),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::rc::Rc;

    fn context() -> Context {
        Context::new(json!({"State": {"Name": "S"}, "Execution": {"Input": null}}), Rc::new(json!({"x": 1})))
    }

    fn eval(text: &str, input: Value) -> Result<Value, StatesError> {
        let context = context();
        let env = Env { input: &input, context: &context, result: None, error_output: None, now_ms: 0 };
        Template::compile(&json!(text)).unwrap().evaluate("Output", &env)
    }

    #[test]
    fn expressions_read_states_and_aws_functions() {
        assert_eq!(eval("{% $states.input.a + 1 %}", json!({"a": 2})).unwrap(), json!(3));
        assert_eq!(eval("{% $states.context.State.Name %}", json!({})).unwrap(), json!("S"));
        assert_eq!(eval("{% $states.context.Execution.Input.x %}", json!({})).unwrap(), json!(1));
        assert_eq!(eval("{% $partition([1,2,3], 2) %}", json!({})).unwrap(), json!([[1, 2], [3]]));
        assert_eq!(eval("{% $range(1, 5, 2) %}", json!({})).unwrap(), json!([1, 3, 5]));
        assert_eq!(eval("{% $range(1, 9, 9) %}", json!({})).unwrap(), json!(1));
        assert_eq!(eval("{% $parse('{\"a\": [1]}') %}", json!({})).unwrap(), json!({"a": [1]}));
        assert_eq!(eval("{% $hash('a', 'MD5') %}", json!({})).unwrap(), json!("0cc175b9c0f1b6a831c399e269772661"));
        assert_eq!(eval("{% $random(7) = $random(7) %}", json!({})).unwrap(), json!(true));
        assert_eq!(eval("{% $length($uuid()) %}", json!({})).unwrap(), json!(36));
        assert_eq!(eval("not an expression", json!({})).unwrap(), json!("not an expression"));
        assert_eq!(eval(" {% 1 %} ", json!({})).unwrap(), json!(" {% 1 %} "));
    }

    #[test]
    fn failures_are_query_evaluation_errors() {
        let error = eval("{% $states.input.missing %}", json!({})).unwrap_err();
        assert_eq!(error.error, QUERY_EVALUATION_ERROR);
        assert_eq!(
            error.cause,
            "The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined)."
        );
        let error = eval("{% 1 + 'a' %}", json!({})).unwrap_err();
        assert!(error.cause.contains("threw an error during evaluation. T2002"), "{}", error.cause);
        let error = eval("{% function($x){$x} %}", json!({})).unwrap_err();
        assert!(
            error.cause.ends_with("for the field 'Output' returned an unsupported result type."),
            "{}",
            error.cause
        );
        assert_eq!(eval("{% '' %}", json!({})).unwrap(), json!(""));
        let error = eval("{% $eval('1') %}", json!({})).unwrap_err();
        assert!(error.cause.contains("T1006"), "{}", error.cause);
        let error = eval("{% ($f := function($n){ $f($n + 1) }; $f(0)) %}", json!({})).unwrap_err();
        assert!(error.cause.contains("D1012") || error.cause.contains("U1001"), "{}", error.cause);
    }

    #[test]
    fn malformed_expressions_are_refused_when_compiled() {
        let (at, why) = Template::compile(&json!({"a": ["x", "{% 1 + %}"]})).unwrap_err();
        assert_eq!(at, "/a[1]");
        assert!(why.starts_with("S0"), "{why}");
        assert!(Template::compile(&json!("{% $ %}")).is_err());
        assert!(Template::compile(&json!("{% $$.a %}")).is_err());
        assert!(Template::compile(&json!("{%  %}")).is_err());
        // A `$` in a string literal is text.
        assert!(Template::compile(&json!("{% '$$' & $states.input.a %}")).is_ok());
    }

    #[test]
    fn only_the_members_of_states_an_expression_names_are_bound() {
        let parts = |source: &str| StatesParts::of(source, true);
        let item = parts("$states.context.Map.Item.Value");
        assert!(item.context && !item.execution_input && !item.input && !item.result);
        let execution = parts("$states.context.Execution.Input.x + $states.result.n");
        assert!(execution.execution_input && execution.result && !execution.input);
        let whole = parts("$keys($states)");
        assert!(whole.input && whole.context && whole.execution_input && whole.result && whole.error_output);
        assert_eq!(eval("{% $keys($states) %}", json!({})).unwrap(), json!(["input", "context"]));
        assert_eq!(eval("{% $states.context.Execution.Input %}", json!({})).unwrap(), json!({"x": 1}));
    }

    #[test]
    fn names_are_found_outside_strings() {
        assert_eq!(names_in("$a + $states.input.b & '$c' & $d_1"), ["a", "states", "d_1"]);
    }
}
