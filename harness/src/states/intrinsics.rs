//! The intrinsic functions, `States.Format(...)` and friends (to be written).

use super::StatesError;
use serde_json::Value;

/// Whether `text` is written as an intrinsic function call.
pub fn is_call(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Check the call's syntax and function name without evaluating it.
pub fn check(text: &str) -> Result<(), String> {
    let _ = text;
    todo!("intrinsics::check")
}

/// Evaluate the call; path arguments read `input` (`$`) or `context` (`$$`).
/// Failures are `States.IntrinsicFailure` or `States.Runtime` with the
/// service's cause text.
pub fn evaluate(text: &str, input: &Value, context: &Value) -> Result<Value, StatesError> {
    let _ = (text, input, context);
    todo!("intrinsics::evaluate")
}
