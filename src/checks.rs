//! Running an exercise's checks: its Rust tests, `cargo test -q -p
//! exercise-NN`, in a child process, as a learner would run them by hand.
//!
//! The child gets `LAB_VERDICT_FILE` pointing at a temporary file, where each
//! failed check writes one JSON line (`{"test", "check", "kind"}`; see
//! `crates/harness/src/check/report.rs`), so the workshop knows which checks failed
//! without reading the test output. Each run counts as an attempt in the
//! learner's progress. Nothing here prints: the callers (`cargo lab check`,
//! the watch loop) decide what to show. The rest of the environment is passed
//! on as it is, LAB_TASK_ROOT included (the workshop's own tests use it to
//! point an exercise's checks at a copy of its files).

use crate::{progress, workspace};
use harness::check::report::VERDICT_FILE;
use harness::exercise::Exercise;
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// What one run of an exercise's checks found.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    /// Every check passed (cargo test exited with success).
    pub passed: bool,
    /// (test function, check, kind) for each failed check; kind is
    /// "assertion", "handler-error", "load-error" or "setup".
    pub failed_checks: Vec<(String, String, String)>,
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
    let started = Instant::now();
    // A new empty file for the verdicts, removed when it is dropped. Without
    // one the checks still run; only which of them failed is not known.
    let verdict_file =
        tempfile::Builder::new().prefix(&format!("lab-verdicts-{}-", exercise.slug)).suffix(".jsonl").tempfile().ok();
    let cargo = workspace::cargo();
    let mut command = Command::new(&cargo);
    command.args(["test", "-q", "-p", &exercise.package()]).current_dir(root).stdin(std::process::Stdio::null());
    match &verdict_file {
        Some(file) => command.env(VERDICT_FILE, file.path()),
        None => command.env_remove(VERDICT_FILE),
    };
    let result = command.output();
    let verdicts = verdict_file.and_then(|file| std::fs::read_to_string(file.path()).ok()).unwrap_or_default();
    let took = started.elapsed();
    let output = match result {
        Ok(output) => output,
        Err(e) => {
            return Outcome {
                passed: false,
                failed_checks: Vec::new(),
                output: format!(
                    "Could not start `{} test` to run the checks: {e}. Is Rust installed? `cargo lab doctor` checks this machine.",
                    cargo.to_string_lossy()
                ),
                took,
                notes: Vec::new(),
            };
        }
    };
    let passed = output.status.success();
    let failed_checks = verdicts
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .map(|v| {
            let field = |key: &str| v[key].as_str().unwrap_or_default().to_string();
            (field("test"), field("check"), field("kind"))
        })
        .collect();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let notes = progress::update(root, |p| p.record_attempt(&exercise.slug, passed));
    Outcome { passed, failed_checks, output: text, took, notes }
}

/// The part of a failed run a learner should read: the report each failed
/// check printed (the `---- test stdout ----` sections of cargo's output),
/// in the order of the tests' names (cargo prints them in the order the tests
/// ended, which changes from run to run); or, when there is none (the
/// exercise did not build, a test crashed outside a check), the whole output.
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
    sections.sort_by(|a, b| a.0.cmp(&b.0));
    let texts: Vec<&str> = sections.iter().map(|(_, text)| text.trim_matches('\n')).filter(|t| !t.is_empty()).collect();
    if texts.is_empty() {
        return outcome.output.trim_end().to_string();
    }
    texts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(output: &str) -> Outcome {
        Outcome {
            passed: false,
            failed_checks: Vec::new(),
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
    fn a_compile_error_is_told_apart_from_failed_checks() {
        let compile = "error[E0277]: `Option<String>` doesn't implement `Display`\nerror: could not compile `exercise-20` (lib) due to 1 previous error\n";
        assert!(outcome(compile).did_not_compile());
        let mut failed = outcome(compile);
        failed.failed_checks.push(("t".into(), "c".into(), "assertion".into()));
        assert!(!failed.did_not_compile(), "a check ran, so the code compiled");
        assert!(!outcome("test result: FAILED. 0 passed; 2 failed\n").did_not_compile());
    }

    #[test]
    fn without_reports_the_whole_output_is_kept() {
        assert_eq!(report(&outcome("error[E0425]: cannot find value\n")), "error[E0425]: cannot find value");
    }
}
