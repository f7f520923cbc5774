//! The book's code and links stay true as the code changes: every Python
//! block compiles, every JSON block parses, and every relative link between
//! pages points at a page that exists.

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

/// Fenced blocks of `language` in a page: (line of the fence, code).
fn blocks(text: &str, language: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut current: Option<(usize, String, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut current {
            None => {
                let ticks = trimmed.chars().take_while(|c| *c == '`').count();
                if ticks >= 3 && trimmed[ticks..].trim() == language {
                    current = Some((index + 1, String::new(), line.len() - trimmed.len()));
                }
            }
            Some((start, code, indent)) => {
                if trimmed.starts_with("```") && trimmed.trim_matches('`').is_empty() {
                    found.push((*start, std::mem::take(code)));
                    current = None;
                } else {
                    let line = if line.len() >= *indent && line[..*indent].trim().is_empty() { &line[*indent..] } else { line };
                    code.push_str(line);
                    code.push('\n');
                }
            }
        }
    }
    found
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
    assert!(all.len() > 20, "the book should hold many Python blocks; found {}", all.len());
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
                failures.push(format!("{} links to {target}, which does not exist", page.strip_prefix(root()).unwrap().display()));
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
}
