//! A learner's pytest file run against a handler module, and what happened.
//!
//! An exercise whose task is to *write tests* (exercise 14) runs the
//! learner's test file several times: against the correct handler, where
//! every test must pass, and against wrong handlers, where at least one must
//! fail. Each run here is one `python -m pytest` of the managed environment
//! (`.lab/python`, [`crate::pyenv`]), in a fresh folder holding only the
//! handler (always as `handler.py`, the module the tests import) and the test
//! file, and its outcome is read from pytest's JUnit XML report: one
//! [`Case`] per test, passed, failed, in error or skipped, with pytest's own
//! text for each failure.
//!
//! The tests' boto3 never reaches AWS: the run gets fake credentials and a
//! region (the values moto's documentation recommends), never the user's
//! `~/.aws` or `AWS_*` variables ([`local_aws::without_user_aws`]), no
//! endpoint, and an HTTP(S) proxy on a closed loopback port, so a call that
//! escapes moto's mock fails at once, with botocore's `ProxyConnectionError`,
//! instead of waiting on the network or, with real credentials, touching an
//! account. moto's mock answers before anything is sent, so it never sees
//! the proxy.
//!
//! A run that takes longer than [`TIME_LIMIT`] is stopped, with every process
//! it started (pytest runs in a process group of its own). Runs for several
//! handlers go in parallel, one per core ([`run_each`]).

use crate::pyenv::{ENV_DIR, EnvState, PythonEnv, SETUP_COMMAND};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one run of a test file may take: a moto test file takes one or
/// two seconds; a minute means a test waits for something that never comes.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The name the handler gets in the run's folder: the module the tests import.
pub const HANDLER_MODULE: &str = "handler.py";

/// The fake credentials and region of every run (moto's documentation
/// recommends these values); a Lambda function gets both region variables.
const FAKE_AWS: [(&str, &str); 6] = [
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_SECURITY_TOKEN", "testing"),
    ("AWS_SESSION_TOKEN", "testing"),
    ("AWS_DEFAULT_REGION", "us-east-1"),
    ("AWS_REGION", "us-east-1"),
];

/// The proxy variables urllib3 (under botocore) reads, in both spellings.
const PROXY_VARIABLES: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/// Variables of the user's shell that would change what pytest or Python
/// does: their own options or plugins, another module path, a proxy bypass.
const REMOVED_VARIABLES: [&str; 8] =
    ["PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONPATH", "PYTHONHOME", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"];

/// The report pytest writes, and where its terminal output goes, in the
/// run's folder. Output goes to a file rather than a pipe: a process a test
/// left behind could hold a pipe open, and reading it would never end.
const REPORT_FILE: &str = "report.xml";
const OUTPUT_FILE: &str = "pytest-output.txt";

/// pytest's configuration for the run: a file of its own in the run's folder
/// ends pytest's search upwards for one (a stray `pytest.ini` in /tmp would
/// otherwise be read) and pins the report's format.
const PYTEST_INI: &str = "[pytest]\njunit_family = xunit2\n";

/// How a test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Passed,
    /// An assertion (or any exception) in the test itself.
    Failed,
    /// An exception in a fixture, before or after the test.
    Error,
    Skipped,
    /// pytest could not import the test file (a syntax error, a failed
    /// import): no test of it ran.
    CollectionError,
}

/// One test of the file, as the report has it.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The test's name, with its parameters (`test_total[2]`).
    pub name: String,
    /// The module, and the class if any (`test_handler.TestArchive`).
    pub classname: String,
    pub status: Status,
    /// pytest's one-paragraph message (`assert 2 == 1`), empty for a pass.
    pub message: String,
    /// pytest's full text for a failure: the test's source up to the failing
    /// line, the `E` lines, and `file.py:LINE: ExceptionType`.
    pub details: String,
}

impl Case {
    /// The name a learner finds in their file: `test_x`, or `TestY::test_x`
    /// for a test in a class.
    pub fn display_name(&self) -> String {
        match self.classname.split_once('.') {
            Some((_, class)) => format!("{}::{}", class.replace('.', "::"), self.name),
            None => self.name.clone(),
        }
    }

    /// Whether the test failed or was in error (collection included).
    pub fn is_failure(&self) -> bool {
        matches!(self.status, Status::Failed | Status::Error | Status::CollectionError)
    }

    /// The lines that say why it failed, at most `max` of them: pytest's `E`
    /// lines (the assertion with its values) and the place it happened
    /// (`test_handler.py:25: AssertionError`); the message when the details
    /// have no `E` line. Of an exception raised while handling another, only
    /// the last is told: the ones before it happened deep inside a library.
    pub fn explanation(&self, max: usize) -> Vec<String> {
        let section = last_exception(&self.details);
        let e_lines: Vec<&str> = section
            .lines()
            .filter_map(|line| line.strip_prefix('E'))
            // The line-by-line diff of two containers repeats what the
            // "Differing items" lines above it say.
            .take_while(|rest| !rest.trim_start().starts_with("Full diff:"))
            .filter(|rest| rest.starts_with(' ') && !rest.trim().is_empty())
            .map(str::trim_end)
            .collect();
        // pytest indents the E lines by a few spaces, and a diff by more:
        // keep only the extra indentation.
        let indent = e_lines.iter().map(|line| line.len() - line.trim_start().len()).min().unwrap_or(0);
        let mut lines: Vec<String> = e_lines.iter().map(|line| line[indent..].to_string()).collect();
        if lines.is_empty() {
            lines = self.message.lines().map(str::trim_end).filter(|l| !l.is_empty()).map(str::to_string).collect();
        }
        if lines.len() > max {
            let hidden = lines.len() - max + 1;
            lines.truncate(max - 1);
            lines.push(format!("(… {hidden} more lines)"));
        }
        lines.extend(place(section));
        lines
    }
}

/// The lines pytest writes between two exceptions of a chain.
const CHAIN_MARKERS: [&str; 2] = [
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
];

/// The part of a failure's text about the last exception of its chain.
fn last_exception(details: &str) -> &str {
    CHAIN_MARKERS
        .iter()
        .filter_map(|marker| details.rfind(marker).map(|at| at + marker.len()))
        .max()
        .map_or(details, |at| &details[at..])
}

/// Where the exception happened: its last line (`test_handler.py:25:
/// AssertionError`). When that is inside a library, the last line of the
/// run's own files it went through comes first (`test_handler.py:28`), and
/// the library's path is shortened to its package.
fn place(section: &str) -> Option<String> {
    let last = section.lines().map(str::trim).rfind(|line| !line.is_empty()).filter(|line| is_location(line))?;
    let own = |line: &&str| is_location(line) && !line.starts_with('/') && !line.contains(":\\");
    if own(&last) {
        return Some(last.to_string());
    }
    let short = last.rsplit_once("site-packages/").map_or(last, |(_, inside)| inside);
    match section.lines().map(str::trim).rfind(own) {
        Some(mine) => {
            let mine = mine.splitn(3, ':').take(2).collect::<Vec<_>>().join(":");
            Some(format!("{mine}, inside {short}"))
        }
        None => Some(short.to_string()),
    }
}

/// `test_handler.py:25: AssertionError`: a file, a line number and an error.
fn is_location(line: &str) -> bool {
    let mut parts = line.splitn(3, ':');
    let (Some(file), Some(number)) = (parts.next(), parts.next()) else { return false };
    file.ends_with(".py") && !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
}

/// One run of a test file against one handler.
#[derive(Clone, Debug)]
pub struct Report {
    /// Every test in the order pytest ran them, collection errors included.
    pub cases: Vec<Case>,
    /// pytest's exit status: 0 all passed, 1 some failed, 2 a collection
    /// error or an interruption, 5 no test collected.
    pub exit_code: Option<i32>,
    /// What pytest printed, for a report that needs more.
    pub output: String,
    pub duration: Duration,
}

impl Report {
    /// The tests that ran (collection errors are not tests).
    pub fn tests(&self) -> Vec<&Case> {
        self.cases.iter().filter(|case| case.status != Status::CollectionError).collect()
    }

    /// The tests that failed or were in error.
    pub fn failures(&self) -> Vec<&Case> {
        self.tests().into_iter().filter(|case| case.is_failure()).collect()
    }

    /// The file could not be imported, so no test ran.
    pub fn collection_errors(&self) -> Vec<&Case> {
        self.cases.iter().filter(|case| case.status == Status::CollectionError).collect()
    }

    /// Every test passed (or was skipped), and there was at least one.
    pub fn all_passed(&self) -> bool {
        self.exit_code == Some(0) && !self.tests().is_empty() && self.cases.iter().all(|case| !case.is_failure())
    }
}

/// Why a run gave no report.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// The managed environment is missing or out of date: the one line to
    /// show, which names `cargo lab setup`.
    NotSetUp(String),
    /// The run took longer than the limit and was stopped.
    TimedOut(Duration),
    /// pytest ended without writing its report (it could not start, or
    /// crashed): its exit status and the end of its output.
    NoReport { exit_code: Option<i32>, output: String },
    /// The run's folder or files could not be made or read.
    Io(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::NotSetUp(line) => f.write_str(line),
            RunError::TimedOut(limit) => write!(f, "pytest ran for more than {} s and was stopped", limit.as_secs()),
            RunError::NoReport { exit_code, output } => {
                let status = exit_code.map(|c| format!("exit status {c}")).unwrap_or_else(|| "a signal".into());
                write!(f, "pytest ended ({status}) without a report: {}", last_lines(output, 5))
            }
            RunError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for RunError {}

/// The managed environment's interpreter, or the one line that says to run
/// `cargo lab setup`.
pub fn interpreter() -> Result<PathBuf, RunError> {
    let version = crate::python::embedded_version().map_err(|error| RunError::NotSetUp(error.to_string()))?;
    match PythonEnv::here_state(version) {
        EnvState::Ready { .. } => Ok(PythonEnv::here().interpreter()),
        EnvState::Missing => Err(RunError::NotSetUp(format!(
            "The Python environment that runs your tests ({ENV_DIR}, with pytest, moto and boto3) is not set up: \
             run `{SETUP_COMMAND}` in the workshop's folder, then run the checks again."
        ))),
        EnvState::Stale(why) => Err(RunError::NotSetUp(format!(
            "The Python environment that runs your tests is out of date ({why}): run `{SETUP_COMMAND}` in the \
             workshop's folder, then run the checks again."
        ))),
    }
}

/// Run the test file `tests` against `handler` with the managed
/// environment's pytest.
pub fn run(tests: &Path, handler: &Path) -> Result<Report, RunError> {
    run_with(&interpreter()?, tests, handler, TIME_LIMIT)
}

/// Run the test file `tests` against each of `handlers`, one run per core at
/// a time; the reports come back in the order of `handlers`.
pub fn run_each(tests: &Path, handlers: &[PathBuf]) -> Vec<Result<Report, RunError>> {
    let python = match interpreter() {
        Ok(python) => python,
        Err(error) => return handlers.iter().map(|_| Err(error.clone())).collect(),
    };
    let workers = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, handlers.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![None; handlers.len()]);
    // Each worker takes the next handler until none is left.
    let work = || {
        loop {
            let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(handler) = handlers.get(at) else { return };
            let outcome = run_with(&python, tests, handler, TIME_LIMIT);
            results.lock().unwrap_or_else(std::sync::PoisonError::into_inner)[at] = Some(outcome);
        }
    };
    std::thread::scope(|scope| {
        let started = (0..workers)
            .filter(|worker| {
                let thread = std::thread::Builder::new().name(format!("pytest-run-{worker}"));
                thread.spawn_scoped(scope, work).is_ok()
            })
            .count();
        // No thread could be started: the work is done here, one run at a time.
        if started == 0 {
            work();
        }
    });
    let results = results.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    results
        .into_iter()
        .map(|result| result.unwrap_or_else(|| Err(RunError::Io("no thread could run pytest".into()))))
        .collect()
}

/// One run with `python`, stopped after `limit`.
pub fn run_with(python: &Path, tests: &Path, handler: &Path, limit: Duration) -> Result<Report, RunError> {
    let folder = tempfile::Builder::new()
        .prefix("lab-pytest-")
        .tempdir()
        .map_err(|e| RunError::Io(format!("cannot make a folder for the test run: {e}")))?;
    let test_name = tests.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "test_it.py".into());
    let copy = |from: &Path, name: &str| {
        std::fs::copy(from, folder.path().join(name))
            .map_err(|e| RunError::Io(format!("cannot copy {} for the test run: {e}", from.display())))
    };
    copy(handler, HANDLER_MODULE)?;
    copy(tests, &test_name)?;
    let write = |name: &str, text: &str| {
        std::fs::write(folder.path().join(name), text)
            .map_err(|e| RunError::Io(format!("cannot write {name} for the test run: {e}")))
    };
    write("pytest.ini", PYTEST_INI)?;
    let output_file = std::fs::File::create(folder.path().join(OUTPUT_FILE))
        .map_err(|e| RunError::Io(format!("cannot make the file for pytest's output: {e}")))?;
    let errors_file =
        output_file.try_clone().map_err(|e| RunError::Io(format!("cannot share pytest's output: {e}")))?;

    let mut command = Command::new(python);
    command
        // -vv: an assertion's values in full ("assert {'archived': None, ...}"
        // rather than "{'archived': ...04 not found'}"); the terminal output
        // it lengthens goes to a file nobody reads unless the report is missing.
        .args(["-m", "pytest", "-vv", "-p", "no:cacheprovider", "--junitxml", REPORT_FILE, &test_name])
        .current_dir(folder.path())
        .stdin(Stdio::null())
        .stdout(output_file)
        .stderr(errors_file);
    isolate(&mut command);
    #[cfg(unix)]
    {
        // A group of its own, so that a stop takes every process it started.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let started = Instant::now();
    let mut child =
        command.spawn().map_err(|e| RunError::Io(format!("cannot run {} -m pytest: {e}", python.display())))?;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > limit => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(RunError::Io(format!("cannot wait for pytest: {e}"))),
        }
    };
    let duration = started.elapsed();
    // Whatever the tests left running goes too; on a stop, pytest with it.
    stop_group(&mut child);
    let Some(status) = status else {
        let _ = child.wait();
        return Err(RunError::TimedOut(limit));
    };
    let output = std::fs::read(folder.path().join(OUTPUT_FILE))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    let Ok(xml) = std::fs::read(folder.path().join(REPORT_FILE)) else {
        return Err(RunError::NoReport { exit_code: status.code(), output });
    };
    let cases = parse_junit(&String::from_utf8_lossy(&xml))
        .map_err(|e| RunError::Io(format!("pytest's report could not be read: {e}")))?;
    Ok(Report { cases, exit_code: status.code(), output, duration })
}

/// The run's environment: the user's AWS configuration and Python settings
/// gone; fake credentials, a region, no retries, no instance metadata,
/// and a proxy nobody answers.
fn isolate(command: &mut Command) {
    local_aws::without_user_aws(command);
    for name in REMOVED_VARIABLES {
        command.env_remove(name);
    }
    let proxy = closed_proxy();
    for name in PROXY_VARIABLES {
        command.env(name, &proxy);
    }
    command
        .envs(FAKE_AWS)
        // One attempt: moto answers at once, and a call that escapes the
        // mock is refused by the proxy; retrying it would only make the
        // learner wait (botocore's default is five attempts with backoff).
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_RETRY_MODE", local_aws::RETRY_MODE)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONIOENCODING", "utf-8")
        // Only pytest's own plugins: the run does not depend on what else
        // the environment holds.
        .env("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1");
}

/// A proxy address on loopback where nothing listens: a port the system
/// handed out and that was closed again at once, so a connection to it is
/// refused rather than left waiting.
fn closed_proxy() -> String {
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map_or(9, |address| address.port());
    format!("http://127.0.0.1:{port}")
}

/// Kill the child's process group (pytest and whatever it started: the
/// child leads it, `process_group(0)`), then the child itself.
#[cfg(unix)]
fn stop_group(child: &mut std::process::Child) {
    crate::process::kill_group(child.id());
    let _ = child.kill();
}

#[cfg(not(unix))]
fn stop_group(child: &mut std::process::Child) {
    let _ = child.kill();
}

/// The last `count` non-empty lines of a text, joined by " | ".
fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let from = lines.len().saturating_sub(count);
    if lines.is_empty() { "no output".into() } else { lines[from..].join(" | ") }
}

/// The tests of a JUnit XML report as pytest writes it: `testcase` elements
/// with `classname` and `name`, holding a `failure`, `error` or `skipped`
/// element (with a `message` and text) unless the test passed. A test whose
/// teardown failed after it ran appears twice; the two are made one.
///
/// A small reader of our own rather than an XML crate: pytest's report uses
/// elements, attributes, text and the five entities and numeric references,
/// nothing else (no CDATA, no namespaces, no DTD), and a crate would be
/// paid for by every learner's first build.
pub fn parse_junit(xml: &str) -> Result<Vec<Case>, String> {
    let mut cases: Vec<Case> = Vec::new();
    let mut current: Option<Case> = None;
    // The child element (failure, error, skipped) whose text is being read.
    let mut child: Option<Status> = None;
    let mut text = String::new();
    for token in tokens(xml)? {
        match token {
            Token::Open { name, attributes, empty } if name == "testcase" => {
                let attribute =
                    |key: &str| attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
                let case = Case {
                    name: attribute("name"),
                    classname: attribute("classname"),
                    status: Status::Passed,
                    message: String::new(),
                    details: String::new(),
                };
                if empty { push_case(&mut cases, case) } else { current = Some(case) }
            }
            Token::Open { name, attributes, empty } if current.is_some() => {
                let message =
                    attributes.iter().find(|(k, _)| k == "message").map(|(_, v)| v.clone()).unwrap_or_default();
                let status = match name.as_str() {
                    "failure" => Status::Failed,
                    "error" if message == "collection failure" => Status::CollectionError,
                    "error" => Status::Error,
                    "skipped" => Status::Skipped,
                    _ => continue,
                };
                let case = current.as_mut().expect("checked by the guard");
                case.status = status;
                case.message = message;
                text.clear();
                if !empty {
                    child = Some(status);
                }
            }
            Token::Text(part) if child.is_some() => text.push_str(&part),
            Token::Close(name) if name == "testcase" => {
                if let Some(case) = current.take() {
                    push_case(&mut cases, case);
                }
                child = None;
            }
            Token::Close(name) if matches!(name.as_str(), "failure" | "error" | "skipped") => {
                if let (Some(_), Some(case)) = (child.take(), current.as_mut()) {
                    case.details = std::mem::take(&mut text);
                }
            }
            _ => {}
        }
    }
    if current.is_some() {
        return Err("the report ends inside a testcase".into());
    }
    Ok(cases)
}

/// Add a case, making one of two reports of the same test (its call, then
/// its teardown): a failure stays a failure, a pass with a teardown error
/// becomes an error, and the texts are kept one after the other.
fn push_case(cases: &mut Vec<Case>, case: Case) {
    if let Some(last) = cases.last_mut().filter(|l| l.name == case.name && l.classname == case.classname) {
        if last.status == Status::Passed || last.status == Status::Skipped {
            last.status = case.status;
            last.message = case.message;
        }
        if !case.details.is_empty() {
            if !last.details.is_empty() {
                last.details.push_str("\n\n");
            }
            last.details.push_str(&case.details);
        }
        return;
    }
    cases.push(case);
}

/// A piece of an XML document.
#[derive(Debug, PartialEq)]
enum Token {
    /// A start tag, with its attributes (values unescaped), and whether it
    /// closes itself (`<x/>`).
    Open {
        name: String,
        attributes: Vec<(String, String)>,
        empty: bool,
    },
    Close(String),
    /// Text between tags, unescaped.
    Text(String),
}

/// The document's tags and texts; the declaration, comments and processing
/// instructions are skipped.
fn tokens(xml: &str) -> Result<Vec<Token>, String> {
    let mut found = Vec::new();
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            found.push(Token::Text(unescape(rest)?));
            break;
        };
        if at > 0 {
            found.push(Token::Text(unescape(&rest[..at])?));
        }
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("a comment is not closed")?;
            rest = &after[end + 3..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("<?") {
            let end = after.find("?>").ok_or("a declaration is not closed")?;
            rest = &after[end + 2..];
            continue;
        }
        // The tag ends at the first `>` outside quotes.
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, c)| match quote {
                Some(q) if c == q => {
                    quote = None;
                    false
                }
                Some(_) => false,
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    false
                }
                None => c == '>',
            })
            .map(|(i, _)| i)
            .ok_or("a tag is not closed")?;
        let inside = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = inside.strip_prefix('/') {
            found.push(Token::Close(name.trim().to_string()));
            continue;
        }
        let (inside, empty) = match inside.strip_suffix('/') {
            Some(inner) => (inner, true),
            None => (inside, false),
        };
        let name_end = inside.find(char::is_whitespace).unwrap_or(inside.len());
        let name = inside[..name_end].to_string();
        found.push(Token::Open { name, attributes: attributes(&inside[name_end..])?, empty });
    }
    Ok(found)
}

/// `key="value"` pairs of a start tag, values unescaped.
fn attributes(mut text: &str) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    loop {
        text = text.trim_start();
        if text.is_empty() {
            return Ok(found);
        }
        let equals = text.find('=').ok_or_else(|| format!("an attribute without a value: {text}"))?;
        let key = text[..equals].trim().to_string();
        let after = text[equals + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'').ok_or("an attribute value not quoted")?;
        let close = after[1..].find(quote).ok_or("an attribute value not closed")?;
        found.push((key, unescape(&after[1..1 + close])?));
        text = &after[close + 2..];
    }
}

/// XML's five entities and numeric character references, replaced.
fn unescape(text: &str) -> Result<String, String> {
    if !text.contains('&') {
        return Ok(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').ok_or("an entity without its ;")? + at;
        let entity = &rest[at + 1..end];
        let character = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let number = match entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => entity.strip_prefix('#').and_then(|decimal| decimal.parse().ok()),
                };
                number.and_then(char::from_u32).ok_or_else(|| format!("an unknown entity &{entity};"))?
            }
        };
        out.push(character);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report as pytest 9 writes it for a file with a pass, an assertion
    /// failure, a fixture error, a skip, a parametrized test and a test
    /// whose teardown failed after it failed (shortened only in the texts).
    const MIXED: &str = r#"<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="2" failures="3" skipped="1" tests="8" time="0.033" timestamp="2026-12-05T15:32:19.190351+00:00" hostname="vm"><testcase classname="test_mix" name="test_ok" time="0.000" /><testcase classname="test_mix" name="test_fail" time="0.000"><failure message="AssertionError: wrong key – é&#10;assert {'archived': 'o-1.json'} == {'archived': ...ers/o-1.json'}">def test_fail():
        got = {"archived": "o-1.json"}
&gt;       assert got == {"archived": "orders/o-1.json"}, "wrong key – é"
E       AssertionError: wrong key – é
E       assert {'archived': 'o-1.json'} == {'archived': ...ers/o-1.json'}
E         
E         Differing items:
E         {'archived': 'o-1.json'} != {'archived': 'orders/o-1.json'}

test_mix.py:12: AssertionError</failure></testcase><testcase classname="test_mix" name="test_error" time="0.000"><error message="failed on setup with &quot;RuntimeError: fixture &lt;broke&gt; &amp; &quot;quoted&quot;&quot;">@pytest.fixture
    def broken():
&gt;       raise RuntimeError("fixture &lt;broke&gt; &amp; \"quoted\"")
E       RuntimeError: fixture &lt;broke&gt; &amp; "quoted"

test_mix.py:5: RuntimeError</error></testcase><testcase classname="test_mix" name="test_skip" time="0.000"><skipped type="pytest.skip" message="not today">/tmp/test_mix.py:17: not today</skipped></testcase><testcase classname="test_mix" name="test_param[1]" time="0.000" /><testcase classname="test_mix" name="test_param[2]" time="0.000"><failure message="assert 2 == 1">n = 2
&gt;       assert n == 1
E       assert 2 == 1

test_mix.py:23: AssertionError</failure></testcase><testcase classname="test_mix.TestArchive" name="test_fails_and_teardown" time="0.000"><failure message="assert False">&gt;       assert False
E       assert False

test_mix.py:31: AssertionError</failure></testcase><testcase classname="test_mix.TestArchive" name="test_fails_and_teardown" time="0.000"><error message="failed on teardown with &quot;ValueError: teardown&quot;">E       ValueError: teardown

test_mix.py:28: ValueError</error></testcase></testsuite></testsuites>"#;

    #[test]
    fn every_outcome_of_a_report_is_read() {
        let cases = parse_junit(MIXED).unwrap();
        let summary: Vec<(String, Status)> = cases.iter().map(|c| (c.display_name(), c.status)).collect();
        assert_eq!(
            summary,
            [
                ("test_ok".to_string(), Status::Passed),
                ("test_fail".to_string(), Status::Failed),
                ("test_error".to_string(), Status::Error),
                ("test_skip".to_string(), Status::Skipped),
                ("test_param[1]".to_string(), Status::Passed),
                ("test_param[2]".to_string(), Status::Failed),
                ("TestArchive::test_fails_and_teardown".to_string(), Status::Failed),
            ]
        );
        assert_eq!(cases[2].message, "failed on setup with \"RuntimeError: fixture <broke> & \"quoted\"\"");
        assert!(cases[1].message.starts_with("AssertionError: wrong key – é\nassert {'archived'"));
        assert!(cases[1].details.contains(">       assert got == {\"archived\": \"orders/o-1.json\"}"));
        // The teardown's error is kept after the test's failure.
        assert!(cases[6].details.contains("assert False") && cases[6].details.ends_with("test_mix.py:28: ValueError"));
        assert_eq!(cases[3].message, "not today");
    }

    #[test]
    fn a_failure_is_explained_by_its_e_lines_and_its_place() {
        let cases = parse_junit(MIXED).unwrap();
        assert_eq!(
            cases[1].explanation(10),
            [
                "AssertionError: wrong key – é",
                "assert {'archived': 'o-1.json'} == {'archived': ...ers/o-1.json'}",
                "  Differing items:",
                "  {'archived': 'o-1.json'} != {'archived': 'orders/o-1.json'}",
                "test_mix.py:12: AssertionError",
            ]
        );
        // Too many lines: the first ones, a note of the rest, and the place.
        assert_eq!(
            cases[1].explanation(2),
            ["AssertionError: wrong key – é", "(… 3 more lines)", "test_mix.py:12: AssertionError"]
        );
        let no_e_lines = Case {
            name: "t".into(),
            classname: "m".into(),
            status: Status::Failed,
            message: "boom\nand more".into(),
            details: String::new(),
        };
        assert_eq!(no_e_lines.explanation(5), ["boom", "and more"]);
    }

    #[test]
    fn of_a_chain_of_exceptions_the_last_is_told_with_the_learners_line_first() {
        // A call that escaped moto's mock, as pytest 9 tells it (shortened).
        let details = "self = <AWSHTTPSConnection(host='127.0.0.1', port=9)>\n\
            E   ConnectionRefusedError: [Errno 111] Connection refused\n\
            \n\
            /venv/lib/python3.11/site-packages/urllib3/util/connection.py:73: ConnectionRefusedError\n\
            \n\
            The above exception was the direct cause of the following exception:\n\
            \n\
            E   urllib3.exceptions.ProxyError: ('Unable to connect to proxy', ...)\n\
            \n\
            During handling of the above exception, another exception occurred:\n\
            \n\
            aws = None\n\
            \n\
            test_handler.py:28: \n\
            _ _ _ _ _ _ _ _ _ _\n\
            /venv/lib/python3.11/site-packages/botocore/client.py:612: in _api_call\n\
            \x20   return self._make_api_call(operation_name, kwargs)\n\
            E   botocore.exceptions.ProxyConnectionError: Failed to connect to proxy URL: \"http://127.0.0.1:9\"\n\
            \n\
            /venv/lib/python3.11/site-packages/botocore/httpsession.py:542: ProxyConnectionError";
        let case = Case {
            name: "test_archives".into(),
            classname: "test_handler".into(),
            status: Status::Error,
            message: "failed on setup".into(),
            details: details.into(),
        };
        assert_eq!(
            case.explanation(5),
            [
                "botocore.exceptions.ProxyConnectionError: Failed to connect to proxy URL: \"http://127.0.0.1:9\"",
                "test_handler.py:28, inside botocore/httpsession.py:542: ProxyConnectionError",
            ]
        );
    }

    #[test]
    fn a_file_that_does_not_import_is_a_collection_error_and_not_a_test() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="1" failures="0" skipped="0" tests="1"><testcase classname="" name="test_syntax" time="0.000"><error message="collection failure">E     File "/tmp/x/test_syntax.py", line 1
E       def test_x(:
E                  ^
E   SyntaxError: invalid syntax</error></testcase></testsuite></testsuites>"#;
        let cases = parse_junit(xml).unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].status, Status::CollectionError);
        let report = Report { cases, exit_code: Some(2), output: String::new(), duration: Duration::ZERO };
        assert!(report.tests().is_empty() && report.failures().is_empty() && !report.all_passed());
        assert_eq!(report.collection_errors().len(), 1);
        assert!(report.collection_errors()[0].explanation(10).contains(&"SyntaxError: invalid syntax".to_string()));
    }

    #[test]
    fn no_tests_is_not_a_pass() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="0" time="0.010" hostname="vm" /></testsuites>"#;
        let report = Report {
            cases: parse_junit(xml).unwrap(),
            exit_code: Some(5),
            output: String::new(),
            duration: Duration::ZERO,
        };
        assert!(report.cases.is_empty() && !report.all_passed());
    }

    #[test]
    fn entities_quotes_and_broken_documents() {
        assert_eq!(
            unescape("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#10;&#x41;").unwrap(),
            "a <b> & \"c\" 'd' \nA"
        );
        assert!(unescape("&nope;").is_err());
        assert!(unescape("a & b").is_err());
        // A `>` inside a quoted value does not end the tag.
        let tokens = tokens(r#"<testcase name="a>b" classname='m'/>"#).unwrap();
        assert_eq!(
            tokens,
            [Token::Open {
                name: "testcase".into(),
                attributes: vec![("name".into(), "a>b".into()), ("classname".into(), "m".into())],
                empty: true
            }]
        );
        assert!(parse_junit("<testsuite><testcase name=\"x\">").is_err());
        assert!(parse_junit("<testcase name=\"x\"").is_err());
    }

    #[test]
    fn a_location_line_is_a_file_a_number_and_an_error() {
        assert!(is_location("test_handler.py:25: AssertionError"));
        assert!(!is_location("assert 1 == 2"));
        assert!(!is_location("handler.py:abc: x"));
    }
}
