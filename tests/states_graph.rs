//! `cargo lab states graph`, driven as a learner would drive it: a picture on
//! standard output or in a file, an execution's path coloured, an invalid
//! machine refused with its problems, and a reader that stops early.

use assert_cmd::Command;
use std::io::Read;
use std::process::Stdio;

const CHAIN: &str = "tests/fixtures/states/chain.json";

fn lab() -> Command {
    let mut cmd = Command::cargo_bin("lab").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    // Never read or write a learner's real progress (.lab/).
    let state = std::env::temp_dir().join(format!("lab-states-graph-tests-{}", std::process::id()));
    cmd.env("LAB_STATE_DIR", state);
    cmd
}

fn stdout_of(args: &[&str], code: i32) -> String {
    String::from_utf8(lab().args(args).assert().code(code).get_output().stdout.clone()).unwrap()
}

#[test]
fn graph_writes_the_machine_as_svg_on_standard_output() {
    let svg = stdout_of(&["states", "graph", CHAIN], 0);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sfn-graph\""), "{svg}");
    assert!(svg.ends_with("</svg>\n"));
    for name in ["Start", "End", "functionA", "functionB"] {
        assert!(svg.contains(&format!(">{name}</text>")), "{name} missing: {svg}");
    }
    // Without an execution nothing is coloured.
    assert!(!svg.contains("class=\"box entered\"") && !svg.contains("edge taken"));
}

#[test]
fn graph_writes_a_file_with_dash_o() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.svg");
    let out = stdout_of(&["states", "graph", CHAIN, "-o", file.to_str().unwrap()], 0);
    assert!(out.contains("Wrote "), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout_of(&["states", "graph", CHAIN], 0));
}

#[test]
fn graph_with_an_execution_colours_the_path_and_the_failed_state() {
    let functions = [
        "--function",
        "functionA=tests/fixtures/states/functions.py:function_a",
        "--function",
        "functionB=tests/fixtures/states/functions.py:function_b",
    ];
    let mut args = vec!["states", "graph", CHAIN, "--input", "tests/fixtures/states/input.json"];
    args.extend(functions);
    let succeeded = stdout_of(&args, 0);
    assert_eq!(succeeded.matches("class=\"box entered\"").count(), 2, "{succeeded}");
    assert!(!succeeded.contains("class=\"box failed\""));
    // An execution that fails is still drawn, and the command succeeds: the
    // picture is what it was asked for.
    let mut args = vec!["states", "graph", CHAIN, "--input", "tests/fixtures/states/bad-input.json"];
    args.extend(functions);
    let failed = stdout_of(&args, 0);
    assert!(failed.contains("class=\"box failed\""), "{failed}");
    assert!(failed.contains(">failed</text>"));
}

#[test]
fn graph_refuses_an_invalid_machine_with_its_problems_and_a_missing_function() {
    let output = lab().args(["states", "graph", "tests/fixtures/states/unreachable.json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    let output =
        lab().args(["states", "graph", CHAIN, "--input", "tests/fixtures/states/input.json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no --function functionA=FILE was given"));
    let output = lab().args(["states", "graph", "tests/fixtures/states/missing.json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read the state machine"));
}

#[test]
fn graph_help_says_what_it_draws() {
    let help = stdout_of(&["states", "graph", "--help"], 0);
    for text in ["SVG", "--input", "--function", "-o, --output", "standard output"] {
        assert!(help.contains(text), "{text}: {help}");
    }
    assert!(stdout_of(&["states", "--help"], 0).contains("graph"));
}

/// `cargo lab states graph ... | head -1`: the reader goes away before the
/// picture is written, which is no error and above all no panic.
#[test]
fn graph_into_a_closed_pipe_does_not_panic() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lab"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["states", "graph", CHAIN])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}
