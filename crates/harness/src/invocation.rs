//! What one invocation produced, as the caller and CloudWatch would see it:
//! the response or the error payload, the log lines, and the REPORT figures.

pub use crate::record::{Report, is_platform_line};
use serde_json::{Map, Value, json};

/// The result of [`crate::Function::invoke`].
#[derive(Clone, Debug)]
pub struct Invocation {
    pub request_id: String,
    pub outcome: Outcome,
    /// Every log line of the invocation as CloudWatch Logs receives it,
    /// platform lines (`START`, `END`, `REPORT`) included.
    pub logs: Vec<String>,
    pub report: Report,
    /// The AWS calls the function made during the invocation, in the order
    /// their answers came (the invocation's own CloudTrail).
    pub aws_calls: Vec<crate::aws::AwsCall>,
}

/// Either the handler's response or the error the caller receives.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The marshalled response, byte for byte, with its content type
    /// (`application/json`, or `application/unknown` for returned bytes).
    Returned {
        payload: Vec<u8>,
        content_type: String,
    },
    Failed(FunctionError),
}

/// Where an error came from, which decides what happens to the environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorSource {
    /// The handler module could not be imported (init phase).
    Init,
    /// The handler raised, or its response could not be sent back.
    Handler,
    /// The function ran out of time (`Sandbox.Timedout`).
    Timeout,
    /// The runtime process exited (`Runtime.ExitError`).
    Exit,
    /// The harness itself could not run Python (not something Lambda does).
    Harness,
    /// Lambda refused the request before any function ran (an event over the
    /// 6 MB synchronous limit): an error of the Invoke API, not of the function.
    Request,
}

/// An error payload, as the Invoke API returns it with `FunctionError` set.
#[derive(Clone, Debug)]
pub struct FunctionError {
    pub source: ErrorSource,
    pub error_type: String,
    pub error_message: String,
    pub stack_trace: Vec<String>,
    /// The payload exactly as the caller receives it (key order kept).
    pub payload: Value,
    /// The payload's text, byte for byte as Lambda returns it (Step Functions
    /// puts this text in an error's Cause).
    pub text: String,
}

impl FunctionError {
    /// An error made by the platform rather than the runtime client
    /// (timeouts, exits, oversized responses): only a message and a type.
    pub fn platform(source: ErrorSource, error_type: &str, message: String) -> Self {
        let payload = json!({ "errorMessage": message, "errorType": error_type });
        FunctionError {
            source,
            error_type: error_type.to_string(),
            error_message: message,
            stack_trace: Vec::new(),
            text: payload.to_string(),
            payload,
        }
    }

    /// An error payload written by the runtime client, from its text.
    pub fn from_text(source: ErrorSource, text: &str) -> Self {
        let payload = serde_json::from_str(text).unwrap_or(Value::Null);
        FunctionError { text: text.to_string(), ..FunctionError::from_payload(source, payload) }
    }

    /// An error payload written by the runtime client.
    pub fn from_payload(source: ErrorSource, payload: Value) -> Self {
        let text = |key: &str| payload.get(key).and_then(Value::as_str).unwrap_or("").to_string();
        let stack_trace = payload
            .get("stackTrace")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(|v| v.as_str().map(String::from)).collect())
            .unwrap_or_default();
        FunctionError {
            source,
            error_type: text("errorType"),
            error_message: text("errorMessage"),
            stack_trace,
            text: payload.to_string(),
            payload,
        }
    }
}

impl Invocation {
    /// The response parsed as JSON, when the handler returned.
    pub fn result(&self) -> Option<Value> {
        match &self.outcome {
            Outcome::Returned { payload, .. } => Some(
                serde_json::from_slice(payload)
                    .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(payload).into_owned())),
            ),
            Outcome::Failed(_) => None,
        }
    }

    /// The error, when the invocation failed.
    pub fn error(&self) -> Option<&FunctionError> {
        match &self.outcome {
            Outcome::Failed(error) => Some(error),
            Outcome::Returned { .. } => None,
        }
    }

    pub fn succeeded(&self) -> bool {
        matches!(self.outcome, Outcome::Returned { .. })
    }

    /// True when this invocation started a new execution environment.
    pub fn cold_start(&self) -> bool {
        self.report.init_duration_ms.is_some()
    }

    /// The lines the function itself wrote (print, logging, the runtime's error
    /// record), without the platform's START, END and REPORT lines.
    pub fn function_logs(&self) -> Vec<&str> {
        self.logs.iter().map(String::as_str).filter(|line| !is_platform_line(line)).collect()
    }

    /// What the function said on each of its lines: a `logging` record's
    /// message without the `[LEVEL]\t<time>\t<request id>\t` Lambda's text
    /// format puts first, a printed line as it is.
    pub fn function_messages(&self) -> Vec<&str> {
        self.function_logs().into_iter().map(log_message).collect()
    }

    /// One JSON object describing the invocation (the shape `lab invoke --json` prints).
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("requestId".into(), Value::String(self.request_id.clone()));
        match &self.outcome {
            Outcome::Returned { .. } => {
                object.insert("result".into(), self.result().unwrap_or(Value::Null));
            }
            Outcome::Failed(error) => {
                object.insert("error".into(), error.payload.clone());
            }
        }
        object.insert("logs".into(), json!(self.logs));
        object.insert(
            "report".into(),
            json!({
                "durationMs": round2(self.report.duration_ms),
                "billedDurationMs": self.report.billed_duration_ms,
                "memorySizeMb": self.report.memory_size_mb,
                "maxMemoryUsedMb": self.report.max_memory_used_mb,
                "initDurationMs": self.report.init_duration_ms.map(round2),
            }),
        );
        if !self.aws_calls.is_empty() {
            let calls = self.aws_calls.iter().map(aws_call_json).collect();
            object.insert("awsCalls".into(), Value::Array(calls));
        }
        Value::Object(object)
    }
}

fn aws_call_json(call: &crate::aws::AwsCall) -> Value {
    json!({
        "service": call.service,
        "operation": call.operation,
        "resource": call.resource,
        "status": call.status,
        "errorCode": call.error_code,
    })
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// The message of one log line: after `[LEVEL]\t<time>\t<request id>\t` for a
/// record Lambda's text format wrote, the whole line otherwise.
pub fn log_message(line: &str) -> &str {
    if line.starts_with('[') { line.splitn(4, '\t').nth(3).unwrap_or(line) } else { line }
}

#[cfg(test)]
mod tests {
    use super::log_message;

    #[test]
    fn a_logging_record_gives_its_message_and_a_printed_line_itself() {
        let record = "[INFO]\t2026-12-05T15:37:55.047Z\t5f0e8015-1329-4fee-a1c8-1b002d41adf2\tSkipped\tduplicate";
        assert_eq!(log_message(record), "Skipped\tduplicate");
        assert_eq!(log_message("Processed order o-1 for 2.50"), "Processed order o-1 for 2.50");
        assert_eq!(log_message("[not a record"), "[not a record");
    }
}
