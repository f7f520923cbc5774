//! One attempt of a Task state: its input processing, the call of a local
//! Lambda function (the legacy `arn:aws:lambda:...` resource, or the
//! optimised `arn:aws:states:::lambda:invoke` integration with its own event
//! names and wrapped result), TimeoutSeconds, and the result's processing.

use super::{Failure, Run, effective_input, error_details, finish, input_path, object};
use crate::context::Context;
use crate::history::with_payload;
use crate::machine::{self, Task, TaskTimeout};
use crate::{StatesError, jsonpath, limits};
use serde_json::{Map, Value, json};

impl Run<'_> {
    /// One attempt of a Task state: the function call and its result processing.
    pub(super) fn task(
        &mut self,
        name: &str,
        task: &Task,
        input: &Value,
        previous: u64,
        context: &Context,
    ) -> Result<(Value, u64), Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        let parameters =
            effective_input(input, &task.paths, task.parameters.as_ref(), context).map_err(|e| runtime(e, previous))?;
        let resource = task.resource.as_str();
        let optimised = task.is_lambda_invoke();
        let (function_name, payload) = if optimised {
            let name = parameters
                .get("FunctionName")
                .and_then(Value::as_str)
                .map(machine::function_name_of)
                .unwrap_or_default();
            (name, invoke_payload(parameters.get("Payload")))
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
            return Err(Failure { error, event_id: started, uncatchable: true, state_failed: None });
        };
        let call = function.invoke(&payload);
        // TimeoutSeconds: Step Functions stops waiting for the task then.
        let limit_ms = task_timeout_seconds(task, input, context).map(|s| s * 1000);
        if let Some(limit_ms) = limit_ms.filter(|limit| call.report.duration_ms > *limit as f64) {
            self.tick(limit_ms);
            let error = StatesError::new("States.Timeout", "");
            // Recorded against AWS (LocalStack's test_timeouts): `{"error": "States.Timeout"}`, no cause.
            let mut details = error_details(&error);
            if optimised {
                details["resourceType"] = json!("lambda");
                details["resource"] = json!("invoke");
            }
            let kind = if optimised { "TaskTimedOut" } else { "LambdaFunctionTimedOut" };
            let timed_out = self.history.add(started, self.now_ms, kind, Some(details));
            return Err(Failure { error, event_id: timed_out, uncatchable: false, state_failed: None });
        }
        self.tick(call.report.duration_ms.ceil() as u64);
        let result = match call.error() {
            None => call.result().unwrap_or(Value::Null),
            Some(error) => {
                let error_name = match error.source {
                    harness::ErrorSource::Timeout | harness::ErrorSource::Exit => "Lambda.Unknown".to_string(),
                    _ => error.error_type.clone(),
                };
                // lambda:invoke re-serialises the error payload compactly; a legacy
                // Task keeps Lambda's text (both recorded against AWS in LocalStack's
                // test_task_service_lambda and test_task_lambda snapshots).
                let cause = match serde_json::from_str::<Value>(&error.text) {
                    Ok(payload) if optimised => payload.to_string(),
                    _ => error.text.clone(),
                };
                let failure = StatesError::new(error_name, cause);
                let failed = self.task_failed(optimised, started, &failure);
                return Err(Failure { error: failure, event_id: failed, uncatchable: false, state_failed: None });
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
        if limits::exceeds_payload_limit(&result) {
            // Recorded against AWS (LocalStack's test_states_errors.snapshot.json): a
            // result over the limit fails the attempt with States.DataLimitExceeded,
            // naming 'lambda' for lambda:invoke and the function's ARN for a legacy
            // Task, and States.ALL catches it.
            let what = if optimised { "lambda" } else { resource };
            let error = StatesError::new(limits::DATA_LIMIT_EXCEEDED, limits::data_limit_cause(what));
            let failed = self.task_failed(optimised, started, &error);
            return Err(Failure { error, event_id: failed, uncatchable: false, state_failed: None });
        }
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
}

impl Run<'_> {
    /// The event of a failed call: TaskFailed for lambda:invoke,
    /// LambdaFunctionFailed for a legacy Task. Returns its id.
    fn task_failed(&mut self, optimised: bool, started: u64, failure: &StatesError) -> u64 {
        let mut details = json!({ "error": failure.error, "cause": failure.cause });
        if optimised {
            details["resourceType"] = json!("lambda");
            details["resource"] = json!("invoke");
            self.history.add(started, self.now_ms, "TaskFailed", Some(details))
        } else {
            self.history.add(started, self.now_ms, "LambdaFunctionFailed", Some(details))
        }
    }
}

/// The event a lambda:invoke Task sends. A string Payload is the request
/// body as it is, so JSON text reaches the function decoded (recorded against
/// AWS in LocalStack's test_lambda_task_service `test_invoke_json_values`:
/// `"Payload": "0"` gives the function `0`, `"\"HelloWorld\""` gives
/// `"HelloWorld"`); an absent one is `{}`.
fn invoke_payload(payload: Option<&Value>) -> Value {
    match payload {
        None => json!({}),
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
        Some(other) => other.clone(),
    }
}

/// A Task's TimeoutSeconds, or its TimeoutSecondsPath read from the state's
/// input after InputPath.
fn task_timeout_seconds(task: &Task, input: &Value, context: &Context) -> Option<u64> {
    match task.timeout.as_ref()? {
        TaskTimeout::Seconds(seconds) => Some(*seconds),
        TaskTimeout::Path(path) => {
            let effective = input_path(input, &task.paths, context).unwrap_or(Value::Null);
            jsonpath::get(&effective, path).ok()?.as_u64()
        }
    }
}
