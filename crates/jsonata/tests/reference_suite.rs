//! jsonata-js's own test suite, at the version Step Functions implements
//! (2.0.6), run through this crate.
//!
//! Every vendored case must pass unless it is in [`KNOWN_FAILURES`] with a
//! reason, and a listed case that passes fails the test too, so the list can
//! only shrink. `cargo test -p jsonata --test reference_suite -- --nocapture`
//! prints the tally (`SUITE_SHOW=1` adds each failure). tests/suite/README.md
//! says where the cases come from and which groups are left out.
//!
//! The cases are jsonata-js's files as published; their test strings (cut-off
//! words, day abbreviations) are why `.codespellrc` skips the folder.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jsonata::{Bindings, Expression, Limits};
use serde_json::Value;

/// Cases expected to fail, by `group/file` (with `#index` for a file that
/// holds several cases), each with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "function-encodeUrl/case002",
        "the input is a lone UTF-16 surrogate (\\uD800), which a Rust string, \
         and so serde_json, cannot hold: serde_json refuses such JSON, so the runner \
         can never hand the engine one",
    ),
    ("function-encodeUrlComponent/case002", "the same lone surrogate as function-encodeUrl/case002"),
];

/// How one case came out.
enum Outcome {
    Pass,
    Fail(String),
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite")
}

/// Numbers are equal as JavaScript's are (as f64s, whatever the JSON
/// spelling), give or take the last bits: the workspace's serde_json parses
/// decimals to within a unit in the last place, not exactly (its
/// `float_roundtrip` feature would, for every crate in the workspace), so an
/// expected `90.57000000000001` can arrive one step away from the sum the
/// engine computed. Arrays and objects compare deeply, objects regardless of
/// key order.
fn same(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(a), Some(b)) => a == b || (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
            _ => false,
        },
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| same(x, y)))
        }
        _ => got == want,
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 { format!("{}…", text.chars().take(120).collect::<String>()) } else { text }
}

fn run_case(dir: &Path, case: &Value) -> Outcome {
    let source = match (case.get("expr"), case.get("expr-file")) {
        (Some(Value::String(expr)), _) => expr.clone(),
        (_, Some(Value::String(file))) => match std::fs::read_to_string(dir.join(file)) {
            Ok(text) => text,
            Err(error) => return Outcome::Fail(format!("cannot read {file}: {error}")),
        },
        _ => return Outcome::Fail("case has no expression".into()),
    };
    let input = match (case.get("data"), case.get("dataset")) {
        (Some(data), _) => Some(data.clone()),
        (None, Some(Value::String(name))) => {
            let path = suite_dir().join("datasets").join(format!("{name}.json"));
            let text = std::fs::read_to_string(&path).expect("dataset");
            Some(serde_json::from_str(&text).expect("dataset is JSON"))
        }
        _ => None,
    };
    let mut bindings = Bindings::new();
    if let Some(Value::Object(bound)) = case.get("bindings") {
        for (name, value) in bound {
            bindings.insert_value(name, value.clone());
        }
    }
    // jsonata-js's runner guarded some cases with its own depth and time
    // limits; here they are the engine's.
    let mut limits = Limits::default();
    if let Some(ms) = case.get("timelimit").and_then(Value::as_u64) {
        limits.timeout = Some(Duration::from_millis(ms));
    }
    if let Some(depth) = case.get("depth").and_then(Value::as_u64) {
        limits.max_depth = usize::try_from(depth).ok();
    }
    let want_code =
        case.get("code").or_else(|| case.get("error").and_then(|error| error.get("code"))).and_then(Value::as_str);

    let result =
        Expression::parse(&source).and_then(|expression| expression.evaluate_with(input.as_ref(), &bindings, &limits));
    match (result, want_code) {
        (Err(error), Some(want)) => {
            // 2.0.6's runner reported its own depth and time guards as U1001;
            // jsonata-js has since built them in as D1011 and D1012.
            let guard = want == "U1001" && ["D1011", "D1012"].contains(&error.code());
            if error.code() == want || guard {
                Outcome::Pass
            } else {
                Outcome::Fail(format!("wanted error {want}, got {error}"))
            }
        }
        (Ok(got), Some(want)) => {
            Outcome::Fail(format!("wanted error {want}, got {}", got.as_ref().map_or("undefined".into(), short)))
        }
        (Err(error), None) => Outcome::Fail(format!("unexpected error {error}")),
        (Ok(got), None) => match (got, case.get("result")) {
            (Some(got), Some(want)) if same(&got, want) => Outcome::Pass,
            (None, None) => Outcome::Pass,
            (got, want) => Outcome::Fail(format!(
                "wanted {}, got {}",
                want.map_or("undefined".into(), short),
                got.as_ref().map_or("undefined".into(), short)
            )),
        },
    }
}

/// Every case in the vendored suite, as (id, outcome), sorted by id.
fn run_suite() -> Vec<(String, Outcome)> {
    let mut files: Vec<PathBuf> = Vec::new();
    for group in std::fs::read_dir(suite_dir().join("groups")).expect("suite groups") {
        let group = group.expect("group").path();
        for file in std::fs::read_dir(&group).expect("group dir") {
            let file = file.expect("case").path();
            if file.extension().is_some_and(|ext| ext == "json") {
                files.push(file);
            }
        }
    }
    files.sort();
    let mut outcomes = Vec::new();
    for file in files {
        let dir = file.parent().expect("group dir");
        let id =
            format!("{}/{}", dir.file_name().unwrap().to_string_lossy(), file.file_stem().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&file).expect("case file");
        let cases = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(cases)) => cases,
            Ok(case) => vec![case],
            Err(error) => {
                let why = format!("the case file is not JSON that Rust can read: {error}");
                outcomes.push((id, Outcome::Fail(why)));
                continue;
            }
        };
        let several = cases.len() > 1;
        for (index, case) in cases.iter().enumerate() {
            let id = if several { format!("{id}#{index}") } else { id.clone() };
            let outcome = catch_unwind(AssertUnwindSafe(|| run_case(dir, case)))
                .unwrap_or_else(|_| Outcome::Fail("the engine panicked".into()));
            outcomes.push((id, outcome));
        }
    }
    outcomes
}

#[test]
fn reference_suite() {
    let outcomes = run_suite();
    let known: BTreeMap<&str, &str> = KNOWN_FAILURES.iter().copied().collect();
    let mut per_group: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut passing = 0;
    for (id, outcome) in &outcomes {
        let group = id.split('/').next().unwrap_or_default().to_string();
        let tally = per_group.entry(group).or_default();
        tally.1 += 1;
        match outcome {
            Outcome::Pass => {
                passing += 1;
                tally.0 += 1;
                if known.contains_key(id.as_str()) {
                    fixed.push(id.clone());
                }
            }
            Outcome::Fail(why) => {
                if !known.contains_key(id.as_str()) {
                    unexpected.push(format!("{id}: {why}"));
                }
                if std::env::var_os("SUITE_SHOW").is_some() {
                    println!("FAIL {id}: {why}");
                }
            }
        }
    }
    for (group, (pass, total)) in &per_group {
        if pass != total {
            println!("  {group}: {pass} of {total}");
        }
    }
    let missing: Vec<&str> = known.keys().filter(|id| !outcomes.iter().any(|(seen, _)| seen == *id)).copied().collect();
    let total = outcomes.len();
    println!(
        "JSONata reference suite (jsonata-js 2.0.6, Step Functions' groups): \
         {passing} of {total} cases pass ({:.1}%), {} known failures",
        100.0 * passing as f64 / total as f64,
        KNOWN_FAILURES.len()
    );
    assert!(
        unexpected.is_empty(),
        "{} cases fail that are not in KNOWN_FAILURES:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    assert!(fixed.is_empty(), "these cases pass now: take them off KNOWN_FAILURES:\n{}", fixed.join("\n"));
    assert!(missing.is_empty(), "KNOWN_FAILURES names cases the suite does not have:\n{}", missing.join("\n"));
}
