//! Deployment packages: a function run from a .zip, as Lambda runs it.
//!
//! Lambda takes a Python function's code as a .zip file. When an execution
//! environment starts, the zip's contents are laid out in `/var/task`, that
//! folder goes first on `sys.path`, and the runtime imports the module that
//! the handler string names: `app.lambda_handler` is the function
//! `lambda_handler` in `/var/task/app.py`, and `src/app.lambda_handler` (or
//! `src.app.lambda_handler`) the one in `/var/task/src/app.py`.
//!
//! A [`Package`] does the same on this machine. [`Package::open`] first checks
//! the zip as CreateFunction and UpdateFunctionCode check an upload (a real
//! zip, within Lambda's size limits, no entry that would land outside the
//! folder), then unpacks it into a fresh temporary folder that stands for
//! `/var/task`; [`Package::config`] makes a [`FunctionConfig`] whose task root
//! is that folder. The folder is removed when the `Package` is dropped, so keep
//! the package alive as long as any function made from it.
//!
//! The zip is read with Python's own `zipfile`, in the interpreter the harness
//! embeds anyway, rather than with a zip crate or a reader written here:
//! unpacking means inflating deflate streams, which is a few hundred lines
//! of careful code to get right, while `zipfile` is already in every Python,
//! is what a learner's `package.py` writes with, and reads the same central
//! directory (names, sizes, Unix permissions) the checks below need.

/// The learner checks of the packaging exercise: build, size, layout, invoke.
pub mod check;

use harness::config::FunctionConfig;
use harness::python;
use harness::{ConfigError, Function};
use pyo3::prelude::*;
use pyo3::types::PyModule;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The handler string the Lambda console fills in for a new Python function:
/// the function `lambda_handler` in `lambda_function.py`.
pub const DEFAULT_HANDLER: &str = "lambda_function.lambda_handler";

/// The largest .zip Lambda takes in a direct upload (the console's upload
/// button, or `--zip-file` with the CLI), in bytes: 50 MB, counted in
/// mebibytes as Lambda counts them. The API sends the zip base64-encoded and
/// refuses a request of 69,905,067 bytes or more, which is this size × 4/3:
/// `RequestEntityTooLargeException`. Larger zips go through S3.
/// Source: "Lambda quotas", deployment package (.zip file archive) size.
pub const MAX_ZIPPED_BYTES: u64 = 50 * 1024 * 1024;

/// The most a function's code may unpack to, layers included: 250 MB, in
/// mebibytes. Lambda answers `InvalidParameterValueException: Unzipped size
/// must be smaller than 262144000 bytes`, so the limit itself is refused too.
/// Source: "Lambda quotas", the same row, and that error message.
pub const MAX_UNZIPPED_BYTES: u64 = 250 * 1024 * 1024;

/// The size limits a package is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The zip file may be at most this many bytes.
    pub zipped_bytes: u64,
    /// Its files must add up to fewer than this many bytes once unpacked.
    pub unzipped_bytes: u64,
}

impl Limits {
    /// Lambda's own, for a direct upload.
    pub const LAMBDA: Limits = Limits { zipped_bytes: MAX_ZIPPED_BYTES, unzipped_bytes: MAX_UNZIPPED_BYTES };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::LAMBDA
    }
}

/// One entry of the zip's central directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name inside the zip, with `/` between folders (`tinyslug/__init__.py`).
    pub name: String,
    /// Unpacked size in bytes.
    pub size: u64,
    /// Size inside the zip, in bytes.
    pub compressed_size: u64,
    /// A folder entry (`name` ends with `/`).
    pub is_dir: bool,
    /// The Unix permission bits, when the zip was made on a Unix system and
    /// records them (`0o644`); None otherwise.
    pub unix_mode: Option<u32>,
}

impl Entry {
    /// Whether Lambda, which runs the code as a user who does not own the
    /// files, could read this entry: files need read permission for everyone
    /// (644), folders read and search permission (755). Unknown modes pass.
    pub fn readable_by_lambda(&self) -> bool {
        let needed = if self.is_dir { 0o005 } else { 0o004 };
        self.unix_mode.is_none_or(|mode| mode & needed == needed)
    }
}

/// Why a zip cannot become a function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageError {
    /// There is no file at the path.
    Missing { path: PathBuf },
    /// The file is there but cannot be read.
    Unreadable { path: PathBuf, reason: String },
    /// The file is not a zip archive (or a damaged one).
    NotAZip { path: PathBuf, reason: Option<String> },
    /// The zip file is larger than a direct upload may be.
    TooLargeZipped { path: PathBuf, size: u64, limit: u64 },
    /// Its files add up to too much once unpacked.
    TooLargeUnzipped { path: PathBuf, size: u64, limit: u64 },
    /// An entry's name would put it outside the task root (`../x.py`, `/etc/x`).
    UnsafeEntry { path: PathBuf, entry: String },
    /// Python could not be used, or unpacking failed on this machine.
    Harness(String),
}

impl std::fmt::Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackageError::Missing { path } => write!(f, "no such deployment package: {}", path.display()),
            PackageError::Unreadable { path, reason } => write!(f, "cannot read {}: {reason}", path.display()),
            PackageError::NotAZip { path, reason } => write!(
                f,
                "{} is not a zip file{}. Lambda refuses it too (\"Could not unzip uploaded file. Please check \
                 your file, then try to upload again.\"): a deployment package is a .zip archive, made with \
                 `zip -r` or Python's zipfile, not a .tar.gz, a .7z or a renamed file",
                path.display(),
                reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
            ),
            PackageError::TooLargeZipped { path, size, limit } => write!(
                f,
                "{} is {size} bytes ({}), more than the {limit} bytes ({}) Lambda accepts in a direct upload \
                 (the console, or --zip-file): it answers RequestEntityTooLargeException. Upload the zip to S3 and \
                 create the function from there (--code S3Bucket=...,S3Key=...), and ship less: no tests, no \
                 __pycache__, no boto3 (the runtime has it)",
                path.display(),
                megabytes(*size),
                megabytes(*limit)
            ),
            PackageError::TooLargeUnzipped { path, size, limit } => write!(
                f,
                "{} unpacks to {size} bytes ({}), and Lambda refuses code that unpacks to {limit} bytes ({}) or \
                 more, layers included: \"Unzipped size must be smaller than {limit} bytes\". Leave out what the \
                 function does not use, or ship it as a container image (up to 10 GB)",
                path.display(),
                megabytes(*size),
                megabytes(*limit)
            ),
            PackageError::UnsafeEntry { path, entry } => write!(
                f,
                "{} holds the entry {entry:?}, which would be unpacked outside the function's folder (its name \
                 is absolute or climbs out with '..'). Name every file relative to the folder you zip: \
                 zipfile's arcname, or `cd folder && zip -r ../function.zip .`",
                path.display()
            ),
            PackageError::Harness(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for PackageError {}

/// A deployment package, checked and unpacked into a task root of its own.
pub struct Package {
    source: PathBuf,
    zipped_bytes: u64,
    entries: Vec<Entry>,
    folder: TempFolder,
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("source", &self.source)
            .field("task_root", &self.folder.task_root)
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Package {
    /// Check the zip at `path` against Lambda's limits and unpack it.
    pub fn open(path: impl AsRef<Path>) -> Result<Package, PackageError> {
        Package::open_with_limits(path, Limits::LAMBDA)
    }

    /// Check the zip at `path` against `limits` and unpack it.
    pub fn open_with_limits(path: impl AsRef<Path>, limits: Limits) -> Result<Package, PackageError> {
        let source = path.as_ref().to_path_buf();
        let metadata = std::fs::metadata(&source).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => PackageError::Missing { path: source.clone() },
            _ => PackageError::Unreadable { path: source.clone(), reason: error.to_string() },
        })?;
        if metadata.is_dir() {
            return Err(PackageError::NotAZip { path: source, reason: Some("it is a folder".into()) });
        }
        // Lambda looks at the size of the upload before it looks inside it.
        let zipped_bytes = metadata.len();
        if zipped_bytes > limits.zipped_bytes {
            return Err(PackageError::TooLargeZipped { path: source, size: zipped_bytes, limit: limits.zipped_bytes });
        }
        let described = zip_call(|_, helper| {
            let (status, detail): (String, Bound<'_, PyAny>) =
                helper.call_method1("describe", (source.to_string_lossy().into_owned(),))?.extract()?;
            Ok(match status.as_str() {
                "ok" => Ok(detail.extract::<Vec<(String, u64, u64, bool, i64)>>()?),
                "unreadable" => Err(PackageError::Unreadable { path: source.clone(), reason: detail.extract()? }),
                _ => Err(PackageError::NotAZip { path: source.clone(), reason: detail.extract()? }),
            })
        })?;
        let entries: Vec<Entry> = described?
            .into_iter()
            .map(|(name, size, compressed_size, is_dir, mode)| Entry {
                name,
                size,
                compressed_size,
                is_dir,
                unix_mode: u32::try_from(mode).ok(),
            })
            .collect();
        if let Some(entry) = entries.iter().find(|e| !is_safe_name(&e.name)) {
            return Err(PackageError::UnsafeEntry { path: source, entry: entry.name.clone() });
        }
        let unzipped: u64 = entries.iter().map(|e| e.size).sum();
        if unzipped >= limits.unzipped_bytes {
            return Err(PackageError::TooLargeUnzipped { path: source, size: unzipped, limit: limits.unzipped_bytes });
        }
        let folder = TempFolder::new().map_err(|e| PackageError::Harness(format!("cannot make a task root: {e}")))?;
        let task_root = folder.task_root.to_string_lossy().into_owned();
        zip_call(|_, helper| {
            helper.call_method1("unpack", (source.to_string_lossy().into_owned(), task_root))?;
            Ok(())
        })
        .map_err(|error| match error {
            PackageError::Harness(message) => {
                PackageError::Harness(format!("could not unpack {}: {message}", source.display()))
            }
            other => other,
        })?;
        Ok(Package { source, zipped_bytes, entries, folder })
    }

    /// The zip this package was read from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The folder the zip was unpacked into: this package's `/var/task`.
    pub fn task_root(&self) -> &Path {
        &self.folder.task_root
    }

    /// Every entry of the zip, in the zip's order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The names of the files (not folder entries), in the zip's order.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter(|e| !e.is_dir).map(|e| e.name.as_str())
    }

    /// Whether the zip holds a file with exactly this name.
    pub fn contains(&self, name: &str) -> bool {
        self.files().any(|file| file == name)
    }

    pub fn zipped_bytes(&self) -> u64 {
        self.zipped_bytes
    }

    pub fn unzipped_bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.size).sum()
    }

    /// A configuration for the function `handler` names inside this package
    /// (`app.lambda_handler`, `src/app.lambda_handler`), with Lambda's defaults.
    pub fn config(&self, handler: &str) -> FunctionConfig {
        FunctionConfig::new(self.task_root(), handler)
    }

    /// The function `handler` names, ready to invoke. The package must outlive it.
    pub fn function(&self, handler: &str) -> Result<Function, ConfigError> {
        Function::new(self.config(handler))
    }

    /// Where the zip holds the Python module `module` (`app`, `tinyslug`,
    /// `tinyslug._ascii`): the names of the files that would provide it if
    /// their folder were the task root, at the top or deeper. `app` found at
    /// `function/app.py` is the classic nested-folder mistake.
    pub fn locate_module(&self, module: &str) -> Vec<String> {
        let relative = module.replace('.', "/");
        let candidates = [format!("{relative}.py"), format!("{relative}/__init__.py")];
        self.files()
            .filter(|file| {
                candidates
                    .iter()
                    .any(|c| file == c || (file.ends_with(c.as_str()) && file[..file.len() - c.len()].ends_with('/')))
            })
            .map(str::to_string)
            .collect()
    }

    /// A plain-words note on an init error's message, using what is in the
    /// zip: for `No module named 'app'` with `function/app.py` in the zip, it
    /// says the file is in a folder and why that breaks the import. None when
    /// the message is not a missing module.
    pub fn explain_missing_module(&self, error_message: &str) -> Option<String> {
        let missing = missing_module(error_message)?;
        let found = self.locate_module(&missing);
        let file = format!("{}.py", missing.replace('.', "/"));
        Some(if let Some(place) = found.first() {
            format!(
                "The zip has {file}, but at {place}: Lambda unpacks the zip into /var/task and imports \
                 {missing} from /var/task itself, the top of the zip, so a module inside a folder is not \
                 found. Make its name in the zip {} (zip the folder's contents, not the folder).",
                found_name(&missing, place)
            )
        } else {
            format!(
                "Nothing in the zip provides the module {missing} ({file}, or a folder {}/ with an \
                 __init__.py). Lambda's Python has the standard library and boto3, nothing else: a \
                 dependency must be in the zip, at its top, beside your own modules.",
                missing.replace('.', "/")
            )
        })
    }

    /// When the module a handler string names is not in the zip at all, the
    /// modules at the top of the zip that define the handler's function: the
    /// handler setting (not the zip) is then what is wrong, as with the
    /// console's default `lambda_function.lambda_handler` for an `app.py`.
    pub fn suggest_handler(&self, handler: &str, error_message: &str) -> Option<String> {
        let (module, function) = handler.rsplit_once('.')?;
        let missing = missing_module(error_message)?;
        if module.contains('/') || missing != module || !self.locate_module(module).is_empty() {
            return None;
        }
        let definition = format!("def {function}(");
        let defining: Vec<&str> = self
            .files()
            .filter(|file| !file.contains('/') && file.ends_with(".py"))
            .filter(|file| {
                std::fs::read_to_string(self.task_root().join(file)).is_ok_and(|text| text.contains(&definition))
            })
            .collect();
        let first = defining.first()?.trim_end_matches(".py");
        Some(format!(
            "The handler string {handler} names a module {module} the zip does not have, but {} defines \
             {function}: try --handler-string {first}.{function} (on Lambda, the function's Handler setting).",
            defining.join(" and ")
        ))
    }

    /// Things about this package that Lambda would not refuse at upload but
    /// that break or bloat the function: files it cannot read, names written
    /// with backslashes, an empty zip, compiled modules built for macOS or
    /// Windows.
    pub fn warnings(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if self.files().next().is_none() {
            notes.push("the zip holds no files".to_string());
        }
        let unreadable: Vec<&str> =
            self.entries.iter().filter(|e| !e.readable_by_lambda()).map(|e| e.name.as_str()).collect();
        if !unreadable.is_empty() {
            notes.push(format!(
                "Lambda could not read {} (its permissions allow only their owner; Lambda needs 644 \
                 for files and 755 for folders): {}",
                plural(unreadable.len(), "entry", "entries"),
                shorten_list(&unreadable, 5)
            ));
        }
        let backslashed: Vec<&str> =
            self.entries.iter().filter(|e| e.name.contains('\\')).map(|e| e.name.as_str()).collect();
        if !backslashed.is_empty() {
            notes.push(format!(
                "{} with a backslash in the name, which Lambda takes as part of the file name, not as a \
                 folder: {}",
                plural(backslashed.len(), "entry", "entries"),
                shorten_list(&backslashed, 5)
            ));
        }
        let foreign: Vec<String> =
            self.files().filter_map(|file| foreign_system(file).map(|system| format!("{file} ({system})"))).collect();
        if !foreign.is_empty() {
            let names: Vec<&str> = foreign.iter().map(String::as_str).collect();
            notes.push(format!(
                "{} built for another operating system, which Lambda's Amazon Linux cannot load (the \
                 import fails with Runtime.ImportModuleError): {}. Install dependencies with pip's \
                 --platform manylinux2014_x86_64 --only-binary=:all: (manylinux2014_aarch64 for arm64)",
                plural(foreign.len(), "compiled module", "compiled modules"),
                shorten_list(&names, 5)
            ));
        }
        notes
    }

    /// The zip's layout, one entry a line with its unpacked size, after a
    /// line of totals, like:
    ///
    /// ```text
    /// build/function.zip: 4 files, 2.1 KB zipped, 4.5 KB unpacked
    ///   app.py                         312 B
    ///   tinyslug/__init__.py           1.2 KB
    /// ```
    pub fn listing(&self) -> String {
        self.listing_limited(usize::MAX)
    }

    /// One line: the zip, how many files, its size zipped and unpacked.
    pub fn summary(&self) -> String {
        format!(
            "{}: {}, {} zipped, {} unpacked",
            self.source.display(),
            plural(self.files().count(), "file", "files"),
            human_size(self.zipped_bytes),
            human_size(self.unzipped_bytes())
        )
    }

    /// The layout, showing at most `max_lines` entries and a count of the rest.
    pub fn listing_limited(&self, max_lines: usize) -> String {
        let mut text = format!("{}\n", self.summary());
        let width = self.entries.iter().map(|e| e.name.chars().count()).max().unwrap_or(0).min(60);
        for entry in self.entries.iter().take(max_lines) {
            if entry.is_dir {
                text.push_str(&format!("  {}\n", entry.name));
            } else {
                text.push_str(&format!("  {:<width$}  {}\n", entry.name, human_size(entry.size)));
            }
        }
        if self.entries.len() > max_lines {
            text.push_str(&format!("  ... and {} more\n", self.entries.len() - max_lines));
        }
        text
    }
}

/// Write a zip at `path` holding `files` (name in the zip, content), deflated,
/// each readable by everyone (644), the way a careful build script writes
/// one. For tests and tools; `..` and absolute names are written as given.
pub fn write_zip(path: impl AsRef<Path>, files: &[(&str, &[u8])]) -> Result<(), PackageError> {
    let path = path.as_ref().to_string_lossy().into_owned();
    let files: Vec<(String, Vec<u8>)> = files.iter().map(|(n, c)| (n.to_string(), c.to_vec())).collect();
    zip_call(|_, helper| {
        helper.call_method1("write_zip", (path, files))?;
        Ok(())
    })
}

/// `No module named 'tinyslug'` (in an ImportModuleError's message) → `tinyslug`.
pub fn missing_module(error_message: &str) -> Option<String> {
    let rest = error_message.split("No module named '").nth(1)?;
    let name = rest.split('\'').next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// For `app` found at `function/app.py`: `app.py`; for a package
/// `tinyslug` found at `vendor/tinyslug/__init__.py`: `tinyslug/__init__.py`.
fn found_name(module: &str, place: &str) -> String {
    let relative = module.replace('.', "/");
    let package = format!("{relative}/__init__.py");
    if place.ends_with(&package) { package } else { format!("{relative}.py") }
}

/// The system a compiled extension module was built for, when it is not
/// Linux: Windows builds end in `.pyd`, macOS ones carry `darwin` in their
/// suffix (`_core.cpython-312-darwin.so`) or are `.dylib` libraries.
fn foreign_system(file: &str) -> Option<&'static str> {
    let name = file.rsplit('/').next().unwrap_or(file).to_ascii_lowercase();
    if name.ends_with(".pyd") || name.ends_with(".dll") {
        Some("Windows")
    } else if name.ends_with(".dylib") || (name.ends_with(".so") && name.contains("darwin")) {
        Some("macOS")
    } else {
        None
    }
}

/// A name that stays inside the folder it is unpacked into.
fn is_safe_name(name: &str) -> bool {
    let starts_absolute = name.starts_with('/') || name.starts_with('\\');
    let has_drive = name.as_bytes().get(1) == Some(&b':');
    let climbs = name.split(['/', '\\']).any(|part| part == "..");
    !(name.is_empty() || starts_absolute || has_drive || climbs)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn shorten_list(items: &[&str], max: usize) -> String {
    let mut text = items.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    if items.len() > max {
        text.push_str(&format!(" and {} more", items.len() - max));
    }
    text
}

/// Sizes as Lambda's quotas write them: KB and MB of 1024.
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => megabytes(b),
    }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// The folder standing for /var/task: `var/task` inside a fresh temporary
/// folder (`lambda-package-XXXXXX`), removed with everything in it on drop.
struct TempFolder {
    _top: tempfile::TempDir,
    task_root: PathBuf,
}

impl TempFolder {
    fn new() -> std::io::Result<TempFolder> {
        let top = tempfile::Builder::new().prefix("lambda-package-").tempdir()?;
        let task_root = top.path().join("var").join("task");
        std::fs::create_dir_all(&task_root)?;
        Ok(TempFolder { _top: top, task_root })
    }
}

/// The Python side: read a zip's directory, unpack it, write one. Modules it
/// imports are marked as shared by every execution environment, so the
/// runtime's per-function module tables never take them over.
const HELPER: &str = r#"
import sys

_before = set(sys.modules)
import os
import zipfile

try:
    import _lambda_sandbox
    _lambda_sandbox.base_modules.update(set(sys.modules) - _before)
    _lambda_sandbox.base_modules.add(__name__)
except ImportError:
    pass


def describe(path):
    try:
        if not zipfile.is_zipfile(path):
            return ("not-a-zip", None)
        with zipfile.ZipFile(path) as archive:
            rows = []
            for info in archive.infolist():
                mode = (info.external_attr >> 16) & 0o777 if info.create_system == 3 else -1
                if mode == 0:
                    mode = -1  # a Unix zip that records no permissions
                rows.append((info.filename, info.file_size, info.compress_size, info.is_dir(), mode))
            return ("ok", rows)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as error:
        return ("not-a-zip", str(error) or type(error).__name__)
    except OSError as error:
        return ("unreadable", str(error))


def unpack(path, task_root):
    with zipfile.ZipFile(path) as archive:
        archive.extractall(task_root)


def write_zip(path, files):
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 27, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o100644 << 16
            archive.writestr(info, bytes(content))
"#;

static HELPER_MODULE: OnceLock<Result<Py<PyModule>, String>> = OnceLock::new();

/// Run `f` with the helper module, one invocation at a time (the runtime
/// swaps module tables between environments, so nothing else may run
/// Python meanwhile).
fn zip_call<T>(f: impl for<'py> FnOnce(Python<'py>, &Bound<'py, PyModule>) -> PyResult<T>) -> Result<T, PackageError> {
    let _turn = python::exclusive();
    python::start().map_err(|e| PackageError::Harness(e.0))?;
    if python::wedged() {
        return Err(PackageError::Harness(python::WEDGED_MESSAGE.to_string()));
    }
    Python::attach(|py| {
        let loaded = HELPER_MODULE.get_or_init(|| {
            PyModule::from_code(
                py,
                &std::ffi::CString::new(HELPER).expect("no NUL in the helper"),
                c"<lambda-harness>/package.py",
                c"_lambda_package",
            )
            .map(Bound::unbind)
            .map_err(|e| format!("the harness could not load its zip reader: {e}"))
        });
        let helper = match loaded {
            Ok(module) => module.bind(py).clone(),
            Err(message) => return Err(PackageError::Harness(message.clone())),
        };
        f(py, &helper).map_err(|e| PackageError::Harness(e.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lab-package-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const APP: &[u8] = b"def lambda_handler(event, context):\n    return {'hello': event.get('name', 'world')}\n";

    #[test]
    fn a_handler_at_the_root_of_the_zip_is_invoked() {
        let dir = scratch("root");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("app.py", APP)]).unwrap();
        let package = Package::open(&zip).unwrap();
        assert!(package.task_root().join("app.py").is_file());
        assert!(package.task_root().ends_with("var/task"));
        let function = package.function("app.lambda_handler").unwrap();
        let invocation = function.invoke(&json!({"name": "Ada"}));
        assert_eq!(invocation.result(), Some(json!({"hello": "Ada"})), "{:?}", invocation.logs);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_task_root_is_removed_with_the_package() {
        let dir = scratch("drop");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("app.py", APP)]).unwrap();
        let package = Package::open(&zip).unwrap();
        let top = package.task_root().parent().unwrap().parent().unwrap().to_path_buf();
        assert!(top.is_dir());
        drop(package);
        assert!(!top.exists());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_handler_in_a_folder_is_named_with_its_path() {
        let dir = scratch("path");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("src/app.py", APP), ("src/__init__.py", b"")]).unwrap();
        let package = Package::open(&zip).unwrap();
        for handler in ["src/app.lambda_handler", "src.app.lambda_handler"] {
            let invocation = package.function(handler).unwrap().invoke(&json!({}));
            assert_eq!(invocation.result(), Some(json!({"hello": "world"})), "{handler}: {:?}", invocation.logs);
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_nested_handler_is_an_import_module_error_explained() {
        let dir = scratch("nested");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("function/app.py", APP)]).unwrap();
        let package = Package::open(&zip).unwrap();
        let invocation = package.function("app.lambda_handler").unwrap().invoke(&json!({}));
        let error = invocation.error().expect("the import fails");
        assert_eq!(error.error_type, "Runtime.ImportModuleError");
        assert_eq!(error.error_message, "Unable to import module 'app': No module named 'app'");
        assert_eq!(package.locate_module("app"), ["function/app.py"]);
        let note = package.explain_missing_module(&error.error_message).unwrap();
        assert!(note.contains("at function/app.py"), "{note}");
        assert!(note.contains("Make its name in the zip app.py"), "{note}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_wrong_handler_string_gets_the_module_that_defines_the_function() {
        let dir = scratch("suggest");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("app.py", APP), ("helpers.py", b"def other():\n    pass\n")]).unwrap();
        let package = Package::open(&zip).unwrap();
        let handler = "lambda_function.lambda_handler";
        let invocation = package.function(handler).unwrap().invoke(&json!({}));
        let message = &invocation.error().expect("the import fails").error_message;
        let note = package.suggest_handler(handler, message).expect("app.py defines lambda_handler");
        assert!(note.contains("but app.py defines lambda_handler"), "{note}");
        assert!(note.contains("try --handler-string app.lambda_handler"), "{note}");
        // A handler whose module is present but whose import fails for another
        // missing module is not a handler-string problem.
        assert_eq!(
            package.suggest_handler("app.lambda_handler", "Unable to import module 'app': No module named 'yaml'"),
            None
        );
        assert_eq!(package.suggest_handler("app.nowhere", "Unable to import module 'x': No module named 'x'"), None);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn limits_are_checked_before_unpacking() {
        let dir = scratch("limits");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("app.py", APP), ("data.txt", &[b'x'; 4000])]).unwrap();
        let zipped = std::fs::metadata(&zip).unwrap().len();
        let small = Limits { zipped_bytes: zipped - 1, unzipped_bytes: 1 << 20 };
        assert!(matches!(Package::open_with_limits(&zip, small), Err(PackageError::TooLargeZipped { .. })));
        let total = (APP.len() + 4000) as u64;
        let tight = Limits { zipped_bytes: 1 << 20, unzipped_bytes: total };
        let error = Package::open_with_limits(&zip, tight).unwrap_err();
        assert_eq!(error, PackageError::TooLargeUnzipped { path: zip.clone(), size: total, limit: total });
        assert!(error.to_string().contains(&format!("Unzipped size must be smaller than {total} bytes")));
        let enough = Limits { zipped_bytes: zipped, unzipped_bytes: total + 1 };
        assert!(Package::open_with_limits(&zip, enough).is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn names_are_checked() {
        for safe in ["app.py", "a/b/c.py", "a..b.py", "tinyslug-1.0.dist-info/RECORD", "dir/"] {
            assert!(is_safe_name(safe), "{safe}");
        }
        for unsafe_name in ["../app.py", "a/../../b.py", "/etc/passwd", "C:/x.py", "..\\x.py", ""] {
            assert!(!is_safe_name(unsafe_name), "{unsafe_name}");
        }
    }

    #[test]
    fn missing_modules_are_read_from_the_message() {
        assert_eq!(missing_module("Unable to import module 'app': No module named 'app'"), Some("app".into()));
        assert_eq!(
            missing_module("Unable to import module 'app': No module named 'tinyslug._ascii'"),
            Some("tinyslug._ascii".into())
        );
        assert_eq!(missing_module("Unable to import module 'app': cannot import name 'x'"), None);
        assert_eq!(found_name("tinyslug", "vendor/tinyslug/__init__.py"), "tinyslug/__init__.py");
        assert_eq!(found_name("app", "function/app.py"), "app.py");
    }

    #[test]
    fn the_listing_and_the_warnings_describe_the_zip() {
        let dir = scratch("listing");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("app.py", APP), ("lib/", b""), ("lib\\util.py", b"x = 1\n")]).unwrap();
        let package = Package::open(&zip).unwrap();
        let listing = package.listing();
        assert!(listing.starts_with(&format!("{}: 2 files, ", zip.display())), "{listing}");
        assert!(listing.contains("\n  app.py "), "{listing}");
        assert!(listing.contains("\n  lib/\n"), "{listing}");
        let warnings = package.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("backslash") && warnings[0].contains("lib\\util.py"), "{warnings:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn compiled_modules_for_another_system_are_flagged() {
        assert_eq!(foreign_system("pydantic_core/_pydantic_core.cpython-312-darwin.so"), Some("macOS"));
        assert_eq!(foreign_system("numpy/core/_multiarray_umath.cp312-win_amd64.pyd"), Some("Windows"));
        assert_eq!(foreign_system("lib/libcrypto.3.dylib"), Some("macOS"));
        assert_eq!(foreign_system("pydantic_core/_pydantic_core.cpython-312-x86_64-linux-gnu.so"), None);
        assert_eq!(foreign_system("darwin_notes/app.py"), None);
        let dir = scratch("foreign");
        let zip = dir.join("function.zip");
        write_zip(&zip, &[("app.py", APP), ("fast/_speed.cpython-312-darwin.so", b"\xcf\xfa\xed\xfe")]).unwrap();
        let warnings = Package::open(&zip).unwrap().warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("1 compiled module built for another operating system"), "{warnings:?}");
        assert!(warnings[0].contains("fast/_speed.cpython-312-darwin.so (macOS)"), "{warnings:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn files_only_their_owner_may_read_are_flagged() {
        let dir = scratch("modes");
        let zip = dir.join("function.zip");
        // writestr with a plain name records the permissions 600: a classic
        // way to build a zip whose files Lambda cannot read.
        let script = format!(
            "import zipfile\nwith zipfile.ZipFile({:?}, 'w') as z:\n    z.writestr('app.py', 'x = 1')\n",
            zip.to_string_lossy()
        );
        zip_call(|py, _| py.run(&std::ffi::CString::new(script).unwrap(), None, None)).unwrap();
        let package = Package::open(&zip).unwrap();
        assert_eq!(package.entries()[0].unix_mode, Some(0o600));
        assert!(!package.entries()[0].readable_by_lambda());
        let warnings = package.warnings();
        assert!(warnings.len() == 1 && warnings[0].contains("Lambda could not read 1 entry"), "{warnings:?}");
        assert!(warnings[0].ends_with(": app.py"), "{warnings:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn not_a_zip_is_refused() {
        let dir = scratch("notzip");
        let text = dir.join("function.zip");
        std::fs::write(&text, "def lambda_handler(event, context): pass\n").unwrap();
        let error = Package::open(&text).unwrap_err();
        assert!(matches!(error, PackageError::NotAZip { .. }), "{error:?}");
        assert!(error.to_string().contains("Could not unzip uploaded file"));
        assert!(matches!(Package::open(&dir), Err(PackageError::NotAZip { .. })));
        assert!(matches!(Package::open(dir.join("nope.zip")), Err(PackageError::Missing { .. })));
        let _ = std::fs::remove_dir_all(dir);
    }
}
