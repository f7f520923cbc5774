//! The gateway: an HTTP/1.1 proxy on loopback between the functions' SDKs
//! and moto, which knows who is calling.
//!
//! Each request is read whole, then:
//! 1. the caller is identified by the access key of its SigV4 credential
//!    scope; a key the gateway did not issue is answered at once, in the
//!    service's words, with a note saying whose keys work here;
//! 2. the call is described (service, operation, resource) and the
//!    registration's policy, if any, may refuse it with AccessDenied;
//! 3. the request goes to moto with `x-moto-account-id` set to the
//!    registration's account, which moto 5 uses to pick the account's
//!    backends (`moto/core/responses.py`, `get_current_account`), so each
//!    function has its own buckets, tables and queues;
//! 4. moto's answer goes back, and the call is logged with its status and
//!    error code.
//!
//! A thread per connection, as in the Runtime API: SDKs keep a few
//! connections alive and reuse them, and a blocking read per connection is
//! the simplest correct design at that scale. Each connection has its own
//! keep-alive connection to moto. Every read and write has a time limit,
//! so a dead or stuck peer on either side ends in an error response or a
//! closed connection, never in a thread that waits forever.

use crate::call::{self, Call, CallInfo, Credential, Protocol};
use crate::errors::{self, Failure, Reply};
use crate::fault::Fault;
use crate::ids;
use crate::server::MotoServer;
use runtime_api::http::{self, Request, Response};
use std::collections::HashMap;
use std::io::{self, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// A policy: consulted before each call of a registration is forwarded; a
/// [`crate::Denial`] refuses the call with the service's AccessDenied.
pub type Policy = Box<dyn Fn(&CallInfo) -> Option<crate::Denial> + Send + Sync>;

/// The gateway's time limits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub(crate) upstream: Duration,
    pub(crate) idle: Duration,
}

/// What the gateway knows about one registered function.
pub(crate) struct Caller {
    pub(crate) account_id: String,
    pub(crate) region: String,
    pub(crate) policy: Option<Policy>,
    pub(crate) calls: Mutex<Vec<Call>>,
    /// Failures planned on purpose, and how many attempts of each
    /// operation have been made.
    pub(crate) faults: Mutex<Vec<Fault>>,
    pub(crate) attempts: Mutex<HashMap<String, u32>>,
}

impl Caller {
    /// The fault planned for this attempt of `operation`, counting it.
    fn fault_for(&self, operation: &str) -> Option<Fault> {
        let mut attempts = lock(&self.attempts);
        let count = attempts.entry(operation.to_string()).or_insert(0);
        *count += 1;
        let count = *count;
        lock(&self.faults).iter().find(|f| f.operation == operation && f.attempt == count).cloned()
    }
}

/// moto, from the gateway's side: started on the first call that needs it,
/// so that functions that never call AWS never pay for it.
pub(crate) enum Moto {
    /// Not started yet. The interpreter to start it with, or, when there is
    /// none, the sentence that says what to do (`cargo lab setup`).
    Later {
        python: Result<PathBuf, String>,
        start_timeout: Duration,
    },
    Running(MotoServer),
    /// It could not start, or the gateway is stopping: said to every call.
    Unavailable(String),
}

/// State shared by the accept loop, the connections and the registrations.
pub(crate) struct Shared {
    moto: Mutex<Moto>,
    limits: Limits,
    /// Registrations by access key id.
    callers: Mutex<HashMap<String, Arc<Caller>>>,
    /// Every account id handed out, so none is handed out twice: moto keeps
    /// an account's resources after its registration is gone.
    accounts_used: Mutex<Vec<String>>,
    /// The open client connections, to shut them down with the gateway.
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
    shutdown: AtomicBool,
}

pub(crate) struct Gateway {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not take the gateway down with it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Gateway {
    pub(crate) fn start(moto: Moto, limits: Limits) -> io::Result<Gateway> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            moto: Mutex::new(moto),
            limits,
            callers: Mutex::new(HashMap::new()),
            accounts_used: Mutex::new(Vec::new()),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
        });
        let for_loop = shared.clone();
        let accept = std::thread::Builder::new()
            .name("local-aws-gateway".into())
            .spawn(move || accept_loop(listener, for_loop))?;
        Ok(Gateway { addr, shared, accept: Some(accept) })
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        // Wake the accept loop with a connection of our own.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for (_, stream) in lock(&self.shared.connections).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        // moto goes with the gateway (killed and waited for), whoever still
        // holds the shared state.
        *lock(&self.shared.moto) = Moto::Unavailable("the local AWS has stopped".into());
    }
}

impl Shared {
    /// moto's address, starting it first if this is the first call.
    pub(crate) fn moto_addr(&self) -> Result<SocketAddr, String> {
        let mut moto = lock(&self.moto);
        if let Moto::Later { python, start_timeout } = &*moto {
            *moto = match python {
                Ok(python) => match MotoServer::start_within(python, *start_timeout) {
                    Ok(server) => Moto::Running(server),
                    Err(error) => Moto::Unavailable(format!("The local AWS could not start: {error}")),
                },
                Err(message) => Moto::Unavailable(message.clone()),
            };
        }
        match &*moto {
            Moto::Running(server) => Ok(SocketAddr::from(([127, 0, 0, 1], server.port()))),
            Moto::Unavailable(message) => Err(message.clone()),
            Moto::Later { .. } => unreachable!("started above"),
        }
    }

    /// Run `f` on moto's server, if it is running.
    pub(crate) fn with_moto<T>(&self, f: impl FnOnce(&MotoServer) -> T) -> Option<T> {
        match &*lock(&self.moto) {
            Moto::Running(server) => Some(f(server)),
            _ => None,
        }
    }

    /// Registers a function: fresh credentials and a fresh account.
    pub(crate) fn register(&self, region: &str, policy: Option<Policy>) -> (ids::Credentials, Arc<Caller>) {
        let account_id = {
            let mut used = lock(&self.accounts_used);
            let id = ids::account_id(&used);
            used.push(id.clone());
            id
        };
        self.register_in(account_id, region, policy)
    }

    /// Registers one more caller in an account already handed out.
    pub(crate) fn register_in(
        &self,
        account_id: String,
        region: &str,
        policy: Option<Policy>,
    ) -> (ids::Credentials, Arc<Caller>) {
        let caller = Arc::new(Caller {
            account_id,
            region: region.to_string(),
            policy,
            calls: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            attempts: Mutex::new(HashMap::new()),
        });
        let mut callers = lock(&self.callers);
        let keys = loop {
            let keys = ids::credentials();
            if !callers.contains_key(&keys.access_key_id) {
                break keys;
            }
        };
        callers.insert(keys.access_key_id.clone(), caller.clone());
        (keys, caller)
    }

    pub(crate) fn unregister(&self, access_key_id: &str) {
        lock(&self.callers).remove(access_key_id);
    }

    fn caller(&self, access_key_id: &str) -> Option<Arc<Caller>> {
        lock(&self.callers).get(access_key_id).cloned()
    }
}

impl Caller {
    pub(crate) fn calls(&self) -> Vec<Call> {
        lock(&self.calls).clone()
    }

    pub(crate) fn take_calls(&self) -> Vec<Call> {
        std::mem::take(&mut *lock(&self.calls))
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let id = shared.next_connection.fetch_add(1, Ordering::Relaxed);
        if let Ok(clone) = stream.try_clone() {
            lock(&shared.connections).insert(id, clone);
        }
        let for_thread = shared.clone();
        let spawned = std::thread::Builder::new().name("local-aws-connection".into()).spawn(move || {
            let _ = serve(stream, id, &for_thread);
            lock(&for_thread.connections).remove(&id);
        });
        if spawned.is_err() {
            // Out of threads: the connection is dropped, and the SDK retries.
            lock(&shared.connections).remove(&id);
        }
    }
}

/// One client connection, request after request, until the client closes
/// it, stays idle past the limit, or the gateway shuts down. `connection`
/// is the gateway's number for it, recorded on each of its calls.
fn serve(stream: TcpStream, connection: u64, shared: &Shared) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(shared.limits.idle))?;
    stream.set_write_timeout(Some(shared.limits.upstream))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut upstream: Option<Upstream> = None;
    while let Some(mut req) = http::read_request_head(&mut reader)? {
        if req.header("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue")) {
            // botocore sends S3 bodies from files only after this (or after
            // waiting a second for it).
            writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
            writer.flush()?;
        }
        http::read_request_body(&mut reader, &mut req)?;
        let head = req.method.eq_ignore_ascii_case("HEAD");
        match handle(shared, connection, &req, &mut upstream) {
            Answer::Moto(resp) => write_forwarded(&mut writer, &resp, head)?,
            Answer::Own(reply) => write_own(&mut writer, &reply, head)?,
        }
        if req.wants_close() || shared.shutdown.load(Ordering::SeqCst) {
            break;
        }
    }
    Ok(())
}

enum Answer {
    Moto(Response),
    Own(Reply),
}

fn handle(shared: &Shared, connection: u64, req: &Request, upstream: &mut Option<Upstream>) -> Answer {
    let request_id = ids::request_id();
    let (path, _) = call::split_target(&req.path);
    if path.starts_with("/moto-api") {
        // moto's control API (reset, state) would reach every account at
        // once; functions get AWS's APIs only.
        let reply = Reply {
            status: 404,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: b"moto's own API is not open to functions through the local AWS gateway\n".to_vec(),
        };
        return Answer::Own(reply);
    }
    let Some(credential) = call::credential(req) else {
        let service = unsigned_service(req);
        let protocol = call::protocol(req, &service);
        let message = "The request is not signed. Local AWS: every call must be signed with the credentials the \
                       workshop gives the function (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN in \
                       its environment); an unsigned client (botocore's UNSIGNED config) cannot reach it.";
        return Answer::Own(errors::reply(Failure::Unsigned, protocol, &service, message, &request_id));
    };
    let protocol = call::protocol(req, &credential.service);
    let Some(caller) = shared.caller(&credential.access_key_id) else {
        return Answer::Own(unknown_key(&credential, protocol, &request_id));
    };
    let info = call::describe(req, &credential, &caller.account_id, &caller.region);
    if let Some(denial) = caller.policy.as_ref().and_then(|policy| policy(&info)) {
        let reply = errors::reply(Failure::AccessDenied, protocol, &info.service, &denial.message, &request_id);
        record(&caller, connection, info, reply.status, own_error_code(&reply, req));
        return Answer::Own(reply);
    }
    if let Some(fault) = caller.fault_for(&info.operation) {
        let reply = errors::fault_reply(&fault, protocol, &info.service, &request_id);
        record(&caller, connection, info, reply.status, Some(fault.code.clone()));
        return Answer::Own(reply);
    }
    let moto = match shared.moto_addr() {
        Ok(addr) => addr,
        Err(message) => {
            let reply = errors::reply(Failure::Unavailable, protocol, &info.service, &message, &request_id);
            record(&caller, connection, info, reply.status, own_error_code(&reply, req));
            return Answer::Own(reply);
        }
    };
    match forward(shared, moto, req, &caller.account_id, upstream) {
        Ok(resp) if moto_failed_inside(&resp) => {
            let message = format!(
                "The local AWS (moto) cannot serve {} {}: moto does not implement this operation, or failed on this \
                 request. Local AWS: the workshop's AWS is moto, which models the common operations of S3, DynamoDB \
                 and SQS, not all of them.",
                info.service, info.operation
            );
            let reply = errors::reply(Failure::NotServed, protocol, &info.service, &message, &request_id);
            record(&caller, connection, info, reply.status, own_error_code(&reply, req));
            Answer::Own(reply)
        }
        Ok(resp) => {
            let code = call::error_code(&resp);
            record(&caller, connection, info, resp.status, code);
            Answer::Moto(resp)
        }
        Err(failure) => {
            let message = match failure {
                Failure::TimedOut => format!(
                    "The local AWS (moto) did not answer {} {} within {} s: it is stuck, or the machine is \
                     overloaded.",
                    info.service,
                    info.operation,
                    shared.limits.upstream.as_secs()
                ),
                _ => format!(
                    "The local AWS (moto) is not running, so {} {} could not be served: it stopped or crashed \
                     during this run.",
                    info.service, info.operation
                ),
            };
            let reply = errors::reply(failure, protocol, &info.service, &message, &request_id);
            record(&caller, connection, info, reply.status, own_error_code(&reply, req));
            Answer::Own(reply)
        }
    }
}

/// moto's answer when an exception escaped it (NotImplementedError for an
/// operation it lacks, or a bug): Flask's bare HTML page with status 500.
/// Every error moto means to give is in the service's own format.
fn moto_failed_inside(resp: &Response) -> bool {
    resp.status == 500
        && resp
            .headers
            .iter()
            .any(|(name, value)| name.eq_ignore_ascii_case("content-type") && value.starts_with("text/html"))
}

/// The service an unsigned request was meant for, guessed from the JSON
/// protocol's target (`DynamoDB_20120810.PutItem`); S3 otherwise, the one
/// service that is commonly called without a signature.
fn unsigned_service(req: &Request) -> String {
    let target = req.header("x-amz-target").unwrap_or("");
    let service = if target.starts_with("DynamoDB") {
        "dynamodb"
    } else if target.starts_with("AmazonSQS") {
        "sqs"
    } else if target.is_empty() {
        "s3"
    } else {
        ""
    };
    service.to_string()
}

fn unknown_key(credential: &Credential, protocol: Protocol, request_id: &str) -> Reply {
    let aws_words = match protocol {
        Protocol::RestXml => "The AWS Access Key Id you provided does not exist in our records.",
        _ => "The security token included in the request is invalid.",
    };
    let message = format!(
        "{aws_words} Local AWS: the access key {} is not one the workshop gave this function. The function's \
         credentials are in its environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); a client \
         created with other keys or a named profile cannot reach the local AWS.",
        credential.access_key_id
    );
    errors::reply(Failure::UnknownKey, protocol, &credential.service, &message, request_id)
}

/// The error code of a reply the gateway wrote itself, read back the way
/// the call log reads moto's.
fn own_error_code(reply: &Reply, req: &Request) -> Option<String> {
    let head = req.method.eq_ignore_ascii_case("HEAD");
    let resp = Response {
        status: reply.status,
        reason: String::new(),
        headers: reply.headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.clone())).collect(),
        body: if head { Vec::new() } else { reply.body.clone() },
        close: false,
    };
    call::error_code(&resp)
}

fn record(caller: &Caller, connection: u64, info: CallInfo, status: u16, error_code: Option<String>) {
    let call = Call {
        service: info.service,
        operation: info.operation,
        resource: info.resource,
        status,
        error_code,
        connection,
    };
    lock(&caller.calls).push(call);
}

/// A keep-alive connection to moto.
struct Upstream {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Upstream {
    fn connect(addr: SocketAddr, limit: Duration) -> io::Result<Upstream> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(limit))?;
        stream.set_write_timeout(Some(limit))?;
        Ok(Upstream { writer: stream.try_clone()?, reader: BufReader::new(stream) })
    }
}

/// Headers that belong to one connection, not to the message (RFC 9110,
/// section 7.6.1), and `expect`, which the gateway has answered itself.
const HOP_BY_HOP: &[&str] =
    &["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect"];

/// Sends a request to moto as the caller's account and reads the answer.
/// A reused connection that moto had closed is retried once on a new one;
/// anything else that goes wrong is a [`Failure`].
fn forward(
    shared: &Shared,
    moto: SocketAddr,
    req: &Request,
    account_id: &str,
    upstream: &mut Option<Upstream>,
) -> Result<Response, Failure> {
    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        // Nobody but the gateway chooses the account.
        .filter(|(name, _)| !HOP_BY_HOP.contains(&name.as_str()) && !name.starts_with("x-moto-"))
        .cloned()
        .collect();
    headers.push(("x-moto-account-id".into(), account_id.to_string()));
    for _attempt in 0..2 {
        let reused = upstream.is_some();
        if upstream.is_none() {
            match Upstream::connect(moto, shared.limits.upstream) {
                Ok(connection) => *upstream = Some(connection),
                Err(_) => return Err(Failure::Unavailable),
            }
        }
        let connection = upstream.as_mut().expect("connected above");
        let exchanged = http::write_request(&mut connection.writer, &req.method, &req.path, &headers, &req.body)
            .and_then(|()| http::read_response(&mut connection.reader, &req.method));
        match exchanged {
            Ok(Some(resp)) => {
                if resp.close {
                    *upstream = None;
                }
                return Ok(resp);
            }
            Ok(None) if reused => *upstream = None,
            Ok(None) => {
                *upstream = None;
                return Err(Failure::Unavailable);
            }
            Err(error) => {
                *upstream = None;
                let timed_out = matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut);
                if timed_out {
                    return Err(Failure::TimedOut);
                }
                let stale = matches!(
                    error.kind(),
                    io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe | io::ErrorKind::ConnectionAborted
                );
                if !(reused && stale) {
                    return Err(Failure::Unavailable);
                }
            }
        }
    }
    Err(Failure::Unavailable)
}

/// Writes moto's answer to the client: its status and headers, less the
/// hop-by-hop ones, with the body framed by its length (a chunked answer
/// was reassembled). A response to HEAD keeps moto's Content-Length, which
/// describes the object, and has no body.
fn write_forwarded(w: &mut impl Write, resp: &Response, head: bool) -> io::Result<()> {
    let reason = if resp.reason.is_empty() { http::reason_phrase(resp.status) } else { resp.reason.as_str() };
    let mut message = format!("HTTP/1.1 {} {reason}\r\n", resp.status).into_bytes();
    let bodiless = head || resp.status == 204 || resp.status == 304;
    for (name, value) in &resp.headers {
        if HOP_BY_HOP.contains(&name.as_str()) || (name == "content-length" && !bodiless) {
            continue;
        }
        message.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    if !bodiless {
        message.extend_from_slice(format!("content-length: {}\r\n", resp.body.len()).as_bytes());
    }
    message.extend_from_slice(b"\r\n");
    if !bodiless {
        message.extend_from_slice(&resp.body);
    }
    w.write_all(&message)?;
    w.flush()
}

/// Writes one of the gateway's own answers (no body for HEAD, as AWS).
fn write_own(w: &mut impl Write, reply: &Reply, head: bool) -> io::Result<()> {
    let body: &[u8] = if head { &[] } else { &reply.body };
    let mut message = format!(
        "HTTP/1.1 {} {}\r\ncontent-length: {}\r\n",
        reply.status,
        http::reason_phrase(reply.status),
        body.len()
    )
    .into_bytes();
    for (name, value) in &reply.headers {
        message.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    message.extend_from_slice(b"\r\n");
    message.extend_from_slice(body);
    w.write_all(&message)?;
    w.flush()
}
