//! How a failed check is written out. The text goes to standard output (which
//! `cargo test` shows under the failing test's name) and the test ends by
//! unwinding without the panic hook, so no "panicked at" line or backtrace
//! buries the message. When LAB_VERDICT_FILE is set, each failure is also
//! recorded as a JSON line, with the short report the workshop shows, so the
//! workshop's own tests can tell a starter that fails on the task from one that
//! fails to load.

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

/// How many lines of a block the short report keeps (the full report keeps
/// them all).
const SHORT_BLOCK_LINES: usize = 14;
/// How many of the function's last log lines the short report keeps.
const SHORT_LOG_LINES: usize = 8;
/// How many differences the short report lists.
const SHORT_DIFFERENCES: usize = 6;

/// A failed check's report, written twice as it is built: in full (what
/// `cargo test` shows) and short (what the workshop shows first, next to the
/// list of every failed check, so that a verdict fits on one screen): the
/// event summed up on a line, long blocks and logs cut with a note of what
/// was left out, the context blocks (the whole response, the whole account)
/// left to the full report.
pub struct Failure {
    kind: Kind,
    check: String,
    text: String,
    short: String,
    /// The event, shown in full at `text[event_at..]` unless an earlier
    /// failure of this test binary showed the same event: see [`fail`].
    event: Option<EventShown>,
    hint: Option<(String, String)>,
    /// The exercise's handler calls AWS: its reports list the AWS calls an
    /// invocation made, even when there were none.
    calls_aws: bool,
    /// A block (event, expected, got...) was written last: a sentence after
    /// it starts a new paragraph.
    after_block: bool,
}

/// An event a failure shows, kept apart so a repeated one is shown once.
struct EventShown {
    at: usize,
    compact: String,
    block: String,
}

/// The name of the test running on this thread (libtest names each test's
/// thread after the test).
fn current_test() -> String {
    std::thread::current().name().unwrap_or("").to_string()
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
        let test = current_test();
        let hint = exercise.map(|e| (e.hint_for_test(&test).unwrap_or_default().to_string(), e.chapter.clone()));
        let calls_aws = exercise.is_some_and(|e| e.aws_state.is_some());
        Failure {
            kind,
            check: check.to_string(),
            short: text.clone(),
            text,
            event: None,
            hint,
            calls_aws,
            after_block: false,
        }
    }

    /// Append to both reports.
    fn both(&mut self, line: std::fmt::Arguments) {
        let _ = self.text.write_fmt(line);
        let _ = self.short.write_fmt(line);
    }

    pub fn line(mut self, line: impl AsRef<str>) -> Self {
        if std::mem::take(&mut self.after_block) && !line.as_ref().is_empty() {
            self.both(format_args!("\n"));
        }
        self.both(format_args!("  {}\n", line.as_ref()));
        self
    }

    pub fn block(mut self, title: &str, body: &str) -> Self {
        if !title.is_empty() {
            self.both(format_args!("\n  {title}\n"));
        }
        for line in body.lines() {
            let _ = writeln!(self.text, "    {line}");
        }
        self.short_body(body);
        self
    }

    /// A block's body in the short report: its first lines, and how many
    /// more the full report has.
    fn short_body(&mut self, body: &str) {
        let lines: Vec<&str> = body.lines().collect();
        for line in lines.iter().take(SHORT_BLOCK_LINES) {
            let _ = writeln!(self.short, "    {line}");
        }
        if lines.len() > SHORT_BLOCK_LINES {
            let _ = writeln!(self.short, "    … ({} more lines in the full report)", lines.len() - SHORT_BLOCK_LINES);
        }
        self.after_block = true;
    }

    /// A JSON value under a title: pretty-printed in the full report; in the
    /// short one, each part that fits on a line is written on one.
    pub fn value(mut self, title: &str, value: &Value) -> Self {
        self.both(format_args!("\n  {title}\n"));
        for line in super::pretty(value).lines() {
            let _ = writeln!(self.text, "    {line}");
        }
        self.short_body(&packed(value));
        self
    }

    /// A block only the full report shows: context a learner looks at once
    /// the short report has said what is wrong.
    pub fn context_block(mut self, title: &str, body: &str) -> Self {
        let _ = writeln!(self.text, "\n  {title}");
        for line in body.lines() {
            let _ = writeln!(self.text, "    {line}");
        }
        self.after_block = true;
        self
    }

    pub fn list(mut self, title: &str, items: impl Iterator<Item = String>) -> Self {
        self.both(format_args!("\n  {title}\n"));
        let items: Vec<String> = items.collect();
        for (index, item) in items.iter().enumerate() {
            let _ = writeln!(self.text, "    - {item}");
            if index < SHORT_DIFFERENCES {
                let _ = writeln!(self.short, "    - {item}");
            }
        }
        if items.len() > SHORT_DIFFERENCES {
            let _ = writeln!(self.short, "    … ({} more in the full report)", items.len() - SHORT_DIFFERENCES);
        }
        self.after_block = true;
        self
    }

    /// The event, on one line when it is short, else pretty-printed with the
    /// bulky parts that no exercise is about (headers, request context,
    /// identities, attributes) shortened, so the fields that matter show.
    /// The short report sums a long event up on one line.
    pub fn event(mut self, event: &Value) -> Self {
        let compact = event.to_string();
        if compact.chars().count() <= 100 {
            return self.block("Event sent to the handler:", &compact);
        }
        let (condensed, shortened) = condense(event);
        let pretty = serde_json::to_string_pretty(&condensed).unwrap_or_else(|_| compact.clone());
        let title = if shortened {
            "Event sent to the handler (bulky fields shortened):"
        } else {
            "Event sent to the handler:"
        };
        let mut block = format!("\n  {title}\n");
        for line in pretty.lines() {
            let _ = writeln!(block, "    {line}");
        }
        self.event = Some(EventShown { at: self.text.len(), compact, block });
        let _ =
            writeln!(self.short, "\n  Event sent to the handler: {} (the full report shows it)", describe_event(event));
        self.after_block = true;
        self
    }

    /// The traceback lines that point into the learner's own folder.
    pub fn traceback(mut self, error: &FunctionError, exercise: &Exercise) -> Self {
        let root = exercise.task_root();
        let root = root.to_string_lossy();
        let mine: Vec<&String> = error.stack_trace.iter().filter(|f| f.contains(root.as_ref())).collect();
        if !mine.is_empty() {
            self.both(format_args!("\n  Where, in your code (most recent call last):\n"));
            for frame in mine {
                let shortened = frame.replace(&format!("{root}/"), "");
                for line in shortened.lines() {
                    self.both(format_args!("    {}\n", line.trim_end()));
                }
            }
        }
        self
    }

    pub fn logs(mut self, invocation: &Invocation) -> Self {
        let lines = invocation.function_logs();
        if lines.is_empty() {
            self.both(format_args!("\n  Your function wrote nothing to its log.\n"));
        } else {
            let mut shown = Vec::new();
            for line in lines {
                // The runtime's long standard notice before an init error says
                // nothing about this exercise: keep its first words only.
                if let Some(at) = line.find(RUNTIME_NOTICE) {
                    shown.push(format!(
                        "    | {}{RUNTIME_NOTICE} (the runtime's standard notice, shortened)",
                        &line[..at]
                    ));
                    continue;
                }
                // The runtime joins a traceback's lines with \r; show them as lines.
                for part in line.split('\r').filter(|p| !p.is_empty()) {
                    shown.push(format!("    | {}", part.replace('\u{a0}', " ")));
                }
            }
            self.both(format_args!("\n  Your function's log:\n"));
            let skipped = shown.len().saturating_sub(SHORT_LOG_LINES);
            if skipped > 0 {
                let _ = writeln!(self.short, "    | … ({skipped} earlier lines in the full report)");
            }
            for (index, line) in shown.iter().enumerate() {
                let _ = writeln!(self.text, "{line}");
                if index >= skipped {
                    let _ = writeln!(self.short, "{line}");
                }
            }
        }
        if self.calls_aws || !invocation.aws_calls.is_empty() {
            self.both(format_args!("\n  The AWS calls it made, in order (service, operation, resource -> status):\n"));
            for call in super::aws_calls_described(invocation) {
                self.both(format_args!("    {call}\n"));
            }
        }
        self
    }

    /// A hint about this failure in place of the exercise's own hint.
    pub fn with_hint(mut self, hint: &str) -> Self {
        if let Some((first, _)) = self.hint.as_mut() {
            *first = hint.to_string();
        }
        self
    }

    /// When `got` differs from `expected` only by a type slip ("200" for
    /// 200), the hint about that slip (see [`super::diff::slip_hint`]).
    pub fn slip_hint(self, expected: &Value, got: &Value) -> Self {
        match super::diff::slip_hint(expected, got) {
            Some(hint) => self.with_hint(hint),
            None => self,
        }
    }

    pub fn hint(mut self) -> Self {
        if let Some((hint, chapter)) = self.hint.take() {
            if !hint.is_empty() {
                self.both(format_args!("\n  Hint: {hint}\n"));
            }
            if !chapter.is_empty() {
                self.both(format_args!("  More hints on the exercise's page in the book: book/{chapter}\n"));
            }
        }
        self
    }

    /// The full report, with its event (see [`fail`]).
    fn full_text(&mut self, seen_before: Option<&(String, String)>) -> String {
        let mut text = self.text.clone();
        if let Some(event) = &self.event {
            let shown = match seen_before {
                Some((test, check)) => format!(
                    "\n  Event sent to the handler: the same event as the check \"{check}\" was sent (shown in full \
                     under ---- {test} stdout ----).\n"
                ),
                None => event.block.clone(),
            };
            text.insert_str(event.at, &shown);
        }
        text
    }

    /// Print the message and end the test as failed. An event that an
    /// earlier failed check of this test binary showed is not shown again,
    /// only named: one save of a learner's file can fail several checks
    /// that all send the same long event. The verdict line is written under
    /// the same lock, so the verdict file lists the failures in the order
    /// that decided which of them shows the event.
    pub fn fail(mut self) -> ! {
        static SHOWN: std::sync::Mutex<Vec<(String, (String, String))>> = std::sync::Mutex::new(Vec::new());
        let mut shown = SHOWN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let seen = self
            .event
            .as_ref()
            .and_then(|event| shown.iter().find(|(compact, _)| *compact == event.compact).map(|(_, by)| by.clone()));
        let text = self.full_text(seen.as_ref());
        if let (Some(event), None) = (&self.event, &seen) {
            shown.push((event.compact.clone(), (current_test(), self.check.clone())));
        }
        record_verdict(self.kind, &self.check, &self.short);
        drop(shown);
        println!("{text}");
        std::panic::resume_unwind(Box::new(CheckFailed))
    }
}

/// A long event summed up on one line for the short report: what it is
/// and how much of it there is.
fn describe_event(event: &Value) -> String {
    let size = event.to_string().len();
    let size = if size >= 1024 { format!("{:.1} KB", size as f64 / 1024.0) } else { format!("{size} bytes") };
    if let Some(records) = event.get("Records").and_then(Value::as_array) {
        let source = records
            .first()
            .and_then(|r| r.get("eventSource").or_else(|| r.get("EventSource")))
            .and_then(Value::as_str)
            .map(|s| format!(" from {s}"))
            .unwrap_or_default();
        let plural = if records.len() == 1 { "" } else { "s" };
        return format!("{} record{plural}{source}, {size}", records.len());
    }
    let method =
        event.pointer("/requestContext/http/method").or_else(|| event.get("httpMethod")).and_then(Value::as_str);
    let path = event.get("rawPath").or_else(|| event.get("path")).and_then(Value::as_str);
    if let (Some(method), Some(path)) = (method, path) {
        return format!("an HTTP request, {method} {path}, {size}");
    }
    match event.as_object() {
        Some(fields) => {
            let names: Vec<&str> = fields.keys().map(String::as_str).take(6).collect();
            let more = if fields.len() > 6 { ", …" } else { "" };
            format!("an object with {}{more}, {size}", names.join(", "))
        }
        None => format!("{size} of JSON"),
    }
}

/// A JSON value pretty-printed, except that each object or array that fits
/// on one line at its depth is written on one: a list of three small
/// objects takes five lines instead of seventeen.
pub fn packed(value: &Value) -> String {
    let mut out = String::new();
    pack(value, 0, &mut out);
    out
}

const PACKED_WIDTH: usize = 88;

fn pack(value: &Value, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let line = one_line(value);
    let fits = indent.len() + line.chars().count() <= PACKED_WIDTH;
    match value {
        Value::Object(map) if !fits && !map.is_empty() => {
            out.push_str("{\n");
            for (index, (key, item)) in map.iter().enumerate() {
                out.push_str(&format!("{indent}  {}: ", Value::String(key.clone())));
                pack(item, depth + 1, out);
                out.push_str(if index + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{indent}}}"));
        }
        Value::Array(items) if !fits && !items.is_empty() => {
            out.push_str("[\n");
            for (index, item) in items.iter().enumerate() {
                out.push_str(&format!("{indent}  "));
                pack(item, depth + 1, out);
                out.push_str(if index + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{indent}]"));
        }
        _ => out.push_str(&line),
    }
}

/// A JSON value on one line, with a space after each colon and comma, as
/// the pretty form has them.
fn one_line(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let members: Vec<String> =
                map.iter().map(|(key, item)| format!("{}: {}", Value::String(key.clone()), one_line(item))).collect();
            format!("{{{}}}", members.join(", "))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(one_line).collect::<Vec<_>>().join(", ")),
        scalar => scalar.to_string(),
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

/// One JSON line in the verdict file: the test, the check, the kind of
/// failure, and the short report.
fn record_verdict(kind: Kind, check: &str, short: &str) {
    let Some(path) = std::env::var_os(VERDICT_FILE) else { return };
    let line =
        json!({ "test": current_test(), "check": check, "kind": kind.name(), "short": short }).to_string() + "\n";
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
    use super::{Kind, condense, describe_event, explain_error, packed};
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

    #[test]
    fn packed_json_puts_each_part_that_fits_on_one_line() {
        let objects = json!([
            {"bucket": "photo-uploads", "key": "my photo (1).jpg", "size": 2483120},
            {"bucket": "photo-uploads", "key": "a+b.txt", "size": 17}
        ]);
        assert_eq!(
            packed(&objects),
            "[\n  {\"bucket\": \"photo-uploads\", \"key\": \"my photo (1).jpg\", \"size\": 2483120},\n  {\"bucket\": \"photo-uploads\", \"key\": \"a+b.txt\", \"size\": 17}\n]"
        );
        assert_eq!(packed(&json!({"a": "x\":y"})), "{\"a\": \"x\\\":y\"}", "strings are written as JSON");
        let long = json!({"statusCode": 200, "body": "b".repeat(100)});
        assert_eq!(packed(&long), format!("{{\n  \"statusCode\": 200,\n  \"body\": \"{}\"\n}}", "b".repeat(100)));
        for value in [objects, long, json!([]), json!({}), json!(null)] {
            let parsed: serde_json::Value = serde_json::from_str(&packed(&value)).unwrap();
            assert_eq!(parsed, value, "the packed text is the same JSON");
        }
    }

    #[test]
    fn a_long_event_is_summed_up_on_a_line() {
        let records =
            json!({"Records": [{"eventSource": "aws:s3"}, {"eventSource": "aws:s3"}, {"eventSource": "aws:s3"}]});
        assert_eq!(describe_event(&records), "3 records from aws:s3, 88 bytes");
        let http =
            json!({"rawPath": "/orders", "requestContext": {"http": {"method": "POST"}}, "body": "x".repeat(2000)});
        assert!(
            describe_event(&http).starts_with("an HTTP request, POST /orders, 2.0 KB"),
            "{}",
            describe_event(&http)
        );
        assert_eq!(describe_event(&json!({"name": "Ada"})), "an object with name, 14 bytes");
    }
}
