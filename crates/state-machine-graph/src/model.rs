//! What a picture shows, before any geometry: a machine read from its JSON
//! definition as boxes and arrows, the way the Step Functions console shows
//! it.
//!
//! A [`Scope`] is one list of states with its StartAt: the machine itself, a
//! Map state's ItemProcessor (or Iterator), or one branch of a Parallel
//! state. Its nodes are its states in the order the definition lists them,
//! plus, for the machine itself, a small Start and End marker; a Map or
//! Parallel node holds its inner scopes. Its edges are the transitions:
//! Next, each Choice rule (labelled with the rule) and Default, each Catcher
//! (labelled with the errors it catches), and End. A Retrier is no edge
//! between two states but a loop on one, so it is kept on its node.
//!
//! The model reads the definition as JSON rather than the runner's typed
//! machine so that fields the typed model does not have yet (a JSONata
//! `Condition`, `Arguments`, `Items`) are still shown: a field it does not
//! know is left out of the picture, never an error. Call it on a definition
//! that `step_functions::validate` accepted: every transition then names a
//! state of its own scope.

use serde_json::{Map, Value};

/// The state types that can run under Retry and Catch rules.
const RETRYABLE: [&str; 3] = ["Task", "Parallel", "Map"];
/// The longest line of a Choice rule's or a Catcher's label, in characters,
/// before it wraps.
const LABEL_LINE_CHARS: usize = 34;
/// The most lines a label wraps to; the rest is cut with an ellipsis.
const LABEL_MAX_LINES: usize = 4;

/// A machine, a Map's processor or a Parallel branch.
#[derive(Clone, Debug, PartialEq)]
pub struct Scope {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// The console's small "Start" marker, before the machine's StartAt.
    Start,
    /// The "End" marker every terminal state of the machine leads to.
    End,
    State,
}

/// One box of the picture.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// The state's name ("Start" and "End" for the markers).
    pub name: String,
    /// Task, Choice, Map...; empty for the markers.
    pub state_type: String,
    /// What the state does, in a few words: the function a Task calls, how
    /// long a Wait waits, the error a Fail state raises.
    pub detail: Option<String>,
    /// One line per Retrier: the errors it retries and how many times.
    pub retries: Vec<String>,
    /// A Map's processor, or a Parallel state's branches in order.
    pub inner: Vec<Scope>,
}

/// Why one state leads to another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// From the Start marker to StartAt.
    Start,
    Next,
    /// A Choice rule; its label is the rule.
    Choice,
    /// A Choice state's Default.
    Default,
    /// A Catcher; its label names the errors it catches.
    Catch,
    /// From a terminal state to the End marker.
    End,
}

/// One arrow, between two nodes of the same scope (indexes into `nodes`).
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    /// The label's lines, already wrapped; empty for an unlabelled arrow.
    pub label: Vec<String>,
}

impl Scope {
    /// The machine `definition` (a JSON object with StartAt and States) as
    /// the top scope, with Start and End markers.
    pub fn machine(definition: &Value) -> Scope {
        Scope::read(definition, true)
    }

    /// The node of the state `name`, if it is in this scope.
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|node| node.kind == NodeKind::State && node.name == name)
    }

    fn read(block: &Value, markers: bool) -> Scope {
        let empty = Map::new();
        let states = block.get("States").and_then(Value::as_object).unwrap_or(&empty);
        let mut scope = Scope { nodes: Vec::new(), edges: Vec::new() };
        if markers {
            scope.nodes.push(Node::marker(NodeKind::Start, "Start"));
        }
        for (name, state) in states {
            scope.nodes.push(Node::state(name, state));
        }
        let index = |name: &str| states.keys().position(|key| key == name).map(|i| i + usize::from(markers));
        if markers && let Some(start) = block.get("StartAt").and_then(Value::as_str).and_then(index) {
            scope.edges.push(Edge { from: 0, to: start, kind: EdgeKind::Start, label: Vec::new() });
        }
        let mut ends = Vec::new();
        for (position, state) in states.values().enumerate() {
            let from = position + usize::from(markers);
            let mut edge = |target: Option<&Value>, kind: EdgeKind, label: Vec<String>| {
                if let Some(to) = target.and_then(Value::as_str).and_then(index) {
                    scope.edges.push(Edge { from, to, kind, label });
                }
            };
            edge(state.get("Next"), EdgeKind::Next, Vec::new());
            for rule in state.get("Choices").and_then(Value::as_array).into_iter().flatten() {
                edge(rule.get("Next"), EdgeKind::Choice, wrap(&rule_text(rule)));
            }
            edge(state.get("Default"), EdgeKind::Default, vec!["Default".to_string()]);
            for catcher in state.get("Catch").and_then(Value::as_array).into_iter().flatten() {
                let errors = error_names(catcher);
                let text = if errors.is_empty() { "Catch (any error)".to_string() } else { format!("Catch {errors}") };
                edge(catch_target(catcher), EdgeKind::Catch, wrap(&text));
            }
            let state_type = state.get("Type").and_then(Value::as_str).unwrap_or_default();
            let terminal = matches!(state_type, "Succeed" | "Fail") || state.get("End") == Some(&Value::Bool(true));
            if terminal {
                ends.push(from);
            }
        }
        if markers && !ends.is_empty() {
            let end = scope.nodes.len();
            scope.nodes.push(Node::marker(NodeKind::End, "End"));
            for from in ends {
                scope.edges.push(Edge { from, to: end, kind: EdgeKind::End, label: Vec::new() });
            }
        }
        scope
    }
}

impl Node {
    fn marker(kind: NodeKind, name: &str) -> Node {
        Node {
            kind,
            name: name.to_string(),
            state_type: String::new(),
            detail: None,
            retries: Vec::new(),
            inner: Vec::new(),
        }
    }

    fn state(name: &str, state: &Value) -> Node {
        let state_type = state.get("Type").and_then(Value::as_str).unwrap_or_default().to_string();
        let retries = if RETRYABLE.contains(&state_type.as_str()) {
            state.get("Retry").and_then(Value::as_array).into_iter().flatten().map(retry_text).collect()
        } else {
            Vec::new()
        };
        let inner = match state_type.as_str() {
            "Map" => state
                .get("ItemProcessor")
                .or_else(|| state.get("Iterator"))
                .map(|p| Scope::read(p, false))
                .into_iter()
                .collect(),
            "Parallel" => state
                .get("Branches")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|branch| Scope::read(branch, false))
                .collect(),
            _ => Vec::new(),
        };
        Node {
            kind: NodeKind::State,
            name: name.to_string(),
            detail: detail(&state_type, state),
            state_type,
            retries,
            inner,
        }
    }
}

/// A Catcher's Next; written `Next` in both query languages.
fn catch_target(catcher: &Value) -> Option<&Value> {
    catcher.get("Next")
}

/// A Retrier or Catcher's ErrorEquals, joined.
fn error_names(rule: &Value) -> String {
    let names: Vec<&str> =
        rule.get("ErrorEquals").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    names.join(", ")
}

/// `↻ Retry States.Timeout ×3`: MaxAttempts defaults to 3, as on AWS.
fn retry_text(retrier: &Value) -> String {
    let attempts = retrier.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3);
    format!("Retry {} ×{attempts}", error_names(retrier))
}

/// The state's second line: what it does, in a few words.
fn detail(state_type: &str, state: &Value) -> Option<String> {
    let text = |key: &str| state.get(key).and_then(Value::as_str).map(str::to_string);
    match state_type {
        "Task" => task_target(state),
        "Wait" => match (state.get("Seconds"), text("SecondsPath"), text("Timestamp"), text("TimestampPath")) {
            (Some(Value::Number(seconds)), ..) => Some(format!("wait {seconds} s")),
            (Some(Value::String(expression)), ..) => Some(format!("wait {} seconds", strip_jsonata(expression))),
            (_, Some(path), ..) => Some(format!("wait {path} seconds")),
            (_, _, Some(timestamp), _) => Some(format!("until {timestamp}")),
            (.., Some(path)) => Some(format!("until {path}")),
            _ => None,
        },
        "Fail" => text("Error").or_else(|| text("ErrorPath")).map(|error| format!("Error: {}", strip_jsonata(&error))),
        "Map" => {
            let items = text("ItemsPath").or_else(|| text("Items").map(|items| strip_jsonata(&items)));
            let distributed =
                state.pointer("/ItemProcessor/ProcessorConfig/Mode").and_then(Value::as_str) == Some("DISTRIBUTED");
            let each = match items {
                Some(items) => format!("for each item of {items}"),
                None => "for each item".to_string(),
            };
            Some(if distributed { format!("{each} (distributed)") } else { each })
        }
        "Parallel" => {
            let count = state.get("Branches").and_then(Value::as_array).map_or(0, Vec::len);
            Some(if count == 1 { "1 branch".to_string() } else { format!("{count} branches") })
        }
        _ => None,
    }
}

/// The function a Task calls, or the service action its Resource names.
fn task_target(state: &Value) -> Option<String> {
    let resource = state.get("Resource").and_then(Value::as_str)?;
    if let Some((_, function)) = resource.split_once(":function:") {
        return Some(format!("λ {}", function));
    }
    let action = resource.strip_prefix("arn:aws:states:::").unwrap_or(resource);
    let action = action.strip_suffix(".sync").or_else(|| action.strip_suffix(".waitForTaskToken")).unwrap_or(action);
    if action == "lambda:invoke" {
        // Parameters in JSONPath, Arguments in JSONata; a dynamic name is shown as its path.
        for fields in ["Parameters", "Arguments"] {
            let Some(fields) = state.get(fields) else { continue };
            if let Some(name) = fields.get("FunctionName").and_then(Value::as_str) {
                let name = strip_jsonata(name);
                let short = name.rsplit_once(":function:").map_or(name.as_str(), |(_, f)| f);
                return Some(format!("λ {short}"));
            }
            if let Some(path) = fields.get("FunctionName.$").and_then(Value::as_str) {
                return Some(format!("λ {path}"));
            }
        }
    }
    Some(action.to_string())
}

/// `{% expression %}` → `expression`; other text as it is.
fn strip_jsonata(text: &str) -> String {
    let trimmed = text.trim();
    match trimmed.strip_prefix("{%").and_then(|rest| rest.strip_suffix("%}")) {
        Some(inner) => inner.trim().to_string(),
        None => trimmed.to_string(),
    }
}

/// A Choice rule as one line of text: `$.type == "book"`,
/// `$.total >= 100 and $.member is present`, or a JSONata Condition's
/// expression as written.
pub fn rule_text(rule: &Value) -> String {
    if let Some(condition) = rule.get("Condition") {
        return match condition {
            Value::String(text) => strip_jsonata(text),
            other => other.to_string(),
        };
    }
    let nested = |key: &str| -> Option<Vec<String>> {
        rule.get(key).and_then(Value::as_array).map(|rules| rules.iter().map(operand).collect())
    };
    if let Some(parts) = nested("And") {
        return parts.join(" and ");
    }
    if let Some(parts) = nested("Or") {
        return parts.join(" or ");
    }
    if let Some(inner) = rule.get("Not") {
        return format!("not {}", operand(inner));
    }
    let variable = rule.get("Variable").and_then(Value::as_str).unwrap_or("$");
    let Some(object) = rule.as_object() else { return rule.to_string() };
    for (key, value) in object {
        if matches!(key.as_str(), "Variable" | "Next" | "Comment" | "Assign" | "Output") {
            continue;
        }
        if let Some(text) = comparison(variable, key, value) {
            return text;
        }
    }
    // A rule this drawing does not know: its fields, as written.
    let rest: Map<String, Value> =
        object.iter().filter(|(key, _)| key.as_str() != "Next").map(|(k, v)| (k.clone(), v.clone())).collect();
    Value::Object(rest).to_string()
}

/// A rule inside And, Or or Not: in parentheses when it is itself compound.
fn operand(rule: &Value) -> String {
    let text = rule_text(rule);
    let compound = ["And", "Or"].iter().any(|key| rule.get(key).is_some());
    if compound { format!("({text})") } else { text }
}

/// One comparison operator with its value, as text.
fn comparison(variable: &str, operator: &str, value: &Value) -> Option<String> {
    let yes = value.as_bool().unwrap_or(true);
    let test = |positive: &str, negative: &str| Some(format!("{variable} {}", if yes { positive } else { negative }));
    match operator {
        "IsPresent" => return test("is present", "is absent"),
        "IsNull" => return test("is null", "is not null"),
        "IsNumeric" => return test("is a number", "is not a number"),
        "IsString" => return test("is a string", "is not a string"),
        "IsBoolean" => return test("is a boolean", "is not a boolean"),
        "IsTimestamp" => return test("is a timestamp", "is not a timestamp"),
        _ => {}
    }
    let (operator, by_path) = match operator.strip_suffix("Path") {
        Some(stem) => (stem, true),
        None => (operator, false),
    };
    let operand = match value {
        Value::String(path) if by_path => path.clone(),
        other => other.to_string(),
    };
    if operator == "StringMatches" {
        return Some(format!("{variable} matches {operand}"));
    }
    let relation = ["String", "Numeric", "Timestamp", "Boolean"].iter().find_map(|kind| operator.strip_prefix(kind))?;
    let symbol = match relation {
        "Equals" => "==",
        "LessThan" => "<",
        "GreaterThan" => ">",
        "LessThanEquals" => "<=",
        "GreaterThanEquals" => ">=",
        _ => return None,
    };
    Some(format!("{variable} {symbol} {operand}"))
}

/// A label's text in lines of at most `LABEL_LINE_CHARS` characters, broken at spaces
/// where it can be, and cut with an ellipsis past `LABEL_MAX_LINES` lines.
pub fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        // A word longer than a line (a long path) is cut into pieces.
        while word.chars().count() > LABEL_LINE_CHARS {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(LABEL_LINE_CHARS).collect();
            word = word.chars().skip(LABEL_LINE_CHARS).collect();
            lines.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > LABEL_LINE_CHARS {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > LABEL_MAX_LINES {
        lines.truncate(LABEL_MAX_LINES);
        let last = &mut lines[LABEL_MAX_LINES - 1];
        let kept: String = last.chars().take(LABEL_LINE_CHARS - 1).collect();
        *last = format!("{kept}…");
    }
    lines
}
