//! One execution environment: a worker thread that owns a runtime-client
//! `Environment` object and runs its init and invocations. Running them on a
//! thread of their own is what lets the platform walk away from a handler that
//! never returns: the caller waits with a deadline, never on the handler itself.

use crate::function::children::{self, Children};
use crate::python;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce(Python<'_>, &Py<PyAny>) + Send>;

/// How long each side polls before it sleeps. Waking a sleeping thread costs
/// tens of microseconds on a small VM, twice per invocation; a warm invoke
/// usually answers well within this window, so polling first halves the
/// harness's overhead for a few microseconds of spinning.
pub(crate) const SPIN: Duration = Duration::from_micros(60);

/// Receive from `channel`, polling for `spin` before sleeping, and giving up
/// after `limit` (None: wait as long as it takes). None when the sender is
/// gone or the limit has passed.
pub(crate) fn receive<T>(channel: &mpsc::Receiver<T>, spin: Duration, limit: Option<Duration>) -> Option<T> {
    let started = Instant::now();
    loop {
        match channel.try_recv() {
            Ok(value) => return Some(value),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) if started.elapsed() < spin => std::hint::spin_loop(),
            Err(mpsc::TryRecvError::Empty) => break,
        }
    }
    match limit {
        None => channel.recv().ok(),
        Some(limit) => channel.recv_timeout(limit.saturating_sub(started.elapsed())).ok(),
    }
}

/// Outcome codes shared with runtime/faults.py.
pub(crate) const RESULT: u8 = 0;
pub(crate) const ERROR: u8 = 1;
pub(crate) const EXIT: u8 = 2;
pub(crate) const TIMEOUT: u8 = 3;

pub(crate) struct Environment {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// The interpreter's id of the worker thread, for interrupting it.
    pub(crate) ident: u64,
    /// The worker thread's id for the kernel (/proc/self/task/TID), whose
    /// children are the processes the handler started.
    tid: i32,
    object: Arc<Py<PyAny>>,
    /// The processes the handler started, frozen between invocations and
    /// killed with the environment.
    children: Children,
}

/// What the runtime client said after init.
pub(crate) enum InitOutcome {
    Ready,
    /// The init error payload (JSON text).
    Failed(String),
    Exited(i32),
    TimedOut,
}

/// What the runtime client said after an invocation.
pub(crate) struct InvokeReply {
    pub code: u8,
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub exit_status: i32,
    pub duration: Duration,
    /// What the environment wrote during the invocation.
    pub logs: String,
    /// The threads the handler started and left running (kernel ids).
    pub threads: Vec<i32>,
}

/// Settings for a new environment.
pub(crate) struct Spec {
    pub task_root: String,
    pub handler: String,
    pub variables: Vec<(String, String)>,
    pub ensure_ascii: bool,
    /// The function's virtual clock (a runtime `VirtualClock`), if it has one.
    pub clock: Option<Arc<Py<PyAny>>>,
    /// `breakpoint()` opens pdb at the terminal.
    pub debug: bool,
    /// The layers' folders on the import path, in order (see
    /// [`crate::FunctionConfig::layers`]).
    pub layer_paths: Vec<String>,
}

/// One request to invoke.
pub(crate) struct Request {
    pub request_id: String,
    pub payload: Vec<u8>,
    pub timeout_ms: u64,
    pub arn: String,
    pub client_context: Option<String>,
    pub identity: Option<String>,
    pub trace_id: String,
    pub tenant_id: Option<String>,
}

impl Environment {
    /// Start the worker thread and create the runtime client's environment on it.
    pub(crate) fn create(spec: Spec) -> Result<Self, String> {
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(u64, i32, Arc<Py<PyAny>>), String>>();
        let thread = std::thread::Builder::new()
            .name("lambda-environment".into())
            .spawn(move || {
                let created = Python::attach(|py| -> Result<Py<PyAny>, String> {
                    let runtime = python::runtime(py).map_err(|e| e.0)?;
                    let object = runtime
                        .getattr("Environment")
                        .and_then(|class| {
                            let clock = spec.clock.as_ref().map(|c| c.clone_ref(py));
                            class.call1((
                                spec.task_root,
                                spec.handler,
                                spec.variables.into_iter().collect::<std::collections::HashMap<_, _>>(),
                                spec.ensure_ascii,
                                clock,
                                spec.debug,
                                spec.layer_paths,
                            ))
                        })
                        .map_err(|e| format!("The harness could not create an environment: {e}"))?;
                    Ok(object.unbind())
                });
                let object = match created {
                    Ok(object) => Arc::new(object),
                    Err(message) => {
                        let _ = ready_tx.send(Err(message));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok((python::thread_ident(), children::current_thread(), Arc::clone(&object))));
                while let Some(job) = receive(&jobs_rx, SPIN, None) {
                    Python::attach(|py| job(py, &object));
                }
            })
            .map_err(|e| format!("could not start a worker thread: {e}"))?;
        let (ident, tid, object) =
            ready_rx.recv().map_err(|_| "the environment's worker thread stopped while starting".to_string())??;
        Ok(Environment { jobs: Some(jobs_tx), thread: Some(thread), ident, tid, object, children: Children::new() })
    }

    fn submit<T: Send + 'static>(
        &self,
        job: impl FnOnce(Python<'_>, &Py<PyAny>) -> T + Send + 'static,
    ) -> mpsc::Receiver<T> {
        let (tx, rx) = mpsc::channel();
        let boxed: Job = Box::new(move |py, env| {
            let _ = tx.send(job(py, env));
        });
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(boxed);
        }
        rx
    }

    /// Start importing the handler module; the receiver yields the outcome and
    /// how long init took.
    /// Import the handler; `limit` is how long this attempt may take, which
    /// a virtual clock enforces itself (a sleep past it is a timeout at once).
    pub(crate) fn init(&self, limit: Duration) -> mpsc::Receiver<(InitOutcome, Duration, String, Vec<i32>)> {
        let limit_ms = limit.as_millis() as u64;
        self.submit(move |py, env| {
            let started = Instant::now();
            let outcome = match env.bind(py).call_method1("init", (limit_ms,)) {
                Ok(value) if value.is_none() => InitOutcome::Ready,
                Ok(value) => read_init_failure(py, &value),
                Err(err) => InitOutcome::Failed(harness_error_payload(py, &err)),
            };
            let elapsed = started.elapsed();
            (outcome, elapsed, take_logs(py, env), handler_threads(py))
        })
    }

    /// Start one invocation; the receiver yields the reply.
    pub(crate) fn invoke(&self, request: Request) -> mpsc::Receiver<InvokeReply> {
        self.submit(move |py, env| {
            let started = Instant::now();
            let payload = PyBytes::new(py, &request.payload);
            let args = (
                request.request_id,
                payload,
                "application/json",
                request.timeout_ms,
                request.arn,
                request.client_context,
                request.identity,
                request.trace_id,
                request.tenant_id,
            );
            let reply = env.bind(py).call_method1("invoke", args);
            let real_duration = started.elapsed();
            let mut reply = reply.and_then(|tuple| read_invoke_reply(&tuple)).unwrap_or_else(|err| InvokeReply {
                code: ERROR,
                body: harness_error_payload(py, &err).into_bytes(),
                content_type: Some("application/json".into()),
                exit_status: 0,
                duration: Duration::ZERO,
                logs: String::new(),
                threads: Vec::new(),
            });
            // On a virtual clock the invocation took the time it slept.
            if reply.duration.is_zero() {
                reply.duration = real_duration;
            }
            reply.logs = take_logs(py, env);
            reply.threads = handler_threads(py);
            reply
        })
    }

    /// Everything the environment wrote and nobody collected yet, read from the
    /// calling thread (the worker may be stuck). None if Python is unreachable.
    pub(crate) fn take_logs_now(&self) -> Option<String> {
        let object = Arc::clone(&self.object);
        python::attach_within(Duration::from_secs(1), move |py| take_logs(py, &object))
    }

    pub(crate) fn object(&self) -> Arc<Py<PyAny>> {
        Arc::clone(&self.object)
    }

    /// The end of an init or an invocation, as Lambda freezes the environment:
    /// adopt the processes the handler started (children of the worker
    /// thread and of the threads it started) and stop them all.
    /// `threads` are those the handler started, as the worker saw them.
    pub(crate) fn freeze(&self, threads: &[i32]) {
        let mut all = vec![self.tid];
        all.extend_from_slice(threads);
        self.children.adopt_and_freeze(&all);
    }

    /// The start of the next invocation: the processes left running go on.
    pub(crate) fn thaw(&self) {
        self.children.thaw();
    }

    /// Shut the environment down: forget its modules and end the worker.
    /// When `stuck` is true the worker is left behind (it never came back from
    /// the handler); its output is dropped from then on.
    pub(crate) fn discard(mut self, stuck: bool) {
        // Nothing the handler started outlives its environment.
        self.children.adopt_and_freeze(&[self.tid]);
        self.children.kill();
        let object = Arc::clone(&self.object);
        let ident = self.ident;
        let forget = move |py: Python<'_>| {
            let _ = object.bind(py).call_method0("discard");
            if stuck {
                if let Ok(runtime) = python::runtime(py) {
                    let _ = runtime.call_method1("abandon_thread", (ident,));
                }
            }
        };
        if stuck {
            let _ = python::attach_within(Duration::from_secs(1), forget);
            self.jobs = None;
            drop(self.thread.take()); // detached: it may never return
        } else {
            Python::attach(forget);
            self.jobs = None; // closing the channel ends the worker loop
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

/// The kernel ids of the threads handlers started (see sandbox.handler_threads).
fn handler_threads(py: Python<'_>) -> Vec<i32> {
    python::runtime(py)
        .ok()
        .and_then(|runtime| runtime.call_method0("handler_threads").and_then(|ids| ids.extract()).ok())
        .unwrap_or_default()
}

fn take_logs(py: Python<'_>, env: &Py<PyAny>) -> String {
    match env.bind(py).call_method0("take_logs").and_then(|data| data.extract::<Vec<u8>>()) {
        Ok(data) => String::from_utf8_lossy(&data).into_owned(),
        Err(err) => format!("[the harness could not read this invocation's log: {err}]\n"),
    }
}

fn read_init_failure(py: Python<'_>, value: &Bound<'_, PyAny>) -> InitOutcome {
    if let Ok((code, status)) = value.extract::<(u8, Option<i32>)>() {
        return match code {
            EXIT => InitOutcome::Exited(status.unwrap_or(1)),
            _ => InitOutcome::TimedOut,
        };
    }
    match value.extract::<String>() {
        Ok(text) => InitOutcome::Failed(text),
        Err(err) => InitOutcome::Failed(harness_error_payload(py, &err)),
    }
}

fn read_invoke_reply(tuple: &Bound<'_, PyAny>) -> PyResult<InvokeReply> {
    let (code, body, content_type, virtual_ns): (u8, Bound<'_, PyAny>, Option<String>, Option<u64>) =
        tuple.extract()?;
    let mut reply = InvokeReply {
        code,
        body: Vec::new(),
        content_type,
        exit_status: 0,
        duration: virtual_ns.map_or(Duration::ZERO, Duration::from_nanos),
        logs: String::new(),
        threads: Vec::new(),
    };
    match code {
        RESULT | ERROR => reply.body = body.extract::<Vec<u8>>()?,
        EXIT => reply.exit_status = body.extract::<i32>()?,
        _ => {}
    }
    Ok(reply)
}

/// A failure inside the harness itself, shaped like a runtime error so that it
/// still reaches the learner through the usual path.
fn harness_error_payload(py: Python<'_>, err: &PyErr) -> String {
    let message = format!("The local Lambda harness failed: {}", err.value(py));
    serde_json::json!({
        "errorMessage": message,
        "errorType": "Harness.InternalError",
        "requestId": "",
        "stackTrace": [],
    })
    .to_string()
}
