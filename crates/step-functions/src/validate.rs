//! Validation of a state machine definition (JSONPath and JSONata), reporting every
//! problem at once the way Step Functions does on CreateStateMachine:
//! `Invalid State Machine Definition: 'CODE: message at /pointer, ...'`.
//!
//! Pointers follow the service's own style: `/` is the definition itself,
//! fields are joined by `/` and array elements are written `[i]`, as in
//! `/States/Run/Branches[0]/States/Pick/Choices[1]/Next`. State names are
//! written as they are, spaces included.
//!
//! Messages are the service's texts where they are known; `report` joins the
//! diagnostics as the service does. A JSONata state's fields are its
//! language's (Arguments and Output instead of the five JSONPath fields), and
//! every `{% … %}` expression must parse: a malformed one is reported at its
//! field, never left for the run (the wording of those messages is the
//! runner's own; no recording shows the service's).

use serde_json::{Map, Value};
use std::collections::{HashSet, VecDeque};

/// One problem in a definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, ...
    pub code: String,
    pub message: String,
    /// A JSON pointer to where the problem is, like `/States/pass1/Next`;
    /// `/` is the whole definition. Empty when the problem has no place
    /// (a workflow with no terminal state): the service then writes `at null`.
    pub pointer: String,
}

impl Diagnostic {
    fn new(code: &str, message: impl Into<String>, pointer: impl Into<String>) -> Self {
        Diagnostic { code: code.to_string(), message: message.into(), pointer: pointer.into() }
    }
}

/// The diagnostic codes the service uses.
pub const SCHEMA_VALIDATION_FAILED: &str = "SCHEMA_VALIDATION_FAILED";
pub const MISSING_TRANSITION_TARGET: &str = "MISSING_TRANSITION_TARGET";
pub const MISSING_END_STATE: &str = "MISSING_END_STATE";
pub const DUPLICATE_STATE_NAME: &str = "DUPLICATE_STATE_NAME";
pub const INVALID_STATE_NAME: &str = "INVALID_STATE_NAME";
pub const INVALID_RESOURCE: &str = "INVALID_RESOURCE";
pub const INVALID_JSON_DESCRIPTION: &str = "INVALID_JSON_DESCRIPTION";
pub const TOO_DEEPLY_NESTED: &str = "TOO_DEEPLY_NESTED";

/// The longest state name the service accepts, in characters.
pub const MAX_STATE_NAME_CHARS: usize = 80;
/// How many levels of JSON nesting this validator accepts.
pub const MAX_DEPTH: usize = 100;
/// The largest value of the service's many "seconds" and counter fields.
const MAX_SECONDS: i64 = 99_999_999;

/// Every problem in `definition`, in document order (a States block's own
/// problems, such as unreachable states, come after its states'); empty
/// when valid.
pub fn validate(definition: &Value) -> Vec<Diagnostic> {
    let mut validator = Validator::default();
    validator.machine(definition);
    validator.out
}

/// Like `validate`, for the definition as text: text that is not JSON gives
/// INVALID_JSON_DESCRIPTION, and an empty text is not a JSON object.
pub fn validate_text(text: &str) -> Vec<Diagnostic> {
    if text.trim().is_empty() {
        return vec![Diagnostic::new(SCHEMA_VALIDATION_FAILED, "Definition must be a valid JSON object", "")];
    }
    match serde_json::from_str::<Value>(text) {
        Ok(definition) => validate(&definition),
        Err(error) => vec![Diagnostic::new(INVALID_JSON_DESCRIPTION, error.to_string(), "")],
    }
}

/// The service's message for these problems:
/// `Invalid State Machine Definition: 'CODE: message at /pointer, ...'`.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    let parts: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            let place = if d.pointer.is_empty() { "null" } else { d.pointer.as_str() };
            format!("{}: {} at {}", d.code, d.message, place)
        })
        .collect();
    format!("Invalid State Machine Definition: '{}'", parts.join(", "))
}

// ---------------------------------------------------------------------------
// Field tables.

/// The state types: the typed model has one `State` variant for each.
const STATE_TYPES: [&str; 8] = crate::machine::TYPE_NAMES;

/// Fields each state type accepts in JSONPath mode, besides Type, Comment and
/// QueryLanguage, which every state accepts. A JSONata state accepts the same
/// less [`JSONPATH_ONLY`], plus Output (all but Fail), Arguments (Task,
/// Parallel) and Items (Map).
fn allowed_fields(state_type: &str) -> &'static [&'static str] {
    match state_type {
        "Pass" => &["InputPath", "OutputPath", "Result", "ResultPath", "Parameters", "Assign", "Next", "End"],
        "Task" => &[
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "ResultSelector",
            "Assign",
            "Resource",
            "Credentials",
            "Retry",
            "Catch",
            "TimeoutSeconds",
            "TimeoutSecondsPath",
            "HeartbeatSeconds",
            "HeartbeatSecondsPath",
            "Next",
            "End",
        ],
        "Wait" => &[
            "InputPath",
            "OutputPath",
            "Assign",
            "Seconds",
            "Timestamp",
            "SecondsPath",
            "TimestampPath",
            "Next",
            "End",
        ],
        "Parallel" => &[
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "ResultSelector",
            "Assign",
            "Retry",
            "Catch",
            "Branches",
            "Next",
            "End",
        ],
        "Map" => &[
            "InputPath",
            "OutputPath",
            "ResultPath",
            "Parameters",
            "ResultSelector",
            "Assign",
            "Retry",
            "Catch",
            "ItemProcessor",
            "Iterator",
            "ItemsPath",
            "ItemSelector",
            "ItemReader",
            "ItemBatcher",
            "ResultWriter",
            "MaxConcurrency",
            "MaxConcurrencyPath",
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
            "ToleratedFailureCount",
            "ToleratedFailureCountPath",
            "Label",
            "Next",
            "End",
        ],
        "Choice" => &["InputPath", "OutputPath", "Assign", "Choices", "Default"],
        "Succeed" => &["InputPath", "OutputPath"],
        "Fail" => &["Error", "Cause", "ErrorPath", "CausePath"],
        _ => &[],
    }
}

/// Fields that exist only in the JSONata query language.
const JSONATA_ONLY: [&str; 4] = ["Output", "Arguments", "Items", "Condition"];

/// Fields that exist only in the JSONPath query language.
const JSONPATH_ONLY: [&str; 14] = [
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "MaxConcurrencyPath",
];

/// The JSONPath-only fields ending in `Path` that are not listed above.
fn jsonpath_only(field: &str) -> bool {
    JSONPATH_ONLY.contains(&field) || field.starts_with("ToleratedFailure") && field.ends_with("Path")
}

const RETRIER_FIELDS: [&str; 7] =
    ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];
const CATCHER_FIELDS: [&str; 5] = ["ErrorEquals", "Next", "ResultPath", "Comment", "Assign"];

/// Choice rule comparison operators and what their operand is.
#[derive(Clone, Copy, PartialEq)]
enum Operand {
    String,
    Number,
    Boolean,
    Timestamp,
    Path,
    Test,
}

fn operator(name: &str) -> Option<Operand> {
    Some(match name {
        "StringEquals"
        | "StringLessThan"
        | "StringGreaterThan"
        | "StringLessThanEquals"
        | "StringGreaterThanEquals"
        | "StringMatches" => Operand::String,
        "NumericEquals"
        | "NumericLessThan"
        | "NumericGreaterThan"
        | "NumericLessThanEquals"
        | "NumericGreaterThanEquals" => Operand::Number,
        "BooleanEquals" => Operand::Boolean,
        "TimestampEquals"
        | "TimestampLessThan"
        | "TimestampGreaterThan"
        | "TimestampLessThanEquals"
        | "TimestampGreaterThanEquals" => Operand::Timestamp,
        "StringEqualsPath"
        | "StringLessThanPath"
        | "StringGreaterThanPath"
        | "StringLessThanEqualsPath"
        | "StringGreaterThanEqualsPath"
        | "NumericEqualsPath"
        | "NumericLessThanPath"
        | "NumericGreaterThanPath"
        | "NumericLessThanEqualsPath"
        | "NumericGreaterThanEqualsPath"
        | "BooleanEqualsPath"
        | "TimestampEqualsPath"
        | "TimestampLessThanPath"
        | "TimestampGreaterThanPath"
        | "TimestampLessThanEqualsPath"
        | "TimestampGreaterThanEqualsPath" => Operand::Path,
        "IsNull" | "IsPresent" | "IsNumeric" | "IsString" | "IsBoolean" | "IsTimestamp" => Operand::Test,
        _ => return None,
    })
}

/// The kind of object holding a States block.
#[derive(Clone, Copy, PartialEq)]
enum Block {
    Machine,
    Branch,
    Processor,
}

// ---------------------------------------------------------------------------
// Pointers.

fn child(base: &str, field: &str) -> String {
    format!("{base}/{field}")
}

fn element(base: &str, index: usize) -> String {
    format!("{base}[{index}]")
}

/// Where a problem with the object at `base` is reported: `/` for the root.
fn place(base: &str) -> String {
    if base.is_empty() { "/".to_string() } else { base.to_string() }
}

// ---------------------------------------------------------------------------
// Messages.

fn required(fields: &[&str]) -> String {
    format!("These fields are required: [{}]", fields.join(", "))
}

fn not_supported(field: &str) -> String {
    format!("Field '{field}' is not supported")
}

fn only_one_of(fields: &[&str]) -> String {
    format!("There should only be one of the following fields: [{}]", fields.join(", "))
}

fn one_of_needed(fields: &[&str]) -> String {
    format!("This object should have only one of the following fields: [{}]", fields.join(", "))
}

fn must_be(field: &str, what: &str) -> String {
    format!("The value for the field '{field}' must be {what}")
}

fn one_of_values(values: &[&str]) -> String {
    format!("Value should be one of the following: [{}]", values.join(", "))
}

fn jsonata_only(field: &str) -> String {
    format!(
        "The QueryLanguage is set to 'JSONPath', but field '{field}' is only supported for the 'JSONata' QueryLanguage"
    )
}

fn jsonpath_field_in_jsonata(field: &str) -> String {
    format!(
        "The QueryLanguage is set to 'JSONata', but field '{field}' is only supported for the 'JSONPath' QueryLanguage"
    )
}

fn invalid_expression(why: &str) -> String {
    format!("The value must be a valid JSONata expression: {why}")
}

// ---------------------------------------------------------------------------
// Checks that read JSONPath and intrinsic function syntax, kept apart: they
// are the only ones that call into `jsonpath` and `intrinsics`.

mod syntax {
    use crate::{intrinsics, jsonpath};

    /// A path that reads a value: the input (`$...`), the context (`$$...`)
    /// or a variable (`$name...`).
    pub(super) fn reading_path(text: &str) -> bool {
        text.starts_with('$') && jsonpath::is_valid_reading(text)
    }

    /// A reference path (one definite node); `reading` allows `$$...` and
    /// variables, which a field that writes (ResultPath) cannot name.
    pub(super) fn reference_path(text: &str, reading: bool) -> bool {
        if reading {
            return text.starts_with('$') && jsonpath::is_reference_reading(text);
        }
        text.starts_with('$') && !text.starts_with("$$") && jsonpath::is_reference_path(text)
    }

    /// The value of a `key.$` field: a path or an intrinsic function call.
    pub(super) fn dynamic_value(text: &str) -> bool {
        if intrinsics::is_call(text) { intrinsics::check(text.trim()).is_ok() } else { reading_path(text) }
    }
}

fn reference_path_message(text: &str) -> String {
    if text.starts_with('$') {
        "Value is not a Reference Path".to_string()
    } else {
        "Value is not a Reference Path: Reference path didn't start with '$'".to_string()
    }
}

// ---------------------------------------------------------------------------
// The walk.

#[derive(Default)]
struct Validator {
    out: Vec<Diagnostic>,
    /// Every state name met so far, in the whole machine.
    names: HashSet<String>,
    /// The machine's QueryLanguage is JSONata.
    machine_jsonata: bool,
    /// The state being checked is a JSONata state.
    jsonata: bool,
}

impl Validator {
    fn push(&mut self, code: &str, message: impl Into<String>, pointer: impl Into<String>) {
        self.out.push(Diagnostic::new(code, message, pointer));
    }

    fn schema(&mut self, message: impl Into<String>, pointer: impl Into<String>) {
        self.push(SCHEMA_VALIDATION_FAILED, message, pointer);
    }

    fn machine(&mut self, definition: &Value) {
        let Some(object) = definition.as_object() else {
            self.schema("Definition must be a valid JSON object", "");
            return;
        };
        if let Some(pointer) = too_deep(definition) {
            self.push(
                TOO_DEEPLY_NESTED,
                format!("The definition is nested more than {MAX_DEPTH} levels deep"),
                pointer,
            );
            return;
        }
        self.machine_jsonata = object.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
        self.block(object, "", Block::Machine);
    }

    /// A machine, a Parallel branch or a Map processor: StartAt and States.
    fn block(&mut self, object: &Map<String, Value>, base: &str, kind: Block) {
        let missing: Vec<&str> =
            ["States", "StartAt"].into_iter().filter(|field| !object.contains_key(*field)).collect();
        if !missing.is_empty() {
            self.schema(required(&missing), place(base));
        }
        let states = object.get("States").and_then(Value::as_object);
        let scope: HashSet<&str> = states.map(|states| states.keys().map(String::as_str).collect()).unwrap_or_default();
        for (field, value) in object {
            let pointer = child(base, field);
            match (field.as_str(), kind) {
                ("StartAt", _) => match value.as_str() {
                    None => self.schema(must_be(field, "a string"), pointer),
                    Some(target) => {
                        if states.is_some() && !scope.contains(target) {
                            self.push(MISSING_TRANSITION_TARGET, format!("Missing 'Next' target: {target}"), pointer);
                        }
                    }
                },
                ("States", _) => match value.as_object() {
                    None => self.schema(must_be(field, "an object"), pointer),
                    Some(states) => {
                        for (name, state) in states {
                            self.state(name, state, &child(&pointer, name), &scope);
                        }
                    }
                },
                ("Comment", _) => self.string(field, value, pointer),
                ("QueryLanguage", Block::Machine) => self.query_language(value, pointer),
                ("TimeoutSeconds", Block::Machine) => self.integer(field, value, 1, MAX_SECONDS, pointer),
                ("Version", Block::Machine) => self.one_of(value, &["1.0"], pointer),
                ("ProcessorConfig", Block::Processor) => self.processor_config(value, &pointer),
                _ => self.schema(not_supported(field), place(base)),
            }
        }
        if let Some(states) = states {
            self.graph(object, states, base, kind);
        }
    }

    /// A States block's own problems: no terminal state, unreachable states.
    fn graph(&mut self, object: &Map<String, Value>, states: &Map<String, Value>, base: &str, kind: Block) {
        let terminal = states.values().any(|state| {
            state.get("End") == Some(&Value::Bool(true))
                || matches!(state.get("Type").and_then(Value::as_str), Some("Succeed" | "Fail"))
        });
        if !terminal {
            let pointer = if kind == Block::Machine { String::new() } else { place(base) };
            self.push(MISSING_END_STATE, "Workflow has no terminal state", pointer);
            return;
        }
        let Some(start) = object.get("StartAt").and_then(Value::as_str).filter(|start| states.contains_key(*start))
        else {
            return;
        };
        let mut reached: HashSet<&str> = HashSet::from([start]);
        let mut queue = VecDeque::from([start]);
        while let Some(name) = queue.pop_front() {
            for target in transitions(&states[name]) {
                if states.contains_key(target) && reached.insert(target) {
                    queue.push_back(target);
                }
            }
        }
        let states_pointer = child(base, "States");
        for name in states.keys() {
            if !reached.contains(name.as_str()) {
                self.push(
                    MISSING_TRANSITION_TARGET,
                    format!("State \"{name}\" is not reachable."),
                    child(&states_pointer, name),
                );
            }
        }
    }

    fn state(&mut self, name: &str, value: &Value, pointer: &str, scope: &HashSet<&str>) {
        if name.chars().count() > MAX_STATE_NAME_CHARS {
            self.push(
                INVALID_STATE_NAME,
                format!("Invalid State name: State '{name}' exceeds the {MAX_STATE_NAME_CHARS}-character limit allowed by the service"),
                pointer,
            );
        }
        if !self.names.insert(name.to_string()) {
            self.push(DUPLICATE_STATE_NAME, format!("Duplicate State name: {name}"), pointer);
        }
        let Some(state) = value.as_object() else {
            self.schema(must_be(name, "an object"), pointer);
            return;
        };
        let state_type = match state.get("Type") {
            None => {
                self.schema(required(&["Type"]), pointer);
                return;
            }
            Some(Value::String(t)) if STATE_TYPES.contains(&t.as_str()) => t.as_str(),
            Some(_) => {
                self.schema(
                    format!("The field 'Type' should have one of these values: [{}]", STATE_TYPES.join(", ")),
                    child(pointer, "Type"),
                );
                return;
            }
        };
        let needed: &[&str] = match state_type {
            "Task" => &["Resource"],
            "Choice" => &["Choices"],
            "Parallel" => &["Branches"],
            _ => &[],
        };
        let missing: Vec<&str> = needed.iter().copied().filter(|field| !state.contains_key(*field)).collect();
        if !missing.is_empty() {
            self.schema(required(&missing), pointer);
        }
        let own = state.get("QueryLanguage").and_then(Value::as_str);
        self.jsonata = match own {
            Some("JSONata") => true,
            Some("JSONPath") => false,
            _ => self.machine_jsonata,
        };
        let allowed = allowed_fields(state_type);
        for (field, value) in state {
            let field_pointer = child(pointer, field);
            match field.as_str() {
                "Type" => {}
                "Comment" => self.string(field, value, field_pointer),
                "QueryLanguage" => {
                    self.query_language(value, field_pointer);
                    // AWS's ValidateStateMachineDefinition, recorded in LocalStack's
                    // test_sfn_api_validation.snapshot.json (INVALID_DOWNGRADE): at
                    // the state, not its field.
                    if self.machine_jsonata && own == Some("JSONPath") {
                        self.schema(
                            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                            pointer,
                        );
                    }
                }
                f if JSONATA_ONLY.contains(&f) && !self.jsonata => self.schema(jsonata_only(f), field_pointer),
                f if self.jsonata && jsonpath_only(f) => self.schema(jsonpath_field_in_jsonata(f), field_pointer),
                "Output" if state_type == "Fail" => self.schema(not_supported(field), pointer),
                "Arguments" if !matches!(state_type, "Task" | "Parallel") => self.schema(not_supported(field), pointer),
                "Items" if state_type != "Map" => self.schema(not_supported(field), pointer),
                "Output" | "Arguments" | "Items" => self.expressions(value, &field_pointer),
                f if !allowed.contains(&f) => self.schema(not_supported(f), pointer),
                _ => self.field(field, value, &field_pointer, scope),
            }
        }
        self.combinations(state_type, state, pointer);
    }

    /// One field of a state whose type accepts it.
    fn field(&mut self, field: &str, value: &Value, pointer: &str, scope: &HashSet<&str>) {
        match field {
            "Next" | "Default" => self.target(field, value, pointer, scope),
            "End" => self.boolean(field, value, pointer),
            "InputPath" | "OutputPath" => self.reading_path(field, value, pointer),
            "ResultPath" => self.result_path(field, value, pointer),
            "ItemSelector" if self.jsonata => self.expressions(value, pointer),
            "Parameters" | "ResultSelector" | "ItemSelector" => self.template(value, pointer),
            "Result" => {}
            "Assign" => self.assign(value, pointer),
            "TimeoutSeconds"
            | "HeartbeatSeconds"
            | "Seconds"
            | "MaxConcurrency"
            | "ToleratedFailureCount"
            | "ToleratedFailurePercentage"
            | "Timestamp"
            | "Error"
            | "Cause"
                if self.jsonata && value.as_str().is_some_and(crate::query::is_expression) =>
            {
                self.expressions(value, pointer)
            }
            "Resource" => self.resource(value, pointer),
            "Credentials" => self.credentials(value, pointer),
            "TimeoutSeconds" | "HeartbeatSeconds" => self.integer(field, value, 1, MAX_SECONDS, pointer.to_string()),
            "Seconds" => self.integer(field, value, 0, MAX_SECONDS, pointer.to_string()),
            "Timestamp" => self.timestamp(field, value, pointer),
            "TimeoutSecondsPath"
            | "HeartbeatSecondsPath"
            | "SecondsPath"
            | "TimestampPath"
            | "ItemsPath"
            | "MaxConcurrencyPath"
            | "ToleratedFailurePercentagePath"
            | "ToleratedFailureCountPath" => self.reference_path(field, value, true, pointer),
            "Retry" | "Catch" => self.handlers(field, value, pointer, scope),
            "Choices" => match value.as_array() {
                None => self.schema(must_be(field, "an array"), pointer),
                Some(rules) if rules.is_empty() => self.schema("Value cannot be empty", pointer),
                Some(rules) => {
                    for (index, rule) in rules.iter().enumerate() {
                        self.choice_rule(rule, &element(pointer, index), Some(scope));
                    }
                }
            },
            "Error" | "Cause" => self.string(field, value, pointer.to_string()),
            "ErrorPath" | "CausePath" => self.dynamic(field, value, pointer),
            "Branches" => match value.as_array() {
                None => self.schema(must_be(field, "an array"), pointer),
                Some(branches) if branches.is_empty() => self.schema("Value cannot be empty", pointer),
                Some(branches) => {
                    for (index, branch) in branches.iter().enumerate() {
                        let branch_pointer = element(pointer, index);
                        match branch.as_object() {
                            None => self.schema(must_be(field, "an array of objects"), branch_pointer),
                            Some(branch) => self.block(branch, &branch_pointer, Block::Branch),
                        }
                    }
                }
            },
            "ItemProcessor" | "Iterator" => match value.as_object() {
                None => self.schema(must_be(field, "an object"), pointer),
                Some(processor) => self.block(processor, pointer, Block::Processor),
            },
            "MaxConcurrency" | "ToleratedFailureCount" => self.integer(field, value, 0, i64::MAX, pointer.to_string()),
            "ToleratedFailurePercentage" => self.number(field, value, (0.0, "0"), Some((100.0, "100")), pointer),
            "ItemReader" | "ItemBatcher" | "ResultWriter" => self.object(field, value, pointer.to_string()),
            "Label" => self.string(field, value, pointer.to_string()),
            // Every field of `allowed_fields` has its arm above.
            _ => {}
        }
    }

    /// Rules on fields taken together: Next or End, one of several spellings.
    fn combinations(&mut self, state_type: &str, state: &Map<String, Value>, pointer: &str) {
        let has = |field: &str| state.contains_key(field);
        let exclusive = |validator: &mut Validator, fields: &[&str]| {
            if fields.iter().filter(|field| has(field)).count() > 1 {
                validator.schema(only_one_of(fields), pointer);
            }
        };
        if matches!(state_type, "Task" | "Pass" | "Wait" | "Parallel" | "Map") {
            let end = state.get("End") == Some(&Value::Bool(true));
            if has("Next") && end {
                self.schema(only_one_of(&["Next", "End"]), pointer);
            } else if !has("Next") && !end {
                self.schema(one_of_needed(&["Next", "End"]), pointer);
            }
        }
        match state_type {
            "Task" => {
                exclusive(self, &["TimeoutSeconds", "TimeoutSecondsPath"]);
                exclusive(self, &["HeartbeatSeconds", "HeartbeatSecondsPath"]);
            }
            "Wait" => {
                let fields = ["SecondsPath", "Seconds", "TimestampPath", "Timestamp"];
                match fields.iter().filter(|field| has(field)).count() {
                    0 => self.schema(one_of_needed(&fields), pointer),
                    1 => {}
                    _ => self.schema(only_one_of(&fields), pointer),
                }
            }
            "Map" => {
                match (has("ItemProcessor"), has("Iterator")) {
                    (false, false) => self.schema(one_of_needed(&["ItemProcessor", "Iterator"]), pointer),
                    (true, true) => self.schema(only_one_of(&["ItemProcessor", "Iterator"]), pointer),
                    _ => {}
                }
                exclusive(self, &["Parameters", "ItemSelector"]);
                exclusive(self, &["MaxConcurrency", "MaxConcurrencyPath"]);
                exclusive(self, &["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"]);
                exclusive(self, &["ToleratedFailureCount", "ToleratedFailureCountPath"]);
            }
            "Fail" => {
                exclusive(self, &["Error", "ErrorPath"]);
                exclusive(self, &["Cause", "CausePath"]);
            }
            _ => {}
        }
    }

    /// Next, Default, a choice rule's or a catcher's Next: a state of this block.
    fn target(&mut self, field: &str, value: &Value, pointer: &str, scope: &HashSet<&str>) {
        match value.as_str() {
            None => self.schema(must_be(field, "a string"), pointer),
            Some(target) => {
                if !scope.contains(target) {
                    self.push(MISSING_TRANSITION_TARGET, format!("Missing 'Next' target: {target}"), pointer);
                }
            }
        }
    }

    fn handlers(&mut self, field: &str, value: &Value, pointer: &str, scope: &HashSet<&str>) {
        let Some(handlers) = value.as_array() else {
            self.schema(must_be(field, "an array"), pointer);
            return;
        };
        let catch = field == "Catch";
        for (index, handler) in handlers.iter().enumerate() {
            let handler_pointer = element(pointer, index);
            let Some(handler) = handler.as_object() else {
                self.schema(must_be(field, "an array of objects"), handler_pointer);
                continue;
            };
            let needed: &[&str] = if catch { &["ErrorEquals", "Next"] } else { &["ErrorEquals"] };
            let missing: Vec<&str> = needed.iter().copied().filter(|f| !handler.contains_key(*f)).collect();
            if !missing.is_empty() {
                self.schema(required(&missing), handler_pointer.as_str());
            }
            let allowed: &[&str] = if catch { &CATCHER_FIELDS } else { &RETRIER_FIELDS };
            for (name, value) in handler {
                let value_pointer = child(&handler_pointer, name);
                match name.as_str() {
                    "Output" if catch && !self.jsonata => self.schema(jsonata_only(name), value_pointer),
                    "Output" if catch => self.expressions(value, &value_pointer),
                    "ResultPath" if catch && self.jsonata => {
                        self.schema(jsonpath_field_in_jsonata(name), value_pointer)
                    }
                    f if !allowed.contains(&f) => self.schema(not_supported(f), handler_pointer.as_str()),
                    "ErrorEquals" => self.error_equals(value, &value_pointer, (index, handlers.len()), catch),
                    "Next" => self.target(name, value, &value_pointer, scope),
                    "ResultPath" => self.result_path(name, value, &value_pointer),
                    "Comment" => self.string(name, value, value_pointer),
                    "Assign" => self.assign(value, &value_pointer),
                    "IntervalSeconds" => self.integer(name, value, 1, MAX_SECONDS, value_pointer),
                    "MaxAttempts" => self.integer(name, value, 0, MAX_SECONDS, value_pointer),
                    "MaxDelaySeconds" => self.integer(name, value, 1, MAX_SECONDS, value_pointer),
                    "BackoffRate" => self.number(name, value, (1.0, "1.0"), None, &value_pointer),
                    "JitterStrategy" => self.one_of(value, &["FULL", "NONE"], value_pointer),
                    _ => {}
                }
            }
        }
    }

    /// A Retrier's or (with `catch`) a Catcher's ErrorEquals, the handler
    /// being number `index` of `count`.
    fn error_equals(&mut self, value: &Value, pointer: &str, (index, count): (usize, usize), catch: bool) {
        let Some(names) = value.as_array() else {
            self.schema(must_be("ErrorEquals", "an array of strings"), pointer);
            return;
        };
        // AWS ran a machine whose Catch has `"ErrorEquals": []` (LocalStack's
        // task_service_lambda_invoke_catch_tbd.json5, recorded against AWS in
        // tests/recorded/cases.json, `test_raise_custom_exception`): only a
        // Retrier's must name an error.
        if names.is_empty() && catch {
            return;
        }
        if names.is_empty() {
            self.schema("Value cannot be empty", pointer);
            return;
        }
        if names.iter().any(|name| !name.is_string()) {
            self.schema(must_be("ErrorEquals", "an array of strings"), pointer);
        }
        let all = names.iter().any(|name| name.as_str() == Some("States.ALL"));
        if all && (names.len() > 1 || index + 1 != count) {
            self.schema("States.ALL must appear alone and at end of list", pointer);
        }
    }

    /// A choice rule: `scope` is Some for a top-level rule (which has Next),
    /// None for a rule nested in And, Or or Not.
    fn choice_rule(&mut self, rule: &Value, pointer: &str, scope: Option<&HashSet<&str>>) {
        let Some(rule) = rule.as_object() else {
            self.schema("A choice rule must be an object", pointer);
            return;
        };
        if scope.is_some() && !rule.contains_key("Next") {
            self.schema(required(&["Next"]), pointer);
        }
        let selectors: Vec<&str> =
            ["And", "Or", "Not", "Variable"].into_iter().filter(|field| rule.contains_key(*field)).collect();
        if self.jsonata && scope.is_some() && !rule.contains_key("Condition") {
            self.schema(required(&["Condition"]), pointer);
        } else if selectors.len() + usize::from(rule.contains_key("Condition")) != 1 {
            self.schema(
                "The object must have only one of the following fields, [And, Or, Not, Variable, Condition]",
                pointer,
            );
        }
        let comparison = rule.contains_key("Variable");
        for (field, value) in rule {
            let field_pointer = child(pointer, field);
            // A JSONata rule is a Condition: the JSONPath forms are not read there.
            if self.jsonata
                && (operator(field).is_some() || matches!(field.as_str(), "And" | "Or" | "Not" | "Variable"))
            {
                self.schema(jsonpath_field_in_jsonata(field), field_pointer);
                continue;
            }
            if let Some(operand) = operator(field) {
                if comparison || selectors.is_empty() {
                    self.operand(field, operand, value, &field_pointer);
                } else {
                    self.schema(not_supported(field), pointer);
                }
                continue;
            }
            match field.as_str() {
                "Variable" => self.reference_path(field, value, true, &field_pointer),
                "And" | "Or" => match value.as_array() {
                    None => self.schema(must_be(field, "an array"), field_pointer),
                    Some(rules) if rules.is_empty() => self.schema("Value cannot be empty", field_pointer),
                    Some(rules) => {
                        for (index, nested) in rules.iter().enumerate() {
                            self.choice_rule(nested, &element(&field_pointer, index), None);
                        }
                    }
                },
                "Not" => match value {
                    Value::Object(_) => self.choice_rule(value, &field_pointer, None),
                    _ => self.schema(must_be(field, "an object holding one choice rule"), field_pointer),
                },
                "Comment" => self.string(field, value, field_pointer),
                "Condition" | "Output" if !self.jsonata => self.schema(jsonata_only(field), field_pointer),
                "Condition" => match value {
                    Value::Bool(_) => {}
                    Value::String(text) if crate::query::is_expression(text) => self.expressions(value, &field_pointer),
                    _ => self.schema(must_be(field, "a boolean or a JSONata expression"), field_pointer),
                },
                "Output" if scope.is_some() => self.expressions(value, &field_pointer),
                "Next" => match scope {
                    Some(scope) => self.target(field, value, &field_pointer, scope),
                    None => self.schema(not_supported(field), pointer),
                },
                "Assign" if scope.is_some() => self.assign(value, &field_pointer),
                _ => self.schema(not_supported(field), pointer),
            }
        }
        if comparison {
            let operators: Vec<&str> =
                rule.keys().map(String::as_str).filter(|field| operator(field).is_some()).collect();
            match operators.len() {
                0 => self.schema(
                    "A choice rule with 'Variable' needs one comparison operator, such as StringEquals, NumericGreaterThan or IsPresent",
                    pointer,
                ),
                1 => {}
                _ => self.schema(only_one_of(&operators), pointer),
            }
        }
    }

    fn operand(&mut self, field: &str, operand: Operand, value: &Value, pointer: &str) {
        match operand {
            Operand::String => self.string(field, value, pointer.to_string()),
            Operand::Number => {
                if !value.is_number() {
                    self.schema(must_be(field, "a number"), pointer);
                }
            }
            Operand::Boolean | Operand::Test => self.boolean(field, value, pointer),
            Operand::Timestamp => self.timestamp(field, value, pointer),
            Operand::Path => self.reference_path(field, value, true, pointer),
        }
    }

    fn query_language(&mut self, value: &Value, pointer: String) {
        match value.as_str() {
            Some("JSONPath" | "JSONata") => {}
            _ => self.schema(one_of_values(&["JSONPath", "JSONata"]), pointer),
        }
    }

    /// A JSONata field (Output, Arguments, Items, a Condition...): every
    /// `{% … %}` string in it, at any depth, parses.
    fn expressions(&mut self, value: &Value, pointer: &str) {
        if let Err((at, why)) = crate::query::Template::compile(value) {
            self.schema(invalid_expression(&why), format!("{pointer}{at}"));
        }
    }

    /// Assign: an object whose keys name variables; in JSONPath its values
    /// are a payload template (`name.$` reads a path or calls an intrinsic),
    /// in JSONata JSONata values.
    fn assign(&mut self, value: &Value, pointer: &str) {
        let Some(fields) = value.as_object() else {
            self.schema(must_be("Assign", "an object"), pointer);
            return;
        };
        for key in fields.keys() {
            let name = if self.jsonata { key.as_str() } else { key.strip_suffix(".$").unwrap_or(key) };
            if !crate::variables::is_valid_name(name) {
                self.schema(
                    format!(
                        "The variable name '{name}' is not valid: a name starts with a letter or '_', goes on with letters, digits or '_', and is not 'states'"
                    ),
                    child(pointer, key),
                );
            }
        }
        if self.jsonata {
            self.expressions(value, pointer);
        } else {
            self.template(value, pointer);
        }
    }

    fn processor_config(&mut self, value: &Value, pointer: &str) {
        let Some(config) = value.as_object() else {
            self.schema(must_be("ProcessorConfig", "an object"), pointer);
            return;
        };
        for (field, value) in config {
            match field.as_str() {
                "Mode" => self.one_of(value, &["INLINE", "DISTRIBUTED"], child(pointer, field)),
                "ExecutionType" => self.one_of(value, &["STANDARD", "EXPRESS"], child(pointer, field)),
                _ => self.schema(not_supported(field), pointer),
            }
        }
    }

    fn resource(&mut self, value: &Value, pointer: &str) {
        let Some(resource) = value.as_str() else {
            self.schema(must_be("Resource", "a string"), pointer);
            return;
        };
        if !resource.starts_with("arn:") {
            self.schema("Value is not a valid resource ARN", pointer);
            return;
        }
        // arn:partition:service:region:account:resource
        let parts: Vec<&str> = resource.splitn(6, ':').collect();
        let well_formed = parts.len() == 6 && !parts[1].is_empty() && !parts[2].is_empty() && !parts[5].is_empty();
        let lambda_ok = !well_formed
            || parts[2] != "lambda"
            || parts[5].strip_prefix("function:").is_some_and(|name| !name.is_empty() && !name.starts_with(':'));
        if !well_formed || !lambda_ok {
            self.push(
                INVALID_RESOURCE,
                format!(
                    "Invalid resource: '{resource}' is not a well-formed ARN (arn:partition:service:region:account:resource, \
                     like arn:aws:lambda:us-east-1:123456789012:function:my-function)"
                ),
                pointer,
            );
        }
    }

    fn credentials(&mut self, value: &Value, pointer: &str) {
        match value.as_object() {
            None => self.schema(must_be("Credentials", "an object"), pointer),
            Some(credentials) => {
                if !credentials.contains_key("RoleArn") && !credentials.contains_key("RoleArn.$") {
                    self.schema("The field 'RoleArn' is required but was missing", pointer);
                }
            }
        }
    }

    fn object(&mut self, field: &str, value: &Value, pointer: String) {
        if !value.is_object() {
            self.schema(must_be(field, "an object"), pointer);
        }
    }

    /// A string among `values`.
    fn one_of(&mut self, value: &Value, values: &[&str], pointer: String) {
        if !value.as_str().is_some_and(|text| values.contains(&text)) {
            self.schema(one_of_values(values), pointer);
        }
    }

    fn boolean(&mut self, field: &str, value: &Value, pointer: &str) {
        if !value.is_boolean() {
            self.schema(must_be(field, "a boolean"), pointer);
        }
    }

    fn string(&mut self, field: &str, value: &Value, pointer: String) {
        if !value.is_string() {
            self.schema(must_be(field, "a string"), pointer);
        }
    }

    fn integer(&mut self, field: &str, value: &Value, min: i64, max: i64, pointer: String) {
        let number = value.as_i64().or_else(|| value.as_u64().map(|_| i64::MAX));
        match number {
            None => self.schema(must_be(field, "an integer"), pointer),
            Some(n) if n < min => self.schema(format!("Minimum value is {min}"), pointer),
            Some(n) if n > max => self.schema(format!("Maximum value is {max}"), pointer),
            Some(_) => {}
        }
    }

    /// A number within bounds, each given with the text that names it.
    fn number(&mut self, field: &str, value: &Value, min: (f64, &str), max: Option<(f64, &str)>, pointer: &str) {
        match value.as_f64() {
            None => self.schema(must_be(field, "a number"), pointer),
            Some(n) if n < min.0 => self.schema(format!("Minimum value is {}", min.1), pointer),
            Some(n) if max.is_some_and(|max| n > max.0) => {
                self.schema(format!("Maximum value is {}", max.map_or("", |max| max.1)), pointer)
            }
            Some(_) => {}
        }
    }

    fn timestamp(&mut self, field: &str, value: &Value, pointer: &str) {
        match value.as_str() {
            None => self.schema(must_be(field, "a string"), pointer),
            Some(text) => {
                // The service wants an uppercase T and Z (RFC 3339 allows lowercase).
                let upper = text.as_bytes().get(10) == Some(&b'T') && !text.ends_with('z');
                if !upper || crate::choice::parse_timestamp(text).is_none() {
                    self.schema("String does not match RFC3339 timestamp", pointer);
                }
            }
        }
    }

    /// InputPath, OutputPath: null, or a path reading the input or context.
    fn reading_path(&mut self, field: &str, value: &Value, pointer: &str) {
        match value {
            Value::Null => {}
            Value::String(text) => {
                if !syntax::reading_path(text) {
                    self.schema("Value must be a valid JSONPath.", pointer);
                }
            }
            _ => self.schema(must_be(field, "a string"), pointer),
        }
    }

    /// ResultPath: null, or a reference path into the input.
    fn result_path(&mut self, field: &str, value: &Value, pointer: &str) {
        match value {
            Value::Null => {}
            Value::String(text) => {
                if !syntax::reference_path(text, false) {
                    self.schema(reference_path_message(text), pointer);
                }
            }
            _ => self.schema(must_be(field, "a string"), pointer),
        }
    }

    /// SecondsPath, ItemsPath, Variable...: a reference path.
    fn reference_path(&mut self, field: &str, value: &Value, context: bool, pointer: &str) {
        match value.as_str() {
            None => self.schema(must_be(field, "a string"), pointer),
            Some(text) => {
                if !syntax::reference_path(text, context) {
                    self.schema(reference_path_message(text), pointer);
                }
            }
        }
    }

    /// ErrorPath, CausePath, a `key.$` field: a path or an intrinsic function
    /// call. `report_at` is where the service reports a bad value.
    fn dynamic(&mut self, field: &str, value: &Value, report_at: &str) {
        let good = value.as_str().is_some_and(syntax::dynamic_value);
        if !good {
            self.schema(
                format!(
                    "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call"
                ),
                report_at,
            );
        }
    }

    /// Parameters, ResultSelector, ItemSelector: every `key.$` field at any
    /// depth holds a path or an intrinsic function call.
    fn template(&mut self, value: &Value, pointer: &str) {
        match value {
            Value::Object(fields) => {
                for (key, value) in fields {
                    if key.ends_with(".$") {
                        self.dynamic(key, value, pointer);
                    } else {
                        self.template(value, &child(pointer, key));
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.template(item, &element(pointer, index));
                }
            }
            _ => {}
        }
    }
}

/// The states a state can go to next, through the fields its type has:
/// Next; a Choice's Default and rules; the catchers of a Task, Parallel or Map.
/// A state of no known type goes wherever it says.
fn transitions(state: &Value) -> Vec<&str> {
    let (next, choice, catch) = match state.get("Type").and_then(Value::as_str) {
        Some("Choice") => (&["Default"][..], true, false),
        Some("Task" | "Parallel" | "Map") => (&["Next"][..], false, true),
        Some("Pass" | "Wait") => (&["Next"][..], false, false),
        Some("Succeed" | "Fail") => (&[][..], false, false),
        // Without a known type, every transition the state writes counts.
        _ => (&["Next", "Default"][..], true, true),
    };
    let mut targets: Vec<&str> = next.iter().filter_map(|field| state.get(*field)?.as_str()).collect();
    let lists = [("Choices", choice), ("Catch", catch)];
    for field in lists.into_iter().filter_map(|(field, has)| has.then_some(field)) {
        for item in state.get(field).and_then(Value::as_array).into_iter().flatten() {
            if let Some(target) = item.get("Next").and_then(Value::as_str) {
                targets.push(target);
            }
        }
    }
    targets
}

/// The pointer of the first value nested deeper than MAX_DEPTH, if any
/// (walked without recursion, so any depth is safe).
fn too_deep(root: &Value) -> Option<String> {
    let mut stack: Vec<(&Value, usize, String)> = vec![(root, 1, String::new())];
    while let Some((value, depth, pointer)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Some(place(&pointer));
        }
        match value {
            Value::Object(fields) => {
                for (key, value) in fields.iter().rev() {
                    stack.push((value, depth + 1, child(&pointer, key)));
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate().rev() {
                    stack.push((item, depth + 1, element(&pointer, index)));
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (code, message, pointer) of every diagnostic.
    fn problems(definition: Value) -> Vec<(String, String, String)> {
        validate(&definition).into_iter().map(|d| (d.code, d.message, d.pointer)).collect()
    }

    /// The one diagnostic of `definition`.
    fn only(definition: Value) -> (String, String, String) {
        let mut all = problems(definition);
        assert_eq!(all.len(), 1, "expected one diagnostic, got {all:#?}");
        all.remove(0)
    }

    fn expect(code: &str, message: &str, pointer: &str) -> (String, String, String) {
        (code.to_string(), message.to_string(), pointer.to_string())
    }

    /// A machine made of `state` (named X) followed by a Succeed state Done.
    fn with_state(state: Value) -> Value {
        json!({"StartAt": "X", "States": {"X": state, "Done": {"Type": "Succeed"}}})
    }

    const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:fn";

    // --- valid machines ----------------------------------------------------

    #[test]
    fn the_guides_two_lambda_chain_is_valid() {
        let machine = json!({
          "Comment": "A simple AWS Step Functions state machine that chains two Lambda functions.",
          "StartAt": "functionA",
          "States": {
            "functionA": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:functionA", "Next": "functionB"},
            "functionB": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:functionB", "End": true}
          }
        });
        assert_eq!(problems(machine), []);
    }

    #[test]
    fn every_state_type_without_paths() {
        let machine = json!({
            "Comment": "all types", "Version": "1.0", "TimeoutSeconds": 60, "QueryLanguage": "JSONPath",
            "StartAt": "Task",
            "States": {
                "Task": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Parameters": {"FunctionName": "fn", "Payload": {"static": [1, {"a": true}]}},
                         "TimeoutSeconds": 30, "HeartbeatSeconds": 10,
                         "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 0,
                                    "BackoffRate": 1.5, "MaxDelaySeconds": 10, "JitterStrategy": "FULL"},
                                   {"ErrorEquals": ["States.ALL"]}],
                         "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Failed"}, {"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                         "Next": "Wait"},
                "Wait": {"Type": "Wait", "Seconds": 0, "Next": "Until"},
                "Until": {"Type": "Wait", "Timestamp": "2026-11-27T12:00:00Z", "Next": "Pass"},
                "Pass": {"Type": "Pass", "Result": {"x.$": "not checked in Result"}, "Next": "Parallel"},
                "Parallel": {"Type": "Parallel", "Next": "Map",
                             "Branches": [{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
                                          {"StartAt": "B2", "States": {"B2": {"Type": "Succeed"}}}]},
                "Map": {"Type": "Map", "MaxConcurrency": 2, "ToleratedFailurePercentage": 10, "Next": "Choice",
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item",
                                          "States": {"Item": {"Type": "Pass", "End": true}}}},
                "Choice": {"Type": "Choice", "Default": "Done",
                           "Choices": [{"And": [{"Not": {"StringEquals": "x"}}], "Next": "Done"}]},
                "Done": {"Type": "Succeed"},
                "Failed": {"Type": "Fail", "Error": "Oops", "Cause": "it failed"}
            }
        });
        // The And rule above holds a comparison without Variable, which is
        // reported: every other field of this machine is right.
        assert_eq!(
            problems(machine),
            [expect(
                SCHEMA_VALIDATION_FAILED,
                "The object must have only one of the following fields, [And, Or, Not, Variable, Condition]",
                "/States/Choice/Choices[0]/And[0]/Not"
            )]
        );
    }

    // --- report --------------------------------------------------------------

    #[test]
    fn report_matches_the_service_word_for_word() {
        // LocalStack issue 11978, with the text AWS answered.
        let machine = json!({"StartAt": "pass1", "States": {
            "pass1": {"Type": "Pass", "Next": "pass3"},
            "pass2": {"Type": "Pass", "End": true}
        }});
        assert_eq!(
            report(&validate(&machine)),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, \
             MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'"
        );
    }

    #[test]
    fn report_of_one_problem_at_the_root() {
        let machine = json!({"StartAt": "A"});
        assert_eq!(
            report(&validate(&machine)),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
        );
    }

    #[test]
    fn report_writes_null_for_a_problem_without_place() {
        let machine =
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}});
        assert_eq!(
            report(&validate(&machine)),
            "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'"
        );
    }

    // --- the machine itself --------------------------------------------------

    #[test]
    fn an_empty_object_needs_states_and_start_at() {
        assert_eq!(
            only(json!({})),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [States, StartAt]", "/")
        );
        assert_eq!(
            only(json!({"States": {"A": {"Type": "Succeed"}}})),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [StartAt]", "/")
        );
    }

    #[test]
    fn a_definition_must_be_an_object() {
        for definition in [json!([]), json!("text"), json!(3), Value::Null] {
            assert_eq!(
                only(definition),
                expect(SCHEMA_VALIDATION_FAILED, "Definition must be a valid JSON object", "")
            );
        }
    }

    #[test]
    fn definitions_as_text() {
        let bad = validate_text("not a definition");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].code, INVALID_JSON_DESCRIPTION);
        assert_eq!(validate_text("  ")[0].message, "Definition must be a valid JSON object");
        assert_eq!(validate_text(r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#), []);
    }

    #[test]
    fn unknown_and_mistyped_top_level_fields() {
        let machine = json!({"StartAt": "A", "Coment": "typo", "Version": "2.0", "TimeoutSeconds": 0,
                             "States": {"A": {"Type": "Succeed"}}});
        assert_eq!(
            problems(machine),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Coment' is not supported", "/"),
                expect(SCHEMA_VALIDATION_FAILED, "Value should be one of the following: [1.0]", "/Version"),
                expect(SCHEMA_VALIDATION_FAILED, "Minimum value is 1", "/TimeoutSeconds"),
            ]
        );
        assert_eq!(
            only(json!({"StartAt": 1, "States": {"A": {"Type": "Succeed"}}})).1,
            "The value for the field 'StartAt' must be a string"
        );
        assert_eq!(only(json!({"StartAt": "A", "States": []})).2, "/States");
    }

    #[test]
    fn jsonata_machines_are_checked_with_jsonatas_fields() {
        let machine = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                  "Output": "{% $states.result.Payload %}", "Assign": {"n": "{% $states.input.n %}"},
                  "TimeoutSeconds": "{% $states.input.limit %}",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "C"}],
                  "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% $n > 1 %}", "Next": "M", "Output": 1}], "Default": "M"},
            "M": {"Type": "Map", "Items": "{% $states.input.items %}", "ItemSelector": {"v": "{% $states.context.Map.Item.Value %}"},
                  "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "Next": "W"},
            "W": {"Type": "Wait", "Seconds": "{% 1 %}", "Next": "F"},
            "F": {"Type": "Fail", "Error": "{% 'E' %}", "Cause": "plain"}
        }});
        assert_eq!(problems(machine), []);
        // A JSONata state in a JSONPath machine.
        assert_eq!(problems(with_state(json!({"Type": "Pass", "QueryLanguage": "JSONata", "Next": "Done"}))), []);
    }

    #[test]
    fn jsonpath_fields_and_malformed_expressions_in_a_jsonata_state() {
        let jsonata = |state: Value| json!({"QueryLanguage": "JSONata", "StartAt": "X", "States": {"X": state, "Done": {"Type": "Succeed"}}});
        assert_eq!(
            only(jsonata(json!({"Type": "Pass", "Parameters": {"a": 1}, "Next": "Done"}))),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage",
                "/States/X/Parameters"
            )
        );
        let (code, message, pointer) =
            only(jsonata(json!({"Type": "Pass", "Output": {"a": ["{% 1 + %}"]}, "Next": "Done"})));
        assert_eq!((code.as_str(), pointer.as_str()), (SCHEMA_VALIDATION_FAILED, "/States/X/Output/a[0]"));
        assert!(message.starts_with("The value must be a valid JSONata expression: S0"), "{message}");
        assert_eq!(only(jsonata(json!({"Type": "Pass", "Output": "{% $ %}", "Next": "Done"}))).2, "/States/X/Output");
        assert_eq!(
            only(jsonata(json!({"Type": "Pass", "QueryLanguage": "JSONPath", "Next": "Done"}))),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                "/States/X"
            )
        );
        assert_eq!(
            only(jsonata(json!({"Type": "Choice", "Choices": [{"Condition": "yes", "Next": "Done"}]}))).2,
            "/States/X/Choices[0]/Condition"
        );
        let rule = json!({"Variable": "$.a", "IsPresent": true, "Next": "Done"});
        let found = problems(jsonata(json!({"Type": "Choice", "Choices": [rule]})));
        let pointers: Vec<&str> = found.iter().map(|(_, _, pointer)| pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/States/X/Choices[0]", "/States/X/Choices[0]/Variable", "/States/X/Choices[0]/IsPresent"]
        );
    }

    #[test]
    fn variable_names_and_references() {
        assert_eq!(
            problems(with_state(
                json!({"Type": "Pass", "Assign": {"ok": 1, "v.$": "$x.y", "w.$": "States.Format('{}', $x)"},
                                       "Parameters": {"a.$": "$ok"}, "Next": "Done"})
            )),
            []
        );
        let (code, message, pointer) =
            only(with_state(json!({"Type": "Pass", "Assign": {"states": 1}, "Next": "Done"})));
        assert_eq!((code.as_str(), pointer.as_str()), (SCHEMA_VALIDATION_FAILED, "/States/X/Assign/states"));
        assert!(message.contains("'states'"), "{message}");
        assert_eq!(only(with_state(json!({"Type": "Pass", "Assign": [1], "Next": "Done"}))).2, "/States/X/Assign");
        // A variable is read, never written: ResultPath cannot name one.
        assert_eq!(
            only(with_state(json!({"Type": "Pass", "ResultPath": "$x", "Next": "Done"}))).2,
            "/States/X/ResultPath"
        );
    }

    #[test]
    fn jsonata_fields_in_a_jsonpath_state() {
        assert_eq!(
            only(with_state(json!({"Type": "Pass", "Output": {"a": 1}, "Next": "Done"}))),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
                "/States/X/Output"
            )
        );
    }

    #[test]
    fn too_deeply_nested() {
        let mut result = json!(1);
        for _ in 0..MAX_DEPTH {
            result = json!([result]);
        }
        let (code, _, pointer) = only(with_state(json!({"Type": "Pass", "Result": result, "Next": "Done"})));
        assert_eq!(code, TOO_DEEPLY_NESTED);
        assert!(pointer.starts_with("/States/X/Result[0][0]"), "{pointer}");
    }

    // --- transitions ---------------------------------------------------------

    #[test]
    fn start_at_names_a_state() {
        let machine = json!({"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}});
        // With no start, reachability is not judged.
        assert_eq!(only(machine), expect(MISSING_TRANSITION_TARGET, "Missing 'Next' target: Nope", "/StartAt"));
    }

    #[test]
    fn every_transition_names_a_state() {
        let machine = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": LAMBDA, "Next": "C",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]},
            "C": {"Type": "Choice", "Default": "Fallback",
                  "Choices": [{"Not": {"StringEquals": "x"}, "Next": "Elsewhere"}]},
            "End": {"Type": "Succeed"}
        }});
        let all = problems(machine);
        let targets: Vec<_> = all.iter().filter(|p| p.0 == MISSING_TRANSITION_TARGET).cloned().collect();
        assert_eq!(
            targets,
            [
                expect(MISSING_TRANSITION_TARGET, "Missing 'Next' target: Handler", "/States/T/Catch[0]/Next"),
                expect(MISSING_TRANSITION_TARGET, "Missing 'Next' target: Fallback", "/States/C/Default"),
                expect(MISSING_TRANSITION_TARGET, "Missing 'Next' target: Elsewhere", "/States/C/Choices[0]/Next"),
                expect(MISSING_TRANSITION_TARGET, "State \"End\" is not reachable.", "/States/End"),
            ]
        );
    }

    #[test]
    fn a_loop_without_terminal_state() {
        let lonely = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"},
                           "C": {"Type": "Pass", "Next": "A"}}});
        // No terminal state: unreachable states are not looked for.
        assert_eq!(only(lonely), expect(MISSING_END_STATE, "Workflow has no terminal state", ""));
        let with_end = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"},
                             "C": {"Type": "Pass", "End": true}}});
        assert_eq!(only(with_end), expect(MISSING_TRANSITION_TARGET, "State \"C\" is not reachable.", "/States/C"));
        let dangling = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "NOPE"}}});
        assert_eq!(
            problems(dangling),
            [
                expect(MISSING_TRANSITION_TARGET, "Missing 'Next' target: NOPE", "/States/A/Next"),
                expect(MISSING_END_STATE, "Workflow has no terminal state", ""),
            ]
        );
    }

    #[test]
    fn a_branch_is_its_own_scope() {
        let machine = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Next": "After", "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "Next": "After"}, "B2": {"Type": "Succeed"}}}
            ]},
            "After": {"Type": "Succeed"}
        }});
        assert_eq!(
            problems(machine),
            [
                expect(
                    MISSING_TRANSITION_TARGET,
                    "Missing 'Next' target: After",
                    "/States/P/Branches[0]/States/B1/Next"
                ),
                expect(MISSING_TRANSITION_TARGET, "State \"B2\" is not reachable.", "/States/P/Branches[0]/States/B2"),
            ]
        );
    }

    #[test]
    fn a_map_processor_is_its_own_scope() {
        let machine = json!({"StartAt": "M", "States": {
            "M": {"Type": "Map", "End": true, "Iterator": {"StartAt": "Outer", "States": {"I": {"Type": "Pass", "Next": "I"}}}},
            "Outer": {"Type": "Succeed"}
        }});
        assert_eq!(
            problems(machine),
            [
                expect(MISSING_TRANSITION_TARGET, "Missing 'Next' target: Outer", "/States/M/Iterator/StartAt"),
                expect(MISSING_END_STATE, "Workflow has no terminal state", "/States/M/Iterator"),
                expect(MISSING_TRANSITION_TARGET, "State \"Outer\" is not reachable.", "/States/Outer"),
            ]
        );
    }

    // --- names ---------------------------------------------------------------

    #[test]
    fn state_names_are_unique_in_the_whole_machine() {
        let machine = json!({"StartAt": "Map", "States": {
            "Map": {"Type": "Map", "Next": "Final State",
                    "Iterator": {"StartAt": "Final State", "States": {"Final State": {"Type": "Wait", "Seconds": 20, "End": true}}}},
            "Final State": {"Type": "Pass", "End": true}
        }});
        assert_eq!(
            only(machine),
            expect(DUPLICATE_STATE_NAME, "Duplicate State name: Final State", "/States/Final State")
        );
    }

    #[test]
    fn state_names_have_at_most_80_characters() {
        let long = "This is an exceptionally long state name that I know will fail when I try to deploy to AWS";
        let machine = json!({"StartAt": "Hello", "States": {
            "Hello": {"Type": "Pass", "Next": long},
            long: {"Type": "Pass", "End": true}
        }});
        assert_eq!(
            report(&validate(&machine)),
            format!(
                "Invalid State Machine Definition: 'INVALID_STATE_NAME: Invalid State name: State '{long}' exceeds the 80-character \
                 limit allowed by the service at /States/{long}'"
            )
        );
        let eighty = "n".repeat(80);
        assert_eq!(problems(json!({"StartAt": eighty, "States": {eighty.clone(): {"Type": "Succeed"}}})), []);
    }

    // --- states in general ---------------------------------------------------

    #[test]
    fn type_is_required_and_one_of_eight() {
        assert_eq!(
            only(with_state(json!({"Next": "Done"}))),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [Type]", "/States/X")
        );
        assert_eq!(
            only(with_state(json!({"Type": "Lambda", "Next": "Done"}))),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
                "/States/X/Type"
            )
        );
        assert_eq!(
            problems(with_state(json!("Pass")))[0],
            expect(SCHEMA_VALIDATION_FAILED, "The value for the field 'X' must be an object", "/States/X")
        );
    }

    #[test]
    fn next_or_end() {
        assert_eq!(
            only(with_state(json!({"Type": "Pass", "Next": "Done", "End": true}))),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "There should only be one of the following fields: [Next, End]",
                "/States/X"
            )
        );
        let neither = problems(with_state(json!({"Type": "Pass"})));
        assert_eq!(
            neither,
            [
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "This object should have only one of the following fields: [Next, End]",
                    "/States/X"
                ),
                expect(MISSING_TRANSITION_TARGET, "State \"Done\" is not reachable.", "/States/Done"),
            ]
        );
        assert_eq!(
            only(with_state(json!({"Type": "Pass", "Next": "Done", "End": "no"}))),
            expect(SCHEMA_VALIDATION_FAILED, "The value for the field 'End' must be a boolean", "/States/X/End")
        );
    }

    #[test]
    fn terminal_states_take_no_next() {
        let machine = json!({"StartAt": "S", "States": {"S": {"Type": "Succeed", "Next": "F"}, "F": {"Type": "Fail", "End": true}}});
        assert_eq!(
            problems(machine),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Next' is not supported", "/States/S"),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'End' is not supported", "/States/F"),
                // A Succeed state has no transition: F is reached by nothing.
                expect(MISSING_TRANSITION_TARGET, "State \"F\" is not reachable.", "/States/F"),
            ]
        );
    }

    #[test]
    fn fields_a_state_type_does_not_take() {
        let machine = with_state(
            json!({"Type": "Fail", "InputPath": "$.a", "OutputPath": "$.b", "Parameters": {}, "Error": "E"}),
        );
        assert_eq!(
            problems(machine),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Field 'InputPath' is not supported", "/States/X"),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'OutputPath' is not supported", "/States/X"),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Parameters' is not supported", "/States/X"),
                expect(MISSING_TRANSITION_TARGET, "State \"Done\" is not reachable.", "/States/Done"),
            ]
        );
        for (state_type, extra) in
            [("Pass", "TimeoutSeconds"), ("Wait", "Catch"), ("Map", "TimeoutSeconds"), ("Parallel", "Resource")]
        {
            let state = json!({"Type": state_type, "Seconds": 1, "Branches": [{"StartAt": "Q", "States": {"Q": {"Type": "Succeed"}}}],
                               "Iterator": {"StartAt": "R", "States": {"R": {"Type": "Succeed"}}}, extra: 1, "Next": "Done"});
            let found = problems(with_state(state));
            assert!(
                found.contains(&expect(
                    SCHEMA_VALIDATION_FAILED,
                    &format!("Field '{extra}' is not supported"),
                    "/States/X"
                )),
                "{found:?}"
            );
        }
    }

    // --- Task ----------------------------------------------------------------

    #[test]
    fn task_resource() {
        assert_eq!(
            only(with_state(json!({"Type": "Task", "Next": "Done"}))),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [Resource]", "/States/X")
        );
        assert_eq!(
            only(with_state(json!({"Type": "Task", "Resource": "createToken", "Next": "Done"}))),
            expect(SCHEMA_VALIDATION_FAILED, "Value is not a valid resource ARN", "/States/X/Resource")
        );
        for malformed in
            ["arn:aws:lambda", "arn:aws:lambda:us-east-1:123456789012:function:", "arn:aws:lambda:us-east-1:1:layer:x"]
        {
            let (code, _, pointer) = only(with_state(json!({"Type": "Task", "Resource": malformed, "Next": "Done"})));
            assert_eq!((code.as_str(), pointer.as_str()), (INVALID_RESOURCE, "/States/X/Resource"), "{malformed}");
        }
        assert_eq!(
            only(with_state(json!({"Type": "Task", "Resource": 7, "Next": "Done"}))).1,
            "The value for the field 'Resource' must be a string"
        );
        for fine in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:lambda:eu-west-1:123456789012:function:f:live",
            "arn:aws:states:::sqs:sendMessage",
        ] {
            assert_eq!(problems(with_state(json!({"Type": "Task", "Resource": fine, "Next": "Done"}))), [], "{fine}");
        }
    }

    #[test]
    fn task_timeouts() {
        let task = |field: &str, value: Value| {
            with_state(json!({"Type": "Task", "Resource": LAMBDA, field: value, "Next": "Done"}))
        };
        assert_eq!(
            only(task("TimeoutSeconds", json!(0))),
            expect(SCHEMA_VALIDATION_FAILED, "Minimum value is 1", "/States/X/TimeoutSeconds")
        );
        assert_eq!(
            only(task("HeartbeatSeconds", json!(100_000_000))),
            expect(SCHEMA_VALIDATION_FAILED, "Maximum value is 99999999", "/States/X/HeartbeatSeconds")
        );
        assert_eq!(
            only(task("TimeoutSeconds", json!(2.5))).1,
            "The value for the field 'TimeoutSeconds' must be an integer"
        );
        assert_eq!(
            only(task("TimeoutSeconds", json!("10"))).1,
            "The value for the field 'TimeoutSeconds' must be an integer"
        );
        assert_eq!(only(task("Credentials", json!({}))).1, "The field 'RoleArn' is required but was missing");
    }

    // --- Retry and Catch -----------------------------------------------------

    fn task_with(field: &str, handlers: Value) -> Value {
        with_state(json!({"Type": "Task", "Resource": LAMBDA, field: handlers, "Next": "Done"}))
    }

    #[test]
    fn retriers() {
        assert_eq!(
            only(task_with("Retry", json!([{"ErrorEquals": []}]))),
            expect(SCHEMA_VALIDATION_FAILED, "Value cannot be empty", "/States/X/Retry[0]/ErrorEquals")
        );
        assert_eq!(
            only(task_with("Retry", json!([{"MaxAttempts": 2}]))),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [ErrorEquals]", "/States/X/Retry[0]")
        );
        let values = json!([{"ErrorEquals": ["E"], "BackoffRate": 0.5, "MaxAttempts": -1, "IntervalSeconds": 0,
                             "JitterStrategy": "HALF", "Backoff": 2}]);
        assert_eq!(
            problems(task_with("Retry", values)),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Minimum value is 1.0", "/States/X/Retry[0]/BackoffRate"),
                expect(SCHEMA_VALIDATION_FAILED, "Minimum value is 0", "/States/X/Retry[0]/MaxAttempts"),
                expect(SCHEMA_VALIDATION_FAILED, "Minimum value is 1", "/States/X/Retry[0]/IntervalSeconds"),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "Value should be one of the following: [FULL, NONE]",
                    "/States/X/Retry[0]/JitterStrategy"
                ),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Backoff' is not supported", "/States/X/Retry[0]"),
            ]
        );
        assert_eq!(
            only(task_with("Retry", json!({"ErrorEquals": ["E"]}))).1,
            "The value for the field 'Retry' must be an array"
        );
    }

    #[test]
    fn states_all_alone_and_last() {
        let not_alone = json!([{"ErrorEquals": ["States.ALL", "States.Timeout"]}]);
        assert_eq!(
            only(task_with("Retry", not_alone)),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "States.ALL must appear alone and at end of list",
                "/States/X/Retry[0]/ErrorEquals"
            )
        );
        let not_last = json!([{"ErrorEquals": ["States.ALL"], "Next": "Done"}, {"ErrorEquals": ["E"], "Next": "Done"}]);
        assert_eq!(
            only(task_with("Catch", not_last)),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "States.ALL must appear alone and at end of list",
                "/States/X/Catch[0]/ErrorEquals"
            )
        );
    }

    #[test]
    fn catchers() {
        assert_eq!(
            only(task_with("Catch", json!([{"ErrorEquals": ["States.ALL"]}]))),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [Next]", "/States/X/Catch[0]")
        );
        assert_eq!(
            only(task_with("Catch", json!([{}]))),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [ErrorEquals, Next]", "/States/X/Catch[0]")
        );
        // A catcher's Next is a transition: the handler is reachable through it.
        let machine = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": LAMBDA, "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "H"}]},
            "H": {"Type": "Pass", "End": true}
        }});
        assert_eq!(problems(machine), []);
        // An empty ErrorEquals is refused in a Retrier, not in a Catcher (AWS ran one).
        let empty = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": LAMBDA, "End": true, "Catch": [{"ErrorEquals": [], "Next": "H"}]},
            "H": {"Type": "Pass", "End": true}
        }});
        assert_eq!(problems(empty), []);
    }

    // --- Choice --------------------------------------------------------------

    #[test]
    fn choice_needs_rules_and_no_next() {
        assert_eq!(
            problems(with_state(json!({"Type": "Choice", "Next": "Done", "End": true}))),
            [
                expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [Choices]", "/States/X"),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Next' is not supported", "/States/X"),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'End' is not supported", "/States/X"),
                expect(MISSING_TRANSITION_TARGET, "State \"Done\" is not reachable.", "/States/Done"),
            ]
        );
        assert_eq!(
            only(with_state(json!({"Type": "Choice", "Choices": [], "Default": "Done"}))),
            expect(SCHEMA_VALIDATION_FAILED, "Value cannot be empty", "/States/X/Choices")
        );
    }

    #[test]
    fn choice_rules_without_paths() {
        let rules = json!([
            {"And": [], "Next": "Done"},
            {"Or": [{"Not": {"IsNull": true}}], "Next": "Done"},
            {"Not": {"Not": {"BooleanEquals": "yes"}}}
        ]);
        assert_eq!(
            problems(with_state(json!({"Type": "Choice", "Choices": rules}))),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Value cannot be empty", "/States/X/Choices[0]/And"),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "The object must have only one of the following fields, [And, Or, Not, Variable, Condition]",
                    "/States/X/Choices[1]/Or[0]/Not"
                ),
                expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [Next]", "/States/X/Choices[2]"),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "The object must have only one of the following fields, [And, Or, Not, Variable, Condition]",
                    "/States/X/Choices[2]/Not/Not"
                ),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "The value for the field 'BooleanEquals' must be a boolean",
                    "/States/X/Choices[2]/Not/Not/BooleanEquals"
                ),
            ]
        );
    }

    // --- Wait ----------------------------------------------------------------

    #[test]
    fn wait_takes_exactly_one_duration() {
        assert_eq!(
            only(with_state(json!({"Type": "Wait", "Next": "Done"}))),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]",
                "/States/X"
            )
        );
        assert_eq!(
            only(with_state(
                json!({"Type": "Wait", "Seconds": 5, "Timestamp": "2026-01-01T00:00:00Z", "Next": "Done"})
            )),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "There should only be one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]",
                "/States/X"
            )
        );
    }

    #[test]
    fn wait_values() {
        let wait = |field: &str, value: Value| with_state(json!({"Type": "Wait", field: value, "Next": "Done"}));
        assert_eq!(
            only(wait("Seconds", json!(-1))),
            expect(SCHEMA_VALIDATION_FAILED, "Minimum value is 0", "/States/X/Seconds")
        );
        // The service's text for a Wait of more than 99999999 seconds.
        assert_eq!(
            report(&validate(&wait("Seconds", json!(10_000_000_000_000_000u64)))),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Maximum value is 99999999 at /States/X/Seconds'"
        );
        assert_eq!(only(wait("Seconds", json!("5"))).1, "The value for the field 'Seconds' must be an integer");
        for bad in [
            "2026-01-0é:00:00Z",
            "2026-01-01",
            "2026-01-01 00:00:00Z",
            "2026-01-01t00:00:00Z",
            "2026-01-01T00:00:00z",
            "2026-02-30T00:00:00Z",
        ] {
            assert_eq!(
                only(wait("Timestamp", json!(bad))),
                expect(SCHEMA_VALIDATION_FAILED, "String does not match RFC3339 timestamp", "/States/X/Timestamp"),
                "{bad}"
            );
        }
        assert_eq!(problems(wait("Timestamp", json!("2026-01-01T01:00:00.250+01:00"))), []);
    }

    // --- Parallel and Map ----------------------------------------------------

    #[test]
    fn parallel_branches() {
        assert_eq!(
            only(with_state(json!({"Type": "Parallel", "Next": "Done"}))),
            expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [Branches]", "/States/X")
        );
        assert_eq!(
            only(with_state(json!({"Type": "Parallel", "Branches": [], "Next": "Done"}))),
            expect(SCHEMA_VALIDATION_FAILED, "Value cannot be empty", "/States/X/Branches")
        );
        let branch = json!({"States": {"B": {"Type": "Succeed"}}, "QueryLanguage": "JSONPath"});
        assert_eq!(
            problems(with_state(json!({"Type": "Parallel", "Branches": [branch], "Next": "Done"}))),
            [
                expect(SCHEMA_VALIDATION_FAILED, "These fields are required: [StartAt]", "/States/X/Branches[0]"),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'QueryLanguage' is not supported", "/States/X/Branches[0]"),
            ]
        );
    }

    #[test]
    fn map_processor() {
        assert_eq!(
            only(with_state(json!({"Type": "Map", "Next": "Done"}))),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "This object should have only one of the following fields: [ItemProcessor, Iterator]",
                "/States/X"
            )
        );
        let both = json!({"Type": "Map", "Next": "Done",
                          "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}},
                          "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}});
        assert_eq!(
            only(with_state(both)),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "There should only be one of the following fields: [ItemProcessor, Iterator]",
                "/States/X"
            )
        );
        let config = json!({"Type": "Map", "Next": "Done", "MaxConcurrency": -1, "ToleratedFailurePercentage": 101,
                            "ItemProcessor": {"ProcessorConfig": {"Mode": "SERIAL"}, "StartAt": "P", "States": {"P": {"Type": "Succeed"}}}});
        assert_eq!(
            problems(with_state(config)),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Minimum value is 0", "/States/X/MaxConcurrency"),
                expect(SCHEMA_VALIDATION_FAILED, "Maximum value is 100", "/States/X/ToleratedFailurePercentage"),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "Value should be one of the following: [INLINE, DISTRIBUTED]",
                    "/States/X/ItemProcessor/ProcessorConfig/Mode"
                ),
            ]
        );
    }

    // --- payload templates whose values are plainly not paths ------------------

    #[test]
    fn dollar_fields_that_are_not_paths() {
        let state = json!({"Type": "Pass", "Next": "Done",
                           "Parameters": {"parsed.$": "parsed", "n.$": 5, "inner": {"deep.$": "x"}, "list": [{"item.$": "y"}]}});
        let message = |field: &str| {
            format!("The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call")
        };
        assert_eq!(
            problems(with_state(state)),
            [
                expect(SCHEMA_VALIDATION_FAILED, &message("parsed.$"), "/States/X/Parameters"),
                expect(SCHEMA_VALIDATION_FAILED, &message("n.$"), "/States/X/Parameters"),
                expect(SCHEMA_VALIDATION_FAILED, &message("deep.$"), "/States/X/Parameters/inner"),
                expect(SCHEMA_VALIDATION_FAILED, &message("item.$"), "/States/X/Parameters/list[0]"),
            ]
        );
        let fail = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "oops"}}});
        assert_eq!(only(fail), expect(SCHEMA_VALIDATION_FAILED, &message("ErrorPath"), "/States/F/ErrorPath"));
        let result_path = with_state(json!({"Type": "Pass", "ResultPath": "result", "Next": "Done"}));
        assert_eq!(
            only(result_path),
            expect(
                SCHEMA_VALIDATION_FAILED,
                "Value is not a Reference Path: Reference path didn't start with '$'",
                "/States/X/ResultPath"
            )
        );
    }

    // --- everything at once --------------------------------------------------

    #[test]
    fn every_problem_is_reported_at_once() {
        let machine = json!({"StartAt": "Start", "Extra": true, "States": {
            "Start": {"Type": "Task", "Resource": "not-an-arn", "Next": "Missing",
                      "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["E"]}]},
            "Wait": {"Type": "Wait", "Next": "End"},
            "Pick": {"Type": "Choice", "Choices": []},
            "End": {"Type": "Succeed", "Next": "Start"}
        }});
        assert_eq!(
            problems(machine.clone()),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Extra' is not supported", "/"),
                expect(SCHEMA_VALIDATION_FAILED, "Value is not a valid resource ARN", "/States/Start/Resource"),
                expect(MISSING_TRANSITION_TARGET, "Missing 'Next' target: Missing", "/States/Start/Next"),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "States.ALL must appear alone and at end of list",
                    "/States/Start/Retry[0]/ErrorEquals"
                ),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]",
                    "/States/Wait"
                ),
                expect(SCHEMA_VALIDATION_FAILED, "Value cannot be empty", "/States/Pick/Choices"),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Next' is not supported", "/States/End"),
                expect(MISSING_TRANSITION_TARGET, "State \"Wait\" is not reachable.", "/States/Wait"),
                expect(MISSING_TRANSITION_TARGET, "State \"Pick\" is not reachable.", "/States/Pick"),
                expect(MISSING_TRANSITION_TARGET, "State \"End\" is not reachable.", "/States/End"),
            ]
        );
        let text = report(&validate(&machine));
        assert!(text.starts_with(
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Extra' is not supported at /, "
        ));
        assert_eq!(text.matches(" at /").count(), 10);
    }

    // --- rules that read JSONPath syntax (super::jsonpath) ---------------------

    #[test]
    fn paths_everywhere_in_a_valid_machine() {
        let machine = json!({"StartAt": "Get", "States": {
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.order",
                    "Parameters": {"FunctionName": "fn", "Payload": {"id.$": "$.id", "execution.$": "$$.Execution.Id", "all.$": "$"}},
                    "ResultSelector": {"Payload.$": "$.Payload"}, "ResultPath": "$.result", "OutputPath": "$$.Execution.Input",
                    "TimeoutSecondsPath": "$.timeout",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Broken"}], "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
                     "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "ResultPath": null, "End": true}}},
                     "ResultPath": "$.each", "Next": "Pause"},
            "Pause": {"Type": "Wait", "SecondsPath": "$.seconds", "Next": "Until"},
            "Until": {"Type": "Wait", "TimestampPath": "$.when", "Next": "Decide"},
            "Decide": {"Type": "Choice", "Default": "Done", "Choices": [
                {"Variable": "$.result.status", "StringEquals": "OK", "Next": "Done"},
                {"And": [{"Variable": "$.a", "NumericGreaterThanPath": "$.b"}, {"Not": {"Variable": "$.c", "IsPresent": true}}], "Next": "Broken"},
                {"Variable": "$$.Execution.Input.flag", "BooleanEquals": true, "Next": "Done"}
            ]},
            "Done": {"Type": "Succeed", "OutputPath": "$.result"},
            "Broken": {"Type": "Fail", "ErrorPath": "$.error.Error", "CausePath": "$.error.Cause"}
        }});
        assert_eq!(problems(machine), []);
    }

    #[test]
    fn paths_that_are_not_jsonpath() {
        let state = json!({"Type": "Map", "InputPath": "$.a[", "OutputPath": "a", "ResultPath": "$.list[*]", "ItemsPath": "$..items",
                           "Parameters": {"v.$": "$.x["}, "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}},
                           "Next": "Done"});
        assert_eq!(
            problems(with_state(state)),
            [
                expect(SCHEMA_VALIDATION_FAILED, "Value must be a valid JSONPath.", "/States/X/InputPath"),
                expect(SCHEMA_VALIDATION_FAILED, "Value must be a valid JSONPath.", "/States/X/OutputPath"),
                expect(SCHEMA_VALIDATION_FAILED, "Value is not a Reference Path", "/States/X/ResultPath"),
                expect(SCHEMA_VALIDATION_FAILED, "Value is not a Reference Path", "/States/X/ItemsPath"),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call",
                    "/States/X/Parameters"
                ),
            ]
        );
        // ResultPath writes into the input: never into the context object.
        assert_eq!(
            only(with_state(json!({"Type": "Pass", "ResultPath": "$$.Execution.Id", "Next": "Done"}))),
            expect(SCHEMA_VALIDATION_FAILED, "Value is not a Reference Path", "/States/X/ResultPath")
        );
    }

    #[test]
    fn one_comparison_operator_per_rule() {
        let rules = json!([
            {"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "Done"},
            {"Variable": "$.x", "Next": "Done"},
            {"Variable": "$.x", "NumericEquals": "1", "Next": "Done"},
            {"Variable": "x", "IsNull": false, "Next": "Done"},
            {"Not": {"Variable": "$.x", "IsString": true, "Next": "Done"}, "Next": "Done"},
            {"Variable": "$.x", "StringEquals": "a", "And": [{"Variable": "$.y", "IsNull": true}], "Next": "Done"}
        ]);
        assert_eq!(
            problems(with_state(json!({"Type": "Choice", "Choices": rules}))),
            [
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "There should only be one of the following fields: [StringEquals, NumericEquals]",
                    "/States/X/Choices[0]"
                ),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "A choice rule with 'Variable' needs one comparison operator, such as StringEquals, NumericGreaterThan or IsPresent",
                    "/States/X/Choices[1]"
                ),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "The value for the field 'NumericEquals' must be a number",
                    "/States/X/Choices[2]/NumericEquals"
                ),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "Value is not a Reference Path: Reference path didn't start with '$'",
                    "/States/X/Choices[3]/Variable"
                ),
                expect(SCHEMA_VALIDATION_FAILED, "Field 'Next' is not supported", "/States/X/Choices[4]/Not"),
                expect(
                    SCHEMA_VALIDATION_FAILED,
                    "The object must have only one of the following fields, [And, Or, Not, Variable, Condition]",
                    "/States/X/Choices[5]"
                ),
            ]
        );
    }

    // --- rules that read intrinsic function syntax (super::intrinsics) -------

    #[test]
    fn intrinsic_function_calls_in_dollar_fields() {
        let good = json!({"Type": "Pass", "Next": "Done", "Parameters": {
            "greeting.$": "States.Format('Hello, {}!', $.name)", "id.$": "States.UUID()",
            "sum.$": "States.MathAdd($.a, 1)", "parts.$": "States.StringSplit($.csv, ',')"
        }});
        assert_eq!(problems(with_state(good)), []);
        let message = |field: &str| {
            format!("The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call")
        };
        let bad = json!({"Type": "Pass", "Next": "Done", "Parameters": {"a.$": "States.Format('{}', $.name", "b.$": "States.NoSuchThing($.x)"}});
        assert_eq!(
            problems(with_state(bad)),
            [
                expect(SCHEMA_VALIDATION_FAILED, &message("a.$"), "/States/X/Parameters"),
                expect(SCHEMA_VALIDATION_FAILED, &message("b.$"), "/States/X/Parameters"),
            ]
        );
        let fail = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "CausePath": "States.Format('failed: {}', $.why)"}}});
        assert_eq!(problems(fail), []);
    }
}
