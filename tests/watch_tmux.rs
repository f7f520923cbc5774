//! The watch loop in a real terminal: `cargo lab` runs in tmux, a save shows
//! its verdict in the pane, and keys typed there work. Needs tmux, so it is
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
    let command = format!("LAB_STATE_DIR={} {} --port {port}", state.display(), env!("CARGO_BIN_EXE_lab"));
    let started = Command::new("tmux")
        .args(["new-session", "-d", "-s", &name, "-x", "200", "-y", "60", "-c", &root.to_string_lossy(), &command])
        .status()
        .expect("tmux runs");
    assert!(started.success());
    wait_for(&name, "Keys (type one, then Enter)", Duration::from_secs(60));
    std::fs::write(&handler, std::fs::read(root.join("solutions/01-first-handler/handler.py")).unwrap()).unwrap();
    wait_for(&name, "✓ Exercise 01 passes every check", Duration::from_secs(60));
    Command::new("tmux").args(["send-keys", "-t", &name, "h", "Enter"]).status().unwrap();
    wait_for(&name, "Hint 1 of 3 for exercise 01", Duration::from_secs(10));
    Command::new("tmux").args(["send-keys", "-t", &name, "q", "Enter"]).status().unwrap();
    let quit = Instant::now();
    while quit.elapsed() < Duration::from_secs(10) {
        let alive =
            Command::new("tmux").args(["has-session", "-t", &name]).status().map(|s| s.success()).unwrap_or(false);
        if !alive {
            drop(session);
            let _ = std::fs::remove_dir_all(&state);
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the runner did not quit after q; the terminal shows:\n{}", pane(&name));
}
