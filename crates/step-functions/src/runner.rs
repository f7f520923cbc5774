//! Executions of a state machine over local Lambda functions. Time runs on a
//! virtual clock (Wait states and retry waits take no real time, but the
//! history's timestamps show them), functions stay warm between the calls of
//! one execution, and the history is written event for event as AWS does.
//!
//! The runner works on the typed [`Machine`]: each state type has its own
//! method, chosen by an exhaustive `match` on [`State`].

use crate::history::{History, with_payload};
use crate::machine::{
    self, Catcher, Choice, ErrorHandling, Fail, FailField, Machine, Parallel, Pass, Paths, ResultFields, Retrier,
    State, Succeed, Task, TaskTimeout, Transition, Wait, WaitFor,
};
use crate::validate::Diagnostic;
use crate::{StatesError, choice, data, jsonpath};
use harness::Function;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// How an execution ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Succeeded,
    Failed,
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            state_machine_name: "StateMachine".into(),
            execution_name: "local-execution".into(),
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            start_ms: 1_795_780_800_000,
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
    let mut run = Run {
        functions,
        options,
        now_ms: options.start_ms,
        history: History::default(),
        execution_input: input.clone(),
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
    match run.block(machine, input.clone(), 0, None) {
        Ok((output, last)) => {
            run.tick(1);
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
            run.tick(1);
            run.history.add(
                failure.event_id,
                run.now_ms,
                "ExecutionFailed",
                Some(json!({ "error": failure.error.error, "cause": failure.error.cause })),
            );
            Execution {
                status: Status::Failed,
                output: None,
                error: Some(failure.error.error),
                cause: Some(failure.error.cause),
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
}

impl Failure {
    /// An error from the state's own input or output processing, reported as
    /// AWS does (States.Runtime with the state's name and entered event).
    fn processing(error: StatesError, state: &str, entered: u64, at: u64) -> Failure {
        let uncatchable = error.error == "States.Runtime";
        Failure { error: data::with_state_prefix(error, state, entered), event_id: at, uncatchable }
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
    history: History,
    execution_input: Value,
}

impl Run<'_> {
    /// The id of the `...StateEntered` event at or before event `at`: the
    /// event AWS names in a state's runtime errors.
    fn entered_id(&self, at: u64) -> u64 {
        self.history.events[..at as usize].iter().rev().find(|e| e.kind.ends_with("StateEntered")).map_or(at, |e| e.id)
    }

    fn tick(&mut self, ms: u64) {
        self.now_ms += ms;
    }

    fn iso(&self, ms: u64) -> String {
        harness::time::iso_timestamp(std::time::Duration::from_millis(ms))
    }

    /// The context object `$$` as a state sees it.
    fn context(&self, state: &str, entered_ms: u64, retry_count: u64, item: Option<&MapItem>) -> Value {
        let o = self.options;
        let machine = format!("arn:aws:states:{}:{}:stateMachine:{}", o.region, o.account_id, o.state_machine_name);
        let mut context = json!({
            "Execution": {
                "Id": format!("arn:aws:states:{}:{}:execution:{}:{}", o.region, o.account_id, o.state_machine_name, o.execution_name),
                "Input": self.execution_input,
                "Name": o.execution_name,
                "RoleArn": format!("arn:aws:iam::{}:role/StepFunctions-{}-role", o.account_id, o.state_machine_name),
                "StartTime": self.iso(o.start_ms),
                "RedriveCount": 0,
            },
            "State": { "EnteredTime": self.iso(entered_ms), "Name": state, "RetryCount": retry_count },
            "StateMachine": { "Id": machine, "Name": o.state_machine_name },
        });
        if let Some(item) = item {
            context["Map"] = json!({ "Item": { "Index": item.index, "Value": item.value } });
        }
        context
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
            let step = self.state(visit)?;
            match step {
                Step::Fail(failure) => return Err(failure),
                Step::Continue { output, next, last } => {
                    self.tick(1);
                    let exited = self.history.add(
                        last,
                        self.now_ms,
                        &format!("{kind}StateExited"),
                        Some(with_payload(object([("name", json!(current))]), "output", &output)),
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
            State::Task(task) => self.with_retries(visit, &task.errors, &task.transition, |run, last, context| {
                run.task(name, task, input, last, context)
            }),
            State::Parallel(parallel) => {
                self.with_retries(visit, &parallel.errors, &parallel.transition, |run, last, context| {
                    run.parallel(name, parallel, input, last, context)
                })
            }
            State::Map(map) => self.with_retries(visit, &map.errors, &map.transition, |run, last, context| {
                run.map(name, map, input, last, context)
            }),
        }
    }

    fn pass<'m>(&mut self, visit: Visit<'m, '_>, pass: &'m Pass) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, 0, visit.item);
        let effective = input_path(visit.input, &pass.paths, &context).map_err(runtime)?;
        let result = match (&pass.result, &pass.parameters) {
            (Some(result), _) => result.clone(),
            (None, Some(parameters)) => data::template(parameters, &effective, &context).map_err(runtime)?,
            (None, None) => effective,
        };
        let output = data::result_path(visit.input, result, pass.result_path.as_option()).map_err(runtime)?;
        let output = output_path(&output, &pass.paths, &context).map_err(runtime)?;
        Ok(Step::Continue { output, next: pass.transition.next(), last: visit.entered })
    }

    fn succeed<'m>(&mut self, visit: Visit<'m, '_>, succeed: &'m Succeed) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, 0, visit.item);
        let effective = input_path(visit.input, &succeed.paths, &context).map_err(runtime)?;
        let output = output_path(&effective, &succeed.paths, &context).map_err(runtime)?;
        Ok(Step::Continue { output, next: None, last: visit.entered })
    }

    fn fail<'m>(&mut self, visit: Visit<'m, '_>, fail: &'m Fail) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, 0, visit.item);
        let text = |field: &Option<FailField>| -> Result<String, Failure> {
            match field {
                Some(FailField::Literal(text)) => Ok(text.clone()),
                Some(FailField::Path(path)) => {
                    let found = resolve(path, visit.input, &context).map_err(runtime)?;
                    Ok(found.as_str().map(String::from).unwrap_or_else(|| found.to_string()))
                }
                None => Ok(String::new()),
            }
        };
        let error = StatesError::new(text(&fail.error)?, text(&fail.cause)?);
        // Inside a Map or Parallel, the enclosing state's Catch can take it.
        Ok(Step::Fail(Failure { error, event_id: visit.entered, uncatchable: false }))
    }

    fn wait<'m>(&mut self, visit: Visit<'m, '_>, wait: &'m Wait) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, 0, visit.item);
        let effective = input_path(visit.input, &wait.paths, &context).map_err(runtime)?;
        let wait_ms = self.wait_ms(&wait.until, &effective, &context).map_err(runtime)?;
        self.tick(wait_ms);
        let output = output_path(&effective, &wait.paths, &context).map_err(runtime)?;
        Ok(Step::Continue { output, next: wait.transition.next(), last: visit.entered })
    }

    fn choice<'m>(&mut self, visit: Visit<'m, '_>, state: &'m Choice) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, 0, visit.item);
        let effective = input_path(visit.input, &state.paths, &context).map_err(runtime)?;
        let mut chosen = None;
        for rule in &state.choices {
            if choice::matches_with_context(&rule.rule, &effective, &context).map_err(runtime)? {
                chosen = Some(rule.next.as_str());
                break;
            }
        }
        let Some(chosen) = chosen.or(state.default.as_deref()) else {
            let error = StatesError::new("States.NoChoiceMatched", format!("No Matches! for state '{}'", visit.name));
            return Ok(Step::Fail(Failure { error, event_id: visit.entered, uncatchable: false }));
        };
        let output = output_path(&effective, &state.paths, &context).map_err(runtime)?;
        Ok(Step::Continue { output, next: Some(chosen), last: visit.entered })
    }

    /// How long a Wait state waits, in ms.
    fn wait_ms(&self, until: &WaitFor, input: &Value, context: &Value) -> Result<u64, StatesError> {
        let stamp = match until {
            WaitFor::Seconds(seconds) => return Ok(seconds * 1000),
            WaitFor::SecondsPath(path) => {
                let value = resolve(path, input, context)?;
                return value.as_u64().map(|s| s * 1000).ok_or_else(|| {
                    StatesError::new(
                        "States.Runtime",
                        format!("The SecondsPath parameter does not reference a valid integer value: {value}"),
                    )
                });
            }
            WaitFor::Timestamp(stamp) => stamp.clone(),
            WaitFor::TimestampPath(path) => {
                let value = resolve(path, input, context)?;
                value.as_str().map(String::from).ok_or_else(|| {
                    StatesError::new("States.Runtime", format!("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {value}"))
                })?
            }
        };
        let until = choice::parse_timestamp(&stamp).map(|ns| (ns / 1_000_000) as i64).ok_or_else(|| {
            StatesError::new(
                "States.Runtime",
                format!("The Timestamp value '{stamp}' is not a valid ISO-8601 extended offset date-time"),
            )
        })?;
        Ok(until.saturating_sub(self.now_ms as i64).max(0) as u64)
    }

    /// Run a Task, Parallel or Map state under its Retry and Catch rules:
    /// `attempt` runs it once, after the event `last`, with the context of
    /// that attempt.
    fn with_retries<'m>(
        &mut self,
        visit: Visit<'m, '_>,
        errors: &'m ErrorHandling,
        transition: &'m Transition,
        mut attempt: impl FnMut(&mut Self, u64, &Value) -> Result<(Value, u64), Failure>,
    ) -> Result<Step<'m>, Failure> {
        let Visit { name, input, entered, entered_ms, item, .. } = visit;
        let mut attempts = vec![0u64; errors.retry.len()];
        let mut last = entered;
        let mut retry_count = 0;
        loop {
            let context = self.context(name, entered_ms, retry_count, item);
            let failure = match attempt(self, last, &context) {
                Ok((output, last_event)) => {
                    return Ok(Step::Continue { output, next: transition.next(), last: last_event });
                }
                Err(failure) => failure,
            };
            if failure.uncatchable {
                return Err(failure);
            }
            last = failure.event_id;
            // The first retrier whose ErrorEquals matches decides.
            if let Some(index) = errors.retry.iter().position(|r| error_matches(&r.error_equals, &failure.error.error))
            {
                let retrier = &errors.retry[index];
                if attempts[index] < retrier.max_attempts {
                    let wait = retry_wait_seconds(retrier, attempts[index]);
                    attempts[index] += 1;
                    retry_count += 1;
                    self.tick((wait * 1000.0).round() as u64);
                    continue;
                }
            }
            let caught = errors.catch.iter().find(|catcher| error_matches(&catcher.error_equals, &failure.error.error));
            if let Some(Catcher { next, result_path, .. }) = caught {
                let error_output = json!({ "Error": failure.error.error, "Cause": failure.error.cause });
                let output = data::result_path(input, error_output, result_path.as_option())
                    .map_err(|error| Failure::processing(error, name, entered, last))?;
                return Ok(Step::Continue { output, next: Some(next), last });
            }
            return Err(failure);
        }
    }

    /// One attempt of a Task state: the function call and its result processing.
    fn task(
        &mut self,
        name: &str,
        task: &Task,
        input: &Value,
        previous: u64,
        context: &Value,
    ) -> Result<(Value, u64), Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        let effective = input_path(input, &task.paths, context).map_err(|e| runtime(e, previous))?;
        let parameters = match &task.parameters {
            Some(template) => data::template(template, &effective, context).map_err(|e| runtime(e, previous))?,
            None => effective,
        };
        let resource = task.resource.as_str();
        let optimised = task.is_lambda_invoke();
        let (function_name, payload) = if optimised {
            let name = parameters
                .get("FunctionName")
                .and_then(Value::as_str)
                .map(machine::function_name_of)
                .unwrap_or_default();
            (name, parameters.get("Payload").cloned().unwrap_or(json!({})))
        } else {
            (machine::lambda_arn_function(resource).unwrap_or_default(), parameters.clone())
        };
        self.tick(1);
        let scheduled = if optimised {
            self.history.add(
                previous,
                self.now_ms,
                "TaskScheduled",
                Some(json!({
                    "resourceType": "lambda", "resource": "invoke", "region": self.options.region,
                    "parameters": parameters.to_string(),
                })),
            )
        } else {
            self.history.add(
                previous,
                self.now_ms,
                "LambdaFunctionScheduled",
                Some(with_payload(object([("resource", json!(resource))]), "input", &payload)),
            )
        };
        self.tick(1);
        let started = if optimised {
            self.history.add(
                scheduled,
                self.now_ms,
                "TaskStarted",
                Some(json!({"resourceType": "lambda", "resource": "invoke"})),
            )
        } else {
            self.history.add(scheduled, self.now_ms, "LambdaFunctionStarted", None)
        };
        let Some(function) = self.functions.get(&function_name) else {
            let error = StatesError::new("States.Runtime", format!("No local function is given for '{function_name}'"));
            return Err(Failure { error, event_id: started, uncatchable: true });
        };
        let call = function.invoke(&payload);
        // TimeoutSeconds: Step Functions stops waiting for the task then.
        let limit_ms = task_timeout_seconds(task, input, context).map(|s| s * 1000);
        if let Some(limit_ms) = limit_ms.filter(|limit| call.report.duration_ms > *limit as f64) {
            self.tick(limit_ms);
            let error = StatesError::new("States.Timeout", "");
            let details = if optimised {
                json!({"resourceType": "lambda", "resource": "invoke", "error": error.error, "cause": error.cause})
            } else {
                json!({"error": error.error, "cause": error.cause})
            };
            let kind = if optimised { "TaskTimedOut" } else { "LambdaFunctionTimedOut" };
            let timed_out = self.history.add(started, self.now_ms, kind, Some(details));
            return Err(Failure { error, event_id: timed_out, uncatchable: false });
        }
        self.tick(call.report.duration_ms.ceil() as u64);
        let result = match call.error() {
            None => call.result().unwrap_or(Value::Null),
            Some(error) => {
                let error_name = match error.source {
                    harness::ErrorSource::Timeout | harness::ErrorSource::Exit => "Lambda.Unknown".to_string(),
                    _ => error.error_type.clone(),
                };
                let failure = StatesError::new(error_name, error.text.clone());
                let details = json!({ "error": failure.error, "cause": failure.cause });
                let failed = if optimised {
                    let mut details = details;
                    details["resourceType"] = json!("lambda");
                    details["resource"] = json!("invoke");
                    self.history.add(started, self.now_ms, "TaskFailed", Some(details))
                } else {
                    self.history.add(started, self.now_ms, "LambdaFunctionFailed", Some(details))
                };
                return Err(Failure { error: failure, event_id: failed, uncatchable: false });
            }
        };
        let result = if optimised {
            json!({
                "ExecutedVersion": "$LATEST",
                "Payload": result,
                "SdkHttpMetadata": { "HttpStatusCode": 200 },
                "SdkResponseMetadata": { "RequestId": call.request_id },
                "StatusCode": 200,
            })
        } else {
            result
        };
        let succeeded = if optimised {
            self.history.add(
                started,
                self.now_ms,
                "TaskSucceeded",
                Some(with_payload(
                    object([("resourceType", json!("lambda")), ("resource", json!("invoke"))]),
                    "output",
                    &result,
                )),
            )
        } else {
            self.history.add(
                started,
                self.now_ms,
                "LambdaFunctionSucceeded",
                Some(with_payload(Map::new(), "output", &result)),
            )
        };
        let output = finish(&task.results, &task.paths, input, result, context).map_err(|e| runtime(e, succeeded))?;
        Ok((output, succeeded))
    }

    /// A Parallel state: every branch on the same input, outputs in branch order.
    fn parallel(
        &mut self,
        name: &str,
        state: &Parallel,
        input: &Value,
        previous: u64,
        context: &Value,
    ) -> Result<(Value, u64), Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        let effective = input_path(input, &state.paths, context).map_err(|e| runtime(e, previous))?;
        let effective = match &state.parameters {
            Some(template) => data::template(template, &effective, context).map_err(|e| runtime(e, previous))?,
            None => effective,
        };
        self.tick(1);
        let started = self.history.add(previous, self.now_ms, "ParallelStateStarted", None);
        let mut outputs = Vec::new();
        for branch in &state.branches {
            match self.block(branch, effective.clone(), started, None) {
                Ok((output, _)) => outputs.push(output),
                Err(failure) => {
                    self.tick(1);
                    let failed = self.history.add(
                        failure.event_id,
                        self.now_ms,
                        "ParallelStateFailed",
                        Some(json!({"error": failure.error.error, "cause": failure.error.cause})),
                    );
                    return Err(Failure { event_id: failed, ..failure });
                }
            }
        }
        self.tick(1);
        let succeeded = self.history.add(self.history.last_id(), self.now_ms, "ParallelStateSucceeded", None);
        self.finish_result(name, (&state.results, &state.paths), input, Value::Array(outputs), succeeded, context)
    }

    /// An inline Map state: the processor over each item, outputs in item order.
    fn map(
        &mut self,
        name: &str,
        state: &machine::Map,
        input: &Value,
        previous: u64,
        context: &Value,
    ) -> Result<(Value, u64), Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        let effective = input_path(input, &state.paths, context).map_err(|e| runtime(e, previous))?;
        let items_path = state.items_path.as_str();
        let items = resolve(items_path, &effective, context).map_err(|e| runtime(e, previous))?;
        let Some(items) = items.as_array().cloned() else {
            let error = StatesError::new(
                "States.Runtime",
                format!("Item is not a JSON array: ItemsPath '{items_path}' gives {items}"),
            );
            return Err(runtime(error, previous));
        };
        self.tick(1);
        let started =
            self.history.add(previous, self.now_ms, "MapStateStarted", Some(json!({ "length": items.len() })));
        let mut outputs = Vec::new();
        let mut failures = 0u64;
        for (index, value) in items.iter().enumerate() {
            let item = MapItem { index, value: value.clone() };
            let item_context = self.context(name, self.now_ms, 0, Some(&item));
            let item_input = match &state.item_selector {
                Some(template) => {
                    data::template(template, &effective, &item_context).map_err(|e| runtime(e, started))?
                }
                None => value.clone(),
            };
            self.tick(1);
            let iteration = self.history.add(
                started,
                self.now_ms,
                "MapIterationStarted",
                Some(json!({ "name": name, "index": index })),
            );
            match self.block(&state.processor, item_input, iteration, Some(&item)) {
                Ok((output, last)) => {
                    self.tick(1);
                    self.history.add(
                        last,
                        self.now_ms,
                        "MapIterationSucceeded",
                        Some(json!({ "name": name, "index": index })),
                    );
                    outputs.push(output);
                }
                Err(failure) => {
                    self.tick(1);
                    self.history.add(
                        failure.event_id,
                        self.now_ms,
                        "MapIterationFailed",
                        Some(json!({ "name": name, "index": index })),
                    );
                    failures += 1;
                    outputs.push(Value::Null);
                    let within_count = state.tolerated_failure_count.is_some_and(|limit| failures <= limit);
                    let within_share = state
                        .tolerated_failure_percentage
                        .is_some_and(|share| (failures as f64) * 100.0 / (items.len() as f64) <= share);
                    if !(within_count || within_share) {
                        self.tick(1);
                        let failed = self.history.add(self.history.last_id(), self.now_ms, "MapStateFailed", None);
                        return Err(Failure { event_id: failed, ..failure });
                    }
                }
            }
        }
        self.tick(1);
        let succeeded = self.history.add(self.history.last_id(), self.now_ms, "MapStateSucceeded", None);
        self.finish_result(name, (&state.results, &state.paths), input, Value::Array(outputs), succeeded, context)
    }

    /// ResultSelector, ResultPath and OutputPath of a Parallel or Map result,
    /// reported after the event `at`.
    fn finish_result(
        &mut self,
        name: &str,
        (results, paths): (&ResultFields, &Paths),
        input: &Value,
        result: Value,
        at: u64,
        context: &Value,
    ) -> Result<(Value, u64), Failure> {
        let entered = self.entered_id(at);
        let output = finish(results, paths, input, result, context)
            .map_err(|error| Failure::processing(error, name, entered, at))?;
        Ok((output, at))
    }
}

enum Step<'m> {
    Continue { output: Value, next: Option<&'m str>, last: u64 },
    Fail(Failure),
}

/// InputPath, where `$$...` reads the context object.
fn input_path(input: &Value, paths: &Paths, context: &Value) -> Result<Value, StatesError> {
    data::input_path(input, paths.input_path.as_option(), context)
}

/// OutputPath, where `$$...` reads the context object.
fn output_path(output: &Value, paths: &Paths, context: &Value) -> Result<Value, StatesError> {
    data::output_path_with_context(output, paths.output_path.as_option(), context)
}

/// ResultSelector, ResultPath and OutputPath, in that order.
fn finish(
    results: &ResultFields,
    paths: &Paths,
    input: &Value,
    result: Value,
    context: &Value,
) -> Result<Value, StatesError> {
    let selected = match &results.result_selector {
        Some(template) => data::template(template, &result, context)?,
        None => result,
    };
    let output = data::result_path(input, selected, results.result_path.as_option())?;
    output_path(&output, paths, context)
}

/// A Task's TimeoutSeconds, or its TimeoutSecondsPath read from the state's
/// input after InputPath.
fn task_timeout_seconds(task: &Task, input: &Value, context: &Value) -> Option<u64> {
    match task.timeout.as_ref()? {
        TaskTimeout::Seconds(seconds) => Some(*seconds),
        TaskTimeout::Path(path) => {
            let effective = input_path(input, &task.paths, context).unwrap_or(Value::Null);
            jsonpath::get(&effective, path).ok()?.as_u64()
        }
    }
}

/// A path into the input (`$...`) or the context object (`$$...`).
fn resolve(path: &str, input: &Value, context: &Value) -> Result<Value, StatesError> {
    let (document, path) = match path.strip_prefix('$').filter(|rest| rest.starts_with('$')) {
        Some(rest) => (context, rest),
        None => (input, path),
    };
    jsonpath::get(document, path).map_err(|e| StatesError::new("States.Runtime", e.message))
}

/// Whether a retrier's or catcher's ErrorEquals matches `error`.
fn error_matches(error_equals: &[String], error: &str) -> bool {
    error_equals.iter().any(|name| {
        name == error
            || (name == "States.ALL" && error != "States.Runtime")
            || (name == "States.TaskFailed" && error != "States.Timeout" && error != "States.Runtime")
    })
}

/// The wait before the next retry, after `retries_done` retries by this
/// retrier: IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, and
/// with JitterStrategy FULL a uniform pick in [0, that].
pub fn retry_wait_seconds(retrier: &Retrier, retries_done: u64) -> f64 {
    let mut wait = retrier.interval_seconds * retrier.backoff_rate.powi(retries_done as i32);
    if let Some(cap) = retrier.max_delay_seconds {
        wait = wait.min(cap);
    }
    if retrier.full_jitter {
        let unit = (harness::ids::random_unit()).clamp(0.0, 1.0);
        wait *= unit;
    }
    wait
}

fn object<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retrier(rule: Value) -> Retrier {
        Retrier::from_validated(&rule)
    }

    #[test]
    fn retry_waits_follow_the_spec_examples() {
        // The spec page's examples: Interval 3, rate 2 → 3, 6; MaxDelaySeconds 4 → 3, 4;
        // Interval 1, rate 2, after 4 retries → 16.
        let r = retrier(json!({"ErrorEquals": ["X"], "IntervalSeconds": 3, "BackoffRate": 2.0}));
        assert_eq!((retry_wait_seconds(&r, 0), retry_wait_seconds(&r, 1)), (3.0, 6.0));
        let capped =
            retrier(json!({"ErrorEquals": ["X"], "IntervalSeconds": 3, "BackoffRate": 2.0, "MaxDelaySeconds": 4}));
        assert_eq!((retry_wait_seconds(&capped, 0), retry_wait_seconds(&capped, 1)), (3.0, 4.0));
        let defaults = retrier(json!({"ErrorEquals": ["X"]}));
        assert_eq!(retry_wait_seconds(&defaults, 4), 16.0);
        let jitter = retrier(json!({"ErrorEquals": ["X"], "IntervalSeconds": 10, "JitterStrategy": "FULL"}));
        for _ in 0..50 {
            let wait = retry_wait_seconds(&jitter, 1);
            assert!((0.0..=20.0).contains(&wait), "{wait}");
        }
    }

    #[test]
    fn error_names_match_as_step_functions_matches_them() {
        let names = |rule: Value| retrier(rule).error_equals;
        let all = names(json!({"ErrorEquals": ["States.ALL"]}));
        assert!(error_matches(&all, "OrderNotFound"));
        assert!(!error_matches(&all, "States.Runtime"));
        let task_failed = names(json!({"ErrorEquals": ["States.TaskFailed"]}));
        assert!(error_matches(&task_failed, "Lambda.Unknown"));
        assert!(!error_matches(&task_failed, "States.Timeout"));
        assert!(error_matches(&names(json!({"ErrorEquals": ["A", "B"]})), "B"));
    }

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
