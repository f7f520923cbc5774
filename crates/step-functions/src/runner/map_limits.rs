//! A Map state's limits read from its input when it runs: MaxConcurrencyPath,
//! ToleratedFailureCountPath and ToleratedFailurePercentagePath. A value that
//! is not a number of the right kind fails the execution with
//! `States.Runtime`, worded as AWS words it: the executions recorded against
//! AWS in `tests/recorded/cases.json` (`test_base_scenarios.py`,
//! `test_max_concurrency_path[...]` and
//! `test_map_state_tolerated_failure_{count,percentage}_path[...]`), whose
//! wording LocalStack's `max_concurrency.py` and `tolerated_failure.py` copy
//! along with which values pass.

use super::resolve;
use crate::StatesError;
use crate::machine::{Map, MapLimit};
use crate::query::Env;
use serde_json::Value;

/// A value as AWS quotes it in these causes: a string as it is, anything
/// else as compact JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn runtime(cause: String) -> StatesError {
    StatesError::new("States.Runtime", cause)
}

/// An integer, or a string holding one (`"3"`), as LocalStack (held to the
/// recordings) accepts for MaxConcurrencyPath and ToleratedFailureCountPath.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Check the value MaxConcurrencyPath found. Items run one at a time here,
/// so only its validity matters.
pub(super) fn max_concurrency(path: &str, value: &Value) -> Result<u64, StatesError> {
    match integer(value) {
        Some(count) if count >= 0 => Ok(count as u64),
        // AWS's recording of -1 (test_max_concurrency_path_negative) ends at
        // ExecutionStarted: the execution had not moved on when it was read.
        // An execution that never ends cannot be modelled; LocalStack fails
        // it with this cause instead, and so does the runner.
        Some(count) => {
            Err(runtime(format!("Expected non-negative integer for MaxConcurrency, got '{count}' instead.")))
        }
        None => Err(runtime(format!(
            "The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: {path}",
            shown(value)
        ))),
    }
}

/// How many failed items a Map tolerates: ToleratedFailureCount and
/// ToleratedFailurePercentage, written or read from the input.
pub(super) struct Tolerated {
    count: Option<u64>,
    percentage: Option<f64>,
}

impl Tolerated {
    /// Read the limits of `state` from its effective input (a JSONata
    /// state's expressions from `env`).
    pub(super) fn read(state: &Map, input: &Value, env: &Env) -> Result<Tolerated, StatesError> {
        let context = env.context;
        let count = match &state.tolerated_failure_count {
            None => None,
            Some(MapLimit::Value(count)) => Some(*count),
            Some(MapLimit::Expression(template)) => {
                let value = template.evaluate("ToleratedFailureCount", env)?;
                Some(value.as_u64().ok_or_else(|| {
                    StatesError::new(
                        crate::query::QUERY_EVALUATION_ERROR,
                        format!("The ToleratedFailureCount field must be a non-negative integer, but was: {value}"),
                    )
                })?)
            }
            Some(MapLimit::Path(path)) => {
                let value = resolve(path, input, context)?;
                match integer(&value) {
                    Some(count) if count >= 0 => Some(count as u64),
                    Some(_) => return Err(runtime("ToleratedFailureCount cannot be negative.".into())),
                    None => {
                        return Err(runtime(format!(
                            "The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid integer: {path}",
                            shown(&value)
                        )));
                    }
                }
            }
        };
        let percentage = match &state.tolerated_failure_percentage {
            None => None,
            Some(MapLimit::Value(share)) => Some(*share),
            Some(MapLimit::Expression(template)) => {
                let value = template.evaluate("ToleratedFailurePercentage", env)?;
                Some(value.as_f64().filter(|share| (0.0..=100.0).contains(share)).ok_or_else(|| {
                    StatesError::new(
                        crate::query::QUERY_EVALUATION_ERROR,
                        format!(
                            "The ToleratedFailurePercentage field must be a number from 0 to 100, but was: {value}"
                        ),
                    )
                })?)
            }
            Some(MapLimit::Path(path)) => {
                let value = resolve(path, input, context)?;
                let share = match &value {
                    Value::Number(number) => number.as_f64(),
                    // A string must hold an integer (LocalStack's `int(...)`).
                    Value::String(text) => text.trim().parse::<i64>().ok().map(|n| n as f64),
                    _ => None,
                };
                match share {
                    Some(share) if (0.0..=100.0).contains(&share) => Some(share),
                    Some(_) => return Err(runtime("ToleratedFailurePercentage must be between 0 and 100.".into())),
                    None => {
                        return Err(runtime(format!(
                            "The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid float: {path}",
                            shown(&value)
                        )));
                    }
                }
            }
        };
        Ok(Tolerated { count, percentage })
    }

    /// Whether `failures` failed items out of `total` are within the limits.
    pub(super) fn allows(&self, failures: u64, total: usize) -> bool {
        let within_count = self.count.is_some_and(|limit| failures <= limit);
        let within_share = self.percentage.is_some_and(|share| (failures as f64) * 100.0 / (total as f64) <= share);
        within_count || within_share
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn max_concurrency_takes_integers_and_integer_text() {
        assert_eq!(max_concurrency("$.m", &json!(2)), Ok(2));
        assert_eq!(max_concurrency("$.m", &json!("3")), Ok(3));
        assert_eq!(
            max_concurrency("$.m", &json!({})).unwrap_err().cause,
            "The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: $.m"
        );
        assert_eq!(
            max_concurrency("$.m", &json!("x")).unwrap_err().cause,
            "The MaxConcurrencyPath field refers to value \"x\" which is not a valid integer: $.m"
        );
    }

    #[test]
    fn tolerated_failures_are_checked_and_counted() {
        let map = |definition: Value| -> Map {
            let machine =
                crate::machine::Machine::parse(&json!({"StartAt": "M", "States": {"M": definition}})).unwrap();
            match machine.states.get("M") {
                Some(crate::machine::State::Map(map)) => map.clone(),
                _ => unreachable!("M is a Map"),
            }
        };
        let processor = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
        let by_path = map(json!({"Type": "Map", "End": true, "ItemProcessor": processor,
            "ToleratedFailureCountPath": "$.c", "ToleratedFailurePercentagePath": "$.p"}));
        let context = crate::context::Context::new(json!({}), std::rc::Rc::new(json!({})));
        let env = Env { input: &Value::Null, context: &context, result: None, error_output: None, now_ms: 0 };
        let read = |input: Value| Tolerated::read(&by_path, &input, &env);
        assert_eq!(read(json!({"c": -1, "p": 0})).err().unwrap().cause, "ToleratedFailureCount cannot be negative.");
        assert_eq!(
            read(json!({"c": 0, "p": 100.1})).err().unwrap().cause,
            "ToleratedFailurePercentage must be between 0 and 100."
        );
        assert_eq!(
            read(json!({"c": 0, "p": "x"})).err().unwrap().cause,
            "The ToleratedFailurePercentagePath field refers to value \"x\" which is not a valid float: $.p"
        );
        let tolerated = read(json!({"c": 1, "p": 0})).unwrap();
        assert!(tolerated.allows(1, 4) && !tolerated.allows(2, 4));
        let tolerated = read(json!({"c": 0, "p": 50})).unwrap();
        assert!(tolerated.allows(2, 4) && !tolerated.allows(3, 4));
    }
}
