//! Spelling of everything a reader sees (the book, the README, the exercises
//! and the messages in the code), checked with codespell, whose word list
//! holds common misspellings rather than a dictionary, so it does not flag
//! the technical terms a book like this is full of. Words it gets wrong are
//! listed in .codespellrc with the reason.
//!
//! codespell comes from PyPI (`pip install codespell`). CI installs it; on a
//! machine without it the test says so and passes, unless CI is set, so the
//! README's `cargo test` still works on a fresh machine with Rust and Python.

use std::path::Path;
use std::process::Command;

#[test]
fn the_book_and_the_code_are_spelled_right() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = match Command::new("codespell").current_dir(root).args(["--config", ".codespellrc", "."]).output() {
        Ok(output) => output,
        Err(error) => {
            assert!(std::env::var_os("CI").is_none(), "codespell is not installed in CI: {error}");
            eprintln!("note: spelling not checked, codespell is not installed (pip install codespell)");
            return;
        }
    };
    let found = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "codespell found misspellings (a false alarm goes in .codespellrc's ignore-words-list, with why):\n{found}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
