//! What the integration tests share: the interpreter (one that has moto and
//! boto3), and running a boto3 script as a registered function would run.
//!
//! The interpreter is `LAB_AWS_PYTHON` when it is set, else the workshop's
//! managed environment (`.lab/python`), set up first if it is not ready, as
//! `cargo lab setup` would. One that cannot import moto and boto3 fails the
//! tests with a message saying how to fix it: a skipped test would read as a
//! passing one.

#![allow(dead_code)] // each test binary uses its own part of this module

use local_aws::Registration;
use serde_json::Value;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

/// The interpreter the tests run moto and boto3 with, checked once.
pub(crate) fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let python = match std::env::var_os("LAB_AWS_PYTHON") {
                Some(python) => PathBuf::from(python),
                None => harness::pyenv::PythonEnv::here()
                    .ensure(&harness::pyenv::Source::Index, &mut |line| eprintln!("local-aws tests: {line}"))
                    .unwrap_or_else(|error| panic!("the workshop's Python environment cannot be set up: {error}")),
            };
            let check = Command::new(&python).args(["-c", "import moto.server, boto3"]).output();
            match check {
                Ok(output) if output.status.success() => python,
                Ok(output) => panic!(
                    "{} cannot import moto's server and boto3 ({}). Set LAB_AWS_PYTHON to an interpreter that has \
                     them (the lab's own, .lab/python/bin/python, after `cargo lab setup`), or install them for this \
                     one: {} -m pip install 'moto[server]' boto3",
                    python.display(),
                    String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("no error output"),
                    python.display()
                ),
                Err(error) => panic!(
                    "cannot run {} ({error}). Set LAB_AWS_PYTHON to a Python that has moto[server] and boto3 (the \
                     lab's own, .lab/python/bin/python, after `cargo lab setup`)",
                    python.display()
                ),
            }
        })
        .clone()
}

/// Helpers every script starts with: `out(value)` prints the result as
/// JSON, `error(e)` turns a ClientError into what the tests compare.
const PRELUDE: &str = r#"
import json, sys, boto3, botocore
from botocore.exceptions import ClientError

def out(value):
    print(json.dumps(value))

def error(e):
    return {
        "code": e.response["Error"]["Code"],
        "message": e.response["Error"].get("Message", ""),
        "status": e.response["ResponseMetadata"].get("HTTPStatusCode"),
    }
"#;

/// Runs `script` with the registration's environment, as the function
/// would get it, and returns the JSON its last line of output holds.
pub(crate) fn run_as(registration: &Registration, script: &str) -> Value {
    run_with_env(&env_of(registration), script)
}

/// The environment a function of this registration gets.
pub(crate) fn env_of(registration: &Registration) -> Vec<(String, String)> {
    let mut env = registration.env();
    env.push(("AWS_REGION".into(), registration.region().into()));
    env.push(("AWS_DEFAULT_REGION".into(), registration.region().into()));
    env
}

/// Runs a Python script with exactly these AWS variables (none of the
/// user's), with a time limit, and parses its last line as JSON.
pub(crate) fn run_with_env(env: &[(String, String)], script: &str) -> Value {
    let mut command = Command::new(python());
    command.arg("-c").arg(format!("{PRELUDE}\n{script}"));
    local_aws::without_user_aws(&mut command);
    command.envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("the test interpreter runs");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    // One reader per pipe, so that neither can fill up while the other is read.
    let (sender, receiver) = mpsc::channel();
    let err_sender = sender.clone();
    for (name, mut pipe, sender) in [
        ("test-script-stdout", Box::new(stdout) as Box<dyn Read + Send>, sender),
        ("test-script-stderr", Box::new(stderr), err_sender),
    ] {
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let mut text = String::new();
                let _ = pipe.read_to_string(&mut text);
                let _ = sender.send((name, text));
            })
            .unwrap();
    }
    let mut outputs = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while outputs.len() < 2 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match receiver.recv_timeout(left) {
            Ok(output) => outputs.push(output),
            Err(_) => break,
        }
    }
    let text_of = |which: &str| outputs.iter().find(|(name, _)| *name == which).map(|(_, text)| text.clone());
    let (Some(out), Some(err)) = (text_of("test-script-stdout"), text_of("test-script-stderr")) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the boto3 script did not finish within 60 s:\n{script}");
    };
    let status = child.wait().unwrap();
    assert!(status.success(), "the boto3 script failed ({status}):\n{err}\n--- script:\n{script}");
    let last = out.lines().last().unwrap_or_else(|| panic!("no output; stderr:\n{err}"));
    serde_json::from_str(last).unwrap_or_else(|e| panic!("not JSON ({e}): {last}\nstderr:\n{err}"))
}

/// The median of some durations, in milliseconds.
pub(crate) fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
