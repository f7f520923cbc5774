//! Helpers for the harness's tests: handler files written to fresh folders.
#![allow(dead_code)]

use harness::{Function, FunctionConfig};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A new empty folder under the system's temp dir.
pub(crate) fn fresh_dir() -> PathBuf {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("harness-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Write `files` (name, source) into a fresh folder and return it.
pub(crate) fn task_root(files: &[(&str, &str)]) -> PathBuf {
    let dir = fresh_dir();
    for (name, source) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, source).unwrap();
    }
    dir
}

/// A function for `app.py` holding `source`, with handler string `app.<function>`.
pub(crate) fn function(source: &str, function: &str) -> Function {
    configured(source, function, |_| {})
}

pub(crate) fn configured(source: &str, function: &str, adjust: impl FnOnce(&mut FunctionConfig)) -> Function {
    let root = task_root(&[("app.py", source)]);
    let mut config = FunctionConfig::new(root, format!("app.{function}"));
    adjust(&mut config);
    Function::new(config).unwrap()
}
