//! `cargo lab invoke` and `cargo lab check` where the harness used to differ
//! from Lambda (issue 15, section 3): responses shown as the runtime wrote
//! them, events read as Lambda reads them, and handlers that fork, start
//! processes or kill their own process ending with a verdict, quickly.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lab() -> Command {
    let mut cmd = Command::cargo_bin("lab").unwrap();
    cmd.current_dir(root());
    for var in ["LAB_STATE_DIR", "LAB_TASK_ROOT", "LAB_VERDICT_FILE"] {
        cmd.env_remove(var);
    }
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(mut cmd: Command) -> Run {
    let output = cmd.output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `lab invoke` of `source` (as handler.py, function lambda_handler) with the
/// event `event` (bytes of a file), and `extra` arguments.
fn invoke(source: &str, event: Option<&[u8]>, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("handler.py"), source).unwrap();
    let mut cmd = lab();
    cmd.arg("invoke").arg(dir.path().join("handler.py"));
    if let Some(event) = event {
        std::fs::write(dir.path().join("event.json"), event).unwrap();
        cmd.arg("--event").arg(dir.path().join("event.json"));
    }
    cmd.args(extra);
    run(cmd)
}

const DECIMALS: &str = "from decimal import Decimal\n\
def lambda_handler(event, context):\n    \
    return {'big': Decimal('12345678901234567890.5'), 'price': Decimal('0.10'), 'n': 3, 'x': 1.5}\n";

#[test]
fn invoke_shows_the_response_as_the_runtime_wrote_it() {
    let out = invoke(DECIMALS, None, &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("{\n  \"big\": 12345678901234567890.5,\n  \"price\": 0.10,\n  \"n\": 3,\n  \"x\": 1.5\n}\n"),
        "{}",
        out.stdout
    );
    let out = invoke(DECIMALS, None, &["--json"]);
    assert!(
        out.stdout.contains(r#""result":{"big":12345678901234567890.5,"price":0.10,"n":3,"x":1.5},"#),
        "{}",
        out.stdout
    );
}

#[test]
fn an_event_is_checked_as_lambdas_runtime_reads_it() {
    let echo = "def lambda_handler(event, context):\n    return repr(event)[:20]\n";
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let out = invoke(echo, Some(deep.as_bytes()), &["--json"]);
    assert_eq!(out.code, 0, "nesting deeper than 128 is JSON: {}", out.stderr);
    let out = invoke(echo, Some(b"{\"n\": 1e400}"), &["--json"]);
    assert!(out.stdout.contains(r#""result":"{'n': inf}""#), "{}{}", out.stdout, out.stderr);
    let out = invoke(echo, Some(b"\xEF\xBB\xBF{\"a\": 1}"), &["--json"]);
    assert!(out.stdout.contains(r#""result":"{'a': 1}""#), "a UTF-8 BOM is skipped: {}{}", out.stdout, out.stderr);

    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("{}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let out = invoke(echo, Some(&utf16), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is UTF-16 text (little-endian: it starts with the byte order mark FF FE)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Save the file as UTF-8"), "{}", out.stderr);
    let out = invoke(echo, Some(b"{\"a\": NaN}"), &[]);
    assert!(out.stderr.contains("is not valid JSON: expected value at line 1 column 7"), "{}", out.stderr);
}

#[test]
fn a_request_over_six_mb_is_refused_as_lambda_refuses_it() {
    let event = format!("\"{}\"", "x".repeat(6_291_456));
    let out = invoke("def lambda_handler(event, context):\n    return 1\n", Some(event.as_bytes()), &[]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("Lambda refused the request, so the function did not run"), "{}", out.stderr);
    assert!(out.stdout.contains("\"errorType\": \"RequestEntityTooLargeException\""), "{}", out.stdout);
    assert!(out.stdout.contains("Request must be smaller than 6291456 bytes for the InvokeFunction operation"));
    assert!(!out.stderr.contains("START RequestId"), "no invocation happened: {}", out.stderr);
}

#[test]
fn a_handler_that_kills_its_own_process_gets_lambdas_verdict() {
    let out = invoke("import os\ndef lambda_handler(event, context):\n    os.kill(os.getpid(), 9)\n", None, &[]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("Error: Runtime exited with error: signal: killed"), "{}", out.stdout);
    assert!(out.stdout.contains("\"errorType\": \"Runtime.ExitError\""), "{}", out.stdout);
}

/// A copy of exercise 01's files with `handler` as its handler.py.
fn exercise_01_with(handler: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = root().join("exercises/01-first-handler");
    std::fs::create_dir(dir.path().join("events")).unwrap();
    for entry in std::fs::read_dir(from.join("events")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join("events").join(entry.file_name())).unwrap();
    }
    std::fs::copy(from.join("exercise.toml"), dir.path().join("exercise.toml")).unwrap();
    std::fs::write(dir.path().join("handler.py"), handler).unwrap();
    dir
}

fn check_01(task_root: &Path) -> (Run, Duration) {
    let state = tempfile::tempdir().unwrap();
    let mut cmd = lab();
    cmd.args(["check", "01"]).env("LAB_STATE_DIR", state.path()).env("LAB_TASK_ROOT", task_root);
    // The first build of exercise 01 may take minutes; the checks themselves must not.
    cmd.timeout(Duration::from_secs(900));
    let started = Instant::now();
    (run(cmd), started.elapsed())
}

const GREETING: &str = "    name = event.get('name', 'world')\n    \
    print(f'Saying hello to {name}')\n    \
    return {'statusCode': 200, 'body': f'Hello, {name}!'}\n";

#[test]
fn check_ends_with_a_verdict_whatever_processes_the_handler_starts() {
    // Build first, so the timing below is the checks' own.
    let _ = check_01(exercise_01_with(&format!("def lambda_handler(event, context):\n{GREETING}")).path());
    for (what, prelude) in [
        ("forks", "import os\ndef lambda_handler(event, context):\n    os.fork()\n"),
        (
            "starts a process that outlives it",
            "import subprocess\ndef lambda_handler(event, context):\n    subprocess.Popen(['sleep', '20'])\n",
        ),
        (
            "leaves a daemon holding the output",
            "import subprocess\ndef lambda_handler(event, context):\n    subprocess.Popen(['sh', '-c', 'sleep 20 &'])\n",
        ),
    ] {
        let task_root = exercise_01_with(&format!("{prelude}{GREETING}"));
        let (out, took) = check_01(task_root.path());
        assert_eq!(out.code, 0, "a handler that {what}: {}\n{}", out.stdout, out.stderr);
        assert!(out.stdout.contains("✓ 01 first-handler: passed"), "{}", out.stdout);
        assert!(took < Duration::from_secs(15), "a handler that {what} delayed the verdict to {took:?}");
    }
}

#[test]
fn check_names_a_handler_file_that_is_a_folder() {
    let task_root = exercise_01_with("");
    let handler = task_root.path().join("handler.py");
    std::fs::remove_file(&handler).unwrap();
    std::fs::create_dir(&handler).unwrap();
    std::fs::write(handler.join("notes.txt"), "mine").unwrap();
    let (out, _) = check_01(task_root.path());
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains(&format!("{} is a folder, not a file.", handler.display())), "{}", out.stdout);
    assert!(!out.stdout.contains("There is no file at"), "{}", out.stdout);
    assert!(handler.join("notes.txt").is_file(), "the checks leave the folder as it is");
}

#[test]
fn check_reports_a_handler_that_kills_its_own_process() {
    let task_root = exercise_01_with(&format!(
        "import os\ndef lambda_handler(event, context):\n    os.kill(os.getpid(), 9)\n{GREETING}"
    ));
    let (out, _) = check_01(task_root.path());
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("Runtime.ExitError: RequestId: "), "{}", out.stdout);
    assert!(out.stdout.contains("Runtime exited with error: signal: killed"), "{}", out.stdout);
}

#[test]
fn check_stops_a_run_past_its_deadline_and_says_why() {
    // The handler stops cargo itself (its test binary's parent): the run
    // could never end on its own.
    let task_root = exercise_01_with(&format!(
        "import os, signal\ndef lambda_handler(event, context):\n    os.kill(os.getppid(), signal.SIGSTOP)\n{GREETING}"
    ));
    let state = tempfile::tempdir().unwrap();
    let mut cmd = lab();
    cmd.args(["check", "01"]).env("LAB_STATE_DIR", state.path()).env("LAB_TASK_ROOT", task_root.path());
    cmd.env("LAB_CHECK_DEADLINE", "3").timeout(Duration::from_secs(900));
    let started = Instant::now();
    let out = run(cmd);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("The checks did not finish within 3 s, so they were stopped."), "{}", out.stdout);
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
}

#[test]
fn q_stops_a_check_that_never_ends_and_quits() {
    use std::io::{BufRead, BufReader, Write};
    let task_root = exercise_01_with(&format!(
        "import os, signal\ndef lambda_handler(event, context):\n    os.kill(os.getppid(), signal.SIGSTOP)\n{GREETING}"
    ));
    let state = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(["--port", &port.to_string()])
        .current_dir(root())
        .env("LAB_STATE_DIR", state.path())
        .env("LAB_TASK_ROOT", task_root.path())
        .env_remove("LAB_CHECK_DEADLINE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::Builder::new()
        .name("lab-stdout".into())
        .spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        })
        .unwrap();
    let wait_for = |text: &str, limit: Duration| {
        let until = Instant::now() + limit;
        while Instant::now() < until {
            if let Ok(line) = lines.recv_timeout(Duration::from_millis(100)) {
                if line.contains(text) {
                    return true;
                }
            }
        }
        false
    };
    let mut stdin = child.stdin.take().unwrap();
    assert!(wait_for("Keys (type one, then Enter)", Duration::from_secs(120)));
    writeln!(stdin, "c").unwrap();
    assert!(wait_for("── Checking exercise 01", Duration::from_secs(10)));
    std::thread::sleep(Duration::from_secs(3));
    writeln!(stdin, "q").unwrap();
    let asked = Instant::now();
    assert!(wait_for("Stopped the checks of exercise 01", Duration::from_secs(10)));
    while asked.elapsed() < Duration::from_secs(10) {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the workshop did not quit after q");
}
