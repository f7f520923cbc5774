//! Retry and Catch: a Task, Parallel or Map state runs until an attempt
//! succeeds, a retrier gives up, or a catcher takes the error. The first
//! retrier (and the first catcher) whose ErrorEquals matches decides;
//! `States.Runtime` errors are never retried or caught.

use super::{Attempt, Failure, Run, Step, Visit};
use crate::context::Context;
use crate::data;
use crate::machine::{Catcher, ErrorHandling, QueryLanguage, Retrier, Transition};
use crate::query::Env;
use serde_json::json;

impl Run<'_> {
    /// Run a Task, Parallel or Map state under its Retry and Catch rules:
    /// `attempt` runs it once, after the event `last`, with the context of
    /// that attempt.
    pub(super) fn with_retries<'m>(
        &mut self,
        visit: Visit<'m, '_>,
        errors: &'m ErrorHandling,
        transition: &'m Transition,
        language: QueryLanguage,
        mut attempt: impl FnMut(&mut Self, u64, &Context) -> Result<Attempt, Failure>,
    ) -> Result<Step<'m>, Failure> {
        let Visit { name, input, entered, entered_ms, item, .. } = visit;
        let mut attempts = vec![0u64; errors.retry.len()];
        let mut last = entered;
        let mut retry_count = 0;
        loop {
            self.halted()?;
            let context = self.context(name, entered_ms, Some(retry_count), item);
            let failure = match attempt(self, last, &context) {
                Ok(Attempt { output, last, assigned }) => {
                    return Ok(Step::Continue { output, next: transition.next(), last, assigned });
                }
                Err(failure) => failure,
            };
            if failure.uncatchable {
                return Err(self.state_failed(failure));
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
            let failure = self.state_failed(failure);
            last = failure.event_id;
            // A Catcher with an empty ErrorEquals caught a function's error on
            // AWS (tests/recorded/cases.json, `test_raise_custom_exception`).
            let caught = errors.catch.iter().find(|catcher| {
                catcher.error_equals.is_empty() || error_matches(&catcher.error_equals, &failure.error.error)
            });
            if let Some(Catcher { next, result_path, assign, output, .. }) = caught {
                let error_output = json!({ "Error": failure.error.error, "Cause": failure.error.cause });
                let context = self.context(name, entered_ms, None, item);
                // The catcher's Assign reads the error output (`$` in JSONPath,
                // `$states.errorOutput` in JSONata: recorded against AWS in
                // tests/recorded/cases.json, `test_assign_in_catch_state`).
                let env = Env { error_output: Some(&error_output), ..self.env(input, &context) };
                let assigned = self.assigned(assign.as_ref(), &error_output, &env);
                let output = match language {
                    QueryLanguage::JsonPath => data::result_path(input, error_output.clone(), result_path.as_option()),
                    QueryLanguage::Jsonata => match output {
                        Some(output) => output.evaluate("Output", &env),
                        None => Ok(error_output.clone()),
                    },
                };
                let (output, assigned) = match output.and_then(|output| Ok((output, assigned?))) {
                    Ok(done) => done,
                    Err(error) => return Err(self.query_failure(error, (name, entered), last, None)),
                };
                return Ok(Step::Continue { output, next: Some(next), last, assigned });
            }
            return Err(failure);
        }
    }
}

impl Run<'_> {
    /// The failure after its `ParallelStateFailed` / `MapStateFailed` event,
    /// if it has one to write (none once a quota ended the execution).
    fn state_failed(&mut self, failure: Failure) -> Failure {
        match failure.state_failed {
            Some(kind) if !self.is_halted() => {
                self.tick(1);
                let event_id = self.history.add(failure.event_id, self.now_ms, kind, None);
                Failure { event_id, state_failed: None, ..failure }
            }
            _ => failure,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

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
}
