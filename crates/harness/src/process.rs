//! The platform around a runtime client that runs as a process of its own: a
//! Rust binary built on `lambda_runtime`, `python -m awslambdaric app.handler`,
//! or any program that speaks the Lambda Runtime API.
//!
//! This is how Lambda runs every function. It starts the runtime process in a
//! fresh execution environment with the Lambda variables set, among them
//! `AWS_LAMBDA_RUNTIME_API`; the init phase lasts until the runtime's first
//! `GET /next` (that span is the REPORT's Init Duration, limited to 10 s); each
//! invocation is handed to that waiting request and ends when the runtime
//! posts a response or an error and asks for the next event. What the process
//! writes to standard output and standard error goes, cut at each newline, to
//! CloudWatch Logs. A timeout or a process that exits ends the environment;
//! the next invocation is a cold start.
//!
//! [`ProcessFunction`] does the same against this machine's own Runtime API
//! (the `runtime-api` crate) and returns the same [`Invocation`] as the
//! in-process Python [`crate::Function`]: outcome, log lines with START, END
//! and REPORT, and the report's figures. The platform's wording (timeouts,
//! exits, INIT_REPORT) is shared with it through [`crate::record::Record`].
//!
//! Max Memory Used is the runtime process's peak resident memory (`VmHWM`)
//! over its whole life, read from /proc on Linux and 0 elsewhere. Lambda's
//! figure is the environment's peak, which for a warm environment is also a
//! lifetime figure. Only the process started is measured, not children it
//! starts (a shell script that `exec`s its program keeps the same process).

use crate::config::FunctionConfig;
use crate::config::{self, ConfigError};
use crate::invocation::{ErrorSource, FunctionError, Invocation, Outcome};
use crate::record::{self, Record};
use crate::{ids, memory};
use runtime_api::{Init, InvokeContext, RuntimeApi};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// After an answer, how long to wait for the runtime to ask for its next
/// event, which says it has finished the invocation, log lines included.
/// `lambda_runtime` asks again well within a millisecond; a runtime that
/// keeps working longer has the rest of its output shown with the next
/// invocation (it is never lost).
const FINISH_LIMIT: Duration = Duration::from_millis(250);

/// How to run a function whose runtime client is a program.
#[derive(Clone, Debug)]
pub struct ProcessConfig {
    /// The program: a path (`target/debug/my-function`), or a name looked up
    /// on the PATH (`python3`).
    pub command: PathBuf,
    pub args: Vec<String>,
    /// The working directory of the process; None: the function's task root
    /// (Lambda starts the runtime in /var/task), if that folder exists.
    pub current_dir: Option<PathBuf>,
    /// Name, memory, timeout, version, region, the function's own
    /// environment variables: the same settings as a Python function's.
    pub function: FunctionConfig,
    /// Variables for the process that are not part of the function's
    /// configuration and are not checked against Lambda's reserved names
    /// (`PYTHONPATH` to find awslambdaric, `RUST_BACKTRACE`). Without them
    /// the process sees only what Lambda sets.
    pub extra_env: Vec<(String, String)>,
}

impl ProcessConfig {
    /// A function run by the program `command`, as a custom runtime's
    /// `bootstrap` is: named after the program's file, with the program's
    /// folder as task root, `bootstrap` as handler string, and Lambda's
    /// defaults (128 MB, 3 s).
    pub fn new(command: impl Into<PathBuf>) -> Self {
        let command = command.into();
        let absolute = std::path::absolute(&command).unwrap_or_else(|_| command.clone());
        let task_root = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut function = FunctionConfig::new(task_root, "bootstrap");
        if let Some(stem) = command.file_stem() {
            function.function_name = stem.to_string_lossy().into_owned();
        }
        ProcessConfig { command, args: Vec::new(), current_dir: None, function, extra_env: Vec::new() }
    }
}

/// A Lambda function whose runtime client is a separate process, run against
/// a local Runtime API. The process starts on the first invocation (a cold
/// start) and stays for the next ones (warm) until a timeout, an exit, or
/// [`reset`](Self::reset). Dropping the function stops the process.
pub struct ProcessFunction {
    config: ProcessConfig,
    environment: Mutex<Option<Environment>>,
}

impl ProcessFunction {
    /// A function with this configuration, not started yet; fails when Lambda
    /// would refuse the configuration (memory, timeout, variable names).
    pub fn new(config: ProcessConfig) -> Result<Self, ConfigError> {
        config::validate(&config.function)?;
        Ok(ProcessFunction { config, environment: Mutex::new(None) })
    }

    pub fn config(&self) -> &ProcessConfig {
        &self.config
    }

    /// Invoke with a JSON event. Never panics and never waits past the
    /// timeout (plus the init limit on a cold start): whatever goes wrong,
    /// the program missing included, comes back as the invocation's error.
    pub fn invoke(&self, event: &Value) -> Invocation {
        self.invoke_payload(event.to_string().into_bytes())
    }

    /// Invoke with the raw request body.
    pub fn invoke_payload(&self, payload: Vec<u8>) -> Invocation {
        let request_id = ids::request_id();
        if let Some(refused) =
            record::refused_request(request_id.clone(), payload.len(), self.config.function.memory_mb)
        {
            return refused;
        }
        let mut slot = self.environment.lock().unwrap_or_else(|p| p.into_inner());
        let mut run = Record::new(&self.config.function, request_id);
        if slot.is_none() {
            match self.cold_start(&mut run) {
                Ok(environment) => *slot = Some(environment),
                Err(failed) => {
                    let (error, peak_mb) = *failed;
                    return run.finish(Outcome::Failed(error), Duration::ZERO, Some(peak_mb));
                }
            }
        }
        let environment = slot.as_mut().expect("an environment was just created");
        let (outcome, duration, keep) = self.run_invoke(&mut run, environment, payload);
        let peak_mb = environment.peak_mb;
        if !keep {
            *slot = None; // dropping the environment stops its process
        }
        run.finish(outcome, duration, Some(peak_mb))
    }

    /// Stop the process: the next invoke is a cold start (what happens on
    /// Lambda when the function's code or configuration changes).
    pub fn reset(&self) {
        self.environment.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// Start the process and wait for it to ask for work. As on Lambda, a
    /// failed init is tried once more in the invoke phase before the error is
    /// returned. The error comes with the peak memory measured, for REPORT.
    // The error is boxed: it is large and a cold start is rare.
    fn cold_start(&self, run: &mut Record) -> Result<Environment, Box<(FunctionError, u64)>> {
        let mut last_error = None;
        for phase in ["init", "invoke"] {
            let spawned = Instant::now();
            let mut environment =
                Environment::start(&self.config).map_err(|message| (record::harness_error(message), 0))?;
            let limit = record::init_limit(phase, self.config.function.timeout);
            let init = environment.api.wait_for_init(limit, Some(&mut environment.child));
            if let Init::Ready(at) = init {
                // Everything written before the first /next belongs to init
                // and comes before START, as in CloudWatch.
                run.add_logs(&environment.output.take());
                environment.measure();
                run.init_took(at.saturating_duration_since(spawned));
                run.initialized();
                return Ok(environment);
            }
            environment.measure();
            let status = environment.stop();
            run.add_logs(&environment.output.take());
            run.init_took(spawned.elapsed());
            let error = match init {
                Init::Failed { payload, .. } => {
                    FunctionError::from_text(ErrorSource::Init, &String::from_utf8_lossy(&payload))
                }
                Init::ProcessExited => run.exited(&exit_reason(status)),
                _ => run.timeout_error(limit),
            };
            run.init_failed(phase, &error);
            last_error = Some((error, environment.peak_mb));
        }
        run.init_given_up();
        Err(Box::new(last_error.expect("the loop ran at least once")))
    }

    /// Hand the event to the runtime and wait for its answer. Returns the
    /// outcome, the duration, and whether the environment may stay warm.
    fn run_invoke(
        &self,
        run: &mut Record,
        environment: &mut Environment,
        payload: Vec<u8>,
    ) -> (Outcome, Duration, bool) {
        let config = &self.config.function;
        let context = InvokeContext {
            request_id: run.request_id().to_string(),
            invoked_function_arn: config.function_arn(),
            trace_id: ids::trace_header(config.active_tracing),
            client_context: None,
            cognito_identity: None,
        };
        // Lines written between invocations (after the last one's END) are
        // shown here, after START, as CloudWatch would show them.
        run.start();
        let seen = environment.api.next_requests();
        let started = Instant::now();
        let answer = environment.api.invoke_process(&mut environment.child, payload, config.timeout, context);
        let duration = started.elapsed();
        let keep = matches!(answer, runtime_api::Outcome::Response(_) | runtime_api::Outcome::Error { .. });
        if keep {
            // The runtime asking for its next event is the end of this one:
            // what it printed before is in the pipe by now.
            environment.api.wait_for_next_request(seen, FINISH_LIMIT, Some(&mut environment.child));
        }
        environment.measure();
        let status = if keep { None } else { Some(environment.stop()) };
        run.add_logs(&environment.output.take());
        let outcome = match answer {
            runtime_api::Outcome::Response(body) => record::returned(body, "application/json".into()),
            runtime_api::Outcome::Error { payload, .. } => {
                Outcome::Failed(FunctionError::from_text(ErrorSource::Handler, &String::from_utf8_lossy(&payload)))
            }
            // A runtime that reports an init error after it asked for work.
            runtime_api::Outcome::InitError { payload, .. } => {
                Outcome::Failed(FunctionError::from_text(ErrorSource::Init, &String::from_utf8_lossy(&payload)))
            }
            runtime_api::Outcome::Timeout => {
                return (
                    Outcome::Failed(run.timed_out(crate::time::since_epoch(), config.timeout)),
                    config.timeout,
                    false,
                );
            }
            runtime_api::Outcome::ProcessExited => Outcome::Failed(run.exited(&exit_reason(status.flatten()))),
        };
        (outcome, duration, keep)
    }
}

/// Lambda's words for why the runtime stopped. A process ended by a signal
/// is described as Lambda's (Go) platform does (`record::signal_reason`):
/// `signal: killed` after running out of memory, `signal: aborted` after a
/// Rust `panic = "abort"`.
fn exit_reason(status: Option<ExitStatus>) -> String {
    let Some(status) = status else { return record::exit_reason(1) };
    if let Some(code) = status.code() {
        return record::exit_reason(code);
    }
    #[cfg(unix)]
    if let Some(signal) = std::os::unix::process::ExitStatusExt::signal(&status) {
        return record::signal_reason(signal);
    }
    record::exit_reason(1)
}

/// One execution environment: its Runtime API, the runtime process, and the
/// capture of the process's output. Dropping it stops the process.
struct Environment {
    api: RuntimeApi,
    child: Child,
    output: capture::Output,
    /// The process's peak resident memory, as last measured (MiB).
    peak_mb: u64,
    /// Set once the process has been stopped and waited for.
    status: Option<Option<ExitStatus>>,
}

impl Environment {
    /// A fresh Runtime API and the process, started with Lambda's variables.
    /// The error names the program, in words for someone new to this.
    fn start(config: &ProcessConfig) -> Result<Environment, String> {
        let api = RuntimeApi::start().map_err(|e| format!("The harness could not start a local Runtime API: {e}"))?;
        let mut variables = config::lambda_variables(&config.function, config.function.runtime.as_deref());
        for (key, value) in &mut variables {
            if key == "AWS_LAMBDA_RUNTIME_API" {
                *value = api.addr().to_string();
            }
        }
        // A relative path is taken from here, not from the process's working directory.
        let program = if config.command.components().count() > 1 {
            std::path::absolute(&config.command).unwrap_or_else(|_| config.command.clone())
        } else {
            config.command.clone()
        };
        let mut command = Command::new(&program);
        command.args(&config.args).env_clear().envs(variables).envs(config.extra_env.iter().cloned());
        command.stdin(Stdio::null());
        // A process group of its own, so that stopping the environment stops
        // whatever the runtime started too: on Lambda nothing of an execution
        // environment outlives it.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let task_root = &config.function.task_root;
        match &config.current_dir {
            Some(dir) => {
                command.current_dir(dir);
            }
            None if task_root.is_dir() => {
                command.current_dir(task_root);
            }
            None => {}
        }
        let (child, output) = capture::spawn(&mut command).map_err(|e| start_failure(&program, &e))?;
        Ok(Environment { api, child, output, peak_mb: 0, status: None })
    }

    /// Read the process's peak memory (keeps the last figure once it is gone).
    fn measure(&mut self) {
        if let Some(peak) = memory::process_peak_mb(self.child.id()) {
            self.peak_mb = peak;
        }
    }

    /// Kill the process (if it is still running) and wait for it; returns
    /// how it ended, or None if that cannot be known. Its output stays
    /// readable through `output`.
    fn stop(&mut self) -> Option<ExitStatus> {
        if let Some(status) = self.status {
            return status;
        }
        // The group first: the runtime's own children, then the runtime. Its
        // id is the runtime's pid, which cannot be reused while the runtime
        // is not reaped yet (it is reaped below).
        #[cfg(unix)]
        kill_group(self.child.id());
        // An exited process was already reaped by try_wait, and then kill
        // sends nothing: no risk of hitting another process with its id.
        let _ = self.child.kill();
        let status = self.child.wait().ok();
        self.output.close();
        self.status = Some(status);
        status
    }
}

impl Drop for Environment {
    fn drop(&mut self) {
        self.stop();
    }
}

/// SIGKILL every process of the group `pgid` (a runtime and its children;
/// pytest and whatever it started). The caller keeps the group's leader
/// unreaped meanwhile, so the id cannot name another group.
#[cfg(unix)]
#[allow(unsafe_code)] // the SAFETY comment is at the block
pub(crate) fn kill_group(pgid: u32) {
    let Ok(pgid) = libc::pid_t::try_from(pgid) else { return };
    // SAFETY: a plain system call; a negative pid names the process group,
    // whose leader the caller has not reaped yet.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// SIGKILL one process, from a thread that holds only its id (a watchdog);
/// the owner of its `Child` has not reaped it yet, so the id is still its.
#[cfg(unix)]
#[allow(unsafe_code)] // the SAFETY comment is at the block
pub(crate) fn kill_process(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return };
    // SAFETY: a plain system call with no memory effects.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

/// "Could not start …", with the usual cause for a missing program.
fn start_failure(program: &Path, error: &std::io::Error) -> String {
    let hint = match error.kind() {
        std::io::ErrorKind::NotFound => " (there is no such program: check the path, or build it first)",
        std::io::ErrorKind::PermissionDenied => " (the file is not executable)",
        _ => "",
    };
    format!("The harness could not start the function's program {}: {error}{hint}", program.display())
}

/// The process's output, captured as Lambda captures it: standard output and
/// standard error in one stream, in the order written.
#[cfg(unix)]
mod capture {
    use std::io::{self, Read};
    use std::os::fd::{AsRawFd, OwnedFd};
    use std::os::unix::net::UnixStream;
    use std::process::{Child, Command, Stdio};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;

    /// How often the reader looks up from its wait to see if it should stop
    /// (a process's children can keep the stream open after it is killed).
    const POLL_MS: i32 = 100;

    pub(super) struct Output {
        shared: Arc<Shared>,
        reader: Option<JoinHandle<()>>,
    }

    struct Shared {
        /// Our end, non-blocking: reads never wait, under the lock or not.
        stream: UnixStream,
        /// What was read and not yet taken.
        buffer: Mutex<Vec<u8>>,
        stop: AtomicBool,
    }

    /// Start `command` with standard output and standard error on one
    /// connected socket pair (`UnixStream::pair`, close-on-exec like std's
    /// pipes); a thread keeps reading it, so a chatty process never blocks
    /// on a full buffer.
    pub(super) fn spawn(command: &mut Command) -> io::Result<(Child, Output)> {
        let (ours, theirs) = UnixStream::pair()?;
        let theirs = OwnedFd::from(theirs);
        command.stdout(Stdio::from(theirs.try_clone()?)).stderr(Stdio::from(theirs));
        let child = command.spawn();
        // Drop the Command's copies of the write end, so the stream ends when the process does.
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let child = child?;
        ours.set_nonblocking(true)?;
        let shared = Arc::new(Shared { stream: ours, buffer: Mutex::new(Vec::new()), stop: AtomicBool::new(false) });
        let for_reader = Arc::clone(&shared);
        let reader = std::thread::Builder::new().name("lambda-process-logs".into()).spawn(move || read(&for_reader))?;
        Ok((child, Output { shared, reader: Some(reader) }))
    }

    #[allow(unsafe_code)] // the SAFETY comment is at the block
    fn read(shared: &Shared) {
        let fd = shared.stream.as_raw_fd();
        while !shared.stop.load(Ordering::SeqCst) {
            let mut wait = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd, living across the call; the fd is
            // owned by `shared`, which outlives this loop.
            let ready = unsafe { libc::poll(&mut wait, 1, POLL_MS) };
            if ready > 0 && !shared.drain() {
                return; // the process and everything it started are gone
            }
        }
    }

    impl Shared {
        /// Move what is waiting in the stream into the buffer; false once the
        /// stream has ended. Reading under the lock keeps the order, whoever
        /// reads: the reader thread, or `take`.
        fn drain(&self) -> bool {
            let mut buffer = self.buffer.lock().unwrap_or_else(|p| p.into_inner());
            let mut chunk = [0u8; 16 * 1024];
            loop {
                match (&self.stream).read(&mut chunk) {
                    Ok(0) => return false,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return false,
                }
            }
        }
    }

    impl Output {
        /// Everything written so far and not yet taken: bytes still in the
        /// stream are read now, so nothing written before this call is missed.
        pub(super) fn take(&self) -> String {
            self.shared.drain();
            let mut buffer = self.shared.buffer.lock().unwrap_or_else(|p| p.into_inner());
            String::from_utf8_lossy(&std::mem::take(&mut *buffer)).into_owned()
        }

        /// Stop the reader thread (after the process has stopped).
        pub(super) fn close(&mut self) {
            self.shared.stop.store(true, Ordering::SeqCst);
            if let Some(reader) = self.reader.take() {
                let _ = reader.join();
            }
        }
    }
}

/// Without Unix sockets: two pipes, each read by a thread. The order between
/// standard output and standard error is only the order the reads happened
/// in, and lines written just before an answer may show with the next one.
#[cfg(not(unix))]
mod capture {
    use std::io::{self, Read};
    use std::process::{Child, Command, Stdio};
    use std::sync::{Arc, Mutex};

    pub(super) struct Output {
        buffer: Arc<Mutex<Vec<u8>>>,
    }

    pub(super) fn spawn(command: &mut Command) -> io::Result<(Child, Output)> {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let streams: [Option<Box<dyn Read + Send>>; 2] = [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
        ];
        for mut stream in streams.into_iter().flatten() {
            let buffer = Arc::clone(&buffer);
            // Detached: it ends when the stream does.
            std::thread::Builder::new()
                .name("process-output".into())
                .spawn(move || {
                    let mut chunk = [0u8; 16 * 1024];
                    while let Ok(n @ 1..) = stream.read(&mut chunk) {
                        buffer.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(&chunk[..n]);
                    }
                })
                .expect("a thread can be started");
        }
        Ok((child, Output { buffer }))
    }

    impl Output {
        pub(super) fn take(&self) -> String {
            let mut buffer = self.buffer.lock().unwrap_or_else(|p| p.into_inner());
            String::from_utf8_lossy(&std::mem::take(&mut *buffer)).into_owned()
        }

        pub(super) fn close(&mut self) {}
    }
}

/// Why [`build_binary`] gave no program.
#[derive(Debug)]
pub enum BuildError {
    /// cargo itself could not be run.
    Cargo(String),
    /// The package did not compile; cargo has shown why on standard error.
    Failed { package: String },
    /// It compiled, but into no executable (a library).
    NoExecutable { package: String },
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Cargo(message) => f.write_str(message),
            BuildError::Failed { package } => write!(f, "{package} did not compile; the errors above say where"),
            BuildError::NoExecutable { package } => {
                write!(
                    f,
                    "{package} compiled, but it has no binary to run (a Lambda function in Rust is a binary with a main)"
                )
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// Build the binary of the workspace package `package` (`cargo build -p`,
/// with the cargo in the `CARGO` variable that cargo sets for what it runs,
/// else the one on the PATH) and return its executable. Cargo's progress and
/// the compiler's messages go to standard error, as a build's always do;
/// the executable's path is read from cargo's JSON messages, not guessed.
pub fn build_binary(package: &str) -> Result<PathBuf, BuildError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // The workspace this harness belongs to, whatever the caller's folder.
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."));
    let output = Command::new(&cargo)
        .args(["build", "--package", package, "--message-format=json-render-diagnostics"])
        .current_dir(workspace)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| BuildError::Cargo(format!("could not run cargo ({}): {e}", Path::new(&cargo).display())))?;
    if !output.status.success() {
        return Err(BuildError::Failed { package: package.to_string() });
    }
    // One compiler-artifact message per target built; the package's binaries
    // are those with an executable (a target named like the package first).
    let executables: Vec<(String, PathBuf)> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter_map(|message| {
            let path = message["executable"].as_str()?;
            Some((message["target"]["name"].as_str().unwrap_or("").to_string(), PathBuf::from(path)))
        })
        .collect();
    let named = executables.iter().find(|(name, _)| name == package);
    named
        .or(executables.first())
        .map(|(_, path)| path.clone())
        .ok_or(BuildError::NoExecutable { package: package.to_string() })
}
