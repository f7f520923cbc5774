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
//! Not modelled: response streaming's metadata prelude (a streamed body is
//! returned as the raw bytes received), SnapStart's `/restore` endpoints,
//! extensions and telemetry, and concurrency above one invocation at a time
//! per queue slot (Lambda Managed Instances).

mod http;
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
    Error {
        error_type: String,
        payload: Vec<u8>,
    },
    /// The runtime posted to /init/error (before or during this invoke).
    InitError {
        error_type: String,
        payload: Vec<u8>,
    },
    /// The deadline passed with no answer; the caller should kill the
    /// process, as Lambda resets the environment after a timeout.
    Timeout,
    /// The function process exited before answering (only from
    /// [`RuntimeApi::invoke_process`]).
    ProcessExited,
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
}

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
        std::thread::Builder::new()
            .name("runtime-api-accept".into())
            .spawn(move || server::serve(listener, s))?;
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
        self.invoke_inner(payload, deadline, ctx, || {
            matches!(child.try_wait(), Ok(Some(_)))
        })
    }

    fn invoke_inner(
        &self,
        payload: Vec<u8>,
        deadline: Duration,
        ctx: InvokeContext,
        mut exited: impl FnMut() -> bool,
    ) -> Outcome {
        let id = ctx.request_id.clone();
        let start = Instant::now();
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        let mut inner = self.shared.lock();
        if let Some((error_type, payload)) = inner.init_error.take() {
            return Outcome::InitError {
                error_type,
                payload,
            };
        }
        inner.queue.push_back(Queued {
            ctx,
            payload,
            deadline_epoch_ms: now_ms + deadline.as_millis(),
        });
        self.shared.changed.notify_all();
        loop {
            if let Some(outcome) = inner.results.remove(&id) {
                return outcome;
            }
            let timed_out = start.elapsed() >= deadline;
            let init_error = inner.init_error.take();
            // Checking the process under the lock is fine: try_wait does not block.
            let gone = init_error.is_none() && !timed_out && exited();
            if timed_out || init_error.is_some() || gone {
                // Forget the invocation, so a late answer gets 400 (unknown
                // request id) rather than being mistaken for the next one's.
                inner.queue.retain(|q| q.ctx.request_id != id);
                inner.in_flight.remove(&id);
                return match init_error {
                    Some((error_type, payload)) => Outcome::InitError {
                        error_type,
                        payload,
                    },
                    None if gone => Outcome::ProcessExited,
                    None => Outcome::Timeout,
                };
            }
            // Wake at least every 50 ms to poll the child process.
            let left = deadline
                .saturating_sub(start.elapsed())
                .min(Duration::from_millis(50));
            inner = self
                .shared
                .changed
                .wait_timeout(inner, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the /next waiters and the accept loop (blocked in accept()).
        self.shared.changed.notify_all();
        let _ = std::net::TcpStream::connect(&self.addr);
    }
}
