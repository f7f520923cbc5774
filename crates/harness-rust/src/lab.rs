//! Checks for the Rust exercises, with the same learner reports as the
//! Python ones: `RustLab::exercise(service_fn(function_handler))` finds the
//! exercise whose tests are running, and `invoke` gives a
//! [`harness::check::Call`] with every `expect_*` check a Python exercise has.
//!
//! One difference is the log: a Rust function logs through `tracing`, and
//! each line carries its level and the invocation's span
//! (` INFO Lambda runtime invoke{requestId="…" xrayTraceId="…"}: text`).
//! [`logged_messages`] gives the text part, which is what the task is about.

use crate::RustFunction;
use harness::check::report::{Explanation, Failure, Kind, error_text};
use harness::check::{Call, find_exercise};
use harness::exercise::Exercise;
use harness::{ErrorSource, FunctionConfig, FunctionError, Invocation, Value, json};
use lambda_runtime::{Diagnostic, LambdaEvent, Service};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// The exercise under test and the function made from its handler.
pub struct RustLab {
    exercise: Exercise,
    function: RustFunction,
}

impl RustLab {
    /// The exercise whose tests are running, with Lambda's default settings.
    pub fn exercise<S, A, R, E>(service: S) -> RustLab
    where
        S: Service<LambdaEvent<A>, Response = R, Error = E> + Clone + Send + Sync + 'static,
        A: DeserializeOwned + 'static,
        R: Serialize + 'static,
        E: Into<Diagnostic> + Debug + 'static,
    {
        let exercise = find_exercise();
        let mut config = FunctionConfig::new(exercise.task_root(), format!("bootstrap.{}", exercise.function));
        config.function_name = exercise.function_name();
        let function = RustFunction::new(config, service);
        RustLab { exercise, function }
    }

    /// Invoke the handler with `event`, as Lambda would.
    pub fn invoke(&self, event: Value) -> Call<'_> {
        let invocation = self.function.invoke(&event);
        if let Some(error) = invocation.error().filter(|e| e.source == ErrorSource::Harness) {
            Failure::new(Kind::Setup, "the harness can run the handler", Some(&self.exercise))
                .line(error.error_message.clone())
                .fail();
        }
        Call::new(&self.exercise, event, invocation).explained_by(explain_rust_error)
    }

    /// Throw the execution environment away: the next invoke is a cold start.
    pub fn cold_start(&self) {
        self.function.reset();
    }

    pub fn function(&self) -> &RustFunction {
        &self.function
    }
}

/// The text of each line the handler logged through `tracing`, in order,
/// without the level and the invocation's span. Lines that are not
/// tracing's (a panic message) are left out.
pub fn logged_messages(invocation: &Invocation) -> Vec<String> {
    invocation.function_logs().into_iter().filter_map(message_of).collect()
}

/// ` INFO Lambda runtime invoke{requestId="…"}: Received …` → `Received …`.
fn message_of(line: &str) -> Option<String> {
    let rest = line.trim_start();
    let (level, rest) = rest.split_once(' ')?;
    if !["TRACE", "DEBUG", "INFO", "WARN", "ERROR"].contains(&level) {
        return None;
    }
    let rest = match rest.strip_prefix("Lambda runtime invoke{") {
        Some(after) => after.split_once("}: ").map(|(_, message)| message)?,
        None => rest,
    };
    Some(rest.to_string())
}

/// Checks on what a Rust handler logged.
pub trait LogChecks {
    /// The handler logged exactly these messages through `tracing`, in order
    /// (level and span aside).
    fn expect_logged(&self, check: &str, expected: &[&str]) -> &Self;
}

impl LogChecks for Call<'_> {
    fn expect_logged(&self, check: &str, expected: &[&str]) -> &Self {
        self.result_for(check);
        let got = logged_messages(&self.invocation);
        self.expect_value(check, "the messages your handler logged through tracing", json!(expected), json!(got))
    }
}

/// How a Rust handler's error is explained to a learner. There is no import
/// phase to fail (the compiler has checked the file), so what is left is the
/// handler's own `Err`, a panic, a timeout, or an event that does not fit the
/// handler's type; the panic and deserialization wording is lambda_runtime's.
fn explain_rust_error(error: &FunctionError, _exercise: &Exercise) -> Explanation {
    let what = error_text(error);
    let (kind, advice, hint) = match (error.source, error.error_type.as_str()) {
        (ErrorSource::Timeout, _) => (
            Kind::LoadError,
            "The handler ran out of time.",
            Some("Look for a loop that never ends, or an .await on something that never comes."),
        ),
        (_, t) if t.ends_with("DeserializeError") => (
            Kind::HandlerError,
            "lambda_runtime could not turn the event into your handler's event type, so your handler was not called.",
            Some(
                "The message says which field did not fit: compare your handler's event type (LambdaEvent<...>) with the event shown.",
            ),
        ),
        _ if error.error_message.starts_with("Lambda panicked") => (
            Kind::HandlerError,
            "Expected the handler to return a response, but it panicked (an unwrap(), expect(), index or todo!() that failed).",
            Some(
                "lambda_runtime turns a panic into an error for the caller; return an Err, or handle the case, instead.",
            ),
        ),
        _ => (Kind::HandlerError, "Expected the handler to return Ok with a response, but it returned an Err.", None),
    };
    Explanation { kind, headline: format!("{advice}\n  {what}"), hint }
}

#[cfg(test)]
mod tests {
    use super::message_of;

    #[test]
    fn the_message_is_what_follows_the_level_and_the_span() {
        let line = r#" INFO Lambda runtime invoke{requestId="8f1c" xrayTraceId="Root=1-2-3;Sampled=0"}: Received s3://b/k (3 bytes)"#;
        assert_eq!(message_of(line).as_deref(), Some("Received s3://b/k (3 bytes)"));
        assert_eq!(message_of("ERROR outside a span").as_deref(), Some("outside a span"));
        assert_eq!(message_of("thread 'main' panicked at src/lib.rs:3:5:"), None);
        assert_eq!(message_of(""), None);
    }
}
