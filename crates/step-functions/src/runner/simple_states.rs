//! The states that take one step and are never retried or caught: Pass,
//! Succeed, Fail, Wait and Choice. A Fail state's error (or a Choice state
//! matching nothing) can still be caught by an enclosing Parallel or Map.

use super::data_flow::jsonata_output;
use super::{Failure, Run, Step, Visit, input_path, output_path, resolve};
use crate::StatesError;
use crate::choice;
use crate::context::Context;
use crate::data;
use crate::intrinsics;
use crate::machine::{Choice, Fail, FailField, Pass, QueryLanguage, Succeed, Wait, WaitFor};
use crate::query::{Env, QUERY_EVALUATION_ERROR};
use serde_json::Value;

impl Run<'_> {
    /// A Pass state. In JSONPath its Assign reads the result (Result,
    /// Parameters or the input) before ResultPath: recorded against AWS in
    /// tests/recorded/cases.json (`test_task_dataflow_to_state`, whose
    /// `"inputData.$": "$"` got the Pass state's Result).
    pub(super) fn pass<'m>(&mut self, visit: Visit<'m, '_>, pass: &'m Pass) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let env = self.env(visit.input, &context);
        let (output, assigned) = match pass.flow.language {
            QueryLanguage::JsonPath => {
                let effective = input_path(visit.input, &pass.paths, &context).map_err(runtime)?;
                let result = match (&pass.result, &pass.parameters) {
                    (Some(result), _) => result.clone(),
                    (None, Some(parameters)) => data::template(parameters, &effective, &context).map_err(runtime)?,
                    (None, None) => effective,
                };
                let assigned = self.assigned(pass.flow.assign.as_ref(), &result, &env).map_err(runtime)?;
                let output = data::result_path(visit.input, result, pass.result_path.as_option()).map_err(runtime)?;
                (output_path(&output, &pass.paths, &context).map_err(runtime)?, assigned)
            }
            QueryLanguage::Jsonata => self.jsonata_step(&visit, &pass.flow, &env)?,
        };
        Ok(Step::Continue { output, next: pass.transition.next(), last: visit.entered, assigned })
    }

    pub(super) fn succeed<'m>(&mut self, visit: Visit<'m, '_>, succeed: &'m Succeed) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let output = match succeed.flow.language {
            QueryLanguage::JsonPath => {
                let effective = input_path(visit.input, &succeed.paths, &context).map_err(runtime)?;
                output_path(&effective, &succeed.paths, &context).map_err(runtime)?
            }
            QueryLanguage::Jsonata => self.jsonata_step(&visit, &succeed.flow, &self.env(visit.input, &context))?.0,
        };
        Ok(Step::Continue { output, next: None, last: visit.entered, assigned: None })
    }

    pub(super) fn fail<'m>(&mut self, visit: Visit<'m, '_>, fail: &'m Fail) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let env = self.env(visit.input, &context);
        let text = |field: &Option<FailField>, name: &str| -> Result<String, (StatesError, String)> {
            let found = match field {
                Some(FailField::Literal(text)) => return Ok(text.clone()),
                Some(FailField::Path(path)) => {
                    // A path, or an intrinsic function (AWS ran `"ErrorPath":
                    // "States.Format('{}', $.Error)"`: tests/recorded/cases.json,
                    // `test_base.py::test_state_fail_intrinsic`).
                    let found = if intrinsics::is_call(path) {
                        intrinsics::evaluate(path, visit.input, &context)
                    } else {
                        // AWS's wording, recorded in tests/recorded/cases.json
                        // (`test_invalid_jsonpath[INVALID_JSONPATH_IN_ERRORPATH]`).
                        resolve(path, visit.input, &context).map_err(|_| {
                            StatesError::new(
                                "States.Runtime",
                                format!(
                                    "The JSONPath '{path}' specified for the field '{name}Path' could not be found in the input '{}'",
                                    visit.input
                                ),
                            )
                        })
                    };
                    found.map_err(|error| (error, String::new()))?
                }
                Some(FailField::Expression(template)) => {
                    template.evaluate(name, &env).map_err(|error| (error, name.to_string()))?
                }
                None => return Ok(String::new()),
            };
            Ok(found.as_str().map(String::from).unwrap_or_else(|| found.to_string()))
        };
        let texts = text(&fail.error, "Error").and_then(|error| Ok((error, text(&fail.cause, "Cause")?)));
        let (error, cause) = match texts {
            Ok(texts) => texts,
            Err((error, location)) if error.error == QUERY_EVALUATION_ERROR => {
                return Err(self.query_failure(error, (visit.name, visit.entered), visit.entered, Some(&location)));
            }
            Err((error, _)) => return Err(runtime(error)),
        };
        let error = StatesError::new(error, cause);
        // Inside a Map or Parallel, the enclosing state's Catch can take it.
        Ok(Step::Fail(Failure { error, event_id: visit.entered, uncatchable: false, state_failed: None }))
    }

    /// A Wait state. In JSONPath its Assign reads the effective input.
    pub(super) fn wait<'m>(&mut self, visit: Visit<'m, '_>, wait: &'m Wait) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let env = self.env(visit.input, &context);
        let effective = input_path(visit.input, &wait.paths, &context).map_err(runtime)?;
        let wait_ms = match self.wait_ms(&wait.until, &effective, &env) {
            Ok(ms) => ms,
            Err((error, location)) => {
                return Err(self.query_failure(error, (visit.name, visit.entered), visit.entered, location));
            }
        };
        // Assign and Output see the clock from before the wait, as the state entered.
        let (output, assigned) = match wait.flow.language {
            QueryLanguage::JsonPath => {
                let assigned = self.assigned(wait.flow.assign.as_ref(), &effective, &env).map_err(runtime)?;
                (output_path(&effective, &wait.paths, &context).map_err(runtime)?, assigned)
            }
            QueryLanguage::Jsonata => self.jsonata_step(&visit, &wait.flow, &env)?,
        };
        self.tick(wait_ms);
        Ok(Step::Continue { output, next: wait.transition.next(), last: visit.entered, assigned })
    }

    /// A Choice state. The matching rule's Assign (and, in JSONata, Output)
    /// applies; the state's own apply when Default is taken (recorded against
    /// AWS in tests/recorded/cases.json, `test_assign_in_choice`,
    /// `test_output_in_choice`, `test_assign_in_choice_state`).
    pub(super) fn choice<'m>(&mut self, visit: Visit<'m, '_>, state: &'m Choice) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let env = self.env(visit.input, &context);
        let jsonata = state.flow.language == QueryLanguage::Jsonata;
        let effective = input_path(visit.input, &state.paths, &context).map_err(runtime)?;
        let mut chosen = None;
        for rule in &state.choices {
            let matched = match &rule.condition {
                Some(condition) if jsonata => match condition.evaluate("Condition", &env).and_then(boolean_condition) {
                    Ok(matched) => matched,
                    Err(error) => {
                        let at = (visit.name, visit.entered);
                        return Err(self.query_failure(error, at, visit.entered, Some("Condition")));
                    }
                },
                _ => choice::matches_with_context(&rule.rule, &effective, &context).map_err(runtime)?,
            };
            if matched {
                chosen = Some(rule);
                break;
            }
        }
        let (next, assign, output) = match chosen {
            Some(rule) => (rule.next.as_str(), rule.assign.as_ref(), rule.output.as_ref()),
            None => match state.default.as_deref() {
                Some(default) => (default, state.flow.assign.as_ref(), state.flow.output.as_ref()),
                None => {
                    let error =
                        StatesError::new("States.NoChoiceMatched", format!("No Matches! for state '{}'", visit.name));
                    let failure = Failure { error, event_id: visit.entered, uncatchable: false, state_failed: None };
                    return Ok(Step::Fail(failure));
                }
            },
        };
        let evaluated = if jsonata {
            let output = output.map_or_else(|| Ok(visit.input.clone()), |output| output.evaluate("Output", &env));
            output.and_then(|output| Ok((output, self.assigned(assign, visit.input, &env)?)))
        } else {
            let assigned = self.assigned(assign, &effective, &env).map_err(runtime)?;
            Ok((output_path(&effective, &state.paths, &context).map_err(runtime)?, assigned))
        };
        let (output, assigned) = match evaluated {
            Ok(done) => done,
            Err(error) => return Err(self.query_failure(error, (visit.name, visit.entered), visit.entered, None)),
        };
        Ok(Step::Continue { output, next: Some(next), last: visit.entered, assigned })
    }

    /// A JSONata state's Output (default: its input) and Assign.
    fn jsonata_step(
        &mut self,
        visit: &Visit<'_, '_>,
        flow: &crate::machine::DataFlow,
        env: &Env,
    ) -> Result<(Value, Option<serde_json::Map<String, Value>>), Failure> {
        let evaluated = jsonata_output(flow, visit.input, env)
            .and_then(|output| Ok((output, self.assigned(flow.assign.as_ref(), visit.input, env)?)));
        evaluated.map_err(|error| self.query_failure(error, (visit.name, visit.entered), visit.entered, None))
    }

    /// How long a Wait state waits, in ms.
    fn wait_ms(&self, until: &WaitFor, input: &Value, env: &Env) -> Result<u64, (StatesError, Option<&'static str>)> {
        self.wait_ms_of(until, input, env).map_err(|error| {
            let location = match until {
                WaitFor::SecondsExpression(_) => Some("Seconds"),
                WaitFor::TimestampExpression(_) => Some("Timestamp"),
                WaitFor::Seconds(_) | WaitFor::SecondsPath(_) | WaitFor::Timestamp(_) | WaitFor::TimestampPath(_) => {
                    None
                }
            };
            (error, location)
        })
    }

    fn wait_ms_of(&self, until: &WaitFor, input: &Value, env: &Env) -> Result<u64, StatesError> {
        let context: &Context = env.context;
        let stamp = match until {
            WaitFor::SecondsExpression(template) => {
                let value = template.evaluate("Seconds", env)?;
                return value.as_u64().map(|seconds| seconds * 1000).ok_or_else(|| {
                    StatesError::new(
                        QUERY_EVALUATION_ERROR,
                        format!("The Seconds field must be a non-negative integer, but was: {value}"),
                    )
                });
            }
            WaitFor::TimestampExpression(template) => {
                let value = template.evaluate("Timestamp", env)?;
                // AWS's wording, recorded in tests/recorded/cases.json
                // (`test_wait_timestamp_jsonata[NO_T]`, `[INVALID_DATE]`...).
                let refused = || {
                    let shown = value.as_str().map_or_else(|| value.to_string(), String::from);
                    StatesError::new(
                        QUERY_EVALUATION_ERROR,
                        format!(
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {shown}"
                        ),
                    )
                };
                let stamp = value.as_str().ok_or_else(refused)?;
                let until = choice::parse_timestamp(stamp).map(|ns| (ns / 1_000_000) as i64).ok_or_else(refused)?;
                return Ok(until.saturating_sub(self.now_ms as i64).max(0) as u64);
            }
            WaitFor::Seconds(seconds) => return Ok(seconds * 1000),
            WaitFor::SecondsPath(path) => {
                let value = resolve(path, input, context)?;
                if let Some(seconds) = value.as_u64() {
                    return Ok(seconds * 1000);
                }
                // AWS's wording, as LocalStack (held to executions recorded
                // against AWS) writes it in `_validate_seconds_value` of its
                // Wait state's `seconds_path.py` (localstack/localstack):
                // "The SecondsPath parameter cannot be parsed as a long value:
                // $.path == value", or "... references a negative value: ..."
                // for an integer below 0.
                let shown = match &value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                let reason = if value.as_i64().is_some() {
                    "references a negative value"
                } else {
                    "cannot be parsed as a long value"
                };
                return Err(StatesError::new(
                    "States.Runtime",
                    format!("The SecondsPath parameter {reason}: {path} == {shown}"),
                ));
            }
            WaitFor::Timestamp(stamp) => stamp.clone(),
            WaitFor::TimestampPath(path) => {
                let value = resolve(path, input, context)?;
                // AWS's wording, recorded in `tests/recorded/cases.json`
                // (`test_base_scenarios.py::test_wait_timestamp_path[NO_T]`,
                // `[NO_Z]`, `[INVALID_DATE]`...): the path, then the value.
                let refused = || {
                    let shown = value.as_str().map_or_else(|| value.to_string(), String::from);
                    StatesError::new(
                        "States.Runtime",
                        format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {shown}"
                        ),
                    )
                };
                let stamp = value.as_str().ok_or_else(refused)?;
                let until = choice::parse_timestamp(stamp).map(|ns| (ns / 1_000_000) as i64).ok_or_else(refused)?;
                return Ok(until.saturating_sub(self.now_ms as i64).max(0) as u64);
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
}

/// A JSONata Condition's value, which must be a boolean.
fn boolean_condition(value: Value) -> Result<bool, StatesError> {
    value.as_bool().ok_or_else(|| {
        StatesError::new(
            QUERY_EVALUATION_ERROR,
            format!("The field 'Condition' must evaluate to a boolean, but was: {value}"),
        )
    })
}
