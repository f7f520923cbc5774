//! Pyodide, the Python compiled to WebAssembly that runs the book's examples
//! in the reader's browser: the release pinned in
//! `tools/pyodide/package-lock.json` (the npm package `pyodide`, its version
//! and sha512), fetched once into `.lab/pyodide/VERSION/` and served with the
//! book from there, so a page never loads Python from a third party and the
//! workshop runs it offline after the first fetch.
//!
//! The tarball is downloaded from the npm registry (or taken from
//! `LAB_PYODIDE_TARBALL`, a file, for a classroom without network), checked
//! against the lock's sha512 before anything is unpacked, and only the files
//! a page needs are kept. Python's standard library does the download, the
//! hash and the unpacking: the workshop already needs Python, and an HTTP and
//! TLS stack in Rust would add a minute to every learner's first build for
//! one download.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The pin, relative to the workspace root.
pub(crate) const LOCK_FILE: &str = "tools/pyodide/package-lock.json";
/// Where fetched releases live, relative to the workspace root.
const CACHE_DIR: &str = ".lab/pyodide";
/// The files of the package a page loads (the rest are types, source maps,
/// a demo console and Node's entry point).
pub(crate) const FILES: &[&str] =
    &["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", "package.json"];
/// Written last: a folder without it is an interrupted fetch.
const COMPLETE: &str = ".complete";

/// The pinned release: its version and the lock's integrity string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pin {
    pub(crate) version: String,
    pub(crate) integrity: String,
}

impl Pin {
    pub(crate) fn read(root: &Path) -> Result<Pin, String> {
        let path = root.join(LOCK_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {LOCK_FILE}: {e}"))?;
        let lock: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{LOCK_FILE} is not valid JSON: {e}"))?;
        let package = &lock["packages"]["node_modules/pyodide"];
        let field = |name: &str| {
            package[name].as_str().map(str::to_string).ok_or_else(|| format!("{LOCK_FILE} has no pyodide {name}"))
        };
        Ok(Pin { version: field("version")?, integrity: field("integrity")? })
    }

    /// The tarball's address on the npm registry.
    pub(crate) fn tarball_url(&self) -> String {
        format!("https://registry.npmjs.org/pyodide/-/pyodide-{}.tgz", self.version)
    }

    /// The tarball's file name, as `npm pack` names it.
    pub(crate) fn tarball_name(&self) -> String {
        format!("pyodide-{}.tgz", self.version)
    }
}

/// The folder holding the pinned release's files, when it has been fetched.
pub(crate) fn ready(root: &Path) -> Option<PathBuf> {
    let pin = Pin::read(root).ok()?;
    let dir = root.join(CACHE_DIR).join(&pin.version);
    dir.join(COMPLETE).is_file().then_some(dir)
}

/// The pinned release's folder, fetching it first if needed; `step` hears
/// of each step (and of the download's progress) as a line to show.
pub(crate) fn ensure(root: &Path, step: &mut dyn FnMut(&str)) -> Result<PathBuf, String> {
    ensure_from(root, None, step)
}

/// [`ensure`], taking the tarball from a file when one is given (`cargo lab
/// setup --from DIR`), else from `LAB_PYODIDE_TARBALL`, else the registry.
pub(crate) fn ensure_from(root: &Path, tarball: Option<&Path>, step: &mut dyn FnMut(&str)) -> Result<PathBuf, String> {
    if let Some(dir) = ready(root) {
        return Ok(dir);
    }
    let pin = Pin::read(root)?;
    let dir = root.join(CACHE_DIR).join(&pin.version);
    let source = tarball
        .map(|file| file.as_os_str().to_os_string())
        .or_else(|| std::env::var_os("LAB_PYODIDE_TARBALL"))
        .map(|file| file.to_string_lossy().into_owned())
        .unwrap_or_else(|| pin.tarball_url());
    step(&format!("fetching Pyodide {} for the book's Run buttons (6.5 MB, once): {source}", pin.version));
    fetch(&source, &pin.integrity, &dir, step)?;
    Ok(dir)
}

/// Save the pinned tarball, checked, into `folder` (for `cargo lab setup
/// --download`); `LAB_PYODIDE_TARBALL` pointing at it then fetches offline.
pub(crate) fn download_tarball(root: &Path, folder: &Path, step: &mut dyn FnMut(&str)) -> Result<PathBuf, String> {
    let pin = Pin::read(root)?;
    let file = folder.join(pin.tarball_name());
    step(&format!("downloading Pyodide {} into {}", pin.version, file.display()));
    run_fetcher(&["save", &pin.tarball_url(), &pin.integrity, &file.to_string_lossy()], step)?;
    Ok(file)
}

fn fetch(source: &str, integrity: &str, dir: &Path, step: &mut dyn FnMut(&str)) -> Result<(), String> {
    let parent = dir.parent().expect("the cache folder has a parent");
    std::fs::create_dir_all(parent).map_err(|e| format!("cannot make {}: {e}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".fetching-")
        .tempdir_in(parent)
        .map_err(|e| format!("cannot make a folder in {}: {e}", parent.display()))?;
    let mut args = vec!["unpack", source, integrity, staging.path().to_str().ok_or("the cache path is not UTF-8")?];
    args.extend(FILES);
    run_fetcher(&args, step)?;
    std::fs::write(staging.path().join(COMPLETE), b"").map_err(|e| e.to_string())?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot replace {}: {e}", dir.display()))?;
    }
    let kept = staging.keep();
    std::fs::rename(&kept, dir).map_err(|e| format!("cannot move the fetched files to {}: {e}", dir.display()))
}

/// Run the fetcher (Python's standard library, below) and pass its progress
/// lines on; its last line on failure is the reason.
fn run_fetcher(args: &[&str], step: &mut dyn FnMut(&str)) -> Result<(), String> {
    use std::io::BufRead;
    let python = harness::python::executable().map_err(|e| e.to_string())?;
    let mut child = Command::new(&python)
        .arg("-c")
        .arg(FETCHER)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let stdout = child.stdout.take().expect("piped");
    for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
        step(&line);
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("it failed").trim().to_string();
    Err(format!("Pyodide could not be fetched: {reason}"))
}

/// The fetcher: `save URL INTEGRITY FILE`, or `unpack SOURCE INTEGRITY DIR
/// NAME...` where SOURCE is an address or a file. The whole tarball is read
/// and its hash checked before a byte of it is written out.
const FETCHER: &str = r#"
import base64, hashlib, io, os, sys, tarfile, time, urllib.request

def read(source):
    if "://" not in source:
        with open(source, "rb") as f:
            return f.read()
    with urllib.request.urlopen(source, timeout=30) as response:
        total = int(response.headers.get("Content-Length") or 0)
        chunks, got, shown = [], 0, 0.0
        while True:
            chunk = response.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if time.monotonic() - shown > 1 or got == total:
                shown = time.monotonic()
                print("  %.1f of %.1f MB" % (got / 1e6, total / 1e6), flush=True)
        return b"".join(chunks)

def check(data, integrity):
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        sys.exit("the download's %s is %s, not %s as tools/pyodide/package-lock.json pins it: "
                 "a broken download, or another release than the pinned one" % (algorithm, digest, expected))

mode, source, integrity, target = sys.argv[1:5]
try:
    data = read(source)
except OSError as error:
    sys.exit("%s: %s" % (source, error))
check(data, integrity)
if mode == "save":
    with open(target, "wb") as f:
        f.write(data)
    sys.exit(0)
with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
    for name in sys.argv[5:]:
        member = archive.getmember("package/" + name)
        with archive.extractfile(member) as f, open(os.path.join(target, name), "wb") as out:
            out.write(f.read())
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_is_read_from_the_lock() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let pin = Pin::read(root).unwrap();
        assert!(pin.integrity.starts_with("sha512-"), "{pin:?}");
        assert_eq!(pin.tarball_url(), format!("https://registry.npmjs.org/pyodide/-/pyodide-{}.tgz", pin.version));
    }
}
