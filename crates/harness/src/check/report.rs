//! How a failed check is written out. The text goes to standard output (which
//! `cargo test` shows under the failing test's name) and the test ends by
//! unwinding without the panic hook, so no "panicked at" line or backtrace
//! buries the message. When LAB_VERDICT_FILE is set, each failure is also
//! recorded as a JSON line, so the workshop's own tests can tell a starter that
//! fails on the task from one that fails to load.

use crate::exercise::Exercise;
use crate::invocation::{ErrorSource, FunctionError, Invocation};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::Write as _;

pub const VERDICT_FILE: &str = "LAB_VERDICT_FILE";

/// What kind of failure this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The handler ran, and its answer is not what the task asks.
    Assertion,
    /// The handler raised where it should have returned.
    HandlerError,
    /// Lambda could not load the handler, or the runtime died or timed out.
    LoadError,
    /// The exercise itself is missing or misconfigured.
    Setup,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Assertion => "assertion",
            Kind::HandlerError => "handler-error",
            Kind::LoadError => "load-error",
            Kind::Setup => "setup",
        }
    }
}

/// The payload a failed check unwinds with.
#[derive(Debug)]
pub struct CheckFailed;

pub struct Failure {
    kind: Kind,
    check: String,
    text: String,
    hint: Option<(String, String)>,
    /// The exercise's handler calls AWS: its reports list the AWS calls an
    /// invocation made, even when there were none.
    calls_aws: bool,
    /// A block (event, expected, got...) was written last: a sentence after
    /// it starts a new paragraph.
    after_block: bool,
}

impl Failure {
    pub fn new(kind: Kind, check: &str, exercise: Option<&Exercise>) -> Failure {
        let mut text = format!("\n✗ Check failed: {check}\n");
        if let Some(exercise) = exercise {
            let _ = writeln!(
                text,
                "  Exercise {:02} ({}), your file: {}",
                exercise.number,
                exercise.title,
                super::display_path(&exercise.handler_path())
            );
        }
        let hint = exercise.map(|e| (e.hints.first().cloned().unwrap_or_default(), e.chapter.clone()));
        let calls_aws = exercise.is_some_and(|e| e.aws_state.is_some());
        Failure { kind, check: check.to_string(), text, hint, calls_aws, after_block: false }
    }

    pub fn line(mut self, line: impl AsRef<str>) -> Self {
        if std::mem::take(&mut self.after_block) && !line.as_ref().is_empty() {
            self.text.push('\n');
        }
        let _ = writeln!(self.text, "  {}", line.as_ref());
        self
    }

    pub fn block(mut self, title: &str, body: &str) -> Self {
        if !title.is_empty() {
            let _ = writeln!(self.text, "\n  {title}");
        }
        for line in body.lines() {
            let _ = writeln!(self.text, "    {line}");
        }
        self.after_block = true;
        self
    }

    pub fn list(mut self, title: &str, items: impl Iterator<Item = String>) -> Self {
        let _ = writeln!(self.text, "\n  {title}");
        for item in items {
            let _ = writeln!(self.text, "    - {item}");
        }
        self.after_block = true;
        self
    }

    /// The event, on one line when it is short, else pretty-printed with the
    /// bulky parts that no exercise is about (headers, request context,
    /// identities, attributes) shortened, so the fields that matter show.
    pub fn event(self, event: &Value) -> Self {
        let compact = event.to_string();
        if compact.chars().count() <= 100 {
            return self.block("Event sent to the handler:", &compact);
        }
        let (condensed, shortened) = condense(event);
        let pretty = serde_json::to_string_pretty(&condensed).unwrap_or(compact);
        if shortened {
            self.block("Event sent to the handler (bulky fields shortened):", &pretty)
        } else {
            self.block("Event sent to the handler:", &pretty)
        }
    }

    /// The traceback lines that point into the learner's own folder.
    pub fn traceback(mut self, error: &FunctionError, exercise: &Exercise) -> Self {
        let root = exercise.task_root();
        let root = root.to_string_lossy();
        let mine: Vec<&String> = error.stack_trace.iter().filter(|f| f.contains(root.as_ref())).collect();
        if !mine.is_empty() {
            let _ = writeln!(self.text, "\n  Where, in your code (most recent call last):");
            for frame in mine {
                let shortened = frame.replace(&format!("{root}/"), "");
                for line in shortened.lines() {
                    let _ = writeln!(self.text, "    {}", line.trim_end());
                }
            }
        }
        self
    }

    pub fn logs(mut self, invocation: &Invocation) -> Self {
        let lines = invocation.function_logs();
        if lines.is_empty() {
            let _ = writeln!(self.text, "\n  Your function wrote nothing to its log.");
        } else {
            let _ = writeln!(self.text, "\n  Your function's log:");
            for line in lines {
                // The runtime's long standard notice before an init error says
                // nothing about this exercise: keep its first words only.
                if let Some(at) = line.find(RUNTIME_NOTICE) {
                    let _ = writeln!(
                        self.text,
                        "    | {}{RUNTIME_NOTICE} (the runtime's standard notice, shortened)",
                        &line[..at]
                    );
                    continue;
                }
                // The runtime joins a traceback's lines with \r; show them as lines.
                for part in line.split('\r').filter(|p| !p.is_empty()) {
                    let _ = writeln!(self.text, "    | {}", part.replace('\u{a0}', " "));
                }
            }
        }
        if self.calls_aws || !invocation.aws_calls.is_empty() {
            let _ =
                writeln!(self.text, "\n  The AWS calls it made, in order (service, operation, resource -> status):");
            for call in super::aws_calls_described(invocation) {
                let _ = writeln!(self.text, "    {call}");
            }
        }
        self
    }

    /// A hint about this failure in place of the exercise's own first hint.
    pub fn with_hint(mut self, hint: &str) -> Self {
        if let Some((first, _)) = self.hint.as_mut() {
            *first = hint.to_string();
        }
        self
    }

    pub fn hint(mut self) -> Self {
        if let Some((hint, chapter)) = self.hint.take() {
            if !hint.is_empty() {
                let _ = writeln!(self.text, "\n  Hint: {hint}");
            }
            if !chapter.is_empty() {
                let _ = writeln!(self.text, "  More hints on the exercise's page in the book: book/{chapter}");
            }
        }
        self
    }

    /// Print the message and end the test as failed.
    pub fn fail(self) -> ! {
        println!("{}", self.text);
        record_verdict(self.kind, &self.check);
        std::panic::resume_unwind(Box::new(CheckFailed))
    }
}

/// Fields of AWS events that carry metadata rather than the data a handler
/// works on; in a failure report they are shortened to their size.
const BULKY_FIELDS: &[&str] = &[
    "headers",
    "multiValueHeaders",
    "requestContext",
    "userIdentity",
    "requestParameters",
    "responseElements",
    "ownerIdentity",
    "attributes",
    "messageAttributes",
];

/// Long opaque strings no exercise reads (SQS receipt handles, SNS signatures).
const OPAQUE_STRINGS: &[&str] = &["receiptHandle", "Signature", "SigningCertUrl", "UnsubscribeUrl"];

/// The event with its bulky fields replaced by a note of their size, and
/// whether anything was shortened.
fn condense(value: &Value) -> (Value, bool) {
    match value {
        Value::Object(map) => {
            let mut shortened = false;
            let mut out = serde_json::Map::new();
            for (key, item) in map {
                match item {
                    Value::String(text) if OPAQUE_STRINGS.contains(&key.as_str()) && text.chars().count() > 40 => {
                        out.insert(key.clone(), Value::String(format!("(… {} characters)", text.chars().count())));
                        shortened = true;
                    }
                    Value::Object(inner) if BULKY_FIELDS.contains(&key.as_str()) && !inner.is_empty() => {
                        let plural = if inner.len() == 1 { "" } else { "s" };
                        out.insert(key.clone(), Value::String(format!("{{… {} field{plural}}}", inner.len())));
                        shortened = true;
                    }
                    _ => {
                        let (inner, deeper) = condense(item);
                        shortened |= deeper;
                        out.insert(key.clone(), inner);
                    }
                }
            }
            (Value::Object(out), shortened)
        }
        Value::Array(items) => {
            let mut shortened = false;
            let items = items
                .iter()
                .map(|item| {
                    let (inner, deeper) = condense(item);
                    shortened |= deeper;
                    inner
                })
                .collect();
            (Value::Array(items), shortened)
        }
        other => (other.clone(), false),
    }
}

fn record_verdict(kind: Kind, check: &str) {
    let Some(path) = std::env::var_os(VERDICT_FILE) else { return };
    let test = std::thread::current().name().unwrap_or("").to_string();
    let line = json!({ "test": test, "check": check, "kind": kind.name() }).to_string() + "\n";
    // Tests run in parallel: one write per line keeps appended lines whole.
    if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
        let _ = file.write_all(line.as_bytes());
    }
}

/// The start of the notice awslambdaric logs before every init error.
const RUNTIME_NOTICE: &str = "LAMBDA_WARNING: Unhandled exception.";

/// What went wrong when an error met where a response was expected: its
/// kind, a sentence a newcomer can act on, and, for errors that are not about
/// the task (the file does not load, the process exits), a hint of its own.
pub struct Explanation {
    pub kind: Kind,
    pub headline: String,
    pub hint: Option<&'static str>,
}

/// An error's type and message, as an explanation quotes them.
pub fn error_text(error: &FunctionError) -> String {
    format!("{}: {}", error.error_type, error.error_message)
}

/// How a runtime's errors are explained to a learner.
pub type Explainer = fn(&FunctionError, &Exercise) -> Explanation;

/// Classify an error met where a response was expected.
/// This is the Python runtime's: a function on another runtime brings its
/// own (harness-rust does, for lambda_runtime's errors), through
/// [`super::Call::explained_by`].
pub fn explain_error(error: &FunctionError, exercise: &Exercise) -> Explanation {
    let function = exercise.function.as_str();
    let what = error_text(error);
    let (kind, advice, hint) = match (error.source, error.error_type.as_str()) {
        (ErrorSource::Init, "Runtime.UserCodeSyntaxError") => (
            Kind::LoadError,
            "Python could not read your file: there is a syntax error in it.".to_string(),
            Some(
                "Look at the line shown, and the one before it: a missing colon, bracket or quote is the usual cause.",
            ),
        ),
        (ErrorSource::Init, "Runtime.HandlerNotFound") => (
            Kind::LoadError,
            format!("Lambda imported your file but found no function named {function} in it."),
            Some(
                "Lambda calls the function by its exact name: check its spelling, and that its def is at the top level of the file, not indented.",
            ),
        ),
        (ErrorSource::Init, "Runtime.ImportModuleError") => (
            Kind::LoadError,
            "Lambda could not import your file, or something your file imports.".to_string(),
            Some(
                "Lambda's Python has the standard library and boto3, nothing else: remove the import, or check its spelling.",
            ),
        ),
        (ErrorSource::Init, _) => (
            Kind::LoadError,
            "Your file raised an error while it was being imported (the init phase), before the handler ran."
                .to_string(),
            Some("Code outside any function runs at import time: look at the line shown in your file."),
        ),
        (ErrorSource::Timeout, _) => (
            Kind::LoadError,
            "The handler ran out of time.".to_string(),
            Some("Look for a loop that never ends, or a wait on something that never comes."),
        ),
        (ErrorSource::Exit, crate::record::OUT_OF_MEMORY) => (
            Kind::LoadError,
            "The function used more memory than its memory setting, so Lambda stopped it: \
             Runtime.OutOfMemory, and the next invocation starts a new environment (the REPORT line's Max \
             Memory Used shows the setting)."
                .to_string(),
            Some(
                "Look for data that grows without bound: a list appended to in a loop that never ends, a whole \
                 file read at once, or a cache kept at module level that is never emptied.",
            ),
        ),
        (ErrorSource::Exit, _) if error.error_message.contains("signal:") => (
            Kind::LoadError,
            "The function's process was stopped by a signal (os.kill, os.abort or a crash), so Lambda ended \
             the environment: Runtime.ExitError."
                .to_string(),
            Some("On Lambda, a handler ends by returning a value (or raising an error), never by ending its process."),
        ),
        (ErrorSource::Exit, _) => (
            Kind::LoadError,
            "The handler ended the Python process (sys.exit or os._exit).".to_string(),
            Some("On Lambda, a handler ends by returning a value (or raising an error), never by exiting."),
        ),
        (ErrorSource::Request, _) => (
            Kind::LoadError,
            "Lambda refused the request before the function ran: the event is too large (a synchronous \
             invocation takes at most 6 MB)."
                .to_string(),
            Some("Send a smaller event, or put the large data in S3 and send its bucket and key."),
        ),
        _ => {
            (Kind::HandlerError, "Expected the handler to return a response, but it raised an error.".to_string(), None)
        }
    };
    Explanation { kind, headline: format!("{advice}\n  {what}"), hint }
}

#[cfg(test)]
mod tests {
    use super::{Kind, condense, explain_error};
    use crate::invocation::{ErrorSource, FunctionError};
    use serde_json::json;

    #[test]
    fn an_ended_process_is_explained_by_how_it_ended() {
        let dir = std::env::temp_dir().join(format!("lab-explain-{}", std::process::id())).join("01-first-handler");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("exercise.toml"), "title = \"A\"\nchapter = \"a.md\"\nminutes = 5\nhints = [\"h\"]\n")
            .unwrap();
        let exercise = crate::exercise::Exercise::load(&dir).unwrap();
        let explained = |source, error_type: &str, message: &str| {
            explain_error(&FunctionError::platform(source, error_type, message.to_string()), &exercise)
        };
        let memory = explained(ErrorSource::Exit, "Runtime.OutOfMemory", "Runtime exited with error: signal: killed");
        assert!(memory.headline.contains("more memory than its memory setting"), "{}", memory.headline);
        let killed = explained(ErrorSource::Exit, "Runtime.ExitError", "Runtime exited with error: signal: killed");
        assert!(killed.headline.contains("stopped by a signal"), "{}", killed.headline);
        let exited = explained(ErrorSource::Exit, "Runtime.ExitError", "Runtime exited with error: exit status 3");
        assert!(exited.headline.contains("sys.exit or os._exit"), "{}", exited.headline);
        let refused = explained(
            ErrorSource::Request,
            "RequestEntityTooLargeException",
            "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
        );
        assert!(refused.headline.contains("event is too large"), "{}", refused.headline);
        assert!([memory, killed, exited, refused].iter().all(|e| e.kind == Kind::LoadError));
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    #[test]
    fn bulky_fields_are_shortened_and_the_data_kept() {
        let event = json!({"body": "{}", "headers": {"a": "1", "b": "2"}, "Records": [{"attributes": {"x": 1}, "body": "hi"}], "requestContext": {}});
        let (condensed, shortened) = condense(&event);
        assert!(shortened);
        assert_eq!(
            condensed,
            json!({"body": "{}", "headers": "{… 2 fields}", "Records": [{"attributes": "{… 1 field}", "body": "hi"}], "requestContext": {}})
        );
        assert_eq!(condense(&json!({"name": "Ada"})), (json!({"name": "Ada"}), false));
        let handle = "A".repeat(300);
        assert_eq!(condense(&json!({"receiptHandle": handle})).0, json!({"receiptHandle": "(… 300 characters)"}));
    }
}
