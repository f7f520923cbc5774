//! The workshop subcommands (`list`, `check`, `hint`, `reset`, `solution`,
//! `report`, `doctor`) driven as a learner or an instructor would drive them.
//!
//! Most tests run in a scratch workspace: a temporary folder holding a few
//! real exercises (manifest, events, starter files as committed) and their
//! solutions, so nothing here can touch the learner's own files or progress.
//! `check` needs cargo and the real exercise crates: it runs in the real
//! workspace, with LAB_STATE_DIR pointing the progress at a temporary folder
//! and LAB_TASK_ROOT pointing the exercise's checks at a temporary copy of its
//! files.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The exercises copied into a scratch workspace: a single-file one, one
/// with several hints, and a chain of several files.
const SCRATCH_EXERCISES: &[&str] = &["01-first-handler", "03-validating-input", "17-a-chain"];

/// `lab` with the workshop's own variables cleared, so the caller's
/// environment cannot point it at real state.
fn lab(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("lab").unwrap();
    cmd.current_dir(dir);
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

fn lab_in(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = lab(dir);
    cmd.args(args);
    run(cmd)
}

/// A file as committed (what a fresh clone holds), or as it is when git cannot say.
fn pristine(relative: &str) -> Vec<u8> {
    std::process::Command::new("git")
        .args(["show", &format!("HEAD:./{relative}")])
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| o.stdout)
        .unwrap_or_else(|| std::fs::read(root().join(relative)).unwrap())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A workspace of its own: exercises/ (manifest, events and starters),
/// solutions/, and an empty crates/ (the two folders mark a workspace).
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let root_dir = dir.path();
        std::fs::create_dir_all(root_dir.join("crates")).unwrap();
        for name in SCRATCH_EXERCISES {
            let from = root().join("exercises").join(name);
            let to = root_dir.join("exercises").join(name);
            std::fs::create_dir_all(&to).unwrap();
            let manifest = harness::exercise::Exercise::load(&from).unwrap();
            std::fs::copy(from.join("exercise.toml"), to.join("exercise.toml")).unwrap();
            copy_dir(&from.join("events"), &to.join("events"));
            for file in &manifest.files {
                std::fs::write(to.join(file), pristine(&format!("exercises/{name}/{file}"))).unwrap();
            }
            copy_dir(&root().join("solutions").join(name), &root_dir.join("solutions").join(name));
        }
        Scratch { dir }
    }

    /// The same, committed to a git repository of its own (for `reset`).
    fn committed() -> Scratch {
        let scratch = Scratch::new();
        for args in [
            &["init", "-q"][..],
            &["add", "-A"],
            &[
                "-c",
                "user.name=Workshop",
                "-c",
                "user.email=workshop@example.invalid",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "-q",
                "-m",
                "starters",
            ],
        ] {
            let status = std::process::Command::new("git")
                .args(args)
                .current_dir(scratch.path())
                .env_remove("GIT_DIR")
                .env_remove("GIT_WORK_TREE")
                .env_remove("GIT_INDEX_FILE")
                .status()
                .expect("git runs");
            assert!(status.success(), "git {args:?} failed");
        }
        scratch
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn lab(&self, args: &[&str]) -> Run {
        lab_in(self.path(), args)
    }

    fn file(&self, relative: &str) -> PathBuf {
        self.path().join(relative)
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.file(relative)).unwrap()
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.file(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn progress(&self) -> Value {
        serde_json::from_str(&self.read(".lab/progress.json")).unwrap()
    }
}

fn regex_replace(text: &str, pattern: &str, replacement: &str) -> String {
    regex_lite::Regex::new(pattern).unwrap().replace_all(text, replacement).into_owned()
}

/// Times, durations, versions and temporary paths change between runs.
fn stable(text: &str, paths: &[(&Path, &str)]) -> String {
    let mut out = text.to_string();
    for (path, name) in paths {
        out = out.replace(&path.display().to_string(), name);
    }
    for (pattern, replacement) in [
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "[time]"),
        (r"\d{8}-\d{6}", "[stamp]"),
        (r"\(\d+\.\d s\)", "([duration])"),
    ] {
        out = regex_replace(&out, pattern, replacement);
    }
    out
}

// ------------------------------------------------------------------ list

#[test]
fn list_shows_every_exercise_not_started_and_how_to_start() {
    let scratch = Scratch::new();
    let out = scratch.lab(&["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    insta::assert_snapshot!("list_fresh", out.stdout);
}

#[test]
fn list_shows_progress_and_points_to_the_next_exercise() {
    let scratch = Scratch::new();
    scratch.write(
        ".lab/progress.json",
        r#"{"version": 1, "exercises": {
            "first-handler": {"status": "passed", "attempts": 4, "firstAttempt": "2025-03-04T09:00:00Z", "lastAttempt": "2025-03-04T09:10:00Z", "hintsShown": 1},
            "a-chain": {"status": "failing", "attempts": 1, "firstAttempt": "2025-03-04T10:00:00Z", "lastAttempt": "2025-03-04T10:00:00Z", "hintsShown": 0}
        }}"#,
    );
    let out = scratch.lab(&["list"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("list_with_progress", out.stdout);
}

#[test]
fn list_congratulates_when_every_exercise_passes() {
    let scratch = Scratch::new();
    let passed = r#"{"status": "passed", "attempts": 1, "firstAttempt": "2025-03-04T09:00:00Z", "lastAttempt": "2025-03-04T09:00:00Z", "hintsShown": 0}"#;
    scratch.write(
        ".lab/progress.json",
        &format!(r#"{{"version": 1, "exercises": {{"first-handler": {passed}, "validating-input": {passed}, "a-chain": {passed}}}}}"#),
    );
    let out = scratch.lab(&["list"]);
    assert!(
        out.stdout.contains("3 passed, 0 failing, 0 not started\n\nEvery exercise passes. Well done!"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("How to start"), "{}", out.stdout);
}

#[test]
fn list_gives_each_step_once_for_an_exercise_tried_by_its_checks() {
    // Exercise 02 (policies) has no handler to invoke: its checks are the
    // way to try it, so there is no separate "try it by hand" step.
    let state = tempfile::tempdir().unwrap();
    std::fs::write(
        state.path().join("progress.json"),
        r#"{"version": 1, "exercises": {"first-handler": {"status": "passed", "attempts": 1}}}"#,
    )
    .unwrap();
    let mut cmd = lab(&root());
    cmd.arg("list").env("LAB_STATE_DIR", state.path());
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let steps = out.stdout.split("Next: exercise 02").nth(1).expect("exercise 02 is next");
    assert_eq!(steps.matches("cargo lab check 02").count(), 1, "{steps}");
    assert!(steps.contains("  3. Check your work:  cargo test -p exercise-02   (or: cargo lab check 02)\n"), "{steps}");
    assert!(!steps.contains("  4. "), "{steps}");
}

#[test]
fn progress_is_kept_by_id_so_renumbering_strands_nothing() {
    let scratch = Scratch::new();
    scratch.write(
        ".lab/progress.json",
        r#"{"version": 1, "exercises": {"validating-input": {"status": "passed", "attempts": 2, "firstAttempt": "2025-03-04T09:00:00Z", "lastAttempt": "2025-03-04T09:10:00Z", "hintsShown": 0}}}"#,
    );
    std::fs::rename(scratch.file("exercises/03-validating-input"), scratch.file("exercises/05-validating-input"))
        .unwrap();
    let out = scratch.lab(&["list"]);
    assert!(out.stdout.contains("  05   validating-input  Validating input          passed"), "{}", out.stdout);
    let report: Value = serde_json::from_str(&scratch.lab(&["report", "--json"]).stdout).unwrap();
    assert_eq!(report[1]["number"], 5);
    assert_eq!(report[1]["attempts"], 2);
}

#[test]
fn a_damaged_progress_file_is_kept_aside_and_said_once() {
    let scratch = Scratch::new();
    scratch.write(".lab/progress.json", "{ this is not JSON");
    let first = scratch.lab(&["list"]);
    assert_eq!(first.code, 0);
    let notice = stable(&first.stderr, &[]);
    assert_eq!(
        notice,
        "note: your progress file .lab/progress.json was damaged, so progress starts afresh; the old file is kept as .lab/progress.json.broken-[stamp].\n"
    );
    let aside: Vec<PathBuf> = std::fs::read_dir(scratch.file(".lab"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("progress.json.broken-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), "{ this is not JSON", "the damaged file is kept as it was");
    let second = scratch.lab(&["list"]);
    assert!(second.stderr.is_empty(), "said once only: {}", second.stderr);
    assert!(second.stdout.contains("0 passed, 0 failing, 3 not started"), "{}", second.stdout);
}

#[test]
fn outside_the_workspace_each_command_says_so_in_one_line() {
    let elsewhere = tempfile::tempdir().unwrap();
    for args in [
        &["list"][..],
        &["check"],
        &["check", "01"],
        &["hint", "01"],
        &["reset", "01"],
        &["solution", "01", "--yes"],
        &["report"],
    ] {
        let out = lab_in(elsewhere.path(), args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
        insta::assert_snapshot!("outside_the_workspace", out.stderr);
    }
}

// ------------------------------------------------------------------ ids

#[test]
fn unknown_ids_exit_2_with_one_line_naming_the_valid_ones() {
    let scratch = Scratch::new();
    for args in [&["check", "99"][..], &["hint", "nope"], &["reset", "02"], &["solution", "s3-events", "--yes"]] {
        let out = scratch.lab(args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("01 first-handler, 03 validating-input, 17 a-chain"), "{}", out.stderr);
    }
    insta::assert_snapshot!("unknown_id", scratch.lab(&["hint", "nope"]).stderr);
}

#[test]
fn an_exercise_is_found_by_number_id_folder_or_package() {
    let scratch = Scratch::new();
    for id in ["3", "03", "validating-input", "03-validating-input", "exercise-03", "exercises/03-validating-input/"] {
        let out = scratch.lab(&["hint", id]);
        assert_eq!(out.code, 0, "{id}: {}", out.stderr);
        assert!(out.stdout.contains("for exercise 03 (Validating input)"), "{id}: {}", out.stdout);
    }
}

// ------------------------------------------------------------------ hint

#[test]
fn hints_come_one_at_a_time_and_are_remembered() {
    let scratch = Scratch::new();
    let mut transcript = String::new();
    for _ in 0..5 {
        let out = scratch.lab(&["hint", "01"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        transcript.push_str("$ cargo lab hint 01\n");
        transcript.push_str(&out.stdout);
    }
    insta::assert_snapshot!("hints", transcript);
    let progress = scratch.progress();
    assert_eq!(progress["exercises"]["first-handler"]["hintsShown"], 4);
    assert_eq!(progress["exercises"]["first-handler"]["status"], "not started");
    assert_eq!(progress["exercises"]["first-handler"]["attempts"], 0);
}

#[test]
fn hint_reset_and_solution_without_a_number_take_the_exercise_you_are_on() {
    let scratch = Scratch::committed();
    // Nothing passed yet: the first exercise, said so.
    let out = scratch.lab(&["hint"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("(exercise 01, A first handler: the one you are on;"), "{}", out.stdout);
    assert!(out.stdout.contains("Hint 1 of"), "{}", out.stdout);
    // The workshop (or a check) remembers the one the learner is on.
    let second = &harness::exercise::Exercise::discover(scratch.path()).unwrap()[1];
    scratch.write(".lab/current-exercise", &format!("{}\n", second.slug));
    let out = scratch.lab(&["solution", "--yes"]);
    assert!(out.stdout.contains(&format!("The solution of exercise {:02}", second.number)), "{}", out.stdout);
    scratch.write(&format!("exercises/{:02}-{}/{}", second.number, second.slug, second.file), "# mine\n");
    let out = scratch.lab(&["reset"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(&format!("Exercise {:02} (", second.number)), "{}", out.stdout);
    assert!(out.stdout.contains("is back to its starter"), "{}", out.stdout);
    // A name still wins.
    let out = scratch.lab(&["hint", "01"]);
    assert!(!out.stdout.contains("the one you are on"), "{}", out.stdout);
}

// ------------------------------------------------------------------ reset

#[test]
fn reset_keeps_a_backup_then_restores_the_starter() {
    let scratch = Scratch::committed();
    let handler = "exercises/01-first-handler/handler.py";
    let starter = scratch.read(handler);
    let mine = "def lambda_handler(event, context):\n    return {'statusCode': 200, 'body': 'my own work'}\n";
    scratch.write(handler, mine);

    let out = scratch.lab(&["reset", "01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("reset", stable(&out.stdout, &[]));
    assert_eq!(scratch.read(handler), starter, "the starter is back");
    let backups: Vec<PathBuf> =
        std::fs::read_dir(scratch.file(".lab/backups")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(backups.len(), 1);
    let name = backups[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(regex_lite::Regex::new(r"^first-handler-\d{8}-\d{6}$").unwrap().is_match(&name), "{name}");
    assert_eq!(std::fs::read_to_string(backups[0].join("handler.py")).unwrap(), mine, "the learner's work is kept");

    let again = scratch.lab(&["reset", "first-handler"]);
    assert_eq!(again.code, 0);
    insta::assert_snapshot!("reset_when_already_the_starter", again.stdout);
    assert_eq!(std::fs::read_dir(scratch.file(".lab/backups")).unwrap().count(), 1, "no backup of a starter");
}

/// `lab ARGS` in `dir` whose reader goes away at once, as `| head -1` does
/// once it has its line: the read end of its standard output is closed
/// before the command writes anything (closing it after reading a line
/// would race with a command whose few lines all fit in the pipe). Gives
/// the exit code and standard error.
fn with_stdout_closed(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lab"))
        .args(args)
        .current_dir(dir)
        .env_remove("LAB_STATE_DIR")
        .env_remove("LAB_TASK_ROOT")
        .env_remove("LAB_VERDICT_FILE")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    (child.wait().unwrap().code(), stderr)
}

#[test]
fn reset_whose_reader_goes_away_still_restores_the_starter_quietly() {
    let scratch = Scratch::committed();
    let handler = "exercises/01-first-handler/handler.py";
    let starter = scratch.read(handler);
    scratch.write(handler, "# my work\n");
    let (code, stderr) = with_stdout_closed(scratch.path(), &["reset", "01"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(scratch.read(handler), starter, "the starter is back, though nobody read what reset said");
    let backups: Vec<PathBuf> =
        std::fs::read_dir(scratch.file(".lab/backups")).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read_to_string(backups[0].join("handler.py")).unwrap(), "# my work\n");

    // `list` too: every command writes through the same stdout.
    let (code, stderr) = with_stdout_closed(scratch.path(), &["list"]);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn reset_of_a_chain_keeps_every_file_and_two_resets_never_share_a_folder() {
    let scratch = Scratch::committed();
    let folder = "exercises/17-a-chain";
    for round in 0..2 {
        scratch.write(&format!("{folder}/machine.json"), &format!("{{\"round\": {round}}}\n"));
        std::fs::remove_file(scratch.file(&format!("{folder}/price_order.py"))).ok();
        let out = scratch.lab(&["reset", "17"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            out.stdout.contains("back to its starter: machine.json, validate_order.py, price_order.py"),
            "{}",
            out.stdout
        );
    }
    let mut backups: Vec<PathBuf> =
        std::fs::read_dir(scratch.file(".lab/backups")).unwrap().flatten().map(|e| e.path()).collect();
    backups.sort();
    assert_eq!(backups.len(), 2, "each reset has a folder of its own");
    let rounds: Vec<String> =
        backups.iter().map(|b| std::fs::read_to_string(b.join("machine.json")).unwrap()).collect();
    assert!(
        rounds.contains(&"{\"round\": 0}\n".to_string()) && rounds.contains(&"{\"round\": 1}\n".to_string()),
        "{rounds:?}"
    );
    for backup in &backups {
        assert!(backup.join("validate_order.py").is_file());
        assert!(!backup.join("price_order.py").exists(), "a deleted file has nothing to keep");
    }
    assert!(scratch.file(&format!("{folder}/price_order.py")).is_file(), "a deleted file comes back");
}

#[test]
fn reset_without_git_changes_nothing_and_says_why() {
    let scratch = Scratch::committed();
    let handler = "exercises/01-first-handler/handler.py";
    scratch.write(handler, "# my work\n");
    let no_programs = tempfile::tempdir().unwrap();
    let mut cmd = lab(scratch.path());
    cmd.args(["reset", "01"]).env("PATH", no_programs.path());
    let out = run(cmd);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!("reset_without_git", out.stderr);
    assert_eq!(scratch.read(handler), "# my work\n");
    assert!(!scratch.file(".lab/backups").exists());

    // Not a git clone at all: the same, with git's own words.
    let unversioned = Scratch::new();
    unversioned.write(handler, "# my work\n");
    let out = unversioned.lab(&["reset", "01"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("is this folder a git clone of the book's repository? Nothing was changed."),
        "{}",
        out.stderr
    );
    assert_eq!(unversioned.read(handler), "# my work\n");
}

// ------------------------------------------------------------------ solution

#[test]
fn solution_asks_first_and_refuses_without_a_terminal() {
    let scratch = Scratch::new();
    let out = scratch.lab(&["solution", "01"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!("solution_without_a_terminal", out.stderr);
}

/// In a terminal, `solution` asks, and shows the diff only after a yes.
/// (util-linux `script` gives it a terminal; skipped where that is missing.)
#[cfg(target_os = "linux")]
#[test]
fn solution_in_a_terminal_asks_before_showing() {
    use std::io::Write as _;
    let has_script = std::process::Command::new("script").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let scratch = Scratch::new();
    let lab = assert_cmd::cargo::cargo_bin("lab");
    for (answer, expected) in [
        ("y\n", "+++ solutions/01-first-handler/handler.py"),
        ("\n", "The solution stays hidden."),
        ("no\n", "The solution stays hidden."),
    ] {
        let mut child = std::process::Command::new("script")
            .args(["-qec", &format!("{} solution 01", lab.display()), "/dev/null"])
            .current_dir(scratch.path())
            .env_remove("LAB_STATE_DIR")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(answer.as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{text}");
        assert!(text.contains("Show the solution of exercise 01? [y/N] "), "{text}");
        assert!(text.contains(expected), "answer {answer:?}: {text}");
        if expected.starts_with("The") {
            assert!(!text.contains("+++"), "{text}");
        }
    }
}

#[test]
fn solution_shows_a_unified_diff_from_the_learners_file_to_the_solution() {
    let scratch = Scratch::new();
    let out = scratch.lab(&["solution", "01", "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("solution_diff", out.stdout);

    // A learner whose file is the solution sees that, not an empty diff.
    let solved = scratch.read("solutions/01-first-handler/handler.py");
    scratch.write("exercises/01-first-handler/handler.py", &solved);
    let out = scratch.lab(&["solution", "first-handler", "-y"]);
    assert!(out.stdout.contains("handler.py: yours is the same as the solution."), "{}", out.stdout);
}

#[test]
fn solution_of_a_chain_diffs_each_file() {
    let scratch = Scratch::new();
    let out = scratch.lab(&["solution", "17", "--yes"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for file in ["machine.json", "validate_order.py", "price_order.py"] {
        assert!(
            out.stdout.contains(&format!("--- exercises/17-a-chain/{file}\n+++ solutions/17-a-chain/{file}\n@@ -")),
            "{file}: {}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("+      \"ResultPath\": \"$.price\",\n"), "{}", out.stdout);
}

// ------------------------------------------------------------------ report

const SOME_PROGRESS: &str = r#"{"version": 1, "exercises": {
    "first-handler": {"status": "passed", "attempts": 4, "firstAttempt": "2025-03-04T09:00:00Z", "lastAttempt": "2025-03-04T09:10:00Z", "hintsShown": 2},
    "validating-input": {"status": "failing", "attempts": 1, "firstAttempt": "2025-03-04T09:30:00Z", "lastAttempt": "2025-03-04T09:30:00Z", "hintsShown": 0},
    "an-exercise-since-removed": {"status": "passed", "attempts": 1, "firstAttempt": "2025-03-01T09:00:00Z", "lastAttempt": "2025-03-01T09:00:00Z", "hintsShown": 0}
}}"#;

#[test]
fn report_is_a_table_for_an_instructor() {
    let scratch = Scratch::new();
    scratch.write(".lab/progress.json", SOME_PROGRESS);
    let out = scratch.lab(&["report"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("report_table", out.stdout);
}

#[test]
fn report_json_is_an_array_with_nothing_personal() {
    let scratch = Scratch::new();
    scratch.write(".lab/progress.json", SOME_PROGRESS);
    let out = scratch.lab(&["report", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("report_json", out.stdout);
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3);
    for row in &rows {
        let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["number", "id", "title", "status", "attempts", "firstAttempt", "lastAttempt", "hintsShown"]);
    }
    let scratch_path = scratch.path().display().to_string();
    assert!(!out.stdout.contains(&scratch_path));
    if let Ok(user) = std::env::var("USER") {
        assert!(!out.stdout.contains(&format!("\"{user}\"")) && !out.stdout.contains(&format!("/{user}")));
    }
}

// ------------------------------------------------------------------ check

/// A copy of exercise 01's files with `handler` as its handler.py, for LAB_TASK_ROOT.
fn task_root_with(handler: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("exercises/01-first-handler/events"), &dir.path().join("events"));
    std::fs::copy(root().join("exercises/01-first-handler/exercise.toml"), dir.path().join("exercise.toml")).unwrap();
    std::fs::write(dir.path().join("handler.py"), handler).unwrap();
    dir
}

/// `lab check ARGS` in the real workspace, with its progress in `state` and
/// exercise 01's checks reading `task_root`.
fn check_in_the_workspace(args: &[&str], state: &Path, task_root: &Path) -> Run {
    let mut cmd = lab(&root());
    cmd.arg("check").args(args).env("LAB_STATE_DIR", state).env("LAB_TASK_ROOT", task_root);
    run(cmd)
}

#[test]
fn check_on_the_pristine_starter_reports_the_failing_checks_and_exits_1() {
    let state = tempfile::tempdir().unwrap();
    let task_root = task_root_with(&pristine("exercises/01-first-handler/handler.py"));
    let out = check_in_the_workspace(&["01"], state.path(), task_root.path());
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.starts_with("✗ 01 first-handler: failing, 4 of 4 checks failed ("), "{}", out.stdout);
    assert!(out.stdout.contains("✗ Check failed: greets the name it finds in the event"), "{}", out.stdout);
    assert!(!out.stdout.contains("---- "), "cargo's own framing is left out: {}", out.stdout);
    insta::assert_snapshot!("check_starter", stable(&out.stdout, &[(task_root.path(), "[task-root]")]));

    let progress: Value =
        serde_json::from_str(&std::fs::read_to_string(state.path().join("progress.json")).unwrap()).unwrap();
    let entry = &progress["exercises"]["first-handler"];
    assert_eq!(entry["status"], "failing");
    assert_eq!(entry["attempts"], 1);
    assert_eq!(entry["firstAttempt"], entry["lastAttempt"]);
}

/// Exercise 06 handled as a learner often first writes it: the first
/// record only (`event["Records"][0]`), one of the exercise's wrong answers.
const FIRST_RECORD_ONLY: &str = include_str!("variants/06-s3-events/only_the_first_record.py");

#[test]
fn a_verdict_fits_on_a_screen_with_the_whole_report_one_flag_away() {
    let state = tempfile::tempdir().unwrap();
    let task_root = tempfile::tempdir().unwrap();
    let exercise = root().join("exercises/06-s3-events");
    copy_dir(&exercise.join("events"), &task_root.path().join("events"));
    std::fs::write(task_root.path().join("handler.py"), FIRST_RECORD_ONLY).unwrap();
    let out = check_in_the_workspace(&["06"], state.path(), task_root.path());
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let lines = out.stdout.lines().count();
    assert!(lines <= 60, "the verdict takes {lines} lines, more than a screen:\n{}", out.stdout);
    // Every failed check is named, in the order the exercise teaches them.
    let named: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| l.trim().trim_start_matches('▸').trim().strip_prefix("✗ "))
        .collect();
    assert_eq!(
        named,
        [
            "decodes every key: + becomes a space, %2B a plus sign, %C3%A9 an é",
            "reports every object in the event, not only the first record",
            "lists the objects in the order of the records in the event",
            "writes one log line per object, in order, each with the decoded key",
        ],
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("4 of 10 checks failed"), "{}", out.stdout);
    assert!(out.stdout.contains("Event sent to the handler: 3 records from aws:s3"), "{}", out.stdout);
    assert!(!out.stdout.contains("\"eventVersion\""), "the event is summed up, not printed: {}", out.stdout);
    assert!(out.stdout.contains("cargo lab check 06 --full"), "{}", out.stdout);
    // The first failure is about decoding keys, but what is wrong is the
    // one record: its hint says so, not the decoding hint the check is tied to.
    assert!(out.stdout.contains("Look for [0] (the first record only)"), "{}", out.stdout);
    assert!(!out.stdout.contains("unquote_plus(key) undoes"), "{}", out.stdout);

    let full = check_in_the_workspace(&["06", "--full"], state.path(), task_root.path());
    assert_eq!(full.code, 1);
    assert_eq!(full.stdout.matches("✗ Check failed:").count(), 4, "{}", full.stdout);
    assert!(full.stdout.contains("\"eventVersion\""), "the full report shows the event: {}", full.stdout);
    assert!(full.stdout.contains("The whole response:"), "{}", full.stdout);
    // Two checks send the same event: the second names it instead.
    let repeated = full.stdout.matches("Event sent to the handler: the same event as the check").count();
    assert_eq!(repeated, 1, "{}", full.stdout);
    let at_full = full.stdout.find("\"eventVersion\"").unwrap();
    let at_named = full.stdout.find("the same event as the check").unwrap();
    assert!(at_full < at_named, "an event is named only after it was shown");
}

#[test]
fn check_on_the_solution_passes_and_counts_the_attempt() {
    let state = tempfile::tempdir().unwrap();
    let task_root = task_root_with(&std::fs::read(root().join("solutions/01-first-handler/handler.py")).unwrap());
    let out = check_in_the_workspace(&["first-handler"], state.path(), task_root.path());
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    insta::assert_snapshot!("check_solution", stable(&out.stdout, &[]));
    let out = check_in_the_workspace(&["1"], state.path(), task_root.path());
    assert_eq!(out.code, 0);
    let progress: Value =
        serde_json::from_str(&std::fs::read_to_string(state.path().join("progress.json")).unwrap()).unwrap();
    let entry = &progress["exercises"]["first-handler"];
    assert_eq!((entry["status"].as_str(), entry["attempts"].as_u64()), (Some("passed"), Some(2)));
    assert!(entry["firstAttempt"].as_str().unwrap() <= entry["lastAttempt"].as_str().unwrap());
}

#[test]
fn check_all_skips_exercises_still_at_their_starter() {
    let scratch = Scratch::committed();
    let out = scratch.lab(&["check"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("check_all_nothing_started", out.stdout);
    assert!(!scratch.file(".lab/progress.json").exists(), "nothing ran, so nothing was recorded");
}

// ------------------------------------------------------------------ doctor

#[test]
fn doctor_checks_the_machine_and_gives_a_fix_for_each_problem() {
    // Hold the book's port, so the doctor has one problem to report
    // (another program holding it is the same problem).
    let _held = std::net::TcpListener::bind(("127.0.0.1", 3000));
    let out = lab_in(&root(), &["doctor"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let text = stable(&out.stdout, &[(&root(), "[workspace]")]);
    let text = regex_replace(&text, r"(rustc|cargo|Python) \d+\.\d+\.\d+(-[\w.]+)?", "$1 [version]");
    let text = regex_replace(&text, r"PYO3_PYTHON \([^)]*\)", "python3");
    // A shared library on Linux, a framework build on macOS.
    let text = regex_replace(&text, r"✓ Shared libpython: .*", "✓ Shared libpython: [found]");
    let text = regex_replace(&text, r"\d+ exercises", "[n] exercises");
    // Ready or not depends on whether this machine ran `cargo lab setup`
    // (its Python environment and Pyodide); each is one problem more when
    // not, so the count says how many beyond them.
    let not_set_up = ["✗ Python environment: ", "✗ Python for the book's Run buttons: "]
        .iter()
        .filter(|line| text.contains(*line))
        .count();
    let text = regex_replace(&text, r"([✓✗]) Python environment: .*(\n      Fix: .*)?", "[python environment]");
    let text = regex_replace(&text, r"([✓✗]) Python for the book's Run buttons: .*(\n      Fix: .*)?", "[pyodide]");
    let text = if not_set_up > 0 {
        text.replace(&format!("{} problems found. Fix them", 1 + not_set_up), "1 problem found. Fix it")
    } else {
        text
    };
    insta::assert_snapshot!("doctor", text);

    let elsewhere = tempfile::tempdir().unwrap();
    let out = lab_in(elsewhere.path(), &["doctor"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("✗ Workshop folder: this is not inside the workshop's folder\n      Fix: cd into your clone"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("✓ Python: "), "{}", out.stdout);
}

#[test]
fn an_installed_lab_works_from_any_folder_on_the_clone_it_came_from() {
    // `cargo install --path .` puts the binary outside the clone's target/.
    let bin = tempfile::tempdir().unwrap();
    let installed = bin.path().join("lab");
    std::fs::copy(env!("CARGO_BIN_EXE_lab"), &installed).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(&installed);
    cmd.arg("list").current_dir(elsewhere.path()).env("LAB_STATE_DIR", state.path());
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("01   first-handler"), "{}", out.stdout);
    assert!(out.stderr.contains(&format!("using {}", root().display())), "says which clone: {}", out.stderr);
}

#[test]
fn a_failure_offers_the_hint_that_fits_it() {
    // The issue's own case: "statusCode": "200" was told about event.get("name").
    let state = tempfile::tempdir().unwrap();
    let handler = "def lambda_handler(event, context):\n    name = event.get(\"name\", \"world\")\n    print(f\"Saying hello to {name}\")\n    return {\"statusCode\": \"200\", \"body\": f\"Hello, {name}!\"}\n";
    let task_root = task_root_with(handler.as_bytes());
    let out = check_in_the_workspace(&["01", "--full"], state.path(), task_root.path());
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("Hint: A number and the same digits in quotes"), "{}", out.stdout);
    assert!(!out.stdout.contains("event.get("), "no hint about reading the name: {}", out.stdout);
    // A check tied to another hint shows that one: the starter's log line.
    let starter = task_root_with(&pristine("exercises/01-first-handler/handler.py"));
    let out = check_in_the_workspace(&["01", "--full"], state.path(), starter.path());
    let exercise = harness::exercise::Exercise::load(&root().join("exercises/01-first-handler")).unwrap();
    let log_hint = exercise.hint_for_test("logs_who_it_greets").unwrap();
    let section = out.stdout.split("✗ Check failed: ").find(|s| s.starts_with("writes exactly one log line")).unwrap();
    assert!(section.contains(log_hint), "{section}");
    assert_ne!(exercise.hint_for_test("logs_who_it_greets"), exercise.hints.first().map(String::as_str));
}
