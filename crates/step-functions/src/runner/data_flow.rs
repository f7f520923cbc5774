//! What the states share around their own work, in both query languages:
//! the scopes of variables (a Parallel branch or Map iteration runs in one
//! of its own), what an Assign sets, what a Task, Parallel or Map state makes
//! of its result, the `...StateAborted` event of a state a failure left open,
//! and a JSONata failure's `EvaluationFailed` event.

use super::{Attempt, Failure, Run, finish};
use crate::StatesError;
use crate::context::Context;
use crate::data;
use crate::machine::{DataFlow, Paths, Payload, QueryLanguage, ResultFields};
use crate::query::{Env, QUERY_EVALUATION_ERROR};
use serde_json::{Map, Value, json};

impl Run<'_> {
    /// The `...StateAborted` event of the state a failure left open in a
    /// Parallel branch or a Map iteration, after the failure's event: AWS
    /// writes one for a Task that failed there (recorded in
    /// tests/recorded/cases.json: `test_parallel_catch_error` and
    /// `test_service_lambda_map_timeout`, after MapIterationFailed).
    pub(super) fn abort_open_state(&mut self, failure: &Failure) {
        if let Some(kind) = self.open_state.take() {
            self.tick(1);
            self.history.add(failure.event_id, self.now_ms, &format!("{kind}StateAborted"), None);
        }
    }

    /// Run `f` in a scope of variables of its own inside the current one (a
    /// Parallel branch, a Map iteration): it reads the outer variables, and
    /// what it assigns ends with it.
    pub(super) fn in_scope<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.variables.clone();
        self.variables = outer.inner();
        let result = f(self);
        self.variable_bytes = self.variable_bytes.saturating_sub(self.variables.innermost_bytes());
        self.variables = outer;
        result
    }

    /// A failure of a state's own processing. A JSONata evaluation's
    /// (`States.QueryEvaluationError`) gets the event AWS writes first,
    /// `EvaluationFailed` with the state, the cause (prefixed as a
    /// States.Runtime cause is) and where applicable the field
    /// (`location`), as recorded against AWS in `tests/recorded/cases.json`
    /// (`test_wait_timestamp_jsonata[NO_T]`, `test_map_state_items_input_types`).
    pub(super) fn query_failure(
        &mut self,
        error: StatesError,
        (name, entered): (&str, u64),
        at: u64,
        location: Option<&str>,
    ) -> Failure {
        if error.error != QUERY_EVALUATION_ERROR {
            return Failure::processing(error, name, entered, at);
        }
        let location = crate::query::field_of(&error.cause).map(String::from).or(location.map(String::from));
        let error = data::with_state_prefix(error, name, entered);
        let mut details = Map::new();
        details.insert("cause".into(), json!(error.cause));
        details.insert("error".into(), json!(error.error));
        if let Some(location) = location {
            details.insert("location".into(), json!(location));
        }
        details.insert("state".into(), json!(name));
        let event_id = self.history.add(at, self.now_ms, "EvaluationFailed", Some(Value::Object(details)));
        Failure { error, event_id, uncatchable: false, state_failed: None }
    }

    /// What an Assign field sets: a JSONPath template read over `value` (the
    /// state's result or input, as the state type has it), or JSONata
    /// expressions with `env`.
    pub(super) fn assigned(
        &self,
        assign: Option<&Payload>,
        value: &Value,
        env: &Env,
    ) -> Result<Option<Map<String, Value>>, StatesError> {
        let assigned = match assign {
            None => return Ok(None),
            Some(Payload::JsonPath(template)) => data::template(template, value, env.context)?,
            Some(Payload::Jsonata(template)) => template.evaluate("Assign", env)?,
        };
        match assigned {
            Value::Object(assigned) => Ok(Some(assigned)),
            other => Err(StatesError::new(
                QUERY_EVALUATION_ERROR,
                format!("The field 'Assign' must give an object of variables, not {other}"),
            )),
        }
    }

    /// An Env for JSONata expressions of a state.
    pub(super) fn env<'e>(&self, input: &'e Value, context: &'e Context) -> Env<'e> {
        Env { input, context, result: None, error_output: None, now_ms: self.now_ms }
    }

    /// What a Task, Parallel or Map state makes of its result: in JSONPath,
    /// Assign over the result as it came (before ResultSelector, as
    /// LocalStack, held to AWS, reads it), then ResultSelector, ResultPath and
    /// OutputPath; in JSONata, Output (default `$states.result`) and Assign
    /// with `$states.result`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn conclude(
        &mut self,
        (name, entered): (&str, u64),
        flow: &DataFlow,
        (results, paths): (&ResultFields, &Paths),
        input: &Value,
        result: Value,
        at: u64,
        context: &Context,
    ) -> Result<Attempt, Failure> {
        match flow.language {
            QueryLanguage::JsonPath => {
                let env = self.env(input, context);
                let assigned = self
                    .assigned(flow.assign.as_ref(), &result, &env)
                    .map_err(|e| Failure::processing(e, name, entered, at))?;
                let output = finish(results, paths, input, result, context)
                    .map_err(|e| Failure::processing(e, name, entered, at))?;
                Ok(Attempt { output, last: at, assigned })
            }
            QueryLanguage::Jsonata => {
                let env = Env { result: Some(&result), ..self.env(input, context) };
                let evaluated = jsonata_output(flow, &result, &env)
                    .and_then(|output| Ok((output, self.assigned(flow.assign.as_ref(), &result, &env)?)));
                match evaluated {
                    Ok((output, assigned)) => Ok(Attempt { output, last: at, assigned }),
                    Err(error) => Err(self.query_failure(error, (name, entered), at, None)),
                }
            }
        }
    }
}

/// A JSONata state's output: its Output evaluated, or `default`.
pub(super) fn jsonata_output(flow: &DataFlow, default: &Value, env: &Env) -> Result<Value, StatesError> {
    match &flow.output {
        Some(output) => output.evaluate("Output", env),
        None => Ok(default.clone()),
    }
}
