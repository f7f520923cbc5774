//! One attempt of a state that runs machines of its own: a Parallel state
//! (every branch on the same input, outputs in branch order) and an inline
//! Map state (the processor over each item, one after another, outputs in
//! item order, with ToleratedFailureCount / ToleratedFailurePercentage).

use super::{Failure, MapItem, Run, effective_input, finish, input_path, resolve};
use crate::context::Context;
use crate::machine::{self, Parallel, Paths, ResultFields};
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
    ) -> Result<(Value, u64), Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        let effective = effective_input(input, &state.paths, state.parameters.as_ref(), context)
            .map_err(|e| runtime(e, previous))?;
        self.tick(1);
        let started = self.history.add(previous, self.now_ms, "ParallelStateStarted", None);
        let mut outputs = Vec::new();
        for branch in &state.branches {
            match self.block(branch, effective.clone(), started, None) {
                Ok((output, _)) => outputs.push(output),
                Err(failure) if self.is_halted() => return Err(failure),
                Err(failure) => return Err(Failure { state_failed: Some("ParallelStateFailed"), ..failure }),
            }
        }
        self.tick(1);
        let succeeded = self.history.add(self.history.last_id(), self.now_ms, "ParallelStateSucceeded", None);
        self.finish_result(name, (&state.results, &state.paths), input, Value::Array(outputs), succeeded, context)
    }

    /// An inline Map state: the processor over each item, outputs in item order.
    pub(super) fn map(
        &mut self,
        name: &str,
        state: &machine::Map,
        input: &Value,
        previous: u64,
        context: &Context,
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
            self.halted()?;
            let item = MapItem { index, value: value.clone() };
            let item_context = self.context(name, self.now_ms, Some(0), Some(&item));
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
                Err(failure) if self.is_halted() => return Err(failure),
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
                        let last = self.history.last_id();
                        return Err(Failure { event_id: last, state_failed: Some("MapStateFailed"), ..failure });
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
        context: &Context,
    ) -> Result<(Value, u64), Failure> {
        let entered = self.entered_id(at);
        let output = finish(results, paths, input, result, context)
            .map_err(|error| Failure::processing(error, name, entered, at))?;
        Ok((output, at))
    }
}
