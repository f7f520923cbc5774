//! Executions of a state machine over local Lambda functions. Time runs on a
//! virtual clock (Wait states and retry waits take no real time, but the
//! history's timestamps show them), functions stay warm between the calls of
//! one execution, and the history is written event for event as AWS does.
//! An execution ends as AWS ends it when it reaches a quota of `limits`: a
//! machine that loops forever fails at its 25,000th event, one that waits
//! past its TimeoutSeconds (or a year) times out, at once.
//!
//! The runner works on the typed [`Machine`]: `Run::state` picks the code
//! for each state type by an exhaustive `match` on [`State`]:
//! - `simple_states`: Pass, Succeed, Fail, Wait and Choice, one step each;
//! - `retry`: Task, Parallel and Map run under their Retry and Catch rules;
//! - `task`: one attempt of a Task, the Lambda call and its events;
//! - `service_task`: one attempt of a Task calling DynamoDB or SQS through
//!   the local AWS (`crate::integrations`), and its events;
//! - `fan_out`: one attempt of a Parallel or a Map state (inline, or
//!   distributed: each item a child execution, the Map Run in the history);
//! - `map_limits`: a Map state's MaxConcurrencyPath and tolerated failures,
//!   read from its input when it runs;
//! - `data_flow`: what the two query languages share around the states:
//!   variable scopes, Assign, a Task/Parallel/Map result made output, and
//!   JSONata's failures with their EvaluationFailed event.

use crate::context::{Context, ContextObject};
use crate::history::{History, with_payload};
use crate::integrations::Account;
use crate::limits::{self, HISTORY_LIMIT_ERROR, MAX_EXECUTION_SECONDS};
use crate::machine::{Machine, Paths, ResultFields, State};
use crate::validate::Diagnostic;
use crate::variables::{self, Variables};
use crate::{StatesError, data, jsonpath};
use harness::Function;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

mod data_flow;
mod fan_out;
mod map_limits;
mod retry;
mod service_task;
mod simple_states;
mod task;

pub use retry::retry_wait_seconds;

/// How an execution ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Succeeded,
    Failed,
    /// Past the machine's TimeoutSeconds, or a year (AWS's TIMED_OUT).
    TimedOut,
}

/// A finished execution.
pub struct Execution {
    pub status: Status,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub history: History,
}

impl Execution {
    /// `{"status", "output" | "error" and "cause", "history"}`, as `lab states run --json` prints it.
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        let status = match self.status {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        };
        object.insert("status".into(), json!(status));
        if let Some(output) = &self.output {
            object.insert("output".into(), output.clone());
        }
        if let Some(error) = &self.error {
            object.insert("error".into(), json!(error));
        }
        if let Some(cause) = &self.cause {
            object.insert("cause".into(), json!(cause));
        }
        object.insert("history".into(), self.history.to_json());
        Value::Object(object)
    }
}

/// Where an execution runs and what it is called.
#[derive(Clone, Debug)]
pub struct Options {
    pub state_machine_name: String,
    pub execution_name: String,
    pub region: String,
    pub account_id: String,
    /// The virtual clock's start, in milliseconds since 1970.
    pub start_ms: u64,
    /// The account at the local AWS the machine's DynamoDB and SQS Tasks
    /// call (set up beforehand with its tables and queues). None: a new,
    /// empty account is made when the first such Task runs, so a machine
    /// that calls only Lambda never starts the local AWS.
    pub aws: Option<Arc<Account>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            state_machine_name: "StateMachine".into(),
            execution_name: "local-execution".into(),
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            start_ms: 1_795_780_800_000,
            aws: None,
        }
    }
}

/// Every function name the machine's Task states call, in order of
/// appearance. Only a valid definition has any: this is meant for a
/// definition that `validate` accepts (see [`Machine::function_names`]).
pub fn function_names(definition: &Value) -> Vec<String> {
    Machine::parse(definition).map(|machine| machine.function_names()).unwrap_or_default()
}

/// Run `definition` on `input`. Err holds the validation problems of an
/// invalid definition, which does not run at all.
pub fn execute(
    definition: &Value,
    input: &Value,
    functions: &HashMap<String, Function>,
    options: &Options,
) -> Result<Execution, Vec<Diagnostic>> {
    let machine = Machine::parse(definition)?;
    Ok(execute_machine(&machine, input, functions, options))
}

/// Run a machine already converted (and so valid) on `input`.
pub fn execute_machine(
    machine: &Machine,
    input: &Value,
    functions: &HashMap<String, Function>,
    options: &Options,
) -> Execution {
    let limit_seconds = machine.timeout_seconds.unwrap_or(MAX_EXECUTION_SECONDS).min(MAX_EXECUTION_SECONDS);
    let mut run = Run {
        functions,
        options,
        now_ms: options.start_ms,
        deadline_ms: options.start_ms.saturating_add(limit_seconds * 1000),
        timed_out: false,
        history: History::default(),
        execution_input: Rc::new(input.clone()),
        variables: Variables::default(),
        variable_bytes: 0,
        open_state: None,
        aws: options.aws.clone(),
    };
    let started = run.history.add(
        0,
        run.now_ms,
        "ExecutionStarted",
        Some(with_payload(
            object([(
                "roleArn",
                json!(format!(
                    "arn:aws:iam::{}:role/StepFunctions-{}-role",
                    options.account_id, options.state_machine_name
                )),
            )]),
            "input",
            input,
        )),
    );
    // The first state's entered event follows nothing (previousEventId 0), as in AWS's histories.
    let _ = started;
    let result = run.block(machine, input.clone(), 0, None);
    run.tick(1);
    if run.timed_out {
        // LocalStack's test_global_timeout, recorded against AWS: status
        // TIMED_OUT, and DescribeExecution gives no error or cause; the
        // developer guide names the error States.Timeout.
        let last = run.history.last_id();
        run.history.add(last, run.now_ms, "ExecutionTimedOut", Some(json!({})));
        return Execution {
            status: Status::TimedOut,
            output: None,
            error: Some("States.Timeout".into()),
            cause: None,
            history: run.history,
        };
    }
    let result = match result {
        // An event was dropped at the quota: the execution cannot succeed.
        Ok(_) if run.history.is_full() => Err(run.halted().expect_err("the history is full")),
        other => other,
    };
    match result {
        Ok((output, last)) => {
            run.history.add(last, run.now_ms, "ExecutionSucceeded", Some(with_payload(Map::new(), "output", &output)));
            Execution {
                status: Status::Succeeded,
                output: Some(output),
                error: None,
                cause: None,
                history: run.history,
            }
        }
        Err(failure) => {
            run.history.add(failure.event_id, run.now_ms, "ExecutionFailed", Some(error_details(&failure.error)));
            // A Fail state without Error or Cause: AWS's execution has neither
            // (LocalStack's test_state_fail_empty, recorded against AWS).
            let present = |text: String| (!text.is_empty()).then_some(text);
            Execution {
                status: Status::Failed,
                output: None,
                error: present(failure.error.error),
                cause: present(failure.error.cause),
                history: run.history,
            }
        }
    }
}

/// An error on its way out of a state, with the event that reported it.
struct Failure {
    error: StatesError,
    event_id: u64,
    /// States.Runtime: no Retry or Catch applies.
    uncatchable: bool,
    /// `ParallelStateFailed` or `MapStateFailed` when a branch or item
    /// failed: written once the state's retriers let the error go, not per
    /// attempt (LocalStack's test_parallel_state_retry and
    /// test_map_state_retry, recorded against AWS).
    state_failed: Option<&'static str>,
}

impl Failure {
    /// An error from the state's own input or output processing, reported as
    /// AWS does (States.Runtime with the state's name and entered event).
    fn processing(error: StatesError, state: &str, entered: u64, at: u64) -> Failure {
        let uncatchable = error.error == "States.Runtime";
        Failure { error: data::with_state_prefix(error, state, entered), event_id: at, uncatchable, state_failed: None }
    }
}

/// Where a Map iteration is, for `$$.Map.Item`.
#[derive(Clone)]
struct MapItem {
    index: usize,
    value: Value,
}

/// One visit of a state: which state (borrowed from the machine, for `'m`),
/// with what input, entered at which history event and time, inside which
/// Map iteration (if any).
#[derive(Clone, Copy)]
struct Visit<'m, 'v> {
    name: &'m str,
    state: &'m State,
    input: &'v Value,
    /// The id of its `...StateEntered` event.
    entered: u64,
    entered_ms: u64,
    item: Option<&'v MapItem>,
}

impl Visit<'_, '_> {
    /// A runtime error of the state's own processing, reported at its entered event.
    fn runtime(&self) -> impl Fn(StatesError) -> Failure + Copy + '_ {
        let (name, entered) = (self.name, self.entered);
        move |error| Failure::processing(error, name, entered, entered)
    }
}

struct Run<'a> {
    functions: &'a HashMap<String, Function>,
    options: &'a Options,
    now_ms: u64,
    /// When the execution times out: its start plus TimeoutSeconds or a
    /// year, whichever is sooner.
    deadline_ms: u64,
    /// The clock reached `deadline_ms`: the execution is over.
    timed_out: bool,
    history: History,
    /// Shared by every context object of the execution, never copied.
    execution_input: Rc<Value>,
    /// The workflow variables of the scope being run.
    variables: Variables,
    /// The bytes (of JSON text) the execution's variables hold.
    variable_bytes: usize,
    /// The type of the state a failure left open (a Task, Parallel or Map
    /// state that failed, rather than a Fail state that ended its block):
    /// the Parallel or Map state around it writes its `...StateAborted`.
    open_state: Option<&'static str>,
    /// The account the service integrations call: [`Options::aws`], or one
    /// made by the first service Task.
    aws: Option<Arc<Account>>,
}

impl Run<'_> {
    /// The id of the `...StateEntered` event at or before event `at`: the
    /// event AWS names in a state's runtime errors.
    fn entered_id(&self, at: u64) -> u64 {
        self.history.events[..at as usize].iter().rev().find(|e| e.kind.ends_with("StateEntered")).map_or(at, |e| e.id)
    }

    /// Move the clock on; past the deadline it stops there, timed out.
    fn tick(&mut self, ms: u64) {
        self.now_ms = self.now_ms.saturating_add(ms);
        if self.now_ms > self.deadline_ms {
            self.now_ms = self.deadline_ms;
            self.timed_out = true;
        }
    }

    /// Whether a quota ended the execution: its history is full or its time is up.
    fn is_halted(&self) -> bool {
        self.timed_out || self.history.is_full()
    }

    /// Err when a quota ended the execution: a failure no Retry or Catch
    /// applies to, which unwinds every state to the execution's end. Checked
    /// before each state, attempt, branch and item, so a machine that loops
    /// forever stops at the quota.
    fn halted(&self) -> Result<(), Failure> {
        let error = if self.history.is_full() {
            StatesError::new(HISTORY_LIMIT_ERROR.0, HISTORY_LIMIT_ERROR.1)
        } else if self.timed_out {
            StatesError::new("States.Timeout", "")
        } else {
            return Ok(());
        };
        Err(Failure { error, event_id: self.history.last_id(), uncatchable: true, state_failed: None })
    }

    fn iso(&self, ms: u64) -> String {
        harness::time::iso_timestamp(std::time::Duration::from_millis(ms))
    }

    /// The context object `$$` as a state sees it. `retry_count` is `None`
    /// outside the states that can retry (Task, Parallel, Map): AWS's
    /// context object then has no `State.RetryCount` at all. Reference: the
    /// execution recorded against AWS in `tests/recorded/cases.json`
    /// (`test_base.py::TestSnfBase::test_query_context_object_values`),
    /// whose Pass state reads `$$.State` as `{"Name", "EnteredTime"}`, while
    /// the recorded Task states read `$$.State.RetryCount` (0, 1, 2, 3);
    /// LocalStack, held to those recordings, sets it only in its
    /// `ExecutionState` (Task, Parallel, Map).
    fn context(&self, state: &str, entered_ms: u64, retry_count: Option<u64>, item: Option<&MapItem>) -> Context {
        let o = self.options;
        let machine = format!("arn:aws:states:{}:{}:stateMachine:{}", o.region, o.account_id, o.state_machine_name);
        let mut context = json!({
            "Execution": {
                "Id": format!("arn:aws:states:{}:{}:execution:{}:{}", o.region, o.account_id, o.state_machine_name, o.execution_name),
                // Filled in by `Context` when a path reads it.
                "Input": null,
                "Name": o.execution_name,
                "RoleArn": format!("arn:aws:iam::{}:role/StepFunctions-{}-role", o.account_id, o.state_machine_name),
                "StartTime": self.iso(o.start_ms),
                "RedriveCount": 0,
            },
            "State": { "EnteredTime": self.iso(entered_ms), "Name": state },
            "StateMachine": { "Id": machine, "Name": o.state_machine_name },
        });
        if let Some(retry_count) = retry_count {
            context["State"]["RetryCount"] = json!(retry_count);
        }
        if let Some(item) = item {
            context["Map"] = json!({ "Item": { "Index": item.index, "Value": item.value } });
        }
        Context::new(context, Rc::clone(&self.execution_input)).with_variables(self.variables.clone())
    }

    /// Run the states of `block` (a machine, a branch, a Map processor) from
    /// StartAt to an end. Returns the output and the last event's id.
    fn block(
        &mut self,
        block: &Machine,
        mut input: Value,
        mut previous: u64,
        item: Option<&MapItem>,
    ) -> Result<(Value, u64), Failure> {
        let mut current = block.start_at.as_str();
        loop {
            self.halted()?;
            let state = block.states.get(current).expect("validated: every transition names a state of its block");
            let kind = state.type_name();
            self.tick(1);
            let entered_ms = self.now_ms;
            let entered = self.history.add(
                previous,
                entered_ms,
                &format!("{kind}StateEntered"),
                Some(with_payload(object([("name", json!(current))]), "input", &input)),
            );
            let visit = Visit { name: current, state, input: &input, entered, entered_ms, item };
            let step = self.state(visit);
            let open = match state {
                State::Task(_) | State::Parallel(_) | State::Map(_) => Some(kind),
                State::Pass(_) | State::Choice(_) | State::Wait(_) | State::Succeed(_) | State::Fail(_) => None,
            };
            self.open_state = if step.is_err() { open } else { None };
            let step = step?;
            self.halted()?;
            match step {
                Step::Fail(failure) => return Err(failure),
                Step::Continue { output, next, last, assigned } => {
                    if limits::exceeds_payload_limit(&output) {
                        // LocalStack's test_start_large_input, recorded against AWS: a
                        // Pass state's result over the limit fails right after the
                        // state is entered, naming the state.
                        let error = StatesError::new(limits::DATA_LIMIT_EXCEEDED, limits::data_limit_cause(current));
                        return Err(Failure { error, event_id: last, uncatchable: false, state_failed: None });
                    }
                    let mut details = object([("name", json!(current))]);
                    // An empty Assign writes no assignedVariables (recorded against
                    // AWS: tests/recorded/cases.json, `test_base_cases[BASE_EMPTY]`).
                    if let Some(assigned) = assigned.as_ref().filter(|assigned| !assigned.is_empty()) {
                        // What the state assigns takes effect as it is left.
                        let stored = self.variables.assign(assigned, &mut self.variable_bytes);
                        stored.map_err(|error| Failure::processing(error, current, entered, last))?;
                        details.insert("assignedVariables".into(), variables::assigned_event_details(assigned));
                        details.insert("assignedVariablesDetails".into(), json!({ "truncated": false }));
                    }
                    self.tick(1);
                    let exited = self.history.add(
                        last,
                        self.now_ms,
                        &format!("{kind}StateExited"),
                        Some(with_payload(details, "output", &output)),
                    );
                    match next {
                        Some(next) => {
                            current = next;
                            input = output;
                            previous = exited;
                        }
                        None => return Ok((output, exited)),
                    }
                }
            }
        }
    }

    /// One state, by type. Task, Parallel and Map run under their Retry and
    /// Catch rules; the others cannot be retried or caught.
    fn state<'m>(&mut self, visit: Visit<'m, '_>) -> Result<Step<'m>, Failure> {
        let Visit { name, input, .. } = visit;
        match visit.state {
            State::Pass(pass) => self.pass(visit, pass),
            State::Succeed(succeed) => self.succeed(visit, succeed),
            State::Fail(fail) => self.fail(visit, fail),
            State::Wait(wait) => self.wait(visit, wait),
            State::Choice(choice) => self.choice(visit, choice),
            State::Task(task) => {
                self.with_retries(visit, &task.errors, &task.transition, task.flow.language, |run, last, context| {
                    run.task(name, task, input, last, context)
                })
            }
            State::Parallel(parallel) => {
                let language = parallel.flow.language;
                self.with_retries(visit, &parallel.errors, &parallel.transition, language, |run, last, context| {
                    run.parallel(name, parallel, input, last, context)
                })
            }
            State::Map(map) => {
                self.with_retries(visit, &map.errors, &map.transition, map.flow.language, |run, last, context| {
                    run.map(name, map, input, last, context)
                })
            }
        }
    }
}

enum Step<'m> {
    /// Go on to `next` (None: the block ends), after the event `last`, having
    /// assigned `assigned` (None: the state has no Assign to apply).
    Continue {
        output: Value,
        next: Option<&'m str>,
        last: u64,
        assigned: Option<Map<String, Value>>,
    },
    Fail(Failure),
}

/// A successful attempt of a Task, Parallel or Map state: its output, the
/// last event, and what it assigns.
struct Attempt {
    output: Value,
    last: u64,
    assigned: Option<Map<String, Value>>,
}

/// InputPath, where `$$...` reads the context object.
fn input_path(input: &Value, paths: &Paths, context: &Context) -> Result<Value, StatesError> {
    data::input_path(input, paths.input_path.as_option(), context)
}

/// InputPath, then Parameters when the state has them: what a Task or a
/// Parallel state works on.
fn effective_input(
    input: &Value,
    paths: &Paths,
    parameters: Option<&Value>,
    context: &Context,
) -> Result<Value, StatesError> {
    let selected = input_path(input, paths, context)?;
    match parameters {
        Some(template) => data::template(template, &selected, context),
        None => Ok(selected),
    }
}

/// OutputPath, where `$$...` reads the context object.
fn output_path(output: &Value, paths: &Paths, context: &Context) -> Result<Value, StatesError> {
    data::output_path_with_context(output, paths.output_path.as_option(), context)
}

/// ResultSelector, ResultPath and OutputPath, in that order.
fn finish(
    results: &ResultFields,
    paths: &Paths,
    input: &Value,
    result: Value,
    context: &Context,
) -> Result<Value, StatesError> {
    let selected = match &results.result_selector {
        Some(template) => data::template(template, &result, context)?,
        None => result,
    };
    let output = data::result_path(input, selected, results.result_path.as_option())?;
    output_path(&output, paths, context)
}

/// A path into the input (`$...`) or the context object (`$$...`).
fn resolve(path: &str, input: &Value, context: &Context) -> Result<Value, StatesError> {
    if jsonpath::variable(path).is_some() {
        return crate::context::read(path, input, context).map_err(|e| StatesError::new("States.Runtime", e.message));
    }
    let (document, path) = match path.strip_prefix('$').filter(|rest| rest.starts_with('$')) {
        Some(rest) => (context.document_for(path), rest),
        None => (input, path),
    };
    jsonpath::get(document, path).map_err(|e| StatesError::new("States.Runtime", e.message))
}

/// `{"error", "cause"}` of a failed event, each left out when empty, as AWS
/// writes them (recorded against AWS: a Fail state without Cause, a task's
/// `States.Timeout`, have no `cause`).
fn error_details(error: &StatesError) -> Value {
    let mut details = Map::new();
    for (key, text) in [("error", &error.error), ("cause", &error.cause)] {
        if !text.is_empty() {
            details.insert(key.into(), json!(text));
        }
    }
    Value::Object(details)
}

fn object<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_come_from_both_resource_forms() {
        let machine = json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:functionA", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "functionB:live", "Payload.$": "$"}, "Next": "C"},
            "C": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "D", "States": {"D": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:functionA", "End": true}}}]}
        }});
        assert_eq!(function_names(&machine), ["functionA", "functionB"]);
    }
}
