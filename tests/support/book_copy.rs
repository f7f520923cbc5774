//! A copy of the repository's book for tests that change it or build it
//! elsewhere (`tests/book.rs`, `tests/book_build.rs` include this file).

use std::path::Path;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A copy of the repository's book in a temporary folder that `lab` takes
/// for the workshop (it holds `exercises/` and `crates/`): book.toml, book/
/// without its build folder, and the exercises' SAM templates, which the
/// deploying chapter includes.
pub(crate) fn book_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exercises")).unwrap();
    std::fs::create_dir(dir.path().join("crates")).unwrap();
    std::fs::copy(Path::new(REPO).join("book.toml"), dir.path().join("book.toml")).unwrap();
    copy_tree(&Path::new(REPO).join("book"), &dir.path().join("book"), true);
    for entry in std::fs::read_dir(Path::new(REPO).join("exercises")).unwrap().flatten() {
        let template = entry.path().join("template.yaml");
        if template.is_file() {
            let folder = dir.path().join("exercises").join(entry.file_name());
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::copy(&template, folder.join("template.yaml")).unwrap();
        }
    }
    dir
}

/// `from` copied into `to`, leaving out the top folder's `build/`.
fn copy_tree(from: &Path, to: &Path, top: bool) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if top && entry.file_name() == "build" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()), false);
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}
