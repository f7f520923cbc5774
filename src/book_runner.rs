//! What the book's Run buttons need beside its pages (the scripts in
//! `book/runner/` are pages' assets, copied by mdBook like any other file):
//!
//! - `runner/runtime.json`: the runtime client's sources (the harness's own
//!   `runtime/*.py`, the very code `cargo lab invoke` runs), the browser's
//!   platform layer (`book/runner/platform.py`), and the variables Lambda
//!   sets, from the harness's `config.rs`, for a function at /var/task
//!   running on the Python that Pyodide is;
//! - `runner/exercises/SLUG.json` for each exercise a page can try in the
//!   browser: its starter handler (as committed) and its events;
//! - `pyodide/`: the pinned Pyodide (`crate::pyodide`), copied into a site
//!   built to be published; the local server serves it from `.lab/pyodide`.

use harness::config::FunctionConfig;
use harness::exercise::Exercise;
use serde_json::{Value, json};
use std::path::Path;

/// Lambda's PATH for a function ("Defined runtime environment variables",
/// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html):
/// the harness passes on the machine's own, which a published page must not.
const LAMBDA_PATH: &str = "/usr/local/bin:/usr/bin/:/bin:/opt/bin";

/// Write `runner/runtime.json` and `runner/exercises/` into `site`.
pub(crate) fn write_assets(root: &Path, site: &Path, pyodide: Option<&Path>) -> Result<(), String> {
    let dir = site.join("runner");
    std::fs::create_dir_all(dir.join("exercises")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let runtime = runtime_settings(root, pyodide)?;
    write_json(&dir.join("runtime.json"), &runtime)?;
    for exercise in Exercise::discover(root)?.iter().filter(|e| runs_in_the_browser(e)) {
        write_json(&dir.join("exercises").join(format!("{}.json", exercise.slug)), &exercise_files(root, exercise)?)?;
    }
    Ok(())
}

/// Copy the pinned Pyodide's files into `site/pyodide/`.
pub(crate) fn copy_pyodide(from: &Path, site: &Path) -> Result<(), String> {
    let dest = site.join("pyodide");
    std::fs::create_dir_all(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    for name in crate::pyodide::FILES {
        std::fs::copy(from.join(name), dest.join(name)).map_err(|e| format!("copying Pyodide's {name}: {e}"))?;
    }
    Ok(())
}

/// An exercise the browser can run: one Python handler, with no state at
/// the local AWS (no boto3 in Pyodide), no state machine, no newer Python,
/// no layer (no Powertools in Pyodide).
pub(crate) fn runs_in_the_browser(exercise: &Exercise) -> bool {
    !exercise.is_rust()
        && exercise.machine.is_none()
        && exercise.aws_state.is_none()
        && exercise.min_python.is_none()
        && exercise.layers.is_empty()
        && exercise.files.len() == 1
        && exercise.file == "handler.py"
}

fn runtime_settings(root: &Path, pyodide: Option<&Path>) -> Result<Value, String> {
    // The Python Pyodide is, from its own lock file: the Lambda runtime
    // the page imitates (`python3.14`), which decides how responses are
    // encoded, as `--runtime` does for `cargo lab invoke`.
    let python = pyodide
        .and_then(|dir| std::fs::read_to_string(dir.join("pyodide-lock.json")).ok())
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|lock| lock["info"]["python"].as_str().map(str::to_string));
    let minor: Option<u32> = python.as_deref().and_then(|v| v.split('.').nth(1)).and_then(|m| m.parse().ok());
    let runtime = minor.map(|minor| format!("python3.{minor}"));
    let config = FunctionConfig::from_file("/var/task/handler.py", crate::cmd::invoke::DEFAULT_FUNCTION);
    let mut variables = serde_json::Map::new();
    for (key, value) in harness::config::lambda_variables(&config, runtime.as_deref()) {
        let value = if key == "PATH" { LAMBDA_PATH.to_string() } else { value };
        variables.insert(key, Value::String(value));
    }
    let platform = std::fs::read_to_string(root.join("book/runner/platform.py"))
        .map_err(|e| format!("book/runner/platform.py: {e}"))?;
    let modules: Vec<Value> =
        harness::python::runtime_sources().iter().map(|(name, source)| json!([name, source])).collect();
    let missing = pyodide.is_none().then_some(
        "Python for the browser (Pyodide) is not in this build of the book: `cargo lab setup` fetches it \
         (6.5 MB, once), and the book reloads with it. Meanwhile, run the example on your machine with \
         `cargo lab invoke FILE.py`.",
    );
    Ok(json!({
        "python": python,
        "runtime": runtime,
        "ensure_ascii": minor.is_some_and(|minor| minor < 12),
        "function_arn": config.function_arn(),
        "variables": variables,
        "modules": modules,
        "platform": platform,
        "missing": missing,
    }))
}

fn exercise_files(root: &Path, exercise: &Exercise) -> Result<Value, String> {
    let handler = exercise.handler_path();
    // The starter as committed, not the learner's edits of it.
    let starter = match crate::starter::committed(root, &handler) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => std::fs::read_to_string(&handler).map_err(|e| format!("{}: {e}", handler.display()))?,
    };
    let mut events = Vec::new();
    let folder = exercise.dir.join("events");
    let mut names: Vec<_> = std::fs::read_dir(&folder).into_iter().flatten().flatten().map(|e| e.path()).collect();
    names.sort();
    for path in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        let body = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        events.push(json!({"name": format!("events/{name}.json"), "body": body}));
    }
    if events.is_empty() {
        events.push(json!({"name": "{} (an empty event)", "body": "{}\n"}));
    }
    Ok(json!({
        "slug": exercise.slug,
        "handler_file": format!("exercises/{}/{}", exercise.slug, exercise.file),
        "function": exercise.function,
        "starter": starter,
        "events": events,
    }))
}

fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    std::fs::write(path, value.to_string()).map_err(|e| format!("{}: {e}", path.display()))
}
