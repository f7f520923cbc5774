//! One attempt of a Task state: its input processing, then (for a DynamoDB
//! or SQS integration, `service_task`; a resource the runner cannot call
//! fails the execution with States.Runtime saying so) the call of a local
//! Lambda function (the legacy `arn:aws:lambda:...` resource, or the
//! optimised `arn:aws:states:::lambda:invoke` integration with its own event
//! names and wrapped result), TimeoutSeconds, and the result's processing.

use super::service_task::ServiceCall;
use super::{Attempt, Failure, Run, effective_input, error_details, input_path, object};
use crate::context::Context;
use crate::history::with_payload;
use crate::integrations::Target;
use crate::machine::{self, QueryLanguage, Task, TaskTimeout};
use crate::query::Env;
use crate::{StatesError, limits};
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
    ) -> Result<Attempt, Failure> {
        let entered = self.entered_id(previous);
        let runtime = |error: StatesError, at: u64| Failure::processing(error, name, entered, at);
        let env = self.env(input, context);
        let parameters = match (task.flow.language, &task.arguments) {
            (QueryLanguage::JsonPath, _) => effective_input(input, &task.paths, task.parameters.as_ref(), context)
                .map_err(|e| runtime(e, previous))?,
            (QueryLanguage::Jsonata, None) => input.clone(),
            (QueryLanguage::Jsonata, Some(arguments)) => match arguments.evaluate("Arguments", &env) {
                Ok(arguments) => arguments,
                Err(error) => return Err(self.query_failure(error, (name, entered), previous, Some("Arguments"))),
            },
        };
        let resource = task.resource.as_str();
        let integration = match Target::of(resource) {
            Target::Lambda => None,
            Target::Service(integration) => Some(integration),
            Target::Unsupported(why) => {
                return Err(runtime(StatesError::new("States.Runtime", why), previous));
            }
        };
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
        // TimeoutSeconds: Step Functions stops waiting for the task then.
        let timeout_seconds = match task_timeout_seconds(task, input, &env) {
            Ok(seconds) => seconds,
            Err(error) => return Err(self.query_failure(error, (name, entered), previous, Some("TimeoutSeconds"))),
        };
        if let Some(integration) = integration {
            let call = ServiceCall { name, entered, task, integration, input, parameters, timeout_seconds };
            return self.service_task(call, previous, context);
        }
        self.tick(1);
        let mut details = if optimised {
            json!({
                "resourceType": "lambda", "resource": "invoke", "region": self.options.region,
                "parameters": parameters.to_string(),
            })
        } else {
            with_payload(object([("resource", json!(resource))]), "input", &payload)
        };
        if let Some(seconds) = timeout_seconds {
            // As recorded against AWS (LocalStack's test_timeouts snapshots).
            details["timeoutInSeconds"] = json!(seconds);
        }
        let kind = if optimised { "TaskScheduled" } else { "LambdaFunctionScheduled" };
        let scheduled = self.history.add(previous, self.now_ms, kind, Some(details));
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
            let error = self.function_not_found(&function_name);
            let failed = self.task_failed(optimised, started, &error);
            return Err(Failure { error, event_id: failed, uncatchable: false, state_failed: None });
        };
        let call = function.invoke(&payload);
        let limit_ms = timeout_seconds.map(|s| s * 1000);
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
            let response = Response {
                payload: result,
                length: match &call.outcome {
                    harness::Outcome::Returned { payload, .. } => payload.len(),
                    harness::Outcome::Failed(_) => 0,
                },
                request_id: &call.request_id,
                date: http_date(self.now_ms),
                log_result: (parameters.get("LogType").and_then(Value::as_str) == Some("Tail"))
                    .then(|| log_tail(&call.logs)),
                trace_id: harness::ids::trace_header(function.config().active_tracing),
            };
            response.to_json()
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
        self.conclude((name, entered), &task.flow, (&task.results, &task.paths), input, result, succeeded, context)
    }
}

impl Run<'_> {
    /// A call of a function that does not exist: Lambda's Invoke answers
    /// ResourceNotFoundException, which the Task reports as a catchable
    /// `Lambda.ResourceNotFoundException` with the SDK's message, as
    /// recorded against AWS for lambda:invoke (LocalStack's
    /// test_task_service_lambda.snapshot.json, `test_no_such_function` and
    /// `test_no_such_function_catch`). A legacy `arn:aws:lambda:...` Task
    /// makes the same Invoke call; no recording shows its event, so it
    /// reports the same error in its LambdaFunctionFailed (the developer
    /// guide names Lambda's service errors `Lambda.*` for both forms).
    fn function_not_found(&self, name: &str) -> StatesError {
        let o = self.options;
        StatesError::new(
            "Lambda.ResourceNotFoundException",
            format!(
                "Function not found: arn:aws:lambda:{}:{}:function:{name}:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: {}; Proxy: null)",
                o.region,
                o.account_id,
                harness::ids::request_id()
            ),
        )
    }

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
/// `"HelloWorld"`, `"null"` gives `None`); an absent or `null` one is no body
/// at all, which Lambda hands the function as `{}` (`test_invoke`, whose
/// input's Payload is `null`: the identity function returns `{}`).
fn invoke_payload(payload: Option<&Value>) -> Value {
    match payload {
        None | Some(Value::Null) => json!({}),
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
        Some(other) => other.clone(),
    }
}

/// A Task's TimeoutSeconds, its TimeoutSecondsPath read from the state's
/// input after InputPath, or its JSONata expression evaluated.
fn task_timeout_seconds(task: &Task, input: &Value, env: &Env) -> Result<Option<u64>, StatesError> {
    let Some(timeout) = task.timeout.as_ref() else { return Ok(None) };
    Ok(match timeout {
        TaskTimeout::Seconds(seconds) => Some(*seconds),
        TaskTimeout::Path(path) => {
            let effective = input_path(input, &task.paths, env.context).unwrap_or(Value::Null);
            crate::context::read(path, &effective, env.context).ok().and_then(|value| value.as_u64())
        }
        TaskTimeout::Expression(template) => {
            let value = template.evaluate("TimeoutSeconds", env)?;
            Some(value.as_u64().filter(|seconds| *seconds > 0).ok_or_else(|| {
                StatesError::new(
                    crate::query::QUERY_EVALUATION_ERROR,
                    format!("The TimeoutSeconds field must be a positive integer, but was: {value}"),
                )
            })?)
        }
    })
}

/// What Lambda's Invoke API answered, as the lambda:invoke integration
/// hands it on: the function's result with the HTTP response's metadata.
struct Response<'a> {
    payload: Value,
    /// The response body's length in bytes, as the function's runtime wrote it.
    length: usize,
    request_id: &'a str,
    date: String,
    /// `LogType: Tail`: the end of the invocation's log, base64-encoded.
    log_result: Option<String>,
    trace_id: String,
}

impl Response<'_> {
    /// `{ExecutedVersion, [LogResult,] Payload, SdkHttpMetadata,
    /// SdkResponseMetadata, StatusCode}` with the headers and their order of
    /// the results recorded against AWS (LocalStack's
    /// test_lambda_task_service.snapshot.json, `test_invoke*`): each header
    /// once as a list in AllHttpHeaders and once as text in HttpHeaders.
    fn to_json(&self) -> Value {
        let length = self.length.to_string();
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(log) = &self.log_result {
            headers.push(("X-Amz-Log-Result", log));
        }
        headers.extend([
            ("X-Amz-Executed-Version", "$LATEST"),
            ("x-amzn-Remapped-Content-Length", "0"),
            ("Connection", "keep-alive"),
            ("x-amzn-RequestId", self.request_id),
            ("Content-Length", &length),
            ("Date", &self.date),
            ("X-Amzn-Trace-Id", &self.trace_id),
            ("Content-Type", "application/json"),
        ]);
        let all: Map<String, Value> = headers.iter().map(|(k, v)| (k.to_string(), json!([v]))).collect();
        let mut sorted = headers.clone();
        sorted.sort_by_key(|(name, _)| name.to_ascii_lowercase());
        let http: Map<String, Value> = sorted.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        let mut result = Map::new();
        result.insert("ExecutedVersion".into(), json!("$LATEST"));
        if let Some(log) = &self.log_result {
            result.insert("LogResult".into(), json!(log));
        }
        result.insert("Payload".into(), self.payload.clone());
        result.insert(
            "SdkHttpMetadata".into(),
            json!({ "AllHttpHeaders": all, "HttpHeaders": http, "HttpStatusCode": 200 }),
        );
        result.insert("SdkResponseMetadata".into(), json!({ "RequestId": self.request_id }));
        result.insert("StatusCode".into(), json!(200));
        Value::Object(result)
    }
}

/// An HTTP Date header: `Sat, 05 Dec 2026 18:00:40 GMT`.
pub(super) fn http_date(ms: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let since = std::time::Duration::from_millis(ms);
    let (year, month, day, hour, minute, second) = harness::time::utc_fields(since);
    let weekday = DAYS[((ms / 86_400_000) % 7) as usize];
    let month = MONTHS[(month as usize).saturating_sub(1) % 12];
    format!("{weekday}, {day:02} {month} {year} {hour:02}:{minute:02}:{second:02} GMT")
}

/// The last 4 KB of an invocation's log, base64-encoded, as Lambda returns
/// it for `LogType: Tail`.
fn log_tail(logs: &[String]) -> String {
    let text: String = logs.iter().map(|line| format!("{line}\n")).collect();
    let bytes = text.as_bytes();
    harness::events::base64_encode(&bytes[bytes.len().saturating_sub(4096)..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_name_the_weekday_and_month() {
        // 2026-11-27T12:00:00Z, the runner's default start, was a Friday.
        assert_eq!(http_date(1_795_780_800_000), "Fri, 27 Nov 2026 12:00:00 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn a_null_or_absent_payload_is_an_empty_object_and_json_text_is_decoded() {
        assert_eq!(invoke_payload(None), json!({}));
        assert_eq!(invoke_payload(Some(&Value::Null)), json!({}));
        assert_eq!(invoke_payload(Some(&json!("null"))), Value::Null);
        assert_eq!(invoke_payload(Some(&json!("\"HelloWorld\""))), json!("HelloWorld"));
        assert_eq!(invoke_payload(Some(&json!({"a": 1}))), json!({"a": 1}));
    }

    #[test]
    fn the_response_carries_the_headers_aws_recorded() {
        let response = Response {
            payload: json!({"body": "string body"}),
            length: 23,
            request_id: "r-1",
            date: http_date(0),
            log_result: None,
            trace_id: "Root=1-0-0".into(),
        };
        let json = response.to_json();
        let metadata = &json["SdkHttpMetadata"];
        assert_eq!(metadata["AllHttpHeaders"]["Content-Length"], json!(["23"]));
        assert_eq!(metadata["HttpHeaders"]["x-amzn-RequestId"], json!("r-1"));
        assert_eq!(metadata["HttpHeaders"]["Date"], json!("Thu, 01 Jan 1970 00:00:00 GMT"));
        assert_eq!(json["SdkResponseMetadata"]["RequestId"], json!("r-1"));
        assert!(json.get("LogResult").is_none());
        let keys: Vec<&String> = metadata["HttpHeaders"].as_object().unwrap().keys().collect();
        assert_eq!(keys[..3], ["Connection", "Content-Length", "Content-Type"]);
    }
}
