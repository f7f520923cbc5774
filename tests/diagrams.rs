//! The book's state machine diagrams (book/chaining/diagrams/) are drawn by
//! `cargo lab states graph` from the machines they show; editing a machine,
//! or the drawing, without drawing the diagram again fails here, with the
//! command that draws it. Each diagram is inlined by the page that shows it
//! (`{{#include diagrams/NAME.svg}}`), so its lines and text take the page's
//! colours in every theme.

use assert_cmd::Command;

/// Each diagram: its file under book/chaining/diagrams/, the page that shows
/// it, and the arguments of `cargo lab states graph` that draw it.
const DIAGRAMS: [(&str, &str, &[&str]); 4] = [
    ("17-a-chain.svg", "chain.md", &["exercises/17-a-chain/machine.json"]),
    ("18-retries-and-fallbacks.svg", "retries-and-fallbacks.md", &["exercises/18-retries-and-fallbacks/machine.json"]),
    ("19-branching-and-fan-out.svg", "branching-and-fan-out.md", &["exercises/19-branching-and-fan-out/machine.json"]),
    (
        "chain-failed.svg",
        "index.md",
        &[
            "tests/fixtures/states/chain.json",
            "--input",
            "tests/fixtures/states/bad-input.json",
            "--function",
            "functionA=tests/fixtures/states/functions.py:function_a",
            "--function",
            "functionB=tests/fixtures/states/functions.py:function_b",
        ],
    ),
];

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn every_diagram_is_current_with_its_machine() {
    let mut stale = Vec::new();
    for (file, _, args) in DIAGRAMS {
        let path = format!("book/chaining/diagrams/{file}");
        let output = Command::cargo_bin("lab")
            .unwrap()
            .current_dir(ROOT)
            .arg("states")
            .arg("graph")
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{path}: {}", String::from_utf8_lossy(&output.stderr));
        let committed = std::fs::read(format!("{ROOT}/{path}")).unwrap_or_default();
        if committed != output.stdout {
            stale.push(format!("cargo lab states graph {} -o {path}", args.join(" ")));
        }
    }
    assert!(stale.is_empty(), "diagrams out of date; draw them again with:\n{}", stale.join("\n"));
}

#[test]
fn every_diagram_is_inlined_by_its_page_and_no_other_is_left_over() {
    for (file, page, _) in DIAGRAMS {
        let text = std::fs::read_to_string(format!("{ROOT}/book/chaining/{page}")).unwrap();
        // Inlined, not an <img>: only an inlined SVG takes the page's colours.
        assert!(
            text.contains(&format!("{{{{#include diagrams/{file}}}}}")),
            "book/chaining/{page} does not include {file}"
        );
    }
    for entry in std::fs::read_dir(format!("{ROOT}/book/chaining/diagrams")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(DIAGRAMS.iter().any(|(file, ..)| *file == name), "book/chaining/diagrams/{name} is drawn by no test");
    }
}
