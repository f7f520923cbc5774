//! One attempt of a state that runs machines of its own: a Parallel state
//! (every branch on the same input, outputs in branch order) and a Map state
//! (the processor over each item, one after another, outputs in item order,
//! with ToleratedFailureCount / ToleratedFailurePercentage), inline or
//! distributed (each item a child execution, the Map Run in the history).

use super::{Attempt, Failure, MapItem, Run, effective_input, error_details, input_path, map_limits, resolve};
use crate::context::Context;
use crate::machine::{self, Machine, MapLimit, Parallel, Payload, QueryLanguage};
use crate::query::{QUERY_EVALUATION_ERROR, Template};
use crate::{StatesError, data};
use serde_json::{Value, json};

impl Run<'_> {
    /// A Parallel state: every branch on the same input, outputs in branch order.
    pub(super) fn parallel(
        &mut self,
        name: &str,
        state: &Parallel,
        input: &Value,
        previous: u64,
        context: &Context,
    ) -> Result<Attempt, Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        let effective = match (state.flow.language, &state.arguments) {
            (QueryLanguage::JsonPath, _) => effective_input(input, &state.paths, state.parameters.as_ref(), context)
                .map_err(|e| runtime(e, previous))?,
            (QueryLanguage::Jsonata, None) => input.clone(),
            (QueryLanguage::Jsonata, Some(arguments)) => {
                match arguments.evaluate("Arguments", &self.env(input, context)) {
                    Ok(arguments) => arguments,
                    Err(error) => return Err(self.query_failure(error, (name, entered), previous, Some("Arguments"))),
                }
            }
        };
        self.tick(1);
        let started = self.history.add(previous, self.now_ms, "ParallelStateStarted", None);
        let mut outputs = Vec::new();
        for branch in &state.branches {
            match self.in_scope(|run| run.block(branch, effective.clone(), started, None)) {
                Ok((output, _)) => outputs.push(output),
                Err(failure) if self.is_halted() => return Err(failure),
                Err(failure) => {
                    self.abort_open_state(&failure);
                    return Err(Failure { state_failed: Some("ParallelStateFailed"), ..failure });
                }
            }
        }
        self.tick(1);
        let succeeded = self.history.add(self.history.last_id(), self.now_ms, "ParallelStateSucceeded", None);
        let fields = (&state.results, &state.paths);
        self.conclude((name, entered), &state.flow, fields, input, Value::Array(outputs), succeeded, context)
    }

    /// A Map state: the processor over each item, outputs in item order.
    /// Inline, each iteration's events are the execution's own; distributed,
    /// each item runs as a child execution with a history of its own, and the
    /// execution's history holds the Map Run instead (`MapRunStarted`, then
    /// `MapRunSucceeded` or `MapRunFailed`), as in every Distributed Map
    /// recorded against AWS in `tests/recorded/cases.json`
    /// (`test_base_scenarios.py::test_map_state_config_distributed_*`).
    pub(super) fn map(
        &mut self,
        name: &str,
        state: &machine::Map,
        input: &Value,
        previous: u64,
        context: &Context,
    ) -> Result<Attempt, Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        if let Some(not_run) = state.not_run {
            let (field, what) = (not_run.field(), not_run.does());
            let cause = format!(
                "The local runner cannot run this Map: its {field} {what}, which only AWS does. Give the items in the \
                 state's input instead (ItemsPath, or Items in JSONata), without {field}, to run it here."
            );
            return Err(runtime(StatesError::new("States.Runtime", cause), previous));
        }
        let jsonata = state.flow.language == QueryLanguage::Jsonata;
        let effective = input_path(input, &state.paths, context).map_err(|e| runtime(e, previous))?;
        // Recorded against AWS (test_max_concurrency_path): a bad
        // MaxConcurrencyPath value fails the state before MapStateStarted, the
        // tolerated failures (test_map_state_tolerated_failure_*_path) after it.
        match &state.max_concurrency {
            Some(MapLimit::Path(path)) => {
                let value = resolve(path, &effective, context).map_err(|e| runtime(e, previous))?;
                map_limits::max_concurrency(path, &value).map_err(|e| runtime(e, previous))?;
            }
            Some(MapLimit::Expression(template)) => {
                let value = template
                    .evaluate("MaxConcurrency", &self.env(input, context))
                    .and_then(|value| map_limits::max_concurrency("MaxConcurrency", &value));
                if let Err(error) = value {
                    return Err(self.query_failure(error, (name, entered), previous, Some("MaxConcurrency")));
                }
            }
            Some(MapLimit::Value(_)) | None => {}
        }
        let items = if jsonata {
            match self.jsonata_items(state.items.as_ref(), input, context) {
                Ok(items) => items,
                Err((error, location)) => {
                    let failure = self.query_failure(error, (name, entered), previous, location);
                    return Err(Failure { state_failed: Some("MapStateFailed"), ..failure });
                }
            }
        } else {
            let items_path = state.items_path.as_str();
            let items = resolve(items_path, &effective, context).map_err(|e| runtime(e, previous))?;
            let Value::Array(items) = items else {
                let error = StatesError::new(
                    "States.Runtime",
                    format!("Item is not a JSON array: ItemsPath '{items_path}' gives {items}"),
                );
                return Err(runtime(error, previous));
            };
            items
        };
        self.tick(1);
        let started =
            self.history.add(previous, self.now_ms, "MapStateStarted", Some(json!({ "length": items.len() })));
        let tolerated = match map_limits::Tolerated::read(state, &effective, &self.env(input, context)) {
            Ok(tolerated) => tolerated,
            Err(error) => return Err(self.query_failure(error, (name, entered), started, None)),
        };
        let map_run = if state.distributed {
            self.tick(1);
            let arn = self.map_run_arn(state.label.as_deref());
            Some(self.history.add(started, self.now_ms, "MapRunStarted", Some(json!({ "mapRunArn": arn }))))
        } else {
            None
        };
        let mut outputs = Vec::new();
        let mut failures = 0u64;
        for (index, value) in items.iter().enumerate() {
            self.halted()?;
            let item = MapItem { index, value: value.clone() };
            let item_context = self.context(name, self.now_ms, Some(0), Some(&item));
            let item_input = match &state.item_selector {
                Some(Payload::JsonPath(template)) => {
                    data::template(template, &effective, &item_context).map_err(|e| runtime(e, started))?
                }
                Some(Payload::Jsonata(template)) => {
                    match template.evaluate("ItemSelector", &self.env(input, &item_context)) {
                        Ok(item_input) => item_input,
                        Err(error) => {
                            return Err(self.query_failure(error, (name, entered), started, Some("ItemSelector")));
                        }
                    }
                }
                None => value.clone(),
            };
            let result = if state.distributed {
                self.child_execution(&state.processor, item_input, &item)
            } else {
                self.in_scope(|run| run.iteration(name, &state.processor, item_input, started, &item))
            };
            match result {
                Ok(output) => outputs.push(output),
                Err(failure) if self.is_halted() => return Err(failure),
                Err(failure) => {
                    failures += 1;
                    outputs.push(Value::Null);
                    if tolerated.allows(failures, items.len()) {
                        continue;
                    }
                    let Some(map_run) = map_run else {
                        let last = self.history.last_id();
                        return Err(Failure { event_id: last, state_failed: Some("MapStateFailed"), ..failure });
                    };
                    // A Map Run fails as a whole. The error and cause are AWS's, as
                    // its TestState API recorded them for a Map state in LocalStack's
                    // test_state_configuration.snapshot.json; the developer guide
                    // names States.ExceedToleratedFailureThreshold for Distributed
                    // Map states only.
                    let error = StatesError::new(
                        "States.ExceedToleratedFailureThreshold",
                        "The specified tolerated failure threshold was exceeded",
                    );
                    self.tick(1);
                    let failed = self.history.add(map_run, self.now_ms, "MapRunFailed", Some(error_details(&error)));
                    return Err(Failure {
                        error,
                        event_id: failed,
                        uncatchable: false,
                        state_failed: Some("MapStateFailed"),
                    });
                }
            }
        }
        let last = match map_run {
            Some(map_run) => {
                self.tick(1);
                self.history.add(map_run, self.now_ms, "MapRunSucceeded", None)
            }
            None => self.history.last_id(),
        };
        self.tick(1);
        let succeeded = self.history.add(last, self.now_ms, "MapStateSucceeded", None);
        // AWS's MapStateExited follows the MapRunSucceeded event, not MapStateSucceeded.
        let at = if map_run.is_some() { last } else { succeeded };
        let fields = (&state.results, &state.paths);
        self.conclude((name, entered), &state.flow, fields, input, Value::Array(outputs), at, context)
    }

    /// A JSONata Map state's items: its Items evaluated, or its input; Err
    /// with AWS's cause (LocalStack's wording, held to AWS: `items.py`; the
    /// input's, `Map state input must be an array but was: 1`, recorded
    /// against AWS in tests/recorded/cases.json,
    /// `test_map_state_items_input_types`) and the field to name, if any.
    fn jsonata_items(
        &self,
        items: Option<&Template>,
        input: &Value,
        context: &Context,
    ) -> Result<Vec<Value>, (StatesError, Option<&'static str>)> {
        let Some(template) = items else {
            return match input {
                Value::Array(items) => Ok(items.clone()),
                other => Err((
                    StatesError::new(
                        QUERY_EVALUATION_ERROR,
                        format!("Map state input must be an array but was: {other}"),
                    ),
                    None,
                )),
            };
        };
        match template.evaluate("Items", &self.env(input, context)) {
            Ok(Value::Array(items)) => Ok(items),
            Ok(other) => {
                let kind = match &other {
                    Value::Null => "null",
                    Value::Bool(_) => "boolean",
                    Value::Number(_) => "number",
                    Value::String(_) => "string",
                    Value::Object(_) => "object",
                    Value::Array(_) => "array",
                };
                let source = match template {
                    Template::Expression(expr) => expr.source().to_string(),
                    _ => other.to_string(),
                };
                let cause = format!(
                    "The JSONata expression '{source}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{kind}' for value: {other}"
                );
                Err((StatesError::new(QUERY_EVALUATION_ERROR, cause), Some("Items")))
            }
            Err(error) => Err((error, Some("Items"))),
        }
    }

    /// One iteration of an inline Map, between its MapIterationStarted and
    /// MapIterationSucceeded (or MapIterationFailed) events.
    fn iteration(
        &mut self,
        name: &str,
        processor: &Machine,
        input: Value,
        started: u64,
        item: &MapItem,
    ) -> Result<Value, Failure> {
        let details = json!({ "name": name, "index": item.index });
        self.tick(1);
        let iteration = self.history.add(started, self.now_ms, "MapIterationStarted", Some(details.clone()));
        match self.block(processor, input, iteration, Some(item)) {
            Ok((output, last)) => {
                self.tick(1);
                self.history.add(last, self.now_ms, "MapIterationSucceeded", Some(details));
                Ok(output)
            }
            Err(failure) if self.is_halted() => Err(failure),
            Err(failure) => {
                self.tick(1);
                self.history.add(failure.event_id, self.now_ms, "MapIterationFailed", Some(details));
                self.abort_open_state(&failure);
                Err(failure)
            }
        }
    }

    /// One item of a Distributed Map: a child execution, whose events go to
    /// a history of its own rather than the execution's, and which sees none
    /// of the execution's variables.
    fn child_execution(&mut self, processor: &Machine, input: Value, item: &MapItem) -> Result<Value, Failure> {
        let parent = std::mem::take(&mut self.history);
        // A child execution has variables of its own, none from the parent's.
        let variables = std::mem::take(&mut self.variables);
        let bytes = std::mem::take(&mut self.variable_bytes);
        let result = self.block(processor, input, 0, Some(item));
        (self.variables, self.variable_bytes) = (variables, bytes);
        let child = std::mem::replace(&mut self.history, parent);
        // A child that reached its own history quota failed; the parent goes on.
        match result {
            Ok(_) if child.is_full() => Err(self.halted_child()),
            Ok((output, _)) => Ok(output),
            Err(failure) => Err(Failure { event_id: self.history.last_id(), ..failure }),
        }
    }

    /// The failure of a child execution that reached the history quota.
    fn halted_child(&self) -> Failure {
        let (error, cause) = crate::limits::HISTORY_LIMIT_ERROR;
        let error = StatesError::new(error, cause);
        Failure { error, event_id: self.history.last_id(), uncatchable: false, state_failed: None }
    }

    /// `arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:ID`: the Label, or
    /// a UUID without one, then a UUID (the form of the recorded MapRunStarted
    /// events, `test_map_state_label` with `"Label": "TestMap"` included).
    fn map_run_arn(&self, label: Option<&str>) -> String {
        let o = self.options;
        let label = label.map_or_else(harness::ids::request_id, String::from);
        format!(
            "arn:aws:states:{}:{}:mapRun:{}/{label}:{}",
            o.region,
            o.account_id,
            o.state_machine_name,
            harness::ids::request_id()
        )
    }
}
