//! Input and output processing of a state (to be written).

use super::StatesError;
use serde_json::Value;

/// InputPath: None when the field is absent ($), Some(None) when null
/// (the state gets {}), else the path.
pub fn input_path(input: &Value, path: Option<Option<&str>>, context: &Value) -> Result<Value, StatesError> {
    let _ = (input, path, context);
    todo!("data::input_path")
}

/// A payload template (Parameters, ResultSelector, ItemSelector): fields whose
/// name ends in `.$` take the value of a path into `input` (`$...`), the
/// context object (`$$...`), or an intrinsic function call.
pub fn template(template: &Value, input: &Value, context: &Value) -> Result<Value, StatesError> {
    let _ = (template, input, context);
    todo!("data::template")
}

/// ResultPath: where the result goes in the state's input.
pub fn result_path(input: &Value, result: Value, path: Option<Option<&str>>) -> Result<Value, StatesError> {
    let _ = (input, result, path);
    todo!("data::result_path")
}

/// OutputPath, like InputPath.
pub fn output_path(output: &Value, path: Option<Option<&str>>) -> Result<Value, StatesError> {
    let _ = (output, path);
    todo!("data::output_path")
}
