//! Make the test and run binaries load the same libpython they were linked
//! against. `cargo test` and `cargo run` put every library folder a build
//! script names *inside the target directory* on the loader's search path, so
//! a folder of links to the configured libpython there is found first. Without
//! it, a Python from pyenv, asdf or a custom prefix fails to load at all
//! ("libpython3.x.so: cannot open shared object file"), or a system libpython
//! of the same version is picked up instead.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
    let config = pyo3_build_config::get();
    let Some(lib_dir) = config.lib_dir().map(PathBuf::from) else { return };
    println!("cargo:libdir={}", lib_dir.display());
    if !config.shared() {
        println!(
            "cargo::warning=This Python has no shared libpython; the harness needs one to embed it. \
             See the README's requirements."
        );
        return;
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("libpython");
    let _ = std::fs::remove_dir_all(&out);
    if std::fs::create_dir_all(&out).is_err() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(&lib_dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text.starts_with("libpython") && (text.contains(".so") || text.ends_with(".dylib")) {
            link(&entry.path(), &out.join(&name));
        }
    }
    println!("cargo:rustc-link-search=native={}", out.display());
}

#[cfg(unix)]
fn link(from: &std::path::Path, to: &std::path::Path) {
    let _ = std::os::unix::fs::symlink(from, to);
}

#[cfg(not(unix))]
fn link(from: &std::path::Path, to: &std::path::Path) {
    let _ = std::fs::copy(from, to);
}
