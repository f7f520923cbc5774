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
//!   in localstack/localstack), cited test by test;
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
//!   order, which is emulated here (see `java` and `java_hash`).
//!
//! The parts:
//! - `parse`: the call syntax, the function names and their argument counts;
//! - `eval`: evaluating a parsed call, and the number rules functions share;
//! - one module per family of functions: `arrays` (`States.Array*`),
//!   `text` (`Format`, `StringSplit`, `Base64*`, `Hash`), `json`
//!   (`StringToJson`, `JsonToString`, `JsonMerge`), `math` (`MathAdd`,
//!   `MathRandom`); `States.Array` and `States.UUID` are a line each of
//!   `eval`;
//! - `java` and `java_hash`: what the Java service does with values
//!   (`toString`, `equals`, `java.util.Random`; `HashMap` and `HashSet`
//!   iteration order).
//!
//! Expected values in the tests come from the AWS-recorded LocalStack
//! snapshots (named per test) or, where marked "conformance", from a
//! third-party suite's observations of AWS. The snapshots pass arguments by
//! path; tests that do not need the JSONPath reader pass the same values as
//! literals or build them with States.Array / States.StringToJson.

use crate::StatesError;
use crate::context::ContextObject;
use serde_json::Value;

mod arrays;
mod eval;
mod java;
mod java_hash;
mod json;
mod math;
mod parse;
mod text;

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
    let call = parse::parse(text)?;
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
        if !crate::jsonpath::is_valid_reading(path) {
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
    parse::parse(text)?.check_arity()
}

/// Evaluate the call; path arguments read `input` (`$`) or `context` (`$$`).
/// Failures are `States.Runtime`, as AWS reports them: the cause is
/// `Invalid arguments in States.<Name>` for arguments of the wrong count,
/// type or value, or says which path could not be found.
pub fn evaluate(text: &str, input: &Value, context: &dyn ContextObject) -> Result<Value, StatesError> {
    let call = parse::parse(text).map_err(|message| {
        StatesError::new(
            FAILURE,
            format!("The value '{}' is not a valid intrinsic function call: {message}", text.trim()),
        )
    })?;
    call.evaluate(input, context)
}

/// What the tests of every family share: evaluating a call on empty input
/// and context, and the failure AWS reports for bad arguments.
/// The functions Step Functions adds to JSONata, each standing for an
/// intrinsic ("Transforming data with JSONata in Step Functions"), computed
/// as the intrinsics compute them: `$partition` (States.ArrayPartition),
/// `$range` (States.ArrayRange, end included), `$hash` (States.Hash),
/// `$random([seed])` (States.MathRandom's `java.util.Random` for a seed:
/// `nextDouble`), `$uuid()` (States.UUID) and `$parse` (States.StringToJson).
/// None for arguments the function refuses.
pub(crate) fn jsonata_function(name: &str, args: &[Option<Value>]) -> Option<Value> {
    let arg = |index: usize| args.get(index).cloned().flatten();
    match name {
        "partition" => arrays::partition(&arg(0)?, &arg(1)?),
        // A range of one number is that number, as a JSONata sequence of one
        // is: AWS's `$range(1, 9, 9)` gave 1 (recorded in tests/recorded/cases.json,
        // `test_array_jsonata.py::test_array_range#2`).
        "range" => match arrays::range(&arg(0)?, &arg(1)?, &arg(2)?)? {
            Value::Array(mut items) if items.len() == 1 => items.pop(),
            other => Some(other),
        },
        "hash" => text::hash(&arg(0)?, &arg(1)?),
        "random" => {
            let unit = match arg(0) {
                Some(seed) => java::Random::new(eval::truncate(&seed)?).next_double(),
                None => harness::ids::random_unit(),
            };
            serde_json::Number::from_f64(unit).map(Value::Number)
        }
        "uuid" => Some(Value::String(harness::ids::request_id())),
        "parse" => serde_json::from_str(arg(0)?.as_str()?).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod testing {
    use super::evaluate;
    use crate::StatesError;
    use serde_json::{Value, json};

    pub(super) fn eval(text: &str) -> Value {
        evaluate(text, &json!({}), &json!({})).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    pub(super) fn failure(text: &str) -> StatesError {
        match evaluate(text, &json!({}), &json!({})) {
            Ok(value) => panic!("{text} gave {value}, expected a failure"),
            Err(error) => error,
        }
    }

    pub(super) fn invalid_in(name: &str) -> StatesError {
        StatesError::new("States.Runtime", format!("Invalid arguments in States.{name}"))
    }
}
