//! The book's code and links stay true as the code changes: every Python
//! block compiles, every JSON block parses, every relative link between
//! pages points at a page that exists, every whole state machine shown is
//! one Step Functions accepts, and every runnable example gives the output
//! the page shows for it.
//!
//! A runnable machine is a block marked `json,machine`. The runner executes
//! it with the input in the `json,input` block between it and its trace, or
//! else the nearest one before it, over the functions its Tasks name, each
//! defined (`def NAME(event, context)`) in a Python block of the same page
//! or, failing that, of another page of the same chapter. Every line of the
//! next `text` block must appear, in order, in the runner's trace, with the
//! time column left out (function durations move it), ids written as `<id>`,
//! and `...` in a shown line standing for any text the page shortened.
//!
//! A runnable example is a handler in a block marked `python,invoke`. The
//! harness invokes its `lambda_handler` with the event in a `json,event`
//! block between it and its output, or else the nearest one before it (or
//! `{}`), and what comes back (the
//! response, or the error payload) must equal the next `json` block after
//! it, apart from the request id, which differs on every run, and the
//! folder in stack traces, which the page writes as Lambda's /var/task.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "build" && n != "theme") {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("book"), &mut found);
    found.sort();
    found
}

/// A fenced block: the line of its opening fence, its info string
/// (`python`, `python,invoke`), and its code.
#[derive(Debug, PartialEq)]
struct Block {
    line: usize,
    info: String,
    code: String,
}

impl Block {
    /// The language: the info string up to its first comma.
    fn language(&self) -> &str {
        self.info.split(',').next().unwrap_or_default()
    }
}

/// Every fenced block of a page, in order (fences of three or more
/// backticks, indented or not). An admonish callout is a container, not a
/// block: the blocks inside it (a hint's Python, say) are found too. As in
/// CommonMark, a block ends at a fence of at least as many backticks as
/// opened it, so a ```` fence can hold ``` lines.
fn fenced_blocks(text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut callouts: Vec<usize> = Vec::new();
    let mut current: Option<(Block, usize, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        let only_ticks = ticks >= 3 && trimmed.trim_end().len() == ticks;
        match &mut current {
            None if ticks >= 3 => {
                let info = trimmed[ticks..].trim().to_string();
                if info.starts_with("admonish") {
                    callouts.push(ticks);
                } else if only_ticks && callouts.last() == Some(&ticks) {
                    callouts.pop();
                } else {
                    current =
                        Some((Block { line: index + 1, info, code: String::new() }, ticks, line.len() - trimmed.len()));
                }
            }
            None => {}
            Some((block, opened, indent)) => {
                if only_ticks && ticks >= *opened {
                    found.push(std::mem::replace(block, Block { line: 0, info: String::new(), code: String::new() }));
                    current = None;
                } else {
                    let line = if line.len() >= *indent && line[..*indent].trim().is_empty() {
                        &line[*indent..]
                    } else {
                        line
                    };
                    block.code.push_str(line);
                    block.code.push('\n');
                }
            }
        }
    }
    found
}

/// Fenced blocks of `language` in a page: (line of the fence, code).
fn blocks(text: &str, language: &str) -> Vec<(usize, String)> {
    fenced_blocks(text).into_iter().filter(|b| b.language() == language).map(|b| (b.line, b.code)).collect()
}

#[test]
fn every_python_block_compiles() {
    // All blocks go to one Python process, which compiles each and names
    // the ones that fail.
    let mut all = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(root()).unwrap().display().to_string();
        for (line, code) in blocks(&text, "python") {
            all.push(serde_json::json!({"where": format!("{name}:{line}"), "code": code}));
        }
    }
    // Over a hundred, counting the ones inside hints: fewer means the reader
    // lost some.
    assert!(all.len() >= 100, "the book should hold over a hundred Python blocks; found {}", all.len());
    let script = "import json, sys\nfor block in json.load(sys.stdin):\n    try:\n        compile(block['code'], block['where'], 'exec')\n    except SyntaxError as error:\n        print(block['where'] + ': ' + str(error))\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(serde_json::Value::Array(all).to_string().as_bytes())?;
            child.wait_with_output()
        })
        .expect("python3 runs");
    let failures = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && failures.trim().is_empty(), "Python blocks that do not compile:\n{failures}");
}

#[test]
fn every_json_block_parses() {
    let mut failures = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (line, code) in blocks(&text, "json") {
            if let Err(error) = serde_json::from_str::<serde_json::Value>(&code) {
                failures.push(format!("{}:{line}: {error}", page.strip_prefix(root()).unwrap().display()));
            }
        }
    }
    assert!(failures.is_empty(), "JSON blocks that do not parse:\n{}", failures.join("\n"));
}

#[test]
fn every_state_machine_in_the_book_is_one_step_functions_accepts() {
    // A whole machine (a JSON block with StartAt and States) must pass the
    // runner's validation, which reports what the service reports: a typo in
    // a field or a JSONata expression on a page is a machine AWS would refuse.
    let mut machines = 0;
    let mut failures = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (line, code) in blocks(&text, "json") {
            let Ok(definition) = serde_json::from_str::<serde_json::Value>(&code) else { continue };
            if definition.get("StartAt").is_none() || definition.get("States").is_none() {
                continue;
            }
            machines += 1;
            for problem in step_functions::validate::validate(&definition) {
                failures.push(format!("{}:{line}: {problem:?}", page.strip_prefix(root()).unwrap().display()));
            }
        }
    }
    assert!(machines >= 8, "the chaining chapter should show whole machines; found {machines}");
    assert!(failures.is_empty(), "machines in the book that Step Functions would refuse:\n{}", failures.join("\n"));
}

#[test]
fn every_runnable_machine_gives_the_trace_shown_after_it() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(root()).unwrap().display().to_string();
        let found = fenced_blocks(&text);
        let mut input = None;
        for (index, block) in found.iter().enumerate() {
            if block.info == "json,input" {
                input = serde_json::from_str::<serde_json::Value>(&block.code).ok();
                continue;
            }
            if block.info != "json,machine" {
                continue;
            }
            runs += 1;
            let at = format!("{name}:{}", block.line);
            let after = &found[index + 1..];
            let trace_at = after.iter().position(|b| b.info == "text");
            if let Some(given) = after[..trace_at.unwrap_or(0)].iter().find(|b| b.info == "json,input") {
                input = serde_json::from_str(&given.code).ok();
            }
            let Some(shown) = trace_at.map(|i| &after[i]) else {
                failures.push(format!("{at}: a runnable machine needs a ```text block after it showing its trace"));
                continue;
            };
            let Some(input) = input.clone() else {
                failures.push(format!("{at}: a runnable machine needs a ```json,input block before or after it"));
                continue;
            };
            match run_machine(&page, &block.code, &input) {
                Ok(trace) => {
                    if let Some(missing) = first_line_not_in(&shown.code, &trace) {
                        failures.push(format!(
                            "{at}: the trace on the page (line {}) shows\n  {missing}\nwhich the runner's trace does not have (in that order):\n{}",
                            shown.line,
                            trace.join("\n")
                        ));
                    }
                }
                Err(error) => failures.push(format!("{at}: {error}")),
            }
        }
    }
    assert!(runs >= 5, "the chaining chapter should hold runnable machines (```json,machine); found {runs}");
    assert!(failures.is_empty(), "Runnable machines whose trace differs from the page:\n{}", failures.join("\n\n"));
}

/// A trace line as the comparison sees it: no time column, ids as `<id>`.
fn comparable(line: &str) -> String {
    use regex_lite::Regex;
    use std::sync::LazyLock;
    // Compiled once, not for every line of every trace.
    static TIME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\d+\.\d{3}s\s").unwrap());
    static UUID: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap());
    static REQUEST: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"Request ID: [A-Za-z0-9-]+").unwrap());
    let line = TIME.replace(line, "");
    let line = UUID.replace_all(&line, "<id>");
    REQUEST.replace_all(&line, "Request ID: <id>").trim().to_string()
}

/// The first line of `shown` (not blank) that does not match a line of
/// `trace` after the one the previous shown line matched.
fn first_line_not_in(shown: &str, trace: &[String]) -> Option<String> {
    let trace: Vec<String> = trace.iter().map(|line| comparable(line)).collect();
    let mut from = 0;
    for line in shown.lines().filter(|line| !line.trim().is_empty()) {
        let wanted = comparable(line);
        let parts: Vec<&str> = wanted.split("...").collect();
        let matches = |candidate: &String| {
            let mut rest = candidate.as_str();
            parts.iter().enumerate().all(|(i, part)| match rest.find(part) {
                Some(0) => {
                    rest = &rest[part.len()..];
                    true
                }
                Some(at) if i > 0 => {
                    rest = &rest[at + part.len()..];
                    true
                }
                _ => false,
            }) && (parts.len() > 1 || rest.is_empty())
        };
        match trace[from..].iter().position(matches) {
            Some(at) => from += at + 1,
            None => return Some(line.trim().to_string()),
        }
    }
    None
}

/// Run a machine from `page` over the functions its Tasks name, and return
/// the runner's trace.
fn run_machine(page: &Path, code: &str, input: &serde_json::Value) -> Result<Vec<String>, String> {
    let machine: serde_json::Value = serde_json::from_str(code).map_err(|e| format!("the machine is not JSON: {e}"))?;
    let mut names = Vec::new();
    collect_function_names(&machine, &mut names);
    let folder = std::env::temp_dir().join(format!("lab-book-machine-{}-{}", std::process::id(), names.join("-")));
    std::fs::create_dir_all(&folder).unwrap();
    let mut functions = std::collections::HashMap::new();
    for name in names {
        let source = function_source(page, &name).ok_or_else(|| {
            format!("its Task calls {name}, and no Python block of this page or chapter defines def {name}(")
        })?;
        std::fs::write(folder.join(format!("book_{name}.py")), source).unwrap();
        let mut config = harness::FunctionConfig::new(&folder, format!("book_{name}.{name}"));
        config.function_name = name.clone();
        functions.insert(name, harness::Function::new(config).map_err(|e| format!("{e:?}"))?);
    }
    let options = step_functions::runner::Options::default();
    let execution = step_functions::runner::execute(&machine, input, &functions, &options)
        .map_err(|problems| format!("the runner refuses the machine: {problems:?}"))?;
    let _ = std::fs::remove_dir_all(&folder);
    Ok(step_functions::trace::lines(&execution))
}

/// The function names of the machine's Lambda Tasks (`...:function:NAME`).
fn collect_function_names(value: &serde_json::Value, names: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(object) => {
            if let Some(resource) = object.get("Resource").and_then(|r| r.as_str()) {
                if let Some((_, name)) = resource.split_once(":function:") {
                    let name = name.split(':').next().unwrap_or(name).to_string();
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
            object.values().for_each(|v| collect_function_names(v, names));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_function_names(v, names)),
        _ => {}
    }
}

/// The Python block defining `def NAME(` at its top level: on `page`, else
/// on another page of its chapter (in name order).
fn function_source(page: &Path, name: &str) -> Option<String> {
    let defines = format!("\ndef {name}(");
    let on = |path: &Path| -> Option<String> {
        let text = std::fs::read_to_string(path).ok()?;
        blocks(&text, "python").into_iter().map(|(_, code)| code).find(|code| format!("\n{code}").contains(&defines))
    };
    on(page).or_else(|| {
        let chapter = page.parent()?;
        pages()
            .into_iter()
            .filter(|other| other.parent() == Some(chapter) && other != page)
            .find_map(|other| on(&other))
    })
}

#[test]
fn the_trace_comparison_skips_times_and_lets_dots_stand_for_text() {
    let trace = vec![
        "  0.002s      λ call fn  payload: {\"a\":1}".to_string(),
        "  3.004s      ✗ Busy: {\"errorMessage\": \"no\", \"errorType\": \"Busy\"}".to_string(),
        "  3.005s  Execution SUCCEEDED  output: {\"id\":\"e459c70e-7aa2-4056-bfe9-b1baf453ffdc\"}".to_string(),
    ];
    assert_eq!(first_line_not_in("  0.001s      λ call fn  payload: {\"a\":1}\n", &trace), None);
    assert_eq!(first_line_not_in("  9.900s  ✗ Busy: {\"errorMessage\": \"no\", ...}\n", &trace), None);
    assert_eq!(
        first_line_not_in("Execution SUCCEEDED  output: {\"id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}", &trace),
        None
    );
    assert!(first_line_not_in("✗ Busy: {\"errorMessage\": \"yes\", ...}", &trace).is_some());
    assert!(first_line_not_in("λ call fn  payload: {\"a\":2}", &trace).is_some());
    // In order: a line the trace has only before the previous match fails.
    let swapped = "✗ Busy: ...\nλ call fn  payload: {\"a\":1}";
    assert_eq!(first_line_not_in(swapped, &trace).as_deref(), Some("λ call fn  payload: {\"a\":1}"));
}

#[test]
fn every_link_between_pages_resolves() {
    let mut failures = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let Some(end) = rest.find(')') else { break };
            let target = &rest[..end];
            let path = target.split('#').next().unwrap_or_default();
            let external = target.contains("://") || target.starts_with("mailto:") || path.is_empty();
            if !external && path.ends_with(".md") && !page.parent().unwrap().join(path).is_file() {
                failures.push(format!(
                    "{} links to {target}, which does not exist",
                    page.strip_prefix(root()).unwrap().display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "Broken links:\n{}", failures.join("\n"));
}

#[test]
fn the_block_reader_finds_fenced_and_indented_blocks() {
    let page = "text\n```python\nx = 1\n```\n  ```json\n  {\"a\": 1}\n  ```\n````python\ny = 2\n````\n";
    assert_eq!(blocks(page, "python"), [(2, "x = 1\n".to_string()), (8, "y = 2\n".to_string())]);
    assert_eq!(blocks(page, "json"), [(5, "{\"a\": 1}\n".to_string())]);
    let hint =
        "````admonish hint title=\"t\" collapsible=true\ntext\n\n```python\nz = 3\n```\n````\n```json\n[]\n```\n";
    assert_eq!(blocks(hint, "python"), [(4, "z = 3\n".to_string())]);
    assert_eq!(blocks(hint, "json"), [(8, "[]\n".to_string())]);
    let marked = fenced_blocks("```python,invoke\nx = 1\n```\n");
    assert_eq!(marked[0].info, "python,invoke");
    assert_eq!(marked[0].language(), "python");
}

#[test]
fn every_runnable_example_gives_the_output_shown_after_it() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let name = page.strip_prefix(root()).unwrap().display().to_string();
        let found = fenced_blocks(&text);
        let mut event = serde_json::json!({});
        // Events already given to the handler before them.
        let mut used = Vec::new();
        for (index, block) in found.iter().enumerate() {
            if block.info == "json,event" && !used.contains(&block.line) {
                event = match serde_json::from_str(&block.code) {
                    Ok(value) => value,
                    Err(error) => {
                        failures.push(format!("{name}:{}: the event is not JSON: {error}", block.line));
                        continue;
                    }
                };
                continue;
            }
            if block.info != "python,invoke" {
                continue;
            }
            runs += 1;
            let at = format!("{name}:{}", block.line);
            // The event may also come between the handler and its output.
            let after = &found[index + 1..];
            let output_at = after.iter().position(|b| b.info == "json");
            if let Some(given) = after[..output_at.unwrap_or(0)].iter().find(|b| b.info == "json,event") {
                used.push(given.line);
                match serde_json::from_str(&given.code) {
                    Ok(value) => event = value,
                    Err(error) => {
                        failures.push(format!("{name}:{}: the event is not JSON: {error}", given.line));
                        continue;
                    }
                }
            }
            let Some(shown) = output_at.map(|i| &after[i]) else {
                failures.push(format!("{at}: a runnable example needs a ```json block after it showing its output"));
                continue;
            };
            let expected: serde_json::Value = match serde_json::from_str(&shown.code) {
                Ok(value) => value,
                Err(error) => {
                    failures.push(format!("{name}:{}: the shown output is not JSON: {error}", shown.line));
                    continue;
                }
            };
            match run_example(&block.code, &event) {
                Ok(actual) if without_request_id(&actual) == without_request_id(&expected) => {}
                Ok(actual) => failures.push(format!(
                    "{at}: the page shows (line {}):\n{}\nbut the handler gives:\n{}",
                    shown.line,
                    serde_json::to_string_pretty(&expected).unwrap(),
                    serde_json::to_string_pretty(&actual).unwrap()
                )),
                Err(error) => failures.push(format!("{at}: {error}")),
            }
            event = serde_json::json!({});
        }
    }
    assert!(runs >= 5, "the book should hold runnable examples (```python,invoke); found {runs}");
    assert!(failures.is_empty(), "Runnable examples whose output differs from the page:\n{}", failures.join("\n\n"));
}

/// Invoke `code` as handler.py in a fresh folder; the response, or the
/// error payload with the folder written as /var/task.
fn run_example(code: &str, event: &serde_json::Value) -> Result<serde_json::Value, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let handler = dir.path().join("handler.py");
    std::fs::write(&handler, code).map_err(|e| e.to_string())?;
    let function = harness::Function::from_file(&handler).map_err(|e| e.to_string())?;
    let invocation = function.invoke(event);
    if let Some(result) = invocation.result() {
        return Ok(result);
    }
    let error = invocation.error().ok_or("the invocation neither returned nor failed")?;
    let folder = dir.path().to_string_lossy().into_owned();
    let text = serde_json::to_string(&error.payload).unwrap().replace(&folder, "/var/task");
    Ok(serde_json::from_str(&text).unwrap())
}

fn without_request_id(value: &serde_json::Value) -> serde_json::Value {
    let mut value = value.clone();
    if let Some(object) = value.as_object_mut() {
        object.remove("requestId");
    }
    value
}
