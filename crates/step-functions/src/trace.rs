//! An execution's history as lines a person reads: states entered and left
//! with their data, function calls, retries with their waits, errors and
//! where they went. Used by `cargo lab states run` and by learner reports.

use crate::history::Event;
use crate::runner::Execution;
use serde_json::Value;

/// What a state assigned, as `$name := value` pairs (the history holds each
/// value as JSON text, shown as it is).
fn assignments(assigned: &Value) -> String {
    let pairs: Vec<String> = assigned
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, value)| format!("${name} := {}", value.as_str().unwrap_or_default()))
        .collect();
    if pairs.is_empty() { "assigned no variables".to_string() } else { pairs.join(", ") }
}

/// The trace, one line per step worth seeing.
pub fn lines(execution: &Execution) -> Vec<String> {
    let events = &execution.history.events;
    let Some(first) = events.first() else { return Vec::new() };
    let detail = |event: &Event, key: &str| -> String {
        event.details.as_ref().and_then(|d| d.get(key)).and_then(Value::as_str).unwrap_or_default().to_string()
    };
    let number =
        |event: &Event, key: &str| -> String { event.details.as_ref().map(|d| d[key].to_string()).unwrap_or_default() };
    let mut out = Vec::new();
    for (index, event) in events.iter().enumerate() {
        let kind = event.kind.as_str();
        let at = format!("{:>7.3}s", (event.timestamp_ms - first.timestamp_ms) as f64 / 1000.0);
        let line = if let Some(state_type) = kind.strip_suffix("StateEntered") {
            format!("{at}  ▶ {} ({state_type})  input: {}", detail(event, "name"), detail(event, "input"))
        } else if kind.ends_with("StateExited") {
            let mut line = format!("{at}  ◀ {}  output: {}", detail(event, "name"), detail(event, "output"));
            if let Some(assigned) = event.details.as_ref().and_then(|d| d.get("assignedVariables")) {
                line.push_str(&format!("\n{at}      {}", assignments(assigned)));
            }
            line
        } else {
            match kind {
                "ExecutionStarted" => format!("{at}  Execution started  input: {}", detail(event, "input")),
                "LambdaFunctionScheduled" => {
                    format!("{at}      λ call {}  payload: {}", detail(event, "resource"), detail(event, "input"))
                }
                "TaskScheduled" => {
                    let (service, action) = (detail(event, "resourceType"), detail(event, "resource"));
                    let mark = if service == "lambda" { "λ" } else { "→" };
                    format!("{at}      {mark} {service}:{action}  parameters: {}", detail(event, "parameters"))
                }
                "TaskSucceeded" if detail(event, "resourceType") != "lambda" => {
                    format!("{at}      → answered {}", detail(event, "output"))
                }
                "LambdaFunctionSucceeded" | "TaskSucceeded" => {
                    format!("{at}      λ returned {}", detail(event, "output"))
                }
                "LambdaFunctionFailed" | "TaskFailed" => {
                    let mut line = format!("{at}      ✗ {}: {}", detail(event, "error"), detail(event, "cause"));
                    let next = events[index + 1..]
                        .iter()
                        .find(|e| e.kind != "LambdaFunctionStarted" && e.kind != "TaskStarted");
                    if let Some(next) =
                        next.filter(|n| n.kind == "LambdaFunctionScheduled" || n.kind == "TaskScheduled")
                    {
                        let wait = (next.timestamp_ms - event.timestamp_ms) as f64 / 1000.0;
                        line.push_str(&format!("\n{at}      ↻ retry after waiting {wait:.1}s"));
                    }
                    line
                }
                "MapStateStarted" => format!("{at}      Map over {} items", number(event, "length")),
                "MapIterationFailed" => format!("{at}      ✗ item {} failed", number(event, "index")),
                "MapRunStarted" => {
                    format!("{at}      Map Run {}: one child execution per item", detail(event, "mapRunArn"))
                }
                "MapRunFailed" => {
                    format!("{at}      ✗ Map Run failed {}: {}", detail(event, "error"), detail(event, "cause"))
                }
                "EvaluationFailed" => {
                    format!("{at}      ✗ {}: {}", detail(event, "error"), detail(event, "cause"))
                }
                "ExecutionSucceeded" => format!("{at}  Execution SUCCEEDED  output: {}", detail(event, "output")),
                "ExecutionTimedOut" => format!("{at}  Execution TIMED_OUT  States.Timeout"),
                "ExecutionFailed" => {
                    format!("{at}  Execution FAILED  {}: {}", detail(event, "error"), detail(event, "cause"))
                }
                _ => continue,
            }
        };
        out.extend(line.lines().map(String::from));
    }
    out
}
