//! A local AWS Lambda Runtime API on loopback.
//!
//! In Lambda, the function process does not listen: it is a client of the
//! Runtime API that the service serves inside the execution environment, at
//! the address in `AWS_LAMBDA_RUNTIME_API`. The runtime loops on
//! `GET /2018-06-01/runtime/invocation/next` (which blocks until there is an
//! event) and answers each event with `POST .../invocation/{id}/response` or
//! `.../invocation/{id}/error`; a runtime that cannot start reports
//! `POST .../init/error`. This crate models that contract, version
//! 2018-06-01, as documented in "Using the Lambda runtime API for custom
//! runtimes": <https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html>.
//!
//! It lets a real runtime client (the Rust `lambda_runtime` crate, or any
//! other) be run end to end on one machine: start a [`RuntimeApi`], start the
//! function process with `AWS_LAMBDA_RUNTIME_API` set to [`RuntimeApi::addr`],
//! then call [`RuntimeApi::invoke`].
//!
//! The service also watches the runtime's /next requests, because they mark
//! the phases of an execution environment: the first one ends the init phase
//! (its moment, [`RuntimeApi::first_next_at`], is what Init Duration measures
//! to; [`RuntimeApi::wait_for_init`] waits for it, for an /init/error or for
//! the process to exit), and each later one says the runtime has finished an
//! invocation, its log output included ([`RuntimeApi::wait_for_next_request`]).
//!
//! Not modelled: response streaming's metadata prelude (a streamed body is
//! returned as the raw bytes received), SnapStart's `/restore` endpoints,
//! extensions and telemetry, and concurrency above one invocation at a time
//! per queue slot (Lambda Managed Instances).

pub mod http;
mod server;

use std::collections::{HashMap, VecDeque};
use std::io;
use std::net::TcpListener;
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What the service knows about an invocation, sent to the runtime as the
/// `Lambda-Runtime-*` headers of the /next response.
#[derive(Clone, Debug, Default)]
pub struct InvokeContext {
    pub request_id: String,
    pub invoked_function_arn: String,
    /// The X-Ray tracing header value (`Root=...;Parent=...;Sampled=...`).
    pub trace_id: String,
    /// JSON, for invocations from the AWS Mobile SDK.
    pub client_context: Option<String>,
    /// JSON, for invocations from the AWS Mobile SDK.
    pub cognito_identity: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The body the runtime posted to /invocation/{id}/response.
    Response(Vec<u8>),
    /// The runtime posted to /invocation/{id}/error. `error_type` is the
    /// `errorType` of the JSON body when there is one, else the
    /// `Lambda-Runtime-Function-Error-Type` header.
    Error { error_type: String, payload: Vec<u8> },
    /// The runtime posted to /init/error (before or during this invoke).
    InitError { error_type: String, payload: Vec<u8> },
    /// The deadline passed with no answer; the caller should kill the
    /// process, as Lambda resets the environment after a timeout.
    Timeout,
    /// The function process exited before answering (only from
    /// [`RuntimeApi::invoke_process`]).
    ProcessExited,
}

/// How a runtime's init phase ended (see [`RuntimeApi::wait_for_init`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Init {
    /// The runtime sent its first GET /next, at this moment: it is ready.
    Ready(Instant),
    /// The runtime posted to /init/error (same fields as [`Outcome::InitError`]).
    Failed { error_type: String, payload: Vec<u8> },
    /// The function process exited before asking for work.
    ProcessExited,
    /// The limit passed with neither.
    Timeout,
}

/// Counters of what the client actually did on the wire, to check
/// assumptions (keep-alive, chunked bodies) rather than guess at them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub connections: u64,
    pub requests: u64,
    pub chunked_bodies: u64,
}

struct Queued {
    ctx: InvokeContext,
    payload: Vec<u8>,
    deadline_epoch_ms: u128,
}

#[derive(Default)]
struct Inner {
    queue: VecDeque<Queued>,
    /// Request ids handed to the runtime and not yet answered.
    in_flight: HashMap<String, ()>,
    results: HashMap<String, Outcome>,
    /// Kept until an invoke returns it: an init error is sticky the way a
    /// failed init is in Lambda (the next invocation fails with it).
    init_error: Option<(String, Vec<u8>)>,
    /// GET /next requests received so far, counted on arrival (before they
    /// block): a runtime asking for work has finished what it was doing.
    next_requests: u64,
    /// When the first of them arrived: the end of the init phase.
    first_next_at: Option<Instant>,
}

/// How a [`RuntimeApi::wait_for`] ended.
enum Waited<T> {
    Ready(T),
    TimedOut,
    Exited,
}

/// How often a wait looks at the function process, which cannot wake a
/// condition variable when it exits. A crash is noticed this late at most
/// (and its invocation's Duration is that much longer); each look is one
/// non-blocking `waitpid`, so looking often costs next to nothing.
const POLL_PROCESS: Duration = Duration::from_millis(5);

pub(crate) struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
    shutdown: AtomicBool,
    connections: AtomicU64,
    requests: AtomicU64,
    chunked_bodies: AtomicU64,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panicking connection thread must not take the whole API down.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub struct RuntimeApi {
    addr: String,
    shared: Arc<Shared>,
}

impl RuntimeApi {
    /// Binds 127.0.0.1 on a free port and serves on a background thread.
    pub fn start() -> io::Result<RuntimeApi> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?.to_string();
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner::default()),
            changed: Condvar::new(),
            shutdown: AtomicBool::new(false),
            connections: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            chunked_bodies: AtomicU64::new(0),
        });
        let s = shared.clone();
        std::thread::Builder::new().name("runtime-api-accept".into()).spawn(move || server::serve(listener, s))?;
        Ok(RuntimeApi { addr, shared })
    }

    /// `127.0.0.1:PORT`: the value for the function's `AWS_LAMBDA_RUNTIME_API`.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    pub fn stats(&self) -> Stats {
        Stats {
            connections: self.shared.connections.load(Ordering::Relaxed),
            requests: self.shared.requests.load(Ordering::Relaxed),
            chunked_bodies: self.shared.chunked_bodies.load(Ordering::Relaxed),
        }
    }

    /// GET /next requests the runtime has sent so far.
    pub fn next_requests(&self) -> u64 {
        self.shared.lock().next_requests
    }

    /// When the runtime first asked for work (None if it has not yet).
    pub fn first_next_at(&self) -> Option<Instant> {
        self.shared.lock().first_next_at
    }

    /// Blocks until the init phase ends: the runtime's first GET /next
    /// ([`Init::Ready`], with its moment), an /init/error, `child` exiting,
    /// or `limit` passing. An init error is taken here, so a later invoke
    /// does not report it again.
    pub fn wait_for_init(&self, limit: Duration, child: Option<&mut Child>) -> Init {
        let (_inner, waited) = self.wait_for(limit, exit_check(child), |inner| {
            // An error first: a runtime that reported one may still ask for work.
            match inner.init_error.take() {
                Some((error_type, payload)) => Some(Init::Failed { error_type, payload }),
                None => inner.first_next_at.map(Init::Ready),
            }
        });
        match waited {
            Waited::Ready(init) => init,
            Waited::TimedOut => Init::Timeout,
            Waited::Exited => Init::ProcessExited,
        }
    }

    /// Blocks until the runtime has sent more than `seen` GET /next
    /// requests, `child` exits or `limit` passes; true in the first case.
    /// After an answer, the runtime's next /next says it has finished the
    /// invocation: what it wrote to its output before is all written.
    pub fn wait_for_next_request(&self, seen: u64, limit: Duration, child: Option<&mut Child>) -> bool {
        let (_inner, waited) =
            self.wait_for(limit, exit_check(child), |inner| (inner.next_requests > seen).then_some(()));
        matches!(waited, Waited::Ready(()))
    }

    /// Queues one invocation and blocks until the runtime answers it, or
    /// `deadline` (measured from now, like the function timeout) passes.
    pub fn invoke(&self, payload: Vec<u8>, deadline: Duration, ctx: InvokeContext) -> Outcome {
        self.invoke_inner(payload, deadline, ctx, || false)
    }

    /// Like [`invoke`](Self::invoke), but also returns
    /// [`Outcome::ProcessExited`] if `child` exits before answering, so a
    /// crashed function does not cost the whole deadline.
    pub fn invoke_process(
        &self,
        child: &mut Child,
        payload: Vec<u8>,
        deadline: Duration,
        ctx: InvokeContext,
    ) -> Outcome {
        self.invoke_inner(payload, deadline, ctx, exit_check(Some(child)))
    }

    fn invoke_inner(
        &self,
        payload: Vec<u8>,
        deadline: Duration,
        ctx: InvokeContext,
        exited: impl FnMut() -> bool,
    ) -> Outcome {
        let id = ctx.request_id.clone();
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
        {
            let mut inner = self.shared.lock();
            if let Some((error_type, payload)) = inner.init_error.take() {
                return Outcome::InitError { error_type, payload };
            }
            inner.queue.push_back(Queued { ctx, payload, deadline_epoch_ms: now_ms + deadline.as_millis() });
            self.shared.changed.notify_all();
        }
        let (mut inner, waited) = self.wait_for(deadline, exited, |inner| {
            inner.results.remove(&id).or_else(|| {
                let (error_type, payload) = inner.init_error.take()?;
                Some(Outcome::InitError { error_type, payload })
            })
        });
        let outcome = match waited {
            Waited::Ready(outcome @ Outcome::InitError { .. }) => outcome,
            Waited::Ready(answer) => return answer,
            Waited::TimedOut => Outcome::Timeout,
            Waited::Exited => Outcome::ProcessExited,
        };
        // Forget the invocation, so a late answer gets 400 (unknown request
        // id) rather than being mistaken for the next one's.
        inner.queue.retain(|q| q.ctx.request_id != id);
        inner.in_flight.remove(&id);
        outcome
    }

    /// Waits under the lock until `ready` finds what it looks for, `limit`
    /// passes or `exited` says the process is gone (checked in that order);
    /// returns the lock too, for the caller to tidy up under it.
    fn wait_for<T>(
        &self,
        limit: Duration,
        mut exited: impl FnMut() -> bool,
        mut ready: impl FnMut(&mut Inner) -> Option<T>,
    ) -> (std::sync::MutexGuard<'_, Inner>, Waited<T>) {
        let start = Instant::now();
        let mut inner = self.shared.lock();
        loop {
            if let Some(value) = ready(&mut inner) {
                return (inner, Waited::Ready(value));
            }
            if start.elapsed() >= limit {
                return (inner, Waited::TimedOut);
            }
            // Checking the process under the lock is fine: try_wait does not block.
            if exited() {
                return (inner, Waited::Exited);
            }
            let left = limit.saturating_sub(start.elapsed()).min(POLL_PROCESS);
            inner = self.shared.changed.wait_timeout(inner, left).unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}

/// "Has the process exited?", for a wait; always no without a process.
fn exit_check(mut child: Option<&mut Child>) -> impl FnMut() -> bool {
    move || child.as_mut().is_some_and(|c| matches!(c.try_wait(), Ok(Some(_))))
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the /next waiters and the accept loop (blocked in accept()).
        self.shared.changed.notify_all();
        let _ = std::net::TcpStream::connect(&self.addr);
    }
}
