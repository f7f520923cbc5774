//! The accept loop and the routes. A thread per connection: a /next request
//! legitimately blocks for as long as no invocation is queued, and the few
//! connections a runtime opens make threads the simplest correct choice.

use crate::http::{self, Request};
use crate::{Outcome, Queued, Shared};
use std::io::{self, BufReader};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

const PREFIX: &str = "/2018-06-01/runtime/";

type Reply = (u16, Vec<(&'static str, String)>, Vec<u8>);

pub(crate) fn serve(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        shared.connections.fetch_add(1, Ordering::Relaxed);
        let s = shared.clone();
        let _ = std::thread::Builder::new().name("runtime-api-conn".into()).spawn(move || {
            let _ = connection(stream, s);
        });
    }
}

fn connection(stream: TcpStream, shared: Arc<Shared>) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    // Several requests per connection: hyper keeps its connection alive.
    while let Some(req) = http::read_request(&mut reader)? {
        shared.requests.fetch_add(1, Ordering::Relaxed);
        if req.chunked {
            shared.chunked_bodies.fetch_add(1, Ordering::Relaxed);
        }
        let Some((status, headers, body)) = route(&req, &shared) else {
            return Ok(()); // shutting down: drop the connection
        };
        http::write_response(&mut writer, status, &headers, &body)?;
        if req.wants_close() {
            return Ok(());
        }
    }
    Ok(())
}

fn json_error(status: u16, error_type: &str, message: &str) -> Reply {
    let body = format!("{{\"errorType\":{},\"errorMessage\":{}}}", json_string(error_type), json_string(message));
    (status, vec![("Content-Type", "application/json".into())], body.into_bytes())
}

/// Minimal JSON string escaping, to keep the server dependency-free.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn accepted() -> Reply {
    (202, vec![("Content-Type", "application/json".into())], b"{\"status\":\"OK\"}".to_vec())
}

/// `None` only when the server is shutting down during a /next wait.
fn route(req: &Request, shared: &Shared) -> Option<Reply> {
    let path = req.path.split('?').next().unwrap_or("");
    let Some(rest) = path.strip_prefix(PREFIX) else {
        return Some(json_error(404, "NotFound", "unknown path"));
    };
    let segments: Vec<&str> = rest.split('/').collect();
    Some(match (req.method.as_str(), segments.as_slice()) {
        ("GET", ["invocation", "next"]) => return next(shared),
        ("POST", ["invocation", id, "response"]) => answer(shared, id, Outcome::Response(req.body.clone())),
        ("POST", ["invocation", id, "error"]) => {
            let error_type = error_type(req);
            answer(shared, id, Outcome::Error { error_type, payload: req.body.clone() })
        }
        ("POST", ["init", "error"]) => {
            let mut inner = shared.lock();
            inner.init_error = Some((error_type(req), req.body.clone()));
            shared.changed.notify_all();
            accepted()
        }
        (_, ["invocation", "next"] | ["invocation", _, "response" | "error"] | ["init", "error"]) => {
            json_error(405, "MethodNotAllowed", "method not allowed")
        }
        _ => json_error(404, "NotFound", "unknown path"),
    })
}

/// The `errorType` of the body if it is the documented error JSON, else the
/// `Lambda-Runtime-Function-Error-Type` header (lambda_runtime sends
/// "unhandled" there and the real type in the body).
fn error_type(req: &Request) -> String {
    let from_body = serde_json::from_slice::<serde_json::Value>(&req.body)
        .ok()
        .and_then(|doc| doc.get("errorType").and_then(|t| t.as_str()).map(str::to_string));
    from_body.unwrap_or_else(|| req.header("lambda-runtime-function-error-type").unwrap_or("Unknown").to_string())
}

fn answer(shared: &Shared, id: &str, outcome: Outcome) -> Reply {
    let mut inner = shared.lock();
    if inner.in_flight.remove(id).is_none() {
        return json_error(400, "InvalidRequestID", &format!("unknown request id {id}"));
    }
    inner.results.insert(id.to_string(), outcome);
    shared.changed.notify_all();
    accepted()
}

/// Blocks until an invocation is queued, as Lambda's /next does.
fn next(shared: &Shared) -> Option<Reply> {
    let mut inner = shared.lock();
    // Counted on arrival: asking for work is how a runtime says it is done
    // with init, or with the invocation before.
    inner.next_requests += 1;
    if inner.first_next_at.is_none() {
        inner.first_next_at = Some(Instant::now());
    }
    shared.changed.notify_all();
    let q: Queued = loop {
        if shared.shutdown.load(Ordering::SeqCst) {
            return None;
        }
        if let Some(q) = inner.queue.pop_front() {
            break q;
        }
        // A timed wait too, so shutdown is noticed even if a notify is missed.
        inner = shared.changed.wait_timeout(inner, Duration::from_millis(200)).ok()?.0;
    };
    inner.in_flight.insert(q.ctx.request_id.clone(), ());
    drop(inner);
    let mut headers = vec![
        ("Content-Type", "application/json".to_string()),
        ("Lambda-Runtime-Aws-Request-Id", q.ctx.request_id),
        ("Lambda-Runtime-Deadline-Ms", q.deadline_epoch_ms.to_string()),
        ("Lambda-Runtime-Invoked-Function-Arn", q.ctx.invoked_function_arn),
        ("Lambda-Runtime-Trace-Id", q.ctx.trace_id),
    ];
    if let Some(cc) = q.ctx.client_context {
        headers.push(("Lambda-Runtime-Client-Context", cc));
    }
    if let Some(ci) = q.ctx.cognito_identity {
        headers.push(("Lambda-Runtime-Cognito-Identity", ci));
    }
    Some((200, headers, q.payload))
}
