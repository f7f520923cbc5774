//! Validation of a state machine definition (to be written).

use serde_json::Value;

/// One problem in a definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, ...
    pub code: String,
    pub message: String,
    /// A JSON pointer to where the problem is, like `/States/pass1/Next`.
    pub pointer: String,
}

/// Every problem in `definition`, in document order; empty when valid.
pub fn validate(definition: &Value) -> Vec<Diagnostic> {
    let _ = definition;
    todo!("validate::validate")
}

/// The service's message for these problems:
/// `Invalid State Machine Definition: 'CODE: message at /pointer, ...'`.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    let _ = diagnostics;
    todo!("validate::report")
}
