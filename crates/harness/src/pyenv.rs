//! The workshop's managed Python environment: `.lab/python`, a virtual
//! environment made from the same Python the harness embeds, holding the
//! pinned packages of `python/requirements.lock` (installed with their hashes
//! checked): the AWS SDK that Lambda's Python runtimes include, moto for the
//! local AWS, and pytest.
//!
//! Who sees what: a handler sees only the SDK from it (boto3, botocore and
//! their dependencies, as on Lambda; `runtime/sandbox.py` keeps the rest
//! invisible); moto runs as a process of its own from the environment's
//! interpreter; a learner's test files run under that interpreter too.
//!
//! Beside it, the layers of [`LAYERS`] (Powertools for AWS Lambda), each in
//! `.lab/layers/NAME/python` from its own pinned lock file: a function that
//! has the layer imports from it as from /opt/python on Lambda.
//!
//! The environment is made once, by `cargo lab setup` or the first `cargo
//! lab`, and made again when a lock file changes: a stamp file records the
//! locks' SHA-256, the Python version and the site-packages folder.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The lock file, relative to the workspace root.
pub const LOCK_FILE: &str = "python/requirements.lock";
/// The environment's folder, relative to the workspace root.
pub const ENV_DIR: &str = ".lab/python";
/// What a learner runs to make or repair it.
pub const SETUP_COMMAND: &str = "cargo lab setup";
/// The oldest Python the environment takes: boto3 1.44 needs 3.10, and
/// python3.10 is the oldest runtime Lambda still supports.
pub const MIN_PYTHON: (u32, u32) = (3, 10);
/// Written last by a setup that succeeded.
const STAMP_FILE: &str = "lab-setup.txt";
/// The layers the workshop installs beside the environment: each name, and
/// the lock file (relative to the workspace root) of what goes in it. A
/// layer is installed into `.lab/layers/NAME/python`, as Lambda unpacks a
/// layer's `python/` folder into /opt/python, and an exercise names the
/// layers its function has (`layers = ["powertools"]` in exercise.toml).
pub const LAYERS: &[(&str, &str)] = &[("powertools", "python/powertools-layer.lock")];
/// Where the layers are, relative to the workspace root.
pub const LAYERS_DIR: &str = ".lab/layers";

/// The managed environment of one workspace.
#[derive(Clone, Debug)]
pub struct PythonEnv {
    root: PathBuf,
}

/// Where the environment stands.
#[derive(Clone, Debug, PartialEq)]
pub enum EnvState {
    /// Never set up (or a setup did not finish).
    Missing,
    /// Set up from another lock file, or by another Python: set up again.
    Stale(String),
    /// Ready: the folder handlers import the SDK from.
    Ready { site_packages: PathBuf },
}

/// How a setup went wrong, in one sentence a learner can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct SetupError(pub String);

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupError {}

/// Where the packages come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// PyPI (or the index pip is configured with).
    Index,
    /// A folder of wheels made by `cargo lab setup --download DIR`, with no network.
    Folder(PathBuf),
}

impl PythonEnv {
    /// The environment of the workspace this harness was built in. The
    /// harness is never published: it is always compiled from
    /// `crates/harness` of a clone of the workshop.
    pub fn here() -> PythonEnv {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        PythonEnv { root: root.canonicalize().unwrap_or(root) }
    }

    /// The environment of the workspace at `root`.
    pub fn of_workspace(root: &Path) -> PythonEnv {
        PythonEnv { root: root.to_path_buf() }
    }

    pub fn dir(&self) -> PathBuf {
        self.root.join(ENV_DIR)
    }

    pub fn lock_file(&self) -> PathBuf {
        self.root.join(LOCK_FILE)
    }

    /// The environment's interpreter (it exists once the venv is made).
    pub fn interpreter(&self) -> PathBuf {
        if cfg!(windows) {
            self.dir().join("Scripts").join("python.exe")
        } else {
            self.dir().join("bin").join("python")
        }
    }

    /// [`Self::state`] of [`Self::here`], for the harness's own use: once
    /// ready it stays ready for the life of the process, so the lock file is
    /// hashed once per process at most, not at each function's start (a
    /// learner's every check is a new process; this is on its path).
    pub fn here_state(embedded: (u32, u32)) -> EnvState {
        static READY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
        if let Some(site_packages) = READY.get() {
            return EnvState::Ready { site_packages: site_packages.clone() };
        }
        let state = PythonEnv::here().state(embedded);
        if let EnvState::Ready { site_packages } = &state {
            let _ = READY.set(site_packages.clone());
        }
        state
    }

    /// Whether it is ready for a Python of version `embedded` (major, minor).
    pub fn state(&self, embedded: (u32, u32)) -> EnvState {
        let Ok(stamp) = std::fs::read_to_string(self.dir().join(STAMP_FILE)) else { return EnvState::Missing };
        let field =
            |key: &str| stamp.lines().find_map(|line| line.strip_prefix(key)).map(str::trim).map(str::to_string);
        let (Some(lock), Some(version), Some(site)) =
            (field("lock-sha256:"), field("python:"), field("site-packages:"))
        else {
            return EnvState::Missing;
        };
        // The lock file as it was at setup (size and time, recorded then)
        // needs no hashing; any other is hashed and compared (a checkout
        // changes the time, not always the content).
        let unchanged = field("lock-file:").is_some_and(|recorded| Some(recorded) == self.lock_file_stamp());
        if !unchanged {
            match self.lock_digest() {
                Ok(digest) if digest == lock => {}
                Ok(_) => return EnvState::Stale(format!("{LOCK_FILE} changed since {ENV_DIR} was set up")),
                Err(message) => return EnvState::Stale(message),
            }
        }
        let wanted = format!("{}.{}", embedded.0, embedded.1);
        if version != wanted {
            return EnvState::Stale(format!("{ENV_DIR} was made by Python {version}, and the harness embeds {wanted}"));
        }
        let site_packages = PathBuf::from(site);
        if !site_packages.is_dir() {
            return EnvState::Stale(format!("{} is gone", site_packages.display()));
        }
        // A layer deleted by hand is set up again with the rest.
        if let Some((name, _)) =
            self.layer_locks().into_iter().find(|(name, _)| !self.layer_dir(name).join("python").is_dir())
        {
            return EnvState::Stale(format!("the {name} layer is missing from {LAYERS_DIR}/{name}"));
        }
        EnvState::Ready { site_packages }
    }

    /// Make sure the environment is ready for the Python the harness
    /// embeds, setting it up from `source` when it is missing or stale, and
    /// return its interpreter. `progress` hears what is done, if anything.
    pub fn ensure(&self, source: &Source, progress: &mut dyn FnMut(&str)) -> Result<PathBuf, SetupError> {
        let embedded = |e: crate::python::InterpreterError| SetupError(e.to_string());
        let version = crate::python::embedded_version().map_err(embedded)?;
        let state = self.state(version);
        if let EnvState::Ready { .. } = state {
            return Ok(self.interpreter());
        }
        if version < MIN_PYTHON {
            return Err(SetupError(format!(
                "the exercises that call AWS need Python {}.{} or newer, and the harness embeds {}.{}; the other \
                 exercises work as they are (to use another Python, see the README's Requirements)",
                MIN_PYTHON.0, MIN_PYTHON.1, version.0, version.1
            )));
        }
        match state {
            EnvState::Stale(why) => progress(&format!("{ENV_DIR} is out of date ({why}): setting it up again")),
            _ => progress(&format!(
                "setting up {ENV_DIR} (the AWS SDK, moto, pytest) and the Powertools layer; once, about 20 seconds"
            )),
        }
        let python = crate::python::executable().map_err(embedded)?;
        self.set_up(&python, source, progress)?;
        Ok(self.interpreter())
    }

    /// The folder standing for /opt of the layer `name` (one of [`LAYERS`]).
    pub fn layer_dir(&self, name: &str) -> PathBuf {
        self.root.join(LAYERS_DIR).join(name)
    }

    /// The layers' lock files this workspace has, with their layer's name.
    fn layer_locks(&self) -> Vec<(&'static str, PathBuf)> {
        LAYERS.iter().map(|(name, lock)| (*name, self.root.join(lock))).filter(|(_, lock)| lock.is_file()).collect()
    }

    /// The lock files' sizes and modification times, as the stamp records
    /// them (the environment's, then each layer's).
    fn lock_file_stamp(&self) -> Option<String> {
        let mut stamp = Vec::new();
        for lock in std::iter::once(self.lock_file()).chain(self.layer_locks().into_iter().map(|(_, lock)| lock)) {
            let metadata = std::fs::metadata(lock).ok()?;
            let modified = metadata.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
            stamp.push(format!("{} bytes, {} ns", metadata.len(), modified.as_nanos()));
        }
        Some(stamp.join("; "))
    }

    /// The SHA-256 of the environment's lock file, then of each layer's:
    /// a change to any of them sets everything up again.
    fn lock_digest(&self) -> Result<String, String> {
        let mut bytes = Vec::new();
        for lock in std::iter::once(self.lock_file()).chain(self.layer_locks().into_iter().map(|(_, lock)| lock)) {
            bytes.extend(std::fs::read(&lock).map_err(|e| format!("cannot read {}: {e}", lock.display()))?);
        }
        Ok(crate::digest::sha256_hex(&bytes))
    }

    /// Make the environment from scratch with `python` (the interpreter the
    /// harness embeds, see [`crate::python::executable`]), from `source`.
    /// `progress` is told each step and each package as pip takes it.
    pub fn set_up(&self, python: &Path, source: &Source, progress: &mut dyn FnMut(&str)) -> Result<(), SetupError> {
        let lock = self.lock_file();
        let digest =
            self.lock_digest().map_err(|message| SetupError(format!("{message}: is this a clone of the workshop?")))?;
        let dir = self.dir();
        // A half-made environment (an interrupted setup) is thrown away: a
        // new one takes seconds and is sure to be whole.
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| SetupError(format!("cannot remove the old {}: {e}", dir.display())))?;
        }
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| SetupError(format!("cannot make {}: {e}", parent.display())))?;
        }
        progress(&format!("creating the virtual environment {ENV_DIR} with {}", python.display()));
        let venv = Command::new(python)
            .args(["-m", "venv"])
            .arg(&dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| SetupError(format!("cannot run {}: {e}", python.display())))?;
        if !venv.status.success() {
            let said = String::from_utf8_lossy(&venv.stderr);
            let hint = if said.contains("ensurepip") || said.contains("No module named venv") {
                " Python's venv module is missing: on Debian or Ubuntu, `sudo apt install python3-venv`, then run `cargo lab setup` again."
            } else {
                ""
            };
            return Err(SetupError(format!(
                "`{} -m venv {}` failed: {}.{hint}",
                python.display(),
                dir.display(),
                last_line(&said)
            )));
        }
        let mut pip = Command::new(self.interpreter());
        pip.args(["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--require-hashes", "-r"])
            .arg(&lock)
            .env("PIP_NO_INPUT", "1")
            .env_remove("PIP_REQUIRE_VIRTUALENV")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Source::Folder(folder) = source {
            pip.args(["--no-index", "--find-links"]).arg(folder);
        }
        progress(&format!("installing the pinned packages of {LOCK_FILE} (hashes checked)"));
        let (ok, errors) = run_pip(&mut pip, progress)?;
        if !ok {
            let _ = std::fs::remove_dir_all(&dir);
            let hint = match source {
                Source::Index
                    if errors.contains("NewConnectionError") || errors.contains("Could not find a version") =>
                {
                    " pip could not reach the package index: check the network, or install from a folder of wheels with `cargo lab setup --from DIR`."
                }
                Source::Folder(_) if errors.contains("Could not find a version") => {
                    " The folder lacks a package the lock file needs: make it again with `cargo lab setup --download DIR` on a machine of the same kind."
                }
                _ if errors.contains("THESE PACKAGES DO NOT MATCH THE HASHES") => {
                    " A downloaded file does not have the hash the lock file records: it was changed on the way. Run `cargo lab setup` again; if it persists, the lock file or the mirror is wrong."
                }
                _ => "",
            };
            return Err(SetupError(format!("installing the packages failed: {}.{hint}", last_line(&errors))));
        }
        for (name, lock) in self.layer_locks() {
            self.install_layer(name, &lock, source, progress)?;
        }
        let facts = Command::new(self.interpreter())
            .args([
                "-c",
                "import sys, sysconfig; print('%d.%d' % sys.version_info[:2]); print(sysconfig.get_paths()['purelib'])",
            ])
            .output()
            .map_err(|e| SetupError(format!("cannot run the environment's Python: {e}")))?;
        let facts = String::from_utf8_lossy(&facts.stdout).into_owned();
        let mut lines = facts.lines();
        let (Some(version), Some(site)) = (lines.next(), lines.next()) else {
            return Err(SetupError("the environment's Python did not say where its packages are".into()));
        };
        let mut stamp = format!("lock-sha256: {digest}\npython: {version}\nsite-packages: {site}\n");
        if let Some(file) = self.lock_file_stamp() {
            stamp.push_str(&format!("lock-file: {file}\n"));
        }
        std::fs::write(dir.join(STAMP_FILE), stamp)
            .map_err(|e| SetupError(format!("cannot write {}: {e}", dir.join(STAMP_FILE).display())))?;
        Ok(())
    }

    /// Install the layer `name` from its lock file into its folder's
    /// `python/`, with the environment's pip, hashes checked and no other
    /// packages (what the layer's packages need from the SDK, Lambda's
    /// runtime has).
    fn install_layer(
        &self,
        name: &str,
        lock: &Path,
        source: &Source,
        progress: &mut dyn FnMut(&str),
    ) -> Result<(), SetupError> {
        let dir = self.layer_dir(name);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|e| SetupError(format!("cannot remove the old {}: {e}", dir.display())))?;
        }
        let mut pip = Command::new(self.interpreter());
        pip.args(["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--require-hashes"])
            .args(["--no-deps", "--target"])
            .arg(dir.join("python"))
            .arg("-r")
            .arg(lock)
            .env("PIP_NO_INPUT", "1")
            .env_remove("PIP_REQUIRE_VIRTUALENV")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Source::Folder(folder) = source {
            pip.args(["--no-index", "--find-links"]).arg(folder);
        }
        progress(&format!(
            "installing the {name} layer into {LAYERS_DIR}/{name}/python (as Lambda serves /opt/python)"
        ));
        let (ok, errors) = run_pip(&mut pip, progress)?;
        if !ok {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(SetupError(format!("installing the {name} layer failed: {}", last_line(&errors))));
        }
        Ok(())
    }

    /// Download every package of the lock file for this machine's platform
    /// into `folder`, for `set_up` with [`Source::Folder`] on machines with
    /// no network (a classroom: download once, copy the folder around).
    pub fn download(&self, python: &Path, folder: &Path, progress: &mut dyn FnMut(&str)) -> Result<(), SetupError> {
        std::fs::create_dir_all(folder).map_err(|e| SetupError(format!("cannot make {}: {e}", folder.display())))?;
        // The environment's packages, then each layer's (without their
        // dependencies, as `install_layer` installs them).
        let mut locks = vec![(format!("the packages of {LOCK_FILE}"), self.lock_file(), false)];
        for (name, lock) in self.layer_locks() {
            locks.push((format!("the {name} layer's packages"), lock, true));
        }
        for (what, lock, no_deps) in locks {
            let mut pip = Command::new(python);
            pip.args(["-m", "pip", "download", "--disable-pip-version-check", "--no-input", "--require-hashes"]);
            if no_deps {
                pip.arg("--no-deps");
            }
            pip.arg("-r")
                .arg(&lock)
                .arg("-d")
                .arg(folder)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            progress(&format!("downloading {what} into {}", folder.display()));
            let (ok, errors) = run_pip(&mut pip, progress)?;
            if !ok {
                return Err(SetupError(format!("downloading {what} failed: {}", last_line(&errors))));
            }
        }
        Ok(())
    }
}

/// Run pip, telling `progress` the name of each package it takes; returns
/// whether it succeeded, and what it wrote on standard error.
fn run_pip(pip: &mut Command, progress: &mut dyn FnMut(&str)) -> Result<(bool, String), SetupError> {
    let mut child = pip.spawn().map_err(|e| SetupError(format!("cannot run pip: {e}")))?;
    let stderr = child.stderr.take().expect("piped");
    // Standard error is read on a thread of its own, so a full pipe never
    // stalls pip while standard output is being read here.
    let errors = std::thread::Builder::new()
        .name("pip-stderr".into())
        .spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text);
            text
        })
        .map_err(|e| SetupError(format!("cannot read pip's output: {e}")))?;
    let stdout = child.stdout.take().expect("piped");
    let mut taken = 0;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        // pip says "Collecting NAME==VERSION (from ...)" once per package,
        // or "Processing /folder/NAME-VERSION-...whl" from a folder.
        let line = line.trim();
        let name = line.strip_prefix("Collecting ").or_else(|| line.strip_prefix("Processing "));
        if let Some(name) = name {
            taken += 1;
            let name = name.split([' ', '=', ';']).next().unwrap_or(name);
            let name = name.rsplit('/').next().unwrap_or(name);
            progress(&format!("  {taken:>2}. {name}"));
        }
    }
    let status = child.wait().map_err(|e| SetupError(format!("pip did not finish: {e}")))?;
    let errors = errors.join().unwrap_or_default();
    Ok((status.success(), errors))
}

/// The last non-empty line of a tool's output: usually the error itself.
fn last_line(text: &str) -> String {
    text.lines().map(str::trim).rfind(|line| !line.is_empty()).unwrap_or("no message").trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace_with_lock(lock: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("python")).unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), lock).unwrap();
        dir
    }

    fn stamp(env: &PythonEnv, lock: &str, version: &str, site: &Path) {
        std::fs::create_dir_all(env.dir()).unwrap();
        let digest = crate::digest::sha256_hex(lock.as_bytes());
        let text = format!("lock-sha256: {digest}\npython: {version}\nsite-packages: {}\n", site.display());
        std::fs::write(env.dir().join(STAMP_FILE), text).unwrap();
    }

    #[test]
    fn an_environment_is_ready_only_for_its_lock_file_and_its_python() {
        let workspace = workspace_with_lock("boto3==1.0\n");
        let env = PythonEnv::of_workspace(workspace.path());
        assert_eq!(env.state((3, 11)), EnvState::Missing);
        let site = env.dir().join("lib/python3.11/site-packages");
        std::fs::create_dir_all(&site).unwrap();
        stamp(&env, "boto3==1.0\n", "3.11", &site);
        assert_eq!(env.state((3, 11)), EnvState::Ready { site_packages: site.clone() });
        let EnvState::Stale(why) = env.state((3, 12)) else { panic!("another Python") };
        assert!(why.contains("made by Python 3.11, and the harness embeds 3.12"), "{why}");
        std::fs::write(workspace.path().join(LOCK_FILE), "boto3==2.0\n").unwrap();
        let EnvState::Stale(why) = env.state((3, 11)) else { panic!("another lock") };
        assert!(why.contains("python/requirements.lock changed"), "{why}");
    }

    #[test]
    fn a_missing_layer_makes_the_environment_stale() {
        let workspace = workspace_with_lock("boto3==1.0\n");
        let (name, layer_lock) = LAYERS[0];
        std::fs::write(workspace.path().join(layer_lock), "aws-lambda-powertools==1.0\n").unwrap();
        let env = PythonEnv::of_workspace(workspace.path());
        let site = env.dir().join("lib/python3.11/site-packages");
        std::fs::create_dir_all(&site).unwrap();
        // The stamp records both locks' digest, as set_up writes it.
        std::fs::create_dir_all(env.dir()).unwrap();
        let text =
            format!("lock-sha256: {}\npython: 3.11\nsite-packages: {}\n", env.lock_digest().unwrap(), site.display());
        std::fs::write(env.dir().join(STAMP_FILE), text).unwrap();
        let EnvState::Stale(why) = env.state((3, 11)) else { panic!("the layer is not installed") };
        assert!(why.contains(&format!("the {name} layer is missing")), "{why}");
        std::fs::create_dir_all(env.layer_dir(name).join("python")).unwrap();
        assert_eq!(env.state((3, 11)), EnvState::Ready { site_packages: site });
    }

    #[test]
    fn a_lock_file_recorded_at_setup_is_not_hashed_again_and_a_changed_one_is() {
        let workspace = workspace_with_lock("boto3==1.0\n");
        let env = PythonEnv::of_workspace(workspace.path());
        let site = env.dir().join("lib/python3.11/site-packages");
        std::fs::create_dir_all(&site).unwrap();
        // A stamp whose recorded digest is wrong but whose size and time
        // match: the file is taken as unchanged without hashing it.
        let text = format!(
            "lock-sha256: not-hashed\npython: 3.11\nsite-packages: {}\nlock-file: {}\n",
            site.display(),
            env.lock_file_stamp().unwrap()
        );
        std::fs::write(env.dir().join(STAMP_FILE), text).unwrap();
        assert!(matches!(env.state((3, 11)), EnvState::Ready { .. }));
        std::fs::write(workspace.path().join(LOCK_FILE), "boto3==2.0.0\n").unwrap();
        assert!(matches!(env.state((3, 11)), EnvState::Stale(_)), "a new size and time: hashed, and it differs");
    }

    #[test]
    fn a_missing_venv_module_is_named_with_its_fix() {
        let workspace = workspace_with_lock("boto3==1.0\n");
        let env = PythonEnv::of_workspace(workspace.path());
        // `false` stands for a Python whose `-m venv` fails without a message.
        let error = env.set_up(Path::new("false"), &Source::Index, &mut |_| {}).unwrap_err();
        assert!(error.0.starts_with("`false -m venv "), "{error}");
        assert!(env.state((3, 11)) == EnvState::Missing);
    }

    #[test]
    fn the_last_line_of_a_tool_is_its_error() {
        assert_eq!(
            last_line("Collecting x\nERROR: No matching distribution found for x.\n\n"),
            "ERROR: No matching distribution found for x"
        );
        assert_eq!(last_line(""), "no message");
    }
}
