//! The states that take one step and are never retried or caught: Pass,
//! Succeed, Fail, Wait and Choice. A Fail state's error (or a Choice state
//! matching nothing) can still be caught by an enclosing Parallel or Map.

use super::{Failure, Run, Step, Visit, input_path, output_path, resolve};
use crate::StatesError;
use crate::choice;
use crate::context::Context;
use crate::data;
use crate::intrinsics;
use crate::machine::{Choice, Fail, FailField, Pass, Succeed, Wait, WaitFor};
use serde_json::Value;

impl Run<'_> {
    pub(super) fn pass<'m>(&mut self, visit: Visit<'m, '_>, pass: &'m Pass) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
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

    pub(super) fn succeed<'m>(&mut self, visit: Visit<'m, '_>, succeed: &'m Succeed) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let effective = input_path(visit.input, &succeed.paths, &context).map_err(runtime)?;
        let output = output_path(&effective, &succeed.paths, &context).map_err(runtime)?;
        Ok(Step::Continue { output, next: None, last: visit.entered })
    }

    pub(super) fn fail<'m>(&mut self, visit: Visit<'m, '_>, fail: &'m Fail) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let text = |field: &Option<FailField>| -> Result<String, Failure> {
            match field {
                Some(FailField::Literal(text)) => Ok(text.clone()),
                Some(FailField::Path(path)) => {
                    // A path, or an intrinsic function (AWS ran `"ErrorPath":
                    // "States.Format('{}', $.Error)"`: tests/recorded/cases.json,
                    // `test_base.py::test_state_fail_intrinsic`).
                    let found = if intrinsics::is_call(path) {
                        intrinsics::evaluate(path, visit.input, &context).map_err(runtime)?
                    } else {
                        resolve(path, visit.input, &context).map_err(runtime)?
                    };
                    Ok(found.as_str().map(String::from).unwrap_or_else(|| found.to_string()))
                }
                None => Ok(String::new()),
            }
        };
        let error = StatesError::new(text(&fail.error)?, text(&fail.cause)?);
        // Inside a Map or Parallel, the enclosing state's Catch can take it.
        Ok(Step::Fail(Failure { error, event_id: visit.entered, uncatchable: false, state_failed: None }))
    }

    pub(super) fn wait<'m>(&mut self, visit: Visit<'m, '_>, wait: &'m Wait) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
        let effective = input_path(visit.input, &wait.paths, &context).map_err(runtime)?;
        let wait_ms = self.wait_ms(&wait.until, &effective, &context).map_err(runtime)?;
        self.tick(wait_ms);
        let output = output_path(&effective, &wait.paths, &context).map_err(runtime)?;
        Ok(Step::Continue { output, next: wait.transition.next(), last: visit.entered })
    }

    pub(super) fn choice<'m>(&mut self, visit: Visit<'m, '_>, state: &'m Choice) -> Result<Step<'m>, Failure> {
        let runtime = visit.runtime();
        let context = self.context(visit.name, visit.entered_ms, None, visit.item);
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
            return Ok(Step::Fail(Failure { error, event_id: visit.entered, uncatchable: false, state_failed: None }));
        };
        let output = output_path(&effective, &state.paths, &context).map_err(runtime)?;
        Ok(Step::Continue { output, next: Some(chosen), last: visit.entered })
    }

    /// How long a Wait state waits, in ms.
    fn wait_ms(&self, until: &WaitFor, input: &Value, context: &Context) -> Result<u64, StatesError> {
        let stamp = match until {
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
