//! The watch loop in a real terminal: `cargo lab` runs in tmux, a save shows
//! its verdict in the pane (on one screen, in colour), keys work without
//! Enter, and the terminal's setting is put back at the end. Needs tmux, so it is
//! ignored by a plain `cargo test`; `.ci/run` installs tmux and runs it with
//! `cargo test --test watch_tmux -- --ignored`.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

struct Session {
    name: String,
    handler: PathBuf,
    original: Vec<u8>,
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.name]).status();
        let _ = std::fs::write(&self.handler, &self.original);
    }
}

fn pane(session: &str) -> String {
    let out = Command::new("tmux").args(["capture-pane", "-p", "-S", "-2000", "-t", session]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What the pane shows now (no scrollback), with the colour escapes.
fn screen(session: &str) -> String {
    let out = Command::new("tmux").args(["capture-pane", "-p", "-e", "-t", session]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn keys(session: &str, keys: &[&str]) {
    let mut args = vec!["send-keys", "-t", session];
    args.extend_from_slice(keys);
    Command::new("tmux").args(&args).status().unwrap();
}

fn wait_for(session: &str, text: &str, limit: Duration) {
    let started = Instant::now();
    while started.elapsed() < limit {
        if pane(session).contains(text) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{text:?} did not appear within {limit:?}; the terminal shows:\n{}", pane(session));
}

#[test]
#[ignore = "needs tmux; .ci/run installs it and runs this test with --ignored"]
fn in_a_terminal_a_save_shows_its_verdict_and_keys_work() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let handler = root.join("exercises/01-first-handler/handler.py");
    let name = format!("lab-test-{}", std::process::id());
    let session = Session { name: name.clone(), original: std::fs::read(&handler).unwrap(), handler: handler.clone() };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let state = std::env::temp_dir().join(format!("lab-tmux-test-{}", std::process::id()));
    // After the workshop quits, the shell records the terminal's setting.
    let stty = state.with_extension("stty");
    let command = format!(
        "stty sane; LAB_STATE_DIR={} {} --port {port}; stty -a > {}; sleep 30",
        state.display(),
        env!("CARGO_BIN_EXE_lab"),
        stty.display()
    );
    let started = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "200",
            "-y",
            "60",
            "-c",
            &root.to_string_lossy(),
            "sh",
            "-c",
            &command,
        ])
        .status()
        .expect("tmux runs");
    assert!(started.success());
    wait_for(&name, "Keys (press one)", Duration::from_secs(60));
    std::fs::write(&handler, std::fs::read(root.join("solutions/01-first-handler/handler.py")).unwrap()).unwrap();
    wait_for(&name, "✓ Exercise 01 passes every check", Duration::from_secs(60));
    assert!(screen(&name).contains("\x1b[32m✓ Exercise 01"), "a pass is green:\n{}", screen(&name));
    // A single key, no Enter.
    keys(&name, &["h"]);
    wait_for(&name, "Hint 1 of 4 for exercise 01", Duration::from_secs(10));

    // A failing save: the verdict and the keys under it fit on the screen,
    // which was cleared first (the table of exercises is gone from it).
    std::fs::write(&handler, b"def lambda_handler(event, context):\n    return {\"statusCode\": \"200\"}\n").unwrap();
    wait_for(&name, "✗ Exercise 01:", Duration::from_secs(60));
    let shown = screen(&name);
    assert!(shown.contains("Keys (press one)") && shown.contains("in short:"), "one screen:\n{shown}");
    assert!(!shown.contains("not started  http://"), "the screen was cleared first:\n{shown}");
    assert!(shown.contains("\x1b[31m✗ Exercise 01"), "a failure is red:\n{shown}");

    keys(&name, &["q"]);
    let quit = Instant::now();
    while quit.elapsed() < Duration::from_secs(10) {
        if let Ok(setting) = std::fs::read_to_string(&stty) {
            assert!(
                setting.split_whitespace().any(|w| w == "icanon") && setting.split_whitespace().any(|w| w == "echo"),
                "the terminal's line editing and echo are back after q:\n{setting}"
            );
            drop(session);
            let _ = std::fs::remove_dir_all(&state);
            let _ = std::fs::remove_file(&stty);
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the runner did not quit after q; the terminal shows:\n{}", pane(&name));
}
