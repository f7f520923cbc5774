//! A state machine as typed values: what the runner executes.
//!
//! A definition is checked as JSON first (`validate`, which must name the
//! service's JSON pointers in its messages); a definition that passes is
//! converted here once, into a [`Machine`] of [`State`]s, one enum variant per
//! state type with the fields that type has. Code that handles states
//! matches on [`State`] without a catch-all arm, so adding a state type
//! makes the compiler list every place that must handle it; a field is read
//! from one place, the conversion, instead of by name wherever it is used.
//!
//! What stays JSON: JSONPath payload templates (Parameters, ResultSelector,
//! ItemSelector, Assign), a Pass state's Result, and JSONPath Choice rules,
//! which `data` and `choice` evaluate as they are written. A JSONata state's
//! fields are [`Template`]s, their expressions parsed once here.
//!
//! Each state has its query language ([`QueryLanguage`]: its own
//! `QueryLanguage`, else the machine's): a JSONata state has Arguments and
//! Output where a JSONPath one has InputPath, Parameters, ResultSelector,
//! ResultPath and OutputPath (validation allows only its language's fields,
//! so the other language's are absent).
//!
//! The conversion (`convert`) trusts validation and `expect`s what it
//! guarantees. Fields the runner has no use for (Comment on a state,
//! HeartbeatSeconds, Credentials, ItemReader...) are not kept.

use crate::query::Template;
use crate::validate::{self, Diagnostic};
use serde_json::Value;
use std::collections::HashMap;

mod convert;

/// The state types, in the order the service lists them in its messages.
pub const TYPE_NAMES: [&str; 8] = ["Task", "Wait", "Pass", "Succeed", "Fail", "Choice", "Parallel", "Map"];

/// A state machine, a Parallel branch or a Map state's item processor: its
/// states and the one it starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    pub start_at: String,
    pub states: States,
    pub comment: Option<String>,
    /// The execution's time limit, which only a whole machine has; the
    /// runner enforces it (and AWS's one-year maximum) on its virtual clock.
    pub timeout_seconds: Option<u64>,
}

/// The states of a machine by name, in the order the definition lists them.
#[derive(Clone, Debug, PartialEq)]
pub struct States {
    list: Vec<(String, State)>,
    index: HashMap<String, usize>,
}

/// One state, by type.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    Task(Task),
    Pass(Pass),
    Choice(Choice),
    Wait(Wait),
    Succeed(Succeed),
    Fail(Fail),
    Parallel(Parallel),
    Map(Map),
}

/// Where a state goes when it is done: `Next`, or `"End": true`.
#[derive(Clone, Debug, PartialEq)]
pub enum Transition {
    Next(String),
    End,
}

/// InputPath, OutputPath or ResultPath: absent (the default, `$`), `null`,
/// or a path. `null` means something of its own for each: an empty input,
/// an empty output, the input passed through with the result discarded.
#[derive(Clone, Debug, PartialEq)]
pub enum PathField {
    Absent,
    Null,
    Path(String),
}

/// The query language a state's fields are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum QueryLanguage {
    #[default]
    JsonPath,
    Jsonata,
}

/// An Assign field or an ItemSelector: a JSONPath payload template (`key.$`
/// fields), or a JSONata template.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    JsonPath(Value),
    Jsonata(Template),
}

/// What every state but Fail has besides its own fields: its query
/// language, its Assign (Succeed has none) and, in JSONata, its Output.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DataFlow {
    pub language: QueryLanguage,
    pub assign: Option<Payload>,
    /// JSONata's Output, which replaces the state's output.
    pub output: Option<Template>,
}

/// InputPath and OutputPath, which every state but Fail has.
#[derive(Clone, Debug, PartialEq)]
pub struct Paths {
    pub input_path: PathField,
    pub output_path: PathField,
}

/// What becomes of the result of a Task, Parallel or Map state:
/// ResultSelector (a payload template over the result), then ResultPath.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultFields {
    pub result_selector: Option<Value>,
    pub result_path: PathField,
}

/// The Retry and Catch rules of a Task, Parallel or Map state.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorHandling {
    pub retry: Vec<Retrier>,
    pub catch: Vec<Catcher>,
}

/// One Retry rule, with the service's defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Retrier {
    pub error_equals: Vec<String>,
    /// Default 1.
    pub interval_seconds: f64,
    /// Default 3.
    pub max_attempts: u64,
    /// Default 2.
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    /// JitterStrategy FULL (NONE, the default, is false).
    pub full_jitter: bool,
}

/// One Catch rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Catcher {
    pub error_equals: Vec<String>,
    pub next: String,
    /// Where the error output (`{"Error", "Cause"}`) goes in the state's input.
    pub result_path: PathField,
    /// The variables the catcher assigns.
    pub assign: Option<Payload>,
    /// JSONata: the state's output when this catcher takes the error
    /// (`$states.errorOutput` when absent).
    pub output: Option<Template>,
}

/// A Task state. Only Lambda functions run locally: the legacy
/// `arn:aws:lambda:...:function:NAME` resource, or
/// `arn:aws:states:::lambda:invoke` with Parameters naming the function.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub resource: String,
    pub flow: DataFlow,
    pub paths: Paths,
    pub parameters: Option<Value>,
    /// JSONata's Arguments.
    pub arguments: Option<Template>,
    pub results: ResultFields,
    pub timeout: Option<TaskTimeout>,
    pub errors: ErrorHandling,
    pub transition: Transition,
}

/// A Task's time limit: TimeoutSeconds, or TimeoutSecondsPath read from the
/// state's input (after InputPath).
#[derive(Clone, Debug, PartialEq)]
pub enum TaskTimeout {
    Seconds(u64),
    Path(String),
    /// JSONata: an expression giving the seconds.
    Expression(Template),
}

/// A Pass state.
#[derive(Clone, Debug, PartialEq)]
pub struct Pass {
    pub flow: DataFlow,
    pub paths: Paths,
    pub parameters: Option<Value>,
    /// The Result field as written (`null` included), which replaces the
    /// input when present.
    pub result: Option<Value>,
    pub result_path: PathField,
    pub transition: Transition,
}

/// A Choice state.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The state's Assign and Output apply when Default is taken.
    pub flow: DataFlow,
    pub paths: Paths,
    pub choices: Vec<ChoiceRule>,
    pub default: Option<String>,
}

/// One rule of a Choice state: the rule as written (evaluated by `choice`)
/// or, in JSONata, its Condition; the state it leads to; and what the rule
/// assigns and outputs when it matches.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceRule {
    pub rule: Value,
    pub condition: Option<Template>,
    pub next: String,
    pub assign: Option<Payload>,
    pub output: Option<Template>,
}

/// A Wait state.
#[derive(Clone, Debug, PartialEq)]
pub struct Wait {
    pub flow: DataFlow,
    pub paths: Paths,
    pub until: WaitFor,
    pub transition: Transition,
}

/// How long a Wait state waits: exactly one of its four fields.
#[derive(Clone, Debug, PartialEq)]
pub enum WaitFor {
    Seconds(u64),
    SecondsPath(String),
    /// An RFC 3339 timestamp.
    Timestamp(String),
    TimestampPath(String),
    /// JSONata: an expression giving the seconds.
    SecondsExpression(Template),
    /// JSONata: an expression giving the timestamp.
    TimestampExpression(Template),
}

/// A Succeed state.
#[derive(Clone, Debug, PartialEq)]
pub struct Succeed {
    pub flow: DataFlow,
    pub paths: Paths,
}

/// A Fail state: its error name and cause, each written or read from the
/// input; an absent one is empty.
#[derive(Clone, Debug, PartialEq)]
pub struct Fail {
    pub language: QueryLanguage,
    pub error: Option<FailField>,
    pub cause: Option<FailField>,
}

/// Error / ErrorPath, or Cause / CausePath.
#[derive(Clone, Debug, PartialEq)]
pub enum FailField {
    Literal(String),
    Path(String),
    /// JSONata: an expression giving the text.
    Expression(Template),
}

/// A Parallel state.
#[derive(Clone, Debug, PartialEq)]
pub struct Parallel {
    pub flow: DataFlow,
    pub paths: Paths,
    pub parameters: Option<Value>,
    /// JSONata's Arguments: the branches' input.
    pub arguments: Option<Template>,
    pub branches: Vec<Machine>,
    pub results: ResultFields,
    pub errors: ErrorHandling,
    pub transition: Transition,
}

/// A Map state. Items run one after another, in order, in either mode:
/// inline, within the execution (its history holds each iteration's
/// events), or distributed, each item a child execution of its own (the
/// parent's history holds only the Map Run's events).
#[derive(Clone, Debug, PartialEq)]
pub struct Map {
    pub flow: DataFlow,
    pub paths: Paths,
    /// Where the items are in the effective input (default `$`).
    pub items_path: String,
    /// JSONata's Items (default: the state's input).
    pub items: Option<Template>,
    /// ItemSelector, or its former name Parameters: the template each item's
    /// input is made from.
    pub item_selector: Option<Payload>,
    /// ItemProcessor, or its former name Iterator (boxed: a Map is the
    /// largest state).
    pub processor: Box<Machine>,
    /// `ProcessorConfig.Mode: DISTRIBUTED`.
    pub distributed: bool,
    /// A Distributed Map's Label, which names its Map Run.
    pub label: Option<String>,
    /// ItemReader, ItemBatcher or ResultWriter, when the state has one: the
    /// runner refuses to run it rather than ignore it.
    pub not_run: Option<MapFieldNotRun>,
    /// Not enforced: items run one at a time.
    pub max_concurrency: Option<MapLimit<u64>>,
    pub tolerated_failure_count: Option<MapLimit<u64>>,
    pub tolerated_failure_percentage: Option<MapLimit<f64>>,
    pub results: ResultFields,
    pub errors: ErrorHandling,
    pub transition: Transition,
}

/// A Distributed Map's fields the local runner does not run: reading the
/// items from S3, batching them, writing the results to S3. A state that has
/// one fails with States.Runtime saying why, never runs with the field ignored
/// (it would run over other items, or leave no results where the machine
/// expects them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MapFieldNotRun {
    ItemReader,
    ItemBatcher,
    ResultWriter,
}

impl MapFieldNotRun {
    pub const ALL: [MapFieldNotRun; 3] =
        [MapFieldNotRun::ItemReader, MapFieldNotRun::ItemBatcher, MapFieldNotRun::ResultWriter];

    /// The field's name in a definition.
    pub fn field(self) -> &'static str {
        match self {
            MapFieldNotRun::ItemReader => "ItemReader",
            MapFieldNotRun::ItemBatcher => "ItemBatcher",
            MapFieldNotRun::ResultWriter => "ResultWriter",
        }
    }

    /// What the field makes AWS do, for the refusal.
    pub fn does(self) -> &'static str {
        match self {
            MapFieldNotRun::ItemReader => {
                "reads its items from S3 (a CSV, JSON or manifest file, or a bucket's listing)"
            }
            MapFieldNotRun::ItemBatcher => "hands its items to each child execution in batches",
            MapFieldNotRun::ResultWriter => "writes its results to S3",
        }
    }
}

/// A Map state's MaxConcurrency or tolerated failures: written, or read
/// from the state's input (after InputPath) by its `...Path` form when the
/// state runs.
#[derive(Clone, Debug, PartialEq)]
pub enum MapLimit<T> {
    Value(T),
    Path(String),
    /// JSONata: an expression giving the value.
    Expression(Template),
}

// ---------------------------------------------------------------------------
// What the runner asks of them.

impl Machine {
    /// Validate `definition` and convert it. Err holds every problem, as
    /// `validate` reports them.
    pub fn parse(definition: &Value) -> Result<Machine, Vec<Diagnostic>> {
        let problems = validate::validate(definition);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Machine::from_validated(definition))
    }

    /// Convert a definition that `validate` accepts.
    ///
    /// # Panics
    ///
    /// On a definition `validate` rejects: use [`Machine::parse`] for one
    /// that may be invalid.
    pub fn from_validated(definition: &Value) -> Machine {
        convert::machine(definition)
    }

    /// Every function name the machine's Task states call, in order of
    /// appearance (branches and item processors included), each once.
    pub fn function_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        self.collect_functions(&mut names);
        names
    }

    fn collect_functions(&self, names: &mut Vec<String>) {
        for (_, state) in self.states.iter() {
            match state {
                State::Task(task) => {
                    if let Some(name) = task.function_name() {
                        if !names.contains(&name) {
                            names.push(name);
                        }
                    }
                }
                State::Parallel(parallel) => {
                    for branch in &parallel.branches {
                        branch.collect_functions(names);
                    }
                }
                State::Map(map) => map.processor.collect_functions(names),
                State::Pass(_) | State::Choice(_) | State::Wait(_) | State::Succeed(_) | State::Fail(_) => {}
            }
        }
    }
}

impl States {
    pub fn get(&self, name: &str) -> Option<&State> {
        self.index.get(name).map(|&at| &self.list[at].1)
    }

    /// (name, state) in the order of the definition.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &State)> {
        self.list.iter().map(|(name, state)| (name.as_str(), state))
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

impl State {
    /// The state's Type as the definition writes it; history events are
    /// named after it (`TaskStateEntered`, `MapStateExited`...).
    pub fn type_name(&self) -> &'static str {
        match self {
            State::Task(_) => "Task",
            State::Pass(_) => "Pass",
            State::Choice(_) => "Choice",
            State::Wait(_) => "Wait",
            State::Succeed(_) => "Succeed",
            State::Fail(_) => "Fail",
            State::Parallel(_) => "Parallel",
            State::Map(_) => "Map",
        }
    }
}

impl State {
    /// The query language the state's fields are written in.
    pub fn language(&self) -> QueryLanguage {
        match self {
            State::Task(Task { flow, .. })
            | State::Pass(Pass { flow, .. })
            | State::Choice(Choice { flow, .. })
            | State::Wait(Wait { flow, .. })
            | State::Succeed(Succeed { flow, .. })
            | State::Parallel(Parallel { flow, .. })
            | State::Map(Map { flow, .. }) => flow.language,
            State::Fail(fail) => fail.language,
        }
    }
}

impl Transition {
    /// The next state's name; None at the end.
    pub fn next(&self) -> Option<&str> {
        match self {
            Transition::Next(name) => Some(name),
            Transition::End => None,
        }
    }
}

impl PathField {
    /// The form `data`'s functions take: None when absent, Some(None) when
    /// null, Some(Some(path)) for a path.
    pub fn as_option(&self) -> Option<Option<&str>> {
        match self {
            PathField::Absent => None,
            PathField::Null => Some(None),
            PathField::Path(path) => Some(Some(path)),
        }
    }
}

/// The start of the resources that call `lambda:invoke` through the
/// optimised integration.
const LAMBDA_INVOKE: &str = "arn:aws:states:::lambda:invoke";

impl Task {
    /// Whether the Task calls Lambda through the optimised integration
    /// (`arn:aws:states:::lambda:invoke`), which takes the function and its
    /// payload from Parameters and wraps the result.
    pub fn is_lambda_invoke(&self) -> bool {
        self.resource.starts_with(LAMBDA_INVOKE)
    }

    /// The function the Task calls, when the definition names it: the
    /// legacy `arn:aws:lambda:...:function:NAME[:qualifier]` resource, or a
    /// literal `Parameters.FunctionName` (`FunctionName.$` is only known when
    /// the state runs).
    pub fn function_name(&self) -> Option<String> {
        if self.is_lambda_invoke() {
            let name = match (&self.parameters, &self.arguments) {
                (Some(parameters), _) => parameters.get("FunctionName")?,
                (None, Some(arguments)) => arguments.literal_field("FunctionName")?,
                (None, None) => return None,
            };
            let name = name.as_str()?;
            return Some(function_name_of(name));
        }
        lambda_arn_function(&self.resource)
    }
}

/// The function name in `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:qualifier]`.
pub(crate) fn lambda_arn_function(resource: &str) -> Option<String> {
    let parts: Vec<&str> = resource.split(':').collect();
    (parts.len() >= 7 && parts[2] == "lambda" && parts[5] == "function").then(|| parts[6].to_string())
}

/// `my-fn`, `my-fn:alias`, or a function ARN, to the bare function name.
pub(crate) fn function_name_of(text: &str) -> String {
    lambda_arn_function(text).unwrap_or_else(|| text.split(':').next().unwrap_or(text).to_string())
}
