//! Running an exercise's checks: its Rust tests, `cargo test -q -p
//! exercise-NN`, in a child process, as a learner would run them by hand.
//!
//! The child gets `LAB_VERDICT_FILE` pointing at a temporary file, where each
//! failed check writes one JSON line (`{"test", "check", "kind", "short"}`; see
//! `crates/harness/src/check/report.rs`), so the workshop knows which checks failed
//! without reading the test output. Each run counts as an attempt in the
//! learner's progress. Nothing here prints: the callers (`cargo lab check`,
//! the watch loop) decide what to show. The rest of the environment is passed
//! on as it is, LAB_TASK_ROOT included (the workshop's own tests use it to
//! point an exercise's checks at a copy of its files).
//!
//! Nothing a handler does can keep a run from ending. The harness freezes and
//! kills the processes a handler starts (`harness::function::children`), but
//! a handler could still leave something behind that holds the test's output
//! open (a daemon, a process the test binary never got to clean up), and
//! waiting for the end of that output, as `Command::output` does, would wait
//! for it too. So a run ends when cargo ends: the output read so far is what
//! it said, and every process left from the run is killed. On Linux this
//! process is made a "child subreaper" (`prctl(PR_SET_CHILD_SUBREAPER)`), so
//! such leftovers become its own children instead of init's, and can be found
//! and killed. And every run has a deadline: [`TEST_DEADLINE`] once the tests
//! have started (cargo printed `running N tests`), [`BUILD_DEADLINE`] for the
//! build before; past it the run is stopped and said to have taken too long.

use crate::{progress, workspace};
use harness::check::report::VERDICT_FILE;
use harness::exercise::Exercise;
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an exercise's tests may run once built. The slowest exercise
/// takes a few seconds warm; every invocation has its own timeout too.
pub(crate) const TEST_DEADLINE: Duration = Duration::from_secs(90);
/// `LAB_CHECK_DEADLINE` (whole seconds) replaces [`TEST_DEADLINE`]: the
/// workshop's own tests use it to see a run stopped without waiting 90 s.
const DEADLINE_VARIABLE: &str = "LAB_CHECK_DEADLINE";

fn test_deadline() -> Duration {
    std::env::var(DEADLINE_VARIABLE).ok().and_then(|s| s.parse().ok()).map_or(TEST_DEADLINE, Duration::from_secs)
}

/// How long the build before may take: a first build of the workspace on a
/// small machine takes minutes, and no learner code runs during it.
pub(crate) const BUILD_DEADLINE: Duration = Duration::from_secs(20 * 60);
/// After cargo has ended, how long its output may take to arrive.
const DRAIN: Duration = Duration::from_millis(200);

/// What a learner reads when a run was stopped at its deadline.
pub(crate) fn deadline_message(limit: Duration) -> String {
    format!(
        "The checks did not finish within {} s, so they were stopped. Something in your handler keeps running: \
         a loop that never ends, a wait on something that never comes, or a process it started that never exits. \
         On Lambda each invocation ends at the function's timeout; look for what your code waits on.",
        limit.as_secs()
    )
}

/// One failed check, as the harness recorded it in the verdict file.
#[derive(Clone, Debug, Default)]
pub(crate) struct FailedCheck {
    /// The test function (also the name cargo gives its output section).
    pub test: String,
    /// What was checked, in the learner's words.
    pub check: String,
    /// The short report (see `harness::check::report::Failure`).
    pub short: String,
}

/// What one run of an exercise's checks found.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// Every check passed (cargo test exited with success).
    pub passed: bool,
    /// Each failed check, in the order they failed.
    pub failed_checks: Vec<FailedCheck>,
    /// (passed, failed) from cargo's `test result:` line, when it got there.
    pub totals: Option<(usize, usize)>,
    /// What cargo test printed (standard output, then standard error), with
    /// the learner-friendly report of each failed check in it.
    pub output: String,
    pub took: Duration,
    /// Things the learner should know that are not about the exercise (the
    /// progress file was damaged and set aside, or could not be saved).
    pub notes: Vec<String>,
}

impl Outcome {
    /// The exercise's Rust code did not compile, so no check ran (a Rust
    /// exercise's own file, or anything else cargo had to build).
    pub(crate) fn did_not_compile(&self) -> bool {
        !self.passed && self.failed_checks.is_empty() && self.output.contains("error: could not compile")
    }
}

/// Run the checks of `exercise` in the workspace at `root`, and record the
/// attempt in the progress file.
pub(crate) fn run(root: &Path, exercise: &Exercise) -> Outcome {
    let mut running = Running::start(root, exercise);
    loop {
        if let Some(outcome) = running.poll() {
            return outcome;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// One run of an exercise's checks under way (see the module's doc).
pub(crate) struct Running {
    root: std::path::PathBuf,
    slug: String,
    started: Instant,
    /// When the tests started (cargo printed `running N tests`).
    tests_started: Option<Instant>,
    /// None when cargo could not be started (`failure` says why).
    child: Option<Child>,
    failure: Option<String>,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// A new empty file for the verdicts, removed when it is dropped. Without
    /// one the checks still run; only which of them failed is not known.
    verdict_file: Option<tempfile::NamedTempFile>,
}

impl Running {
    pub(crate) fn start(root: &Path, exercise: &Exercise) -> Running {
        become_subreaper();
        let verdict_file = tempfile::Builder::new()
            .prefix(&format!("lab-verdicts-{}-", exercise.slug))
            .suffix(".jsonl")
            .tempfile()
            .ok();
        let cargo = workspace::cargo();
        let mut command = Command::new(&cargo);
        command.args(["test", "-q", "-p", &exercise.package()]).current_dir(root).stdin(Stdio::null());
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
        match &verdict_file {
            Some(file) => command.env(VERDICT_FILE, file.path()),
            None => command.env_remove(VERDICT_FILE),
        };
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (child, failure) = match command.spawn() {
            Ok(mut child) => {
                read_into(child.stdout.take(), &stdout);
                read_into(child.stderr.take(), &stderr);
                (Some(child), None)
            }
            Err(e) => (
                None,
                Some(format!(
                    "Could not start `{} test` to run the checks: {e}. Is Rust installed? `cargo lab doctor` checks this machine.",
                    cargo.to_string_lossy()
                )),
            ),
        };
        Running {
            root: root.to_path_buf(),
            slug: exercise.slug.clone(),
            started: Instant::now(),
            tests_started: None,
            child,
            failure,
            stdout,
            stderr,
            verdict_file,
        }
    }

    /// The outcome once the run has ended (or was stopped at its deadline);
    /// None while it goes on.
    pub(crate) fn poll(&mut self) -> Option<Outcome> {
        let Some(child) = self.child.as_mut() else {
            let output = self.failure.take().unwrap_or_default();
            let took = self.started.elapsed();
            return Some(Outcome {
                passed: false,
                failed_checks: Vec::new(),
                totals: None,
                output,
                took,
                notes: Vec::new(),
            });
        };
        if self.tests_started.is_none() && contains_line_start(&self.stdout, b"running ") {
            self.tests_started = Some(Instant::now());
        }
        let status = match child.try_wait() {
            Ok(status) => status,
            Err(_) => Some(std::process::ExitStatus::default()),
        };
        let late = match self.tests_started {
            Some(at) => Some(test_deadline()).filter(|limit| at.elapsed() > *limit),
            None => (self.started.elapsed() > BUILD_DEADLINE).then_some(BUILD_DEADLINE),
        };
        if status.is_none() && late.is_none() {
            return None;
        }
        let passed = status.is_some_and(|s| s.success()) && late.is_none();
        self.finish(passed, late)
    }

    /// Stop the run now (the learner quit): everything it started is killed.
    pub(crate) fn cancel(mut self) {
        if let Some(child) = self.child.as_mut() {
            kill_tree(child.id());
            let _ = child.kill();
            let _ = child.wait();
        }
        kill_leftovers();
    }

    fn finish(&mut self, passed: bool, late: Option<Duration>) -> Option<Outcome> {
        let mut child = self.child.take()?;
        if late.is_some() {
            kill_tree(child.id());
            let _ = child.kill();
        }
        let _ = child.wait();
        // What cargo left behind (a process a handler started that the test
        // binary could not stop, now our child as subreaper): killed, so it
        // can neither hold the output open nor run on after the verdict.
        kill_leftovers();
        let drained = Instant::now() + DRAIN;
        while Arc::strong_count(&self.stdout) + Arc::strong_count(&self.stderr) > 2 && Instant::now() < drained {
            std::thread::sleep(Duration::from_millis(5));
        }
        let took = self.started.elapsed();
        let verdicts =
            self.verdict_file.take().and_then(|file| std::fs::read_to_string(file.path()).ok()).unwrap_or_default();
        let mut text = format!("{}{}", lossy(&self.stdout), lossy(&self.stderr));
        if let Some(limit) = late {
            text.push_str(&format!("\n{}\n", deadline_message(limit)));
        }
        Some(outcome_of(&self.root, &self.slug, passed, &verdicts, text, took))
    }
}

/// The outcome of a finished run, recorded as an attempt in the progress file.
fn outcome_of(root: &Path, slug: &str, passed: bool, verdicts: &str, text: String, took: Duration) -> Outcome {
    let failed_checks = verdicts
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .map(|v| {
            let field = |key: &str| v[key].as_str().unwrap_or_default().to_string();
            FailedCheck { test: field("test"), check: field("check"), short: field("short") }
        })
        .collect();
    let totals = totals_of(&text);
    let notes = progress::update(root, |p| p.record_attempt(slug, passed));
    Outcome { passed, failed_checks, totals, output: text, took, notes }
}

/// (passed, failed) from the `test result:` line(s) of cargo's output,
/// summed over the exercise's test files.
fn totals_of(output: &str) -> Option<(usize, usize)> {
    let mut totals = None;
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("test result: ") else { continue };
        let count = |word: &str| {
            rest.split(';').find_map(|part| {
                part.trim().strip_suffix(word).and_then(|n| n.trim().rsplit(' ').next()?.parse::<usize>().ok())
            })
        };
        if let (Some(passed), Some(failed)) = (count(" passed"), count(" failed")) {
            let (p, f) = totals.unwrap_or((0, 0));
            totals = Some((p + passed, f + failed));
        }
    }
    totals
}

/// A thread copying `stream` into `into` until it ends; it holds a clone of
/// `into` while it runs, which tells `finish` whether the stream has ended.
fn read_into(stream: Option<impl Read + Send + 'static>, into: &Arc<Mutex<Vec<u8>>>) {
    let Some(mut stream) = stream else { return };
    let into = Arc::clone(into);
    let spawned = std::thread::Builder::new().name("check-output".into()).spawn(move || {
        let mut chunk = [0u8; 8192];
        loop {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => into.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(&chunk[..n]),
            }
        }
    });
    drop(spawned);
}

fn lossy(buffer: &Arc<Mutex<Vec<u8>>>) -> String {
    String::from_utf8_lossy(&buffer.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}

fn contains_line_start(buffer: &Arc<Mutex<Vec<u8>>>, prefix: &[u8]) -> bool {
    let buffer = buffer.lock().unwrap_or_else(|p| p.into_inner());
    buffer.split(|b| *b == b'\n').any(|line| line.starts_with(prefix))
}

/// Become the "subreaper" of our descendants (Linux): a process whose parent
/// ends is given to us instead of init, so what a run leaves is found.
#[allow(unsafe_code)] // the SAFETY comment is at the block
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: a plain prctl on this process, with integer arguments.
        ONCE.call_once(|| unsafe {
            libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1 as libc::c_ulong, 0, 0, 0);
        });
    }
}

/// Kill `pid`'s descendants (not `pid` itself), each parent stopped before
/// its children are listed, so none can start another in between.
fn kill_tree(pid: u32) {
    let mut found = Vec::new();
    descendants(pid as i32, &mut found);
    for member in found {
        signal(member, libc::SIGKILL);
    }
}

fn descendants(pid: i32, into: &mut Vec<i32>) {
    for child in children_of(pid) {
        signal(child, libc::SIGSTOP);
        into.push(child);
        descendants(child, into);
    }
}

/// Kill and reap every child this process has now. The CLI starts no other
/// process while checks run, so each is what a run left behind (given to us
/// as subreaper).
#[allow(unsafe_code)] // the SAFETY comment is at the block
fn kill_leftovers() {
    // SAFETY: getpid never fails.
    let me = unsafe { libc::getpid() };
    for child in children_of(me) {
        kill_tree(child as u32);
        signal(child, libc::SIGKILL);
        let mut status = 0;
        // SAFETY: waiting for our own child, which was just killed.
        unsafe {
            libc::waitpid(child, &mut status, 0);
        }
    }
}

#[allow(unsafe_code)] // the SAFETY comment is at the block
fn signal(pid: i32, signal: i32) {
    // SAFETY: a plain system call on a process found a moment ago among our
    // descendants; a dead one stays a zombie (its id not reused) until its
    // parent, ours or a descendant, reaps it.
    unsafe {
        libc::kill(pid, signal);
    }
}

#[cfg(target_os = "linux")]
fn children_of(pid: i32) -> Vec<i32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    let mut pids = Vec::new();
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            pids.extend(text.split_whitespace().filter_map(|p| p.parse::<i32>().ok()));
        }
    }
    pids
}

#[cfg(not(target_os = "linux"))]
fn children_of(_pid: i32) -> Vec<i32> {
    Vec::new()
}

/// The part of a failed run a learner should read: the report each failed
/// check printed (the `---- test stdout ----` sections of cargo's output), in
/// the order the checks failed (the verdict file's: an event repeated by a
/// later check is only named there, so it must come after the first), then
/// any other section by name; or, when there is none (the exercise did not
/// build, a test crashed outside a check), the whole output.
pub(crate) fn report(outcome: &Outcome) -> String {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in outcome.output.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----").or_else(|| rest.strip_suffix(" stderr ----")));
        if header.is_some() || (current.is_some() && (line == "failures:" || line.starts_with("test result:"))) {
            sections.extend(current.take());
            current = header.map(|name| (name.to_string(), String::new()));
            continue;
        }
        if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    sections.extend(current);
    let failed_at = |name: &str| outcome.failed_checks.iter().position(|f| f.test == name).unwrap_or(usize::MAX);
    sections.sort_by(|a, b| failed_at(&a.0).cmp(&failed_at(&b.0)).then_with(|| a.0.cmp(&b.0)));
    let texts: Vec<&str> = sections.iter().map(|(_, text)| text.trim_matches('\n')).filter(|t| !t.is_empty()).collect();
    if texts.is_empty() {
        return outcome.output.trim_end().to_string();
    }
    texts.join("\n\n")
}

/// The failed checks in the order the exercise's test files define their
/// tests (the order the exercise teaches them in), so the first of them is
/// the same from one save to the next whatever order they failed in.
pub(crate) fn in_teaching_order<'a>(outcome: &'a Outcome, exercise: &Exercise) -> Vec<&'a FailedCheck> {
    let mut sources: Vec<(std::path::PathBuf, String)> = std::fs::read_dir(exercise.dir.join("tests"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .filter_map(|e| Some((e.path(), std::fs::read_to_string(e.path()).ok()?)))
        .collect();
    sources.sort();
    let position = |test: &str| {
        let needle = format!("fn {test}(");
        sources
            .iter()
            .enumerate()
            .find_map(|(file, (_, text))| text.find(&needle).map(|at| (file, at)))
            .unwrap_or((usize::MAX, 0))
    };
    let mut failed: Vec<&FailedCheck> = outcome.failed_checks.iter().collect();
    failed.sort_by_key(|f| (position(&f.test), f.test.clone()));
    failed
}

/// A failed run on one screen: every failed check on a line, then the first
/// of them (in teaching order) in short; or, when no check reported (the
/// code did not compile, a test crashed), the report as it is.
pub(crate) fn short_report(outcome: &Outcome, exercise: &Exercise) -> String {
    let failed = in_teaching_order(outcome, exercise);
    let Some(first) = failed.first() else { return report(outcome) };
    let count = match outcome.totals {
        Some((passed, failed_count)) => format!("{failed_count} of {} checks failed", passed + failed_count),
        None => format!("{} check(s) failed", failed.len()),
    };
    let mut text = format!("{count}:\n");
    for (index, check) in failed.iter().enumerate() {
        let marker = if index == 0 { "▸" } else { " " };
        text.push_str(&format!("  {marker} ✗ {}\n", check.check));
    }
    let first_short = if first.short.trim().is_empty() { report(outcome) } else { first.short.clone() };
    text.push_str(&format!("\nThe first of them (▸), in short:\n{}", first_short.trim_end()));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(output: &str) -> Outcome {
        Outcome {
            passed: false,
            failed_checks: Vec::new(),
            totals: None,
            output: output.into(),
            took: Duration::ZERO,
            notes: Vec::new(),
        }
    }

    #[test]
    fn the_report_keeps_what_each_failed_check_printed() {
        let output = "\nrunning 2 tests\na --- FAILED\n\nfailures:\n\n---- b stdout ----\n\n✗ Check failed: two\n\n\n---- a stdout ----\n\n✗ Check failed: one\n  Hint: h\n\n\nfailures:\n    a\n    b\n\ntest result: FAILED. 0 passed; 2 failed\n";
        assert_eq!(report(&outcome(output)), "✗ Check failed: one\n  Hint: h\n\n✗ Check failed: two");
    }

    #[test]
    fn the_report_lists_the_checks_in_the_order_they_failed() {
        let output = "\nfailures:\n\n---- b stdout ----\n\n✗ Check failed: two\n\n---- a stdout ----\n\n✗ Check failed: one\n\n---- c stdout ----\n\nother\n\nfailures:\n";
        let mut failed = outcome(output);
        for test in ["b", "a"] {
            failed.failed_checks.push(FailedCheck { test: test.into(), ..FailedCheck::default() });
        }
        assert_eq!(report(&failed), "✗ Check failed: two\n\n✗ Check failed: one\n\nother");
    }

    #[test]
    fn totals_are_read_from_every_test_file() {
        let output = "test result: FAILED. 6 passed; 4 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.2s\n\ntest result: ok. 2 passed; 0 failed; 0 ignored\n";
        assert_eq!(totals_of(output), Some((8, 4)));
        assert_eq!(totals_of("error: could not compile"), None);
    }

    #[test]
    fn a_compile_error_is_told_apart_from_failed_checks() {
        let compile = "error[E0277]: `Option<String>` doesn't implement `Display`\nerror: could not compile `exercise-21` (lib) due to 1 previous error\n";
        assert!(outcome(compile).did_not_compile());
        let mut failed = outcome(compile);
        failed.failed_checks.push(FailedCheck { test: "t".into(), check: "c".into(), ..FailedCheck::default() });
        assert!(!failed.did_not_compile(), "a check ran, so the code compiled");
        assert!(!outcome("test result: FAILED. 0 passed; 2 failed\n").did_not_compile());
    }

    #[test]
    fn without_reports_the_whole_output_is_kept() {
        assert_eq!(report(&outcome("error[E0425]: cannot find value\n")), "error[E0425]: cannot find value");
    }
}
