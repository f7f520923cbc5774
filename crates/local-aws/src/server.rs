//! moto's server as a child process: started from a given Python
//! interpreter, on loopback, tied to this process's life.
//!
//! The child runs a small inline script. It starts moto's
//! `ThreadedMotoServer` on 127.0.0.1 with port 0 (the kernel picks a free
//! one, so two labs on one machine never collide), prints the port on
//! stdout, and then waits for its stdin to reach end of file. Only this
//! process holds the other end of that pipe, so the child goes when the
//! [`MotoServer`] is dropped, and also when this process dies in any way,
//! SIGKILL included, because the kernel closes a dead process's
//! descriptors: no moto is ever left behind listening.
//!
//! The child gets none of the user's AWS configuration: every `AWS_*` and
//! `MOTO_*` variable is removed (`MOTO_ACCOUNT_ID`, for one, would override
//! the per-function accounts), and the config and credentials files are
//! pointed at the null device, so `~/.aws` is never read.
//!
//! The script also makes S3's bucket names a namespace per account. moto
//! models S3's single global namespace: a second account creating a bucket
//! of a name already taken gets BucketAlreadyExists, and, by default, may
//! read the other account's bucket. Here each function is its own AWS, and
//! two learners' functions (or two runs of one exercise at the same time)
//! that both create `orders` must each get their own. moto keeps the global
//! map in `s3_backends.bucket_accounts`; the script replaces it with a map
//! that only shows the current request's account its own buckets, the
//! account being the `x-moto-account-id` header the gateway adds.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long moto may take to start: its first import takes seconds on a
/// cold disk, and much longer means something is wrong.
pub const DEFAULT_START_TIMEOUT: Duration = Duration::from_secs(20);

/// How much of moto's error output is kept for the messages about it.
const STDERR_TAIL_BYTES: usize = 16 * 1024;

/// The child's program. Its first line on stdout is the port, or a word
/// saying why there is none (`no-moto`, `old-moto`, `incompatible`).
const SCRIPT: &str = r#"
import os, sys, threading

try:
    import moto
    from moto.server import ThreadedMotoServer
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3 import models as s3_models
except ImportError as error:
    print("no-moto", error, flush=True)
    sys.exit(1)

if int(moto.__version__.split(".")[0]) < 5:
    print("old-moto", moto.__version__, flush=True)
    sys.exit(1)

# The account of the request being served, per server thread (werkzeug
# serves each connection on a thread of its own).
current = threading.local()

def current_account():
    return getattr(current, "account", DEFAULT_ACCOUNT_ID)

dispatch = DomainDispatcherApplication.__call__

def dispatch_with_account(self, environ, start_response):
    current.account = environ.get("HTTP_X_MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)
    return dispatch(self, environ, start_response)

class BucketsPerAccount(dict):
    """moto's bucket name -> (partition, account) map, seen per account."""

    def _key(self, name):
        return (current_account(), name)

    def __contains__(self, name):
        return dict.__contains__(self, self._key(name))

    def __getitem__(self, name):
        return dict.__getitem__(self, self._key(name))

    def __setitem__(self, name, value):
        partition, account = value
        dict.__setitem__(self, (account, name), value)

    def get(self, name, default=None):
        return dict.get(self, self._key(name), default)

    def pop(self, name, *default):
        return dict.pop(self, self._key(name), *default)

    def keys(self):
        account = current_account()
        return [name for (owner, name) in dict.keys(self) if owner == account]

    def __iter__(self):
        return iter(self.keys())

if not isinstance(getattr(s3_models.s3_backends, "bucket_accounts", None), dict):
    print("incompatible", "moto.s3.models.s3_backends.bucket_accounts is not a dict in moto", moto.__version__, flush=True)
    sys.exit(1)
s3_models.s3_backends.bucket_accounts = BucketsPerAccount()
DomainDispatcherApplication.__call__ = dispatch_with_account

import logging
logging.getLogger("werkzeug").setLevel(logging.ERROR)

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)

# Nothing reads stdout from now on: send it nowhere, so that a print deep in
# moto can never fill the pipe and stall a request.
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
sys.stdin.buffer.read()
os._exit(0)
"#;

/// A running moto server.
pub struct MotoServer {
    /// In a mutex so that a shared server can still be asked whether the
    /// child has exited (`try_wait` needs `&mut`).
    child: Mutex<Child>,
    pid: u32,
    /// The pipe whose closing tells moto to go; `None` once closed.
    stdin: Option<ChildStdin>,
    port: u16,
    stderr: Arc<Mutex<Vec<u8>>>,
}

/// Why moto did not start. Each message names what failed and what to do.
#[derive(Debug)]
pub enum StartError {
    /// No file at the interpreter's path (or not on PATH).
    InterpreterNotFound { python: PathBuf },
    /// The interpreter exists but could not be run.
    CannotRun { python: PathBuf, error: io::Error },
    /// The interpreter cannot import moto's server.
    MotoMissing { python: PathBuf, detail: String },
    /// moto is there but older than 5, which has no per-request accounts.
    MotoTooOld { python: PathBuf, version: String },
    /// moto's internals differ from what the start script patches.
    Incompatible { python: PathBuf, detail: String },
    /// The child exited before printing its port.
    Exited { python: PathBuf, status: String, stderr: String },
    /// No port within the time limit; the child was killed.
    TimedOut { python: PathBuf, limit: Duration, stderr: String },
    /// The gateway could not listen on loopback.
    Gateway { error: io::Error },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::InterpreterNotFound { python } => write!(
                f,
                "the Python interpreter {} does not exist: run `cargo lab setup` to create the lab's Python environment",
                python.display()
            ),
            StartError::CannotRun { python, error } => write!(
                f,
                "could not run the Python interpreter {} ({error}): check that it is an executable Python, or run \
                 `cargo lab setup` to create the lab's own",
                python.display()
            ),
            StartError::MotoMissing { python, detail } => write!(
                f,
                "moto is not installed in {} ({detail}): run `cargo lab setup`, which installs moto[server]",
                python.display()
            ),
            StartError::MotoTooOld { python, version } => write!(
                f,
                "moto {version} in {} is too old (the local AWS needs moto 5): run `cargo lab setup` to install the \
                 pinned version",
                python.display()
            ),
            StartError::Incompatible { python, detail } => write!(
                f,
                "moto in {} is not a version the local AWS knows ({detail}): run `cargo lab setup` to install the \
                 pinned version",
                python.display()
            ),
            StartError::Exited { python, status, stderr } => write!(
                f,
                "moto's server exited while starting ({status}{}): run `{} -c \"import moto.server\"` to see the \
                 whole error",
                last_line_note(stderr),
                python.display()
            ),
            StartError::TimedOut { python, limit, stderr } => write!(
                f,
                "moto's server did not start within {} s{}: the machine may be overloaded, so try again, and run \
                 `{} -c \"import moto.server\"` to see whether importing moto hangs",
                limit.as_secs_f32(),
                last_line_note(stderr),
                python.display()
            ),
            StartError::Gateway { error } => {
                write!(f, "the local AWS gateway could not listen on 127.0.0.1 ({error}): check that loopback works")
            }
        }
    }
}

impl std::error::Error for StartError {}

fn last_line_note(stderr: &str) -> String {
    match stderr.lines().rev().find(|line| !line.trim().is_empty()) {
        Some(line) => format!("; its last words: {}", line.trim()),
        None => String::new(),
    }
}

impl MotoServer {
    /// Starts moto's server with `python`, waiting at most
    /// [`DEFAULT_START_TIMEOUT`] for it to listen.
    pub fn start(python: &Path) -> Result<MotoServer, StartError> {
        MotoServer::start_within(python, DEFAULT_START_TIMEOUT)
    }

    /// Starts moto's server with `python`, waiting at most `limit`.
    ///
    /// (See [`without_user_aws`] for what the child is not given.)
    pub fn start_within(python: &Path, limit: Duration) -> Result<MotoServer, StartError> {
        let mut command = Command::new(python);
        command.arg("-c").arg(SCRIPT).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        without_user_aws(&mut command);
        // Python's own output buffering must not hold the port back.
        command.env("PYTHONUNBUFFERED", "1");
        let mut child = command.spawn().map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => StartError::InterpreterNotFound { python: python.to_path_buf() },
            _ => StartError::CannotRun { python: python.to_path_buf(), error },
        })?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        drain_stderr(child.stderr.take().expect("stderr is piped"), stderr.clone());

        // The first line, read on a thread of its own so that the wait
        // has a limit.
        let (sender, receiver) = mpsc::channel();
        let reader = std::thread::Builder::new().name("local-aws-moto-port".into()).spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(read.map(|n| (n > 0).then_some(line)));
        });
        let pid = child.id();
        let mut server = MotoServer { child: Mutex::new(child), pid, stdin, port: 0, stderr };
        if reader.is_err() {
            return Err(StartError::CannotRun {
                python: python.to_path_buf(),
                error: io::Error::other("could not start a thread to read moto's port"),
            });
        }
        let first_line = match receiver.recv_timeout(limit) {
            Ok(Ok(Some(line))) => line,
            Ok(Ok(None) | Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = server.exit_status(Duration::from_secs(2));
                return Err(StartError::Exited {
                    python: python.to_path_buf(),
                    status,
                    stderr: server.stderr_tail_after_exit(),
                });
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                server.stop();
                return Err(StartError::TimedOut {
                    python: python.to_path_buf(),
                    limit,
                    stderr: server.stderr_tail_after_exit(),
                });
            }
        };
        let first_line = first_line.trim();
        let (word, detail) = first_line.split_once(' ').unwrap_or((first_line, ""));
        let python = python.to_path_buf();
        let detail = detail.to_string();
        match word {
            "no-moto" => Err(StartError::MotoMissing { python, detail }),
            "old-moto" => Err(StartError::MotoTooOld { python, version: detail }),
            "incompatible" => Err(StartError::Incompatible { python, detail }),
            port => match port.parse() {
                Ok(port) => {
                    server.port = port;
                    Ok(server)
                }
                Err(_) => Err(StartError::Incompatible {
                    python,
                    detail: format!("it printed {first_line:?} where a port was expected"),
                }),
            },
        }
    }

    /// The port moto listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The process id of the child (the interpreter running moto).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// The end of what moto wrote on stderr (at most 16 KiB).
    pub fn stderr_tail(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }

    /// Whether the child has exited (killed, crashed, or told to go).
    pub fn has_exited(&self) -> bool {
        !matches!(self.child().try_wait(), Ok(None))
    }

    fn child(&self) -> MutexGuard<'_, Child> {
        self.child.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The child's exit status once it has exited, waiting at most `limit`
    /// for it and killing it after that.
    fn exit_status(&mut self, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let exited = self.child().try_wait();
            match exited {
                Ok(Some(status)) => return status.to_string(),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                Ok(None) => {
                    self.stop();
                    return "it closed its output without printing a port, and was killed".into();
                }
                Err(error) => return format!("its status is unknown: {error}"),
            }
        }
    }

    /// The stderr tail once the child is gone: the drain thread may still be
    /// reading the last bytes, so give it a moment.
    fn stderr_tail_after_exit(&self) -> String {
        std::thread::sleep(Duration::from_millis(50));
        self.stderr_tail()
    }

    /// Closes stdin (moto's signal to go), kills the child in case it did
    /// not, and reaps it, so no zombie is left either.
    fn stop(&mut self) {
        drop(self.stdin.take());
        let mut child = self.child();
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(unix)]
const NULL_DEVICE: &str = "/dev/null";
#[cfg(not(unix))]
const NULL_DEVICE: &str = "NUL";

/// Keeps reading moto's stderr, so that its log can never fill the pipe and
/// stall it, and keeps the end of it for the error messages.
fn drain_stderr(mut stderr: impl Read + Send + 'static, tail: Arc<Mutex<Vec<u8>>>) {
    let _ = std::thread::Builder::new().name("local-aws-moto-stderr".into()).spawn(move || {
        let mut buffer = [0u8; 4096];
        loop {
            match stderr.read(&mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
                    tail.extend_from_slice(&buffer[..n]);
                    if tail.len() > STDERR_TAIL_BYTES {
                        let excess = tail.len() - STDERR_TAIL_BYTES;
                        tail.drain(..excess);
                    }
                }
            }
        }
    });
}

/// Keep the user's AWS configuration from a child process: no `AWS_*` or
/// `MOTO_*` variable of this process, and `~/.aws`'s two files replaced by
/// an empty one, so no profile, endpoint or credential of the user's is ever
/// read.
pub fn without_user_aws(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        if name_text.starts_with("AWS_") || name_text.starts_with("MOTO_") {
            command.env_remove(&name);
        }
    }
    command.env("AWS_CONFIG_FILE", NULL_DEVICE).env("AWS_SHARED_CREDENTIALS_FILE", NULL_DEVICE);
}
