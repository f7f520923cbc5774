//! Choice rules (to be written).

use super::StatesError;
use serde_json::Value;

/// Whether `rule` (a Choice rule, with And/Or/Not nesting) holds for `input`.
pub fn matches(rule: &Value, input: &Value) -> Result<bool, StatesError> {
    let _ = (rule, input);
    todo!("choice::matches")
}
