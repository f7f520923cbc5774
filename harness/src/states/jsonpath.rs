//! JSONPath as Step Functions reads it (to be written).

use serde_json::Value;

/// Why a path could not be read or written.
#[derive(Clone, Debug, PartialEq)]
pub struct PathError {
    pub path: String,
    pub message: String,
}

/// Whether `path` is a valid JSONPath (`$`, `$.a.b`, `$['a b']`, `$.a[0]`,
/// `$.a[*].b`, `$..b`, slices, filters) for a `.$` field or an InputPath.
pub fn is_valid(path: &str) -> bool {
    let _ = path;
    todo!("jsonpath::is_valid")
}

/// Whether `path` is a reference path: definite, one node (no wildcards,
/// slices, filters or recursive descent), as ResultPath and *Path fields need.
pub fn is_reference_path(path: &str) -> bool {
    let _ = path;
    todo!("jsonpath::is_reference_path")
}

/// The value at `path` in `document`: the node itself for a definite path,
/// the array of matches for an indefinite one. Err when a definite path
/// does not exist in the document.
pub fn get(document: &Value, path: &str) -> Result<Value, PathError> {
    let _ = (document, path);
    todo!("jsonpath::get")
}

/// `document` with `value` placed at the reference path `path`, creating
/// missing objects on the way (ResultPath semantics); `$` replaces it whole.
pub fn set(document: &Value, path: &str, value: Value) -> Result<Value, PathError> {
    let _ = (document, path, value);
    todo!("jsonpath::set")
}
