//! Checks for exercise tests, written for learners. A failed check does not
//! end in a Rust panic message: it prints what was checked, the event sent,
//! what was expected and what came back (with a JSON diff), the traceback
//! lines that point into the learner's own file, their function's log, and
//! the exercise's hint; then it fails the test quietly.

pub mod diff;
pub mod report;

use crate::exercise::{self, Exercise};
use crate::{Function, FunctionConfig, Invocation};
use report::{Failure, Kind};
use serde_json::Value;

/// The exercise under test and the Lambda function made from its handler.
pub struct Lab {
    exercise: Exercise,
    function: Function,
}

impl Lab {
    /// The exercise whose tests are running, with Lambda's default settings.
    pub fn exercise() -> Lab {
        Lab::configured(|_| {})
    }

    /// The exercise, with the function's configuration adjusted first
    /// (environment variables, timeout, memory...).
    pub fn configured(adjust: impl FnOnce(&mut FunctionConfig)) -> Lab {
        let exercise = find_exercise();
        let path = exercise.handler_path();
        if path.is_dir() {
            // Said apart from a missing file: "no such file" for a path the
            // learner can see in their editor is a puzzle. And `git checkout`
            // would delete the folder with whatever is in it, so it is moved
            // aside first.
            Failure::new(Kind::Setup, "the exercise's handler file is there", Some(&exercise))
                .line(format!("{} is a folder, not a file.", path.display()))
                .line("The tests import your handler from a file of that name. Rename the folder")
                .line("(so nothing in it is lost), then move your handler file back there, or")
                .line("restore the starter with")
                .line(format!("    git checkout -- {}", display_path(&path)))
                .fail();
        }
        if !path.is_file() {
            Failure::new(Kind::Setup, "the exercise's handler file is there", Some(&exercise))
                .line(format!("There is no file at {}.", path.display()))
                .line("The tests import your handler from this file. If you renamed or moved it,")
                .line("move it back; to start over, restore it with")
                .line(format!("    git checkout -- {}", display_path(&path)))
                .fail();
        }
        if exercise.aws_state.is_some() {
            expect_local_aws_set_up(&exercise);
        }
        expect_layers_installed(&exercise);
        let mut config = FunctionConfig::new(exercise.task_root(), exercise.handler_string());
        config.function_name = exercise.function_name();
        config.aws_state = exercise.aws_state.clone();
        config.layers = exercise.layer_dirs();
        adjust(&mut config);
        let function = match Function::new(config) {
            Ok(function) => function,
            Err(error) => {
                Failure::new(Kind::Setup, "the function's configuration is valid", Some(&exercise)).line(error.0).fail()
            }
        };
        Lab { exercise, function }
    }

    /// The checks for a function made some other way (from a deployment
    /// package, say) that stands for `exercise`'s.
    pub fn with_function(exercise: Exercise, function: Function) -> Lab {
        Lab { exercise, function }
    }

    /// Invoke the handler with `event`, as Lambda would.
    pub fn invoke(&self, event: Value) -> Call<'_> {
        let invocation = self.function.invoke(&event);
        if let Some(error) = invocation.error() {
            if error.source == crate::ErrorSource::Harness {
                self.failure(Kind::Setup, "Python can run the handler").line(error.error_message.clone()).fail();
            }
        }
        Call::new(&self.exercise, event, invocation)
    }

    /// Throw the execution environment away: the next invoke is a cold start.
    pub fn cold_start(&self) {
        self.function.reset();
    }

    pub fn function(&self) -> &Function {
        &self.function
    }

    /// The part of the function's AWS state at `pointer` (a JSON pointer into
    /// `{"s3": {BUCKET: {KEY: text}}, "dynamodb": {TABLE: [items]}, "sqs":
    /// {QUEUE: [bodies]}}`, like `/dynamodb/orders`) equals `expected`;
    /// see [`expect_aws_state`].
    pub fn expect_aws_state(&self, check: &str, pointer: &str, expected: Value) -> &Self {
        expect_aws_state(&self.exercise, &self.function, check, pointer, expected);
        self
    }

    /// The item of DynamoDB table `table` whose key attributes are `key`
    /// (typed, `{"file": {"S": "a.csv"}}`) is `expected`, or there is no such
    /// item when `expected` is `None`; see [`expect_aws_item`].
    pub fn expect_aws_item(&self, check: &str, table: &str, key: Value, expected: Option<Value>) -> &Self {
        expect_aws_item(&self.exercise, &self.function, check, table, &key, expected);
        self
    }

    pub fn exercise_info(&self) -> &Exercise {
        &self.exercise
    }

    fn failure(&self, kind: Kind, check: &str) -> Failure {
        Failure::new(kind, check, Some(&self.exercise))
    }
}

/// One invocation, ready to be checked.
pub struct Call<'a> {
    exercise: &'a Exercise,
    event: Value,
    pub invocation: Invocation,
    /// How an error the handler gave is explained (the runtime's knowledge).
    explain: report::Explainer,
}

impl<'a> Call<'a> {
    /// The event this invocation was sent.
    pub fn event(&self) -> &Value {
        &self.event
    }

    /// The invocation of `exercise`'s function with `event`, ready to be
    /// checked (a function made some other way than [`Lab`], such as a Rust
    /// handler, is checked through this too).
    pub fn new(exercise: &'a Exercise, event: Value, invocation: Invocation) -> Call<'a> {
        Call { exercise, event, invocation, explain: report::explain_error }
    }

    /// Explain the handler's errors with another runtime's knowledge than
    /// Python's (a Rust handler's panics and deserialization errors).
    pub fn explained_by(mut self, explain: report::Explainer) -> Call<'a> {
        self.explain = explain;
        self
    }

    /// The handler returned exactly `expected` (compared as JSON).
    pub fn expect_result(&self, check: &str, expected: Value) -> &Self {
        let got = self.result_for(check);
        let differences = diff::differences(&expected, &got);
        if !differences.is_empty() {
            self.failure(Kind::Assertion, check)
                .event(&self.event)
                .value("Expected the handler to return:", &expected)
                .value("It returned:", &got)
                .list("Differences:", differences.iter().map(|d| format!("{}: {}", d.path, d.text)))
                .logs(&self.invocation)
                .slip_hint(&expected, &got)
                .hint()
                .fail();
        }
        self
    }

    /// The function made exactly these AWS calls, in this order, each named
    /// `"service Operation"` (`"s3 GetObject"`, `"dynamodb PutItem"`).
    pub fn expect_aws_calls(&self, check: &str, expected: &[&str]) -> &Self {
        let made: Vec<String> =
            self.invocation.aws_calls.iter().map(|c| format!("{} {}", c.service, c.operation)).collect();
        if made != expected {
            self.failure(Kind::Assertion, check)
                .event(&self.event)
                .list("Expected these AWS calls, in this order:", expected.iter().map(|c| c.to_string()))
                // The calls made come after the log (Failure::logs lists them).
                .logs(&self.invocation)
                .hint()
                .fail();
        }
        self
    }

    /// This (warm) invocation reused the SDK clients of `earlier`, an
    /// invocation of the same environment: each of its AWS calls came on a
    /// connection an earlier call of the same service had opened. A client
    /// keeps its connections open, so a client made once at init passes, and
    /// a client made anew in the handler opens connections of its own.
    pub fn expect_clients_reused(&self, check: &str, earlier: &Call) -> &Self {
        if self.invocation.aws_calls.is_empty() {
            self.failure(Kind::Assertion, check)
                .line("This invocation made no AWS call at all, so it has no client to reuse.")
                .logs(&self.invocation)
                .hint()
                .fail();
        }
        for call in &self.invocation.aws_calls {
            let opened = earlier
                .invocation
                .aws_calls
                .iter()
                .any(|e| e.service == call.service && e.connection == call.connection);
            if !opened {
                let service = &call.service;
                self.failure(Kind::Assertion, check)
                    .line(format!(
                        "The {service} calls of this warm invocation came on new connections, so the {service} client \
                         was made again inside the handler."
                    ))
                    .line(
                        "Make clients once, at the top of your file, where Lambda runs code once per environment: \
                         on Lambda each new client costs tens of milliseconds and a new TLS connection.",
                    )
                    .logs(&self.invocation)
                    .hint()
                    .fail();
            }
        }
        self
    }

    /// A value derived from the response (a field, a parsed body, a count)
    /// equals `expected`; `what` names it for the learner ("the body, parsed
    /// as JSON"). The report shows the whole response too.
    pub fn expect_value(&self, check: &str, what: &str, expected: Value, got: Value) -> &Self {
        let differences = diff::differences(&expected, &got);
        if !differences.is_empty() {
            let response = self.invocation.result().unwrap_or(Value::Null);
            self.failure(Kind::Assertion, check)
                .event(&self.event)
                .value(&format!("Expected {what} to be:"), &expected)
                .value("It is:", &got)
                .list("Differences:", differences.iter().map(|d| format!("{}: {}", d.path, d.text)))
                .context_block("The whole response:", &pretty(&response))
                .logs(&self.invocation)
                .slip_hint(&expected, &got)
                .hint()
                .fail();
        }
        self
    }

    /// The handler's response, failing the check if it did not return one.
    pub fn result_for(&self, check: &str) -> Value {
        match self.invocation.result() {
            Some(value) => value,
            None => self.raised(check),
        }
    }

    /// The handler failed with this error type (and, when given, exactly this message).
    pub fn expect_error(&self, check: &str, error_type: &str, message: Option<&str>) -> &Self {
        let Some(error) = self.invocation.error() else {
            let got = self.invocation.result().unwrap_or(Value::Null);
            self.failure(Kind::Assertion, check)
                .event(&self.event)
                .value(&format!("Expected the handler to raise {error_type}, but it returned:"), &got)
                .logs(&self.invocation)
                .hint()
                .fail();
        };
        let type_ok = error.error_type == error_type;
        let message_ok = message.is_none_or(|m| m == error.error_message);
        if !(type_ok && message_ok) {
            let mut failure = self.failure(Kind::Assertion, check).event(&self.event);
            failure = failure.line(format!(
                "Expected the error {error_type}{}",
                message.map(|m| format!(" with the message {m:?}")).unwrap_or_default()
            ));
            failure = failure.line(format!(
                "but the caller received {} with the message {:?}.",
                error.error_type, error.error_message
            ));
            failure.traceback(error, self.exercise).logs(&self.invocation).hint().fail();
        }
        self
    }

    /// Among the lines the function wrote to its log, one is exactly `line`.
    pub fn expect_log_line(&self, check: &str, line: &str) -> &Self {
        let lines = self.invocation.function_logs();
        if !lines.contains(&line) {
            self.result_for(check);
            self.failure(Kind::Assertion, check)
                .event(&self.event)
                .line(format!("Expected this line in the function's log: {line:?}"))
                .logs(&self.invocation)
                .hint()
                .fail();
        }
        self
    }

    /// The function wrote exactly these lines to its log (platform lines aside).
    pub fn expect_log_lines(&self, check: &str, expected: &[&str]) -> &Self {
        let lines = self.invocation.function_logs();
        if lines != expected {
            self.result_for(check);
            self.failure(Kind::Assertion, check)
                .event(&self.event)
                .block("Expected the function's log to be exactly:", &expected.join("\n"))
                .logs(&self.invocation)
                .hint()
                .fail();
        }
        self
    }

    /// The exact text the runtime wrote for the first member called `key` in
    /// the response (at any depth), as a JSON string value for
    /// `expect_value`; a note when there is none. Parsed JSON cannot tell
    /// `0.10` from `0.1`, the written response can.
    pub fn written_text(&self, key: &str) -> Value {
        let crate::Outcome::Returned { payload, .. } = &self.invocation.outcome else {
            return Value::Null;
        };
        let text = String::from_utf8_lossy(payload);
        match crate::raw_json::member_text(&text, key) {
            Some(found) => Value::String(found.to_string()),
            None => Value::String(format!("(no \"{key}\" anywhere in the response)")),
        }
    }

    /// The invocation as stable text for an insta snapshot:
    /// `harness::insta::assert_snapshot!(call.snapshot_text())`.
    pub fn snapshot_text(&self) -> String {
        self.invocation.snapshot_text(&self.exercise.task_root())
    }

    /// A check of your own: fails with `explanation` when `ok` is false.
    pub fn expect(&self, check: &str, ok: bool, explanation: &str) -> &Self {
        if !ok {
            self.failure(Kind::Assertion, check)
                .event(&self.event)
                .line(explanation)
                .logs(&self.invocation)
                .hint()
                .fail();
        }
        self
    }

    fn raised(&self, check: &str) -> ! {
        let error = self.invocation.error().expect("raised() is called only for errors");
        let explanation = (self.explain)(error, self.exercise);
        let mut failure = self
            .failure(explanation.kind, check)
            .event(&self.event)
            .line(explanation.headline)
            .traceback(error, self.exercise)
            .block("What the caller received:", &error.payload.to_string())
            .logs(&self.invocation);
        if let Some(hint) = explanation.hint {
            failure = failure.with_hint(hint);
        }
        failure.hint().fail()
    }

    fn failure(&self, kind: Kind, check: &str) -> Failure {
        Failure::new(kind, check, Some(self.exercise))
    }
}

/// An exercise that calls AWS needs the managed environment (boto3 for the
/// handler, moto for the local AWS). Without it every check would fail on
/// `import boto3`, so the first one says the one command to run instead.
fn expect_local_aws_set_up(exercise: &Exercise) {
    let version = match crate::python::embedded_version() {
        Ok(version) => version,
        Err(error) => {
            Failure::new(Kind::Setup, "Python can run the handler", Some(exercise)).line(error.to_string()).fail()
        }
    };
    let why = match crate::pyenv::PythonEnv::here_state(version) {
        crate::pyenv::EnvState::Ready { .. } => return,
        crate::pyenv::EnvState::Missing => "is not set up yet".to_string(),
        crate::pyenv::EnvState::Stale(why) => format!("is out of date ({why})"),
    };
    Failure::new(Kind::Setup, "the local AWS is set up", Some(exercise))
        .line(format!("This exercise's handler calls AWS with boto3, and the workshop's Python environment {why}."))
        .line("It holds boto3 (as on Lambda) and moto, which plays S3, DynamoDB and SQS on your machine.")
        .line(format!(
            "Run `{}` in the workshop's folder once, then run these checks again.",
            crate::pyenv::SETUP_COMMAND
        ))
        .fail()
}

/// The exercise's layers are installed (`cargo lab setup` installs them
/// with the environment), or the checks stop with the command to run.
fn expect_layers_installed(exercise: &Exercise) {
    for (name, dir) in exercise.layers.iter().zip(exercise.layer_dirs()) {
        if dir.join("python").is_dir() {
            continue;
        }
        Failure::new(Kind::Setup, "the function's layers are installed", Some(exercise))
            .line(format!("This exercise's function has the {name} layer, and it is not installed yet."))
            .line(format!(
                "On Lambda a layer is unpacked into /opt; here it lives in {}.",
                display_path(&dir.join("python"))
            ))
            .line(format!(
                "Run `{}` in the workshop's folder once, then run these checks again.",
                crate::pyenv::SETUP_COMMAND
            ))
            .fail();
    }
}

/// `function`'s state at the local AWS, at `pointer`, equals `expected`.
/// DynamoDB items are compared in any order (a scan's order is the
/// table's, not the writes').
pub fn expect_aws_state(exercise: &Exercise, function: &Function, check: &str, pointer: &str, expected: Value) {
    let world = match function.aws_state() {
        Ok(world) => world,
        Err(message) => Failure::new(Kind::Setup, check, Some(exercise)).line(message).fail(),
    };
    let mut got = world.pointer(pointer).cloned().unwrap_or(Value::Null);
    let mut expected = expected;
    if pointer.starts_with("/dynamodb/") {
        for items in [&mut got, &mut expected] {
            if let Value::Array(list) = items {
                list.sort_by_key(|item| item.to_string());
            }
        }
    }
    let differences = diff::differences(&expected, &got);
    if !differences.is_empty() {
        let shown = if got.is_null() { format!("nothing: there is no {pointer}") } else { pretty(&got) };
        Failure::new(Kind::Assertion, check, Some(exercise))
            .value(&format!("Expected {pointer} at the local AWS to hold:"), &expected)
            .block("It holds:", &shown)
            .list("Differences:", differences.iter().map(|d| format!("{}: {}", d.path, d.text)))
            .context_block("Everything in the function's account:", &pretty(&world))
            .hint()
            .fail();
    }
}

/// One item of `function`'s DynamoDB table `table`, found by its key
/// attributes as GetItem would find it, is `expected` (`None`: there is no
/// such item). Tests that share a function (and so a table) check their own
/// items this way, whatever the others wrote.
pub fn expect_aws_item(
    exercise: &Exercise,
    function: &Function,
    check: &str,
    table: &str,
    key: &Value,
    expected: Option<Value>,
) {
    let items = match function.aws_items(table) {
        Ok(items) => items,
        Err(message) => Failure::new(Kind::Setup, check, Some(exercise)).line(message).fail(),
    };
    let matches =
        |item: &&Value| key.as_object().is_some_and(|key| key.iter().all(|(name, v)| item.get(name) == Some(v)));
    let got = items.iter().find(matches).cloned();
    let expected_text = expected.as_ref().map_or_else(|| "no item at all".to_string(), pretty);
    let differences = match (&expected, &got) {
        (Some(expected), Some(got)) => diff::differences(expected, got),
        _ => Vec::new(),
    };
    let same = match (&expected, &got) {
        (Some(_), Some(_)) => differences.is_empty(),
        (None, None) => true,
        _ => false,
    };
    if !same {
        let got_text = got.as_ref().map_or_else(|| "no such item".to_string(), pretty);
        let mut failure = Failure::new(Kind::Assertion, check, Some(exercise))
            .block(&format!("Expected the item of table {table} with key {key} to be:"), &expected_text)
            .block("It is:", &got_text);
        if !differences.is_empty() {
            failure = failure.list("Differences:", differences.iter().map(|d| format!("{}: {}", d.path, d.text)));
        }
        // A table shared by many checks can be long: the whole of it only
        // while it fits on a screen.
        if items.len() <= 4 {
            failure = failure.context_block(&format!("Everything in table {table}:"), &pretty(&Value::Array(items)));
        } else {
            failure = failure.line(format!("The table holds {} items in all.", items.len()));
        }
        failure.hint().fail();
    }
}

/// Each AWS call of an invocation on a line: service, operation, resource,
/// and status (with the error code of a failed call).
pub fn aws_calls_described(invocation: &Invocation) -> Vec<String> {
    if invocation.aws_calls.is_empty() {
        return vec!["(no AWS call at all)".into()];
    }
    invocation
        .aws_calls
        .iter()
        .map(|call| {
            let resource = call.resource.as_deref().unwrap_or("-");
            let status = match &call.error_code {
                Some(code) => format!("{} {code}", call.status),
                None => call.status.to_string(),
            };
            format!("{} {} {resource} -> {status}", call.service, call.operation)
        })
        .collect()
}

/// A JSON value as the learner reads it: pretty-printed.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// Show a path relative to the workspace root when it is inside it
/// (`exercises/01-first-handler/handler.py`), else as it is.
pub fn display_path(path: &std::path::Path) -> String {
    exercise::workspace_root(path)
        .and_then(|root| path.strip_prefix(root).ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| path.display().to_string())
}

/// The exercise of the crate whose tests are running: cargo runs a test
/// binary with CARGO_MANIFEST_DIR set to its package folder.
pub fn find_exercise() -> Exercise {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    match Exercise::load(&dir) {
        Ok(exercise) => exercise,
        Err(message) => {
            let package = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| "exercise-NN".into());
            let hint = exercise::workspace_root(&dir)
                .map(|root| {
                    format!("Run the tests from the workspace: cd {} && cargo test -p {package}", root.display())
                })
                .unwrap_or_else(|| {
                    format!("Run the exercise's tests with cargo test -p {package} from the workspace.")
                });
            Failure::new(Kind::Setup, "the exercise can be found", None).line(message).line(hint).fail()
        }
    }
}
