//! Workflow variables: what `Assign` stores and `$name` reads, in both query
//! languages (AWS's page "Passing data between states with variables").
//!
//! - Scope: the states of a machine share one scope; each Parallel branch and
//!   each Map iteration runs in a scope of its own, which reads the outer
//!   scopes' variables but may not assign them (LocalStack, held to AWS,
//!   fails such an Assign: `Cannot bind value ... as it belongs to an outer
//!   scope.`, `asl/eval/variable_store.py`). A Distributed Map's child
//!   executions start with no variables, as separate executions do.
//! - Timing: a state's Assign is evaluated with the values the state entered
//!   with, and takes effect when the state is left (its `...StateExited`
//!   event lists what it assigned, `assignedVariables`, each value as JSON
//!   text: the executions recorded against AWS in `tests/recorded/cases.json`,
//!   `test_assign_reference_variables.py`).
//! - Limits (the same page): a variable's value is at most 256 KiB, the
//!   values one Assign sets together at most 256 KiB, and the variables an
//!   execution holds at most 10 MiB. Going over fails the state with
//!   `States.DataLimitExceeded`, the error AWS names for data over a quota;
//!   the causes are the runner's own wording (no recording shows AWS's).
//! - Names: `states` is reserved; a name starts with a letter or `_` and goes
//!   on with letters, digits and `_` (validation checks the names written).

use crate::StatesError;
use crate::limits::{DATA_LIMIT_EXCEEDED, MAX_PAYLOAD_BYTES};
use serde_json::{Map, Value};
use std::rc::Rc;

/// The largest value of one variable, and of the values one Assign sets, in
/// bytes of JSON text.
pub const MAX_VARIABLE_BYTES: usize = MAX_PAYLOAD_BYTES;
/// The most an execution's variables hold together, in bytes of JSON text.
pub const MAX_EXECUTION_VARIABLE_BYTES: usize = 10 * 1024 * 1024;
/// The name `$states` belongs to Step Functions.
pub const RESERVED: &str = "states";

/// The variables a state sees: its scope and the scopes around it. Cloning
/// is cheap (scopes are shared); assigning copies a scope only while a
/// clone of it is alive.
#[derive(Clone, Debug, Default)]
pub struct Variables(Option<Rc<Scope>>);

#[derive(Clone, Debug, Default)]
struct Scope {
    values: Map<String, Value>,
    parent: Option<Rc<Scope>>,
}

impl Variables {
    /// The value of `$name`, looked up from the innermost scope out.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let mut scope = self.0.as_deref();
        while let Some(current) = scope {
            if let Some(value) = current.values.get(name) {
                return Some(value);
            }
            scope = current.parent.as_deref();
        }
        None
    }

    /// Whether no scope holds any variable.
    pub fn is_empty(&self) -> bool {
        let mut scope = self.0.as_deref();
        while let Some(current) = scope {
            if !current.values.is_empty() {
                return false;
            }
            scope = current.parent.as_deref();
        }
        true
    }

    /// A new, empty scope inside this one (a Parallel branch, a Map iteration).
    pub fn inner(&self) -> Variables {
        Variables(Some(Rc::new(Scope { values: Map::new(), parent: self.0.clone() })))
    }

    /// Store what an Assign evaluated to in the innermost scope. Err when a
    /// name belongs to an outer scope, or a size limit is passed (`total`
    /// is the execution's running total of bytes held, updated here).
    pub fn assign(&mut self, assigned: &Map<String, Value>, total: &mut usize) -> Result<(), StatesError> {
        let mut together = 0;
        let mut sizes = Vec::with_capacity(assigned.len());
        for (name, value) in assigned {
            let size = json_size(value);
            if size > MAX_VARIABLE_BYTES {
                return Err(StatesError::new(
                    DATA_LIMIT_EXCEEDED,
                    format!(
                        "The value assigned to the variable '{name}' is {size} bytes: a variable holds at most {MAX_VARIABLE_BYTES} bytes."
                    ),
                ));
            }
            together += size;
            sizes.push(size);
        }
        if together > MAX_VARIABLE_BYTES {
            return Err(StatesError::new(
                DATA_LIMIT_EXCEEDED,
                format!(
                    "The variables of one Assign field total {together} bytes: at most {MAX_VARIABLE_BYTES} bytes may be assigned at once."
                ),
            ));
        }
        let scope = Rc::make_mut(self.0.get_or_insert_with(Rc::default));
        let outer = Variables(scope.parent.clone());
        let mut new_total = *total;
        for ((name, value), size) in assigned.iter().zip(sizes) {
            if !scope.values.contains_key(name) && outer.get(name).is_some() {
                // LocalStack's IllegalOuterScopeWrite, worded as it words it.
                let shown = value.as_str().map_or_else(|| value.to_string(), String::from);
                return Err(StatesError::new(
                    "States.Runtime",
                    format!("Cannot bind value '{shown}' to variable '{name}' as it belongs to an outer scope."),
                ));
            }
            let old = scope.values.get(name).map_or(0, json_size);
            new_total = new_total.saturating_sub(old) + size;
        }
        if new_total > MAX_EXECUTION_VARIABLE_BYTES {
            return Err(StatesError::new(
                DATA_LIMIT_EXCEEDED,
                format!(
                    "The execution's variables would hold {new_total} bytes: an execution holds at most {MAX_EXECUTION_VARIABLE_BYTES} bytes of variables."
                ),
            ));
        }
        *total = new_total;
        for (name, value) in assigned {
            scope.values.insert(name.clone(), value.clone());
        }
        Ok(())
    }

    /// The bytes the innermost scope holds (given back when it ends).
    pub fn innermost_bytes(&self) -> usize {
        self.0.as_ref().map_or(0, |scope| scope.values.values().map(json_size).sum())
    }
}

/// `assignedVariables` of a `...StateExited` event: each value as compact
/// JSON text (`"\"oof\""`, `"42"`), as recorded against AWS.
pub fn assigned_event_details(assigned: &Map<String, Value>) -> Value {
    Value::Object(assigned.iter().map(|(name, value)| (name.clone(), Value::String(value.to_string()))).collect())
}

/// Whether `name` may name a variable: a letter or `_`, then letters, digits
/// and `_`; not the reserved `states`.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    first && chars.all(|c| c.is_alphanumeric() || c == '_') && name != RESERVED
}

/// The length of `value`'s compact JSON text, without building it.
fn json_size(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn inner_scopes_read_outer_variables_and_may_not_assign_them() {
        let mut total = 0;
        let mut outer = Variables::default();
        outer.assign(&map(json!({"x": 1, "y": "a"})), &mut total).unwrap();
        let mut inner = outer.inner();
        assert_eq!(inner.get("x"), Some(&json!(1)));
        inner.assign(&map(json!({"z": true})), &mut total).unwrap();
        assert_eq!(inner.get("z"), Some(&json!(true)));
        assert_eq!(outer.get("z"), None);
        let error = inner.assign(&map(json!({"y": "b"})), &mut total).unwrap_err();
        assert_eq!(error.error, "States.Runtime");
        assert_eq!(error.cause, "Cannot bind value 'b' to variable 'y' as it belongs to an outer scope.");
        // The outer scope itself may reassign.
        outer.assign(&map(json!({"y": "c"})), &mut total).unwrap();
        assert_eq!(outer.get("y"), Some(&json!("c")));
    }

    #[test]
    fn sizes_are_limited() {
        let mut total = 0;
        let mut variables = Variables::default();
        let big = json!("a".repeat(MAX_VARIABLE_BYTES));
        let error = variables.assign(&map(json!({"big": big})), &mut total).unwrap_err();
        assert_eq!(error.error, DATA_LIMIT_EXCEEDED);
        let half = json!("a".repeat(MAX_VARIABLE_BYTES / 2));
        let error = variables.assign(&map(json!({"a": half, "b": half})), &mut total).unwrap_err();
        assert_eq!(error.error, DATA_LIMIT_EXCEEDED);
        assert!(variables.is_empty());
        let mut total = MAX_EXECUTION_VARIABLE_BYTES - 10;
        let error = variables.assign(&map(json!({"c": "0123456789"})), &mut total).unwrap_err();
        assert!(error.cause.contains("at most 10485760 bytes"), "{}", error.cause);
    }

    #[test]
    fn names_and_event_details() {
        assert!(is_valid_name("answer") && is_valid_name("_x1") && is_valid_name("größe"));
        assert!(!is_valid_name("states") && !is_valid_name("1x") && !is_valid_name("a-b") && !is_valid_name(""));
        assert_eq!(
            assigned_event_details(&map(json!({"foo": "oof", "answer": 42}))),
            json!({"foo": "\"oof\"", "answer": "42"})
        );
    }
}
