//! A learner's pytest file run for real against handler modules, with the
//! managed environment's pytest and moto: passes and failures come back per
//! test with pytest's text, the run sees fake credentials and never the
//! user's AWS configuration, a call that escapes the mock fails at once, a
//! run that hangs is stopped with what it started, and runs for several
//! handlers come back in order.
//!
//! The managed environment (`.lab/python`) is set up first when it is not
//! ready, as `cargo lab setup` would.

use harness::pyenv::{PythonEnv, Source};
use harness::pytest::{self, RunError, Status};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn ready() -> PathBuf {
    PythonEnv::here()
        .ensure(&Source::Index, &mut |line| eprintln!("pytest tests: {line}"))
        .unwrap_or_else(|error| panic!("the workshop's Python environment cannot be set up: {error}"))
}

/// `text` written as `name` in `folder`.
fn file(folder: &Path, name: &str, text: &str) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const GREETER: &str =
    "import boto3\n\ns3 = boto3.client(\"s3\")\n\n\ndef greet(name):\n    return f\"Hello, {name}!\"\n";
const RUDE: &str = "import boto3\n\ns3 = boto3.client(\"s3\")\n\n\ndef greet(name):\n    return \"Go away.\"\n";

/// Tests of `greet` that need no AWS, one that uses moto with the handler's
/// module-level client, and one that reads the run's environment.
const TESTS: &str = r#"
import os

import boto3
from moto import mock_aws

import handler


def test_greets_by_name():
    assert handler.greet("Ada") == "Hello, Ada!"


def test_the_module_level_client_is_mocked():
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket="greetings")
        assert [b["Name"] for b in handler.s3.list_buckets()["Buckets"]] == ["greetings"]


def test_fake_credentials_and_no_user_configuration():
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    assert "AWS_ENDPOINT_URL" not in os.environ and "AWS_PROFILE" not in os.environ
    assert os.environ["AWS_CONFIG_FILE"] == os.environ["AWS_SHARED_CREDENTIALS_FILE"] == os.devnull
"#;

#[test]
fn each_test_passes_or_fails_with_pytests_text() {
    ready();
    let folder = tempfile::tempdir().unwrap();
    let tests = file(folder.path(), "test_greeter.py", TESTS);
    let good = file(folder.path(), "greeter.py", GREETER);
    let rude = file(folder.path(), "rude.py", RUDE);

    let report = pytest::run(&tests, &good).unwrap();
    let names: Vec<(String, Status)> = report.cases.iter().map(|c| (c.name.clone(), c.status)).collect();
    assert!(report.all_passed(), "{names:?}\n{}", report.output);
    assert_eq!(report.tests().len(), 3);

    let report = pytest::run(&tests, &rude).unwrap();
    assert!(!report.all_passed());
    let failures = report.failures();
    assert_eq!(failures.len(), 1, "{:?}", report.cases);
    assert_eq!(failures[0].name, "test_greets_by_name");
    let explanation = failures[0].explanation(10);
    assert!(explanation.iter().any(|line| line.contains("'Go away.' == 'Hello, Ada!'")), "{explanation:?}");
    assert_eq!(explanation.last().unwrap(), "test_greeter.py:11: AssertionError");
}

#[test]
fn a_call_that_escapes_the_mock_fails_at_once() {
    ready();
    let folder = tempfile::tempdir().unwrap();
    let handler = file(folder.path(), "greeter.py", GREETER);
    let tests = file(
        folder.path(),
        "test_real.py",
        "import handler\n\n\ndef test_lists_real_buckets():\n    assert handler.s3.list_buckets()[\"Buckets\"] == []\n",
    );
    let report = pytest::run(&tests, &handler).unwrap();
    let failures = report.failures();
    assert_eq!(failures.len(), 1, "{}", report.output);
    assert!(failures[0].message.contains("ProxyConnectionError"), "{}", failures[0].message);
    assert!(report.duration < Duration::from_secs(20), "took {:?}", report.duration);
}

#[test]
fn a_file_that_does_not_import_is_a_collection_error() {
    ready();
    let folder = tempfile::tempdir().unwrap();
    let handler = file(folder.path(), "greeter.py", GREETER);
    let tests = file(folder.path(), "test_broken.py", "def test_x(:\n    pass\n");
    let report = pytest::run(&tests, &handler).unwrap();
    assert_eq!(report.exit_code, Some(2));
    assert!(report.tests().is_empty());
    let errors = report.collection_errors();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].explanation(10).iter().any(|line| line.contains("SyntaxError")), "{:?}", errors[0]);
}

#[test]
fn a_run_that_hangs_is_stopped_with_what_it_started() {
    let python = ready();
    let folder = tempfile::tempdir().unwrap();
    let handler = file(folder.path(), "greeter.py", GREETER);
    let pid_file = folder.path().join("sleeper.pid");
    let tests = file(
        folder.path(),
        "test_hangs.py",
        &format!(
            "import subprocess, sys, time\n\n\ndef test_waits_for_ever():\n    sleeper = subprocess.Popen([sys.executable, \"-c\", \"import time; time.sleep(300)\"])\n    open({:?}, \"w\").write(str(sleeper.pid))\n    time.sleep(300)\n",
            pid_file.display().to_string()
        ),
    );
    let started = std::time::Instant::now();
    let outcome = pytest::run_with(&python, &tests, &handler, Duration::from_secs(3));
    assert_eq!(outcome.unwrap_err(), RunError::TimedOut(Duration::from_secs(3)));
    assert!(started.elapsed() < Duration::from_secs(20));
    let pid = std::fs::read_to_string(&pid_file).expect("the test started its sleeper");
    // The sleeper was in pytest's process group, so it went too (a zombie
    // at most, until its parent's parent reaps it).
    std::thread::sleep(Duration::from_millis(200));
    let state = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    assert!(state.is_empty() || state.contains(") Z "), "the sleeper {pid} still runs: {state}");
}

#[test]
fn runs_for_several_handlers_come_back_in_their_order() {
    ready();
    let folder = tempfile::tempdir().unwrap();
    let tests = file(folder.path(), "test_greeter.py", TESTS);
    let good = file(folder.path(), "greeter.py", GREETER);
    let rude = file(folder.path(), "rude.py", RUDE);
    let reports = pytest::run_each(&tests, &[rude.clone(), good.clone(), rude]);
    let passed: Vec<bool> = reports.into_iter().map(|report| report.unwrap().all_passed()).collect();
    assert_eq!(passed, [false, true, false]);
}
