//! Starting, losing and stopping moto: clear errors when it cannot start,
//! quick errors when it is gone, and no process left behind. These tests
//! stop or kill moto, so each starts its own instead of sharing one.

#![cfg(unix)]

mod common;

use common::run_with_env;
use local_aws::{LocalAws, MotoServer, Options, StartError};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// An executable shell script standing in for an interpreter.
fn fake_interpreter(name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("local-aws-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Whether a process is gone (or a zombie, which has exited already).
fn is_gone(pid: u32) -> bool {
    let output = Command::new("ps").args(["-o", "stat=", "-p", &pid.to_string()]).output().unwrap();
    let state = String::from_utf8_lossy(&output.stdout);
    state.trim().is_empty() || state.trim().starts_with('Z')
}

fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill").args([signal, &pid.to_string()]).status().unwrap();
    assert!(status.success(), "kill {signal} {pid}");
}

fn start_error(python: &Path, limit: Duration) -> StartError {
    match MotoServer::start_within(python, limit) {
        Ok(server) => panic!("{} started moto on port {}", python.display(), server.port()),
        Err(error) => error,
    }
}

#[test]
fn start_errors_say_what_failed_and_what_to_do() {
    let missing = start_error(Path::new("/nonexistent/.lab/python/bin/python"), Duration::from_secs(5));
    assert_eq!(
        missing.to_string(),
        "the Python interpreter /nonexistent/.lab/python/bin/python does not exist: run `cargo lab setup` to create \
         the lab's Python environment"
    );

    // The real interpreter without its site-packages: Python, but no moto.
    let real = Command::new(common::python()).args(["-c", "import sys; print(sys.executable)"]).output().unwrap();
    let real = String::from_utf8(real.stdout).unwrap();
    let bare = fake_interpreter("bare-python", &format!("exec '{}' -S \"$@\"", real.trim()));
    let error = start_error(&bare, Duration::from_secs(20));
    assert!(matches!(error, StartError::MotoMissing { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.starts_with(&format!("moto is not installed in {} (No module named 'moto')", bare.display())));
    assert!(message.ends_with("run `cargo lab setup`, which installs moto[server]"), "{message}");

    let crashing = fake_interpreter("crashing-python", "echo 'Fatal Python error: init_fs_encoding' >&2; exit 7");
    let message = start_error(&crashing, Duration::from_secs(5)).to_string();
    assert!(message.starts_with("moto's server exited while starting (exit status: 7; its last words: Fatal Python"));

    let hanging = fake_interpreter("hanging-python", "exec sleep 30");
    let started = Instant::now();
    let message = start_error(&hanging, Duration::from_millis(500)).to_string();
    assert!(started.elapsed() < Duration::from_secs(3), "the limit holds: {:?}", started.elapsed());
    assert!(message.starts_with("moto's server did not start within 0.5 s: the machine may be overloaded"));
    let _ = std::fs::remove_dir_all(hanging.parent().unwrap());
}

#[test]
fn a_stuck_or_dead_moto_gives_a_quick_clear_error_never_a_hang() {
    let options = Options { upstream_timeout: Duration::from_secs(2), ..Options::default() };
    let local = LocalAws::start_with(&common::python(), options).unwrap_or_else(|e| panic!("{e}"));
    let function = local.register("us-east-1", None);
    let mut env = common::env_of(&function);
    // One attempt: this measures the gateway, not botocore's retries.
    env.retain(|(name, _)| name != "AWS_MAX_ATTEMPTS");
    env.push(("AWS_MAX_ATTEMPTS".into(), "1".into()));
    let script = r#"
import time
s3 = boto3.client("s3")
started = time.monotonic()
try:
    s3.list_buckets()
    answer = {"code": None}
except ClientError as e:
    answer = error(e)
answer["seconds"] = round(time.monotonic() - started, 1)
out(answer)
"#;
    assert_eq!(run_with_env(&env, script)["code"], json!(null));

    // Stopped: the gateway waits its limit (2 s here), then answers 504.
    signal(local.moto_pid().expect("moto runs"), "-STOP");
    let stuck = run_with_env(&env, script);
    signal(local.moto_pid().expect("moto runs"), "-CONT");
    eprintln!("moto stopped: {stuck}");
    assert_eq!(stuck["code"], "LocalAwsTimeout", "{stuck}");
    assert_eq!(stuck["status"], 504);
    assert!(stuck["seconds"].as_f64().unwrap() < 4.0, "{stuck}");
    assert!(
        stuck["message"].as_str().unwrap().contains("did not answer s3 ListBuckets within 2 s: it is stuck"),
        "{stuck}"
    );

    // Killed: refused at once, 502.
    signal(local.moto_pid().expect("moto runs"), "-KILL");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !local.moto_has_exited() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let dead = run_with_env(&env, script);
    eprintln!("moto killed: {dead}");
    assert_eq!(dead["code"], "LocalAwsUnavailable", "{dead}");
    assert_eq!(dead["status"], 502);
    assert!(dead["seconds"].as_f64().unwrap() < 1.0, "{dead}");
    assert!(dead["message"].as_str().unwrap().starts_with("The local AWS (moto) is not running"), "{dead}");

    // With the function's own retry settings (one retry) the answer is as
    // clear, and still within a second or so.
    let retried = run_with_env(&common::env_of(&function), script);
    eprintln!("moto killed, with the function's retry settings: {retried}");
    assert_eq!(retried["code"], "LocalAwsUnavailable", "{retried}");
    assert!(retried["seconds"].as_f64().unwrap() < 2.0, "{retried}");

    let statuses: Vec<(u16, Option<String>)> = function.calls().into_iter().map(|c| (c.status, c.error_code)).collect();
    assert_eq!(
        statuses[..3],
        [(200, None), (504, Some("LocalAwsTimeout".into())), (502, Some("LocalAwsUnavailable".into()))]
    );
}

#[test]
fn dropping_the_local_aws_leaves_no_process_and_no_port() {
    let local = LocalAws::start(&common::python()).unwrap_or_else(|e| panic!("{e}"));
    let pid = local.moto_pid().expect("moto runs");
    let ports = [local.endpoint(), local.moto_endpoint().expect("moto runs")];
    assert!(!is_gone(pid));
    drop(local);
    assert!(is_gone(pid), "moto ({pid}) is still running");
    for endpoint in ports {
        let address = endpoint.trim_start_matches("http://");
        assert!(std::net::TcpStream::connect(address).is_err(), "{endpoint} still accepts connections");
    }
}

/// Run by `moto_goes_with_a_killed_parent` in a process of its own: starts
/// moto, says its pid, and waits to be killed. A no-op in a normal run.
#[test]
fn child_process_holding_moto() {
    if std::env::var_os("LOCAL_AWS_TEST_CHILD").is_none() {
        return;
    }
    let moto = MotoServer::start(&common::python()).unwrap_or_else(|e| panic!("{e}"));
    println!("moto-pid {}", moto.pid());
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn moto_goes_with_a_killed_parent() {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_process_holding_moto", "--nocapture", "--test-threads=1"])
        .env("LOCAL_AWS_TEST_CHILD", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let pid: u32 = loop {
        let line = lines.next().expect("the child says moto's pid").unwrap();
        // libtest writes "test name ... " first, on the same line.
        if let Some((_, pid)) = line.split_once("moto-pid ") {
            break pid.trim().parse().unwrap();
        }
    };
    assert!(!is_gone(pid));
    child.kill().unwrap(); // SIGKILL: no destructor runs
    child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !is_gone(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(is_gone(pid), "moto ({pid}) outlived its parent");
}

#[test]
fn a_lazy_local_aws_starts_moto_on_the_first_call_only() {
    let local = LocalAws::lazy(Ok(common::python())).unwrap_or_else(|e| panic!("{e}"));
    let function = local.register("us-east-1", None);
    assert_eq!(local.moto_pid(), None, "moto started before any call");
    let result = common::run_as(
        &function,
        r#"
s3 = boto3.client("s3")
s3.create_bucket(Bucket="lazy-bucket")
s3.put_object(Bucket="lazy-bucket", Key="k", Body=b"started on demand")
out(s3.get_object(Bucket="lazy-bucket", Key="k")["Body"].read().decode())
"#,
    );
    assert_eq!(result, "started on demand");
    let pid = local.moto_pid().expect("moto started by the first call");
    drop(function);
    drop(local);
    assert!(is_gone(pid), "moto ({pid}) is still running");
}

#[test]
fn with_no_interpreter_every_call_says_what_to_do() {
    let local = LocalAws::lazy(Err("The local AWS is not set up: run `cargo lab setup`.".into()))
        .unwrap_or_else(|e| panic!("{e}"));
    let function = local.register("us-east-1", None);
    let started = std::time::Instant::now();
    let result = common::run_as(
        &function,
        r#"
answers = {}
for service, call in [("s3", lambda c: c.list_buckets()), ("dynamodb", lambda c: c.list_tables())]:
    try:
        call(boto3.client(service))
    except ClientError as e:
        answers[service] = error(e)
out(answers)
"#,
    );
    for service in ["s3", "dynamodb"] {
        let message = result[service]["message"].as_str().unwrap_or_default();
        assert!(message.contains("run `cargo lab setup`"), "{service}: {result:#}");
    }
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert_eq!(local.moto_pid(), None);
}
