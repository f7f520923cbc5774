//! The watch loop of `cargo lab`, driven as a learner drives it: start it,
//! save a handler, read the verdict; type a key, see the effect. The learner's
//! file is restored by a guard whatever happens, and the child is always killed.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Restore {
    path: PathBuf,
    original: Vec<u8>,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.original);
    }
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The tests edit the same exercise file and build the same book: one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Wait for a line containing `text`, failing after `limit`.
fn wait_for(lines: &mpsc::Receiver<String>, text: &str, limit: Duration, seen: &mut Vec<String>) {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(line) = lines.recv_timeout(Duration::from_millis(100)) {
            let found = line.contains(text);
            seen.push(line);
            if found {
                return;
            }
        }
    }
    panic!("no line containing {text:?} within {limit:?}; the runner printed:\n{}", seen.join("\n"));
}

/// `cargo lab` started in the workspace with its state in `state` and
/// `env` set, and its output lines as they come.
fn start_workshop(root: &Path, state: &Path, env: &[(&str, &str)]) -> (Running, mpsc::Receiver<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(["--port", &free_port().to_string()])
        .current_dir(root)
        .env("LAB_STATE_DIR", state)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let stdout = running.0.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::Builder::new()
        .name("lab-stdout".into())
        .spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
        .expect("a thread can be started");
    (running, lines)
}

#[test]
fn saving_a_handler_prints_its_verdict_and_keys_steer_the_runner() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let handler = root.join("exercises/01-first-handler/handler.py");
    let starter = std::fs::read(&handler).unwrap();
    let _restore = Restore { path: handler.clone(), original: starter.clone() };
    let state = std::env::temp_dir().join(format!("lab-watch-test-{}", std::process::id()));
    let (mut running, lines) = start_workshop(&root, &state, &[]);
    let mut seen = Vec::new();
    wait_for(&lines, "Keys (type one, then Enter)", Duration::from_secs(60), &mut seen);
    let lab = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lab"))
            .args(args)
            .current_dir(&root)
            .env("LAB_STATE_DIR", &state)
            .output()
            .unwrap()
    };

    std::fs::write(&handler, std::fs::read(root.join("solutions/01-first-handler/handler.py")).unwrap()).unwrap();
    wait_for(&lines, "✓ Exercise 01 passes every check", Duration::from_secs(60), &mut seen);
    let mut stdin = running.0.stdin.take().unwrap();
    writeln!(stdin, "f").unwrap();
    wait_for(&lines, "The last run had no failed check", Duration::from_secs(10), &mut seen);

    // The starter with a comment added: a learner's save that fails.
    let mut edited = starter.clone();
    edited.extend_from_slice(b"\n# my first try\n");
    std::fs::write(&handler, &edited).unwrap();
    wait_for(&lines, "✗ Exercise 01:", Duration::from_secs(60), &mut seen);
    assert!(seen.iter().any(|l| l.contains("Check failed:")), "the failure report is shown:\n{}", seen.join("\n"));
    assert!(seen.iter().any(|l| l.contains("in short:")), "the first failure is shown short:\n{}", seen.join("\n"));

    // f shows the whole report of that run.
    writeln!(stdin, "f").unwrap();
    wait_for(&lines, "More hints on the exercise's page", Duration::from_secs(10), &mut seen);

    // `cargo lab reset` beside the workshop puts the starter back: the
    // workshop says so and does not check it, so the progress stays as the
    // reset says it does (one passed run, one failed).
    let reset = lab(&["reset", "01"]);
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    wait_for(&lines, "the starter again", Duration::from_secs(10), &mut seen);
    let report: serde_json::Value = serde_json::from_slice(&lab(&["report", "--json"]).stdout).unwrap();
    assert_eq!(report[0]["attempts"], 2, "the reset counted no attempt: {report}");
    assert_eq!(report[0]["status"], "failing", "the last run failed, and the reset left it so: {report}");

    writeln!(stdin, "n").unwrap();
    let second = harness::exercise::Exercise::discover(&root).unwrap()[1].number;
    wait_for(&lines, &format!("Now: exercise {second:02}"), Duration::from_secs(10), &mut seen);
    writeln!(stdin, "q").unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if let Some(status) = running.0.try_wait().unwrap() {
            assert!(status.success(), "q quits cleanly: {status:?}");
            let _ = std::fs::remove_dir_all(&state);
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the runner did not quit after q");
}

#[test]
fn where_change_notices_do_not_arrive_the_files_are_looked_at_on_a_timer() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let handler = root.join("exercises/01-first-handler/handler.py");
    let _restore = Restore { path: handler.clone(), original: std::fs::read(&handler).unwrap() };
    let state = tempfile::tempdir().unwrap();
    // What a network or WSL folder gets without being asked.
    let (_running, lines) = start_workshop(&root, state.path(), &[("LAB_WATCH", "poll")]);
    let mut seen = Vec::new();
    wait_for(
        &lines,
        "Watching your files by looking at them often: LAB_WATCH=poll",
        Duration::from_secs(60),
        &mut seen,
    );
    std::fs::write(&handler, std::fs::read(root.join("solutions/01-first-handler/handler.py")).unwrap()).unwrap();
    wait_for(&lines, "✓ Exercise 01 passes every check", Duration::from_secs(60), &mut seen);
}
