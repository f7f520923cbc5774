//! One execution environment for a Rust handler: a thread of its own that
//! plays the function process. It runs the handler on a current-thread tokio
//! runtime, the way `#[tokio::main]` polls `lambda_runtime::run` on the main
//! thread, and keeps what the handler writes to its log.
//!
//! The log is what a real function writes through `tracing` once
//! `lambda_runtime::tracing::init_default_subscriber()` has set it up: the
//! same formatter settings (no target, no time, level from
//! `AWS_LAMBDA_LOG_LEVEL` or `RUST_LOG`, JSON when `AWS_LAMBDA_LOG_FORMAT`
//! is `JSON`), writing into a buffer instead of standard output. A panic's
//! message goes into the same buffer, as the standard panic hook would write
//! it to standard error. `println!` is the one thing not captured here: this
//! thread shares the test process's standard output.

use crate::pipeline::{Answer, Pipeline};
use harness::FunctionConfig;
use lambda_runtime::Context;
use lambda_runtime::tracing::subscriber::filter::{EnvFilter, LevelFilter};
use lambda_runtime::tracing::{self, Dispatch};
use std::cell::{Cell, RefCell};
use std::io::Write;
use std::str::FromStr;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

/// Makes a fresh handler for each new environment (a cold start).
pub type MakePipeline = Arc<dyn Fn() -> Box<dyn Pipeline> + Send + Sync>;

/// Bytes the function wrote, shared between its thread and the platform.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    fn write(&self, bytes: &[u8]) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(bytes);
    }

    /// Everything written since the last call (the platform cuts it into
    /// CloudWatch lines).
    pub fn take(&self) -> String {
        let bytes = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LogBuffer::write(self, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How one invocation ended, seen from the platform.
pub enum Reply {
    Answered(Answer),
    /// The deadline passed while the handler was waiting on something.
    TimedOut,
    /// The deadline passed and the thread did not come back (a loop that
    /// never awaits); it is left behind.
    Stuck,
}

struct Request {
    body: Vec<u8>,
    context: Context,
    limit: Duration,
    /// The answer, or None when the deadline passed while the handler waited.
    reply: Sender<Option<Answer>>,
}

/// How long past the deadline a handler's thread gets to come back before it
/// is abandoned.
const GRACE: Duration = Duration::from_millis(500);

pub struct Environment {
    requests: Sender<Request>,
    pub logs: LogBuffer,
    /// From creating the environment until the handler was ready for events.
    pub init: Duration,
}

impl Environment {
    /// Start the environment's thread and wait until its handler is made.
    pub fn start(make: &MakePipeline, config: &FunctionConfig) -> Result<Environment, String> {
        install_panic_capture();
        let started = Instant::now();
        let logs = LogBuffer::default();
        let (requests, incoming) = mpsc::channel::<Request>();
        let (ready_tx, ready) = mpsc::channel::<()>();
        let dispatch = log_dispatch(config, logs.clone());
        let (make, thread_logs) = (make.clone(), logs.clone());
        // Named as the thread that polls the handler in a real function is.
        std::thread::Builder::new()
            .name("main".into())
            .spawn(move || run(make, dispatch, thread_logs, incoming, ready_tx))
            .map_err(|e| format!("could not start a thread for the function: {e}"))?;
        match ready.recv() {
            Ok(()) => Ok(Environment { requests, logs, init: started.elapsed() }),
            Err(_) => Err("the function's handler could not be made (it panicked while being built)".into()),
        }
    }

    /// Send one event and wait for the answer, at most `limit` plus a grace.
    pub fn invoke(&self, body: Vec<u8>, context: Context, limit: Duration) -> Reply {
        let (reply, answer) = mpsc::channel();
        if self.requests.send(Request { body, context, limit, reply }).is_err() {
            return Reply::Stuck;
        }
        match answer.recv_timeout(limit + GRACE) {
            Ok(Some(answer)) => Reply::Answered(answer),
            Ok(None) => Reply::TimedOut,
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => Reply::Stuck,
        }
    }
}

fn run(make: MakePipeline, dispatch: Dispatch, logs: LogBuffer, incoming: Receiver<Request>, ready: Sender<()>) {
    let _subscriber = tracing::dispatcher::set_default(&dispatch);
    CAPTURE.with(|capture| *capture.borrow_mut() = Some(logs));
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_time().build() else { return };
    let mut pipeline = make();
    let _ = ready.send(());
    while let Ok(request) = incoming.recv() {
        let handled = pipeline.handle(&request.body, request.context);
        let answer = runtime.block_on(async { tokio::time::timeout(request.limit, handled).await });
        if request.reply.send(answer.ok()).is_err() {
            break;
        }
    }
}

/// The tracing subscriber `init_default_subscriber` would install, writing
/// into `logs`.
fn log_dispatch(config: &FunctionConfig, logs: LogBuffer) -> Dispatch {
    let variable = |name: &str| config.environment.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let level_text = variable("AWS_LAMBDA_LOG_LEVEL").or_else(|| variable("RUST_LOG"));
    let level = LevelFilter::from_str(level_text.as_deref().unwrap_or("INFO")).unwrap_or(LevelFilter::INFO);
    let filter =
        EnvFilter::builder().with_default_directive(level.into()).parse_lossy(variable("RUST_LOG").unwrap_or_default());
    let writer = move || logs.clone();
    let builder = lambda_runtime::tracing::subscriber::fmt()
        .with_target(false)
        .without_time()
        .with_ansi(false)
        .with_env_filter(filter)
        .with_writer(writer);
    let json = variable("AWS_LAMBDA_LOG_FORMAT").is_some_and(|f| f.eq_ignore_ascii_case("json"));
    if json { Dispatch::new(builder.json().finish()) } else { Dispatch::new(builder.finish()) }
}

thread_local! {
    /// Set on an environment's thread: where its panic messages go.
    static CAPTURE: RefCell<Option<LogBuffer>> = const { RefCell::new(None) };
    /// Set on an environment's thread once a panic has been written.
    static NOTED: Cell<bool> = const { Cell::new(false) };
}

/// Once per process: a panic on an environment's thread is written to its
/// log, in the standard hook's words; any other panic goes to the hook that
/// was there before.
fn install_panic_capture() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|capture| capture.borrow().clone());
            let Some(logs) = captured else { return previous(info) };
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "Box<dyn Any>".into());
            let location =
                info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
            let name = std::thread::current().name().unwrap_or("<unnamed>").to_string();
            // The standard hook adds the backtrace note to a process's first panic only.
            let note = if NOTED.replace(true) {
                ""
            } else {
                "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
            };
            logs.write(
                format!("\nthread '{name}'{} panicked at {location}:\n{message}\n{note}", os_thread_id()).as_bytes(),
            );
        }));
    });
}

/// The standard hook names the thread's operating-system id too, as
/// ` (12345)`; in a function's process the polling thread is the main one,
/// whose id is the process id.
#[allow(unsafe_code)] // the SAFETY comment is at the block
#[cfg(target_os = "linux")]
fn os_thread_id() -> String {
    // SAFETY: gettid has no preconditions and cannot fail.
    format!(" ({})", unsafe { libc::gettid() })
}

#[cfg(not(target_os = "linux"))]
fn os_thread_id() -> String {
    String::new()
}
