//! The instructor's side of the class view: an HTTP/1.1 server holding the
//! class in memory, one seat per learner token, and serving the page that
//! shows it.
//!
//! | request | answer |
//! |---|---|
//! | `POST /progress` (code, report) | `200 {"seat": ...}`; 403 wrong code, 400 a body that is not a report, 411 no length, 413 too large, 409 a seat label another learner has, 503 the class is full |
//! | `POST /leave` (code, token) | `200`, the seat gone |
//! | `GET /view/KEY/` | the page |
//! | `GET /view/KEY/state[?since=V]` | the class as JSON, or 204 when still version `V` |
//! | `GET /assets/class.js`, `/assets/class.css` | the page's script and style |
//! | anything else | 404, or 405 for a known path with the wrong method |
//!
//! Connections go through [`crate::serve::accept_loop`], the book server's
//! own: a thread per connection, one request each, at most 64 at once, the
//! head due within [`HEAD_DEADLINE`] and a body within [`BODY_DEADLINE`],
//! and a client slow to send either gives up its place to a newcomer when
//! the server is full. So a learner on a bad network, or someone hostile
//! on it, cannot hold the class view.
//!
//! The page follows the class by polling `state` once a second rather
//! than by Server-Sent Events: with one request per connection, nothing
//! stays open, so the connection limit and the deadlines that protect the
//! server apply to the page too; a page left open while the instructor
//! restarts `cargo lab class` simply gets its answers again (an event
//! stream would need reconnecting); and an unchanged class costs a 204 of
//! a few bytes. One instructor's tab asking once a second is nothing for
//! a loopback or classroom network.
//!
//! Learner text never goes into the HTML: the page's script puts it into
//! the page with `textContent`, and the page forbids inline scripts
//! (`Content-Security-Policy`), so a hostile label or title would still be
//! only text. The checks in [`super::protocol`] keep it short and plain.

use super::protocol::{self, MAX_BODY, MAX_SEATS, Report, Row};
use super::{SERVER_FILE, constant_time_eq};
use crate::serve::{self, HEAD_DEADLINE, Head, IDLE_TIMEOUT, Readers, Request, WRITE_TIMEOUT};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The header that carries the class code on every post.
pub(crate) const CODE_HEADER: &str = "X-Lab-Class-Code";
/// A body must arrive within this once its head has.
pub(crate) const BODY_DEADLINE: Duration = Duration::from_secs(5);

const PAGE_SCRIPT: &str = include_str!("page.js");
const PAGE_STYLE: &str = include_str!("page.css");
/// Only the page's own script and style, and requests to its own server:
/// no inline script, no other site.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The class code and the view key a `cargo lab class` uses, kept in the
/// state folder between runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Secrets {
    pub(crate) code: String,
    pub(crate) view_key: String,
}

impl Secrets {
    pub(crate) fn new() -> Result<Secrets, String> {
        Ok(Secrets { code: super::new_code()?, view_key: super::new_token()? })
    }

    /// The ones saved in `dir`, if any can be read.
    pub(crate) fn load(dir: &Path) -> Option<Secrets> {
        let value: Value = serde_json::from_slice(&std::fs::read(dir.join(SERVER_FILE)).ok()?).ok()?;
        let code = value.get("code")?.as_str()?;
        let view_key = value.get("viewKey")?.as_str()?;
        (super::normalize_code(code).as_deref() == Some(code) && super::is_token(view_key))
            .then(|| Secrets { code: code.to_string(), view_key: view_key.to_string() })
    }

    /// Save them in `dir`, readable by their owner only where that can be said.
    pub(crate) fn save(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
        let file = dir.join(SERVER_FILE);
        let text = serde_json::to_string_pretty(&json!({"version": 1, "code": self.code, "viewKey": self.view_key}))
            .expect("plain JSON")
            + "\n";
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(&file)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|e| format!("could not save {}: {e}", file.display()))
    }
}

/// A running class view. It stops when dropped.
pub(crate) struct ClassServer {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
}

impl ClassServer {
    /// Where it listens (the port chosen, when 0 was asked for).
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for ClassServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_millis(200));
    }
}

/// What the connection threads share.
struct Shared {
    secrets: Secrets,
    /// The command learners type, shown on the page.
    join: String,
    class: Mutex<Class>,
}

/// The class as the page shows it.
struct Class {
    /// Changes with every post; starts at the time in milliseconds, so that
    /// a page open across a restart sees a new one.
    version: u64,
    /// By learner token.
    seats: HashMap<String, Seat>,
}

struct Seat {
    label: String,
    rows: Vec<Row>,
    last_seen: SystemTime,
}

/// Why a report was not taken.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// Another learner has this label.
    SeatTaken(String),
    /// [`MAX_SEATS`] learners are in already.
    Full,
}

impl Class {
    /// Take a learner's report: the label it is shown under.
    fn apply(&mut self, report: Report, now: SystemTime) -> Result<String, Refusal> {
        let taken_by_other = |seats: &HashMap<String, Seat>, label: &str| {
            seats.iter().any(|(learner, seat)| *learner != report.learner && seat.label.eq_ignore_ascii_case(label))
        };
        let label = match (&report.seat, self.seats.get(&report.learner)) {
            (Some(wanted), _) if taken_by_other(&self.seats, wanted) => return Err(Refusal::SeatTaken(wanted.clone())),
            (Some(wanted), _) => wanted.clone(),
            (None, Some(seat)) => seat.label.clone(),
            (None, None) => (1..)
                .map(|n| format!("seat {n}"))
                .find(|label| !taken_by_other(&self.seats, label))
                .expect("a free number"),
        };
        if !self.seats.contains_key(&report.learner) && self.seats.len() >= MAX_SEATS {
            return Err(Refusal::Full);
        }
        self.seats.insert(report.learner, Seat { label: label.clone(), rows: report.rows, last_seen: now });
        self.version += 1;
        Ok(label)
    }

    fn leave(&mut self, learner: &str) {
        if self.seats.remove(learner).is_some() {
            self.version += 1;
        }
    }

    /// The class as the page reads it: seats in natural order (`seat 2`
    /// before `seat 10`).
    fn to_json(&self) -> Value {
        let mut seats: Vec<&Seat> = self.seats.values().collect();
        seats.sort_by_key(|seat| natural_key(&seat.label));
        let seats: Vec<Value> = seats
            .iter()
            .map(|seat| {
                json!({
                    "seat": seat.label,
                    "lastSeen": crate::progress::rfc3339(seat.last_seen),
                    "exercises": seat.rows.iter().map(Row::to_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({ "version": self.version, "seats": seats })
    }
}

/// A sort key that orders runs of digits by their value.
fn natural_key(label: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = label.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = c.to_string();
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d);
            }
            key.push((std::mem::take(&mut text), digits.parse().unwrap_or(u64::MAX)));
        } else {
            text.push(c.to_ascii_lowercase());
        }
    }
    key.push((text, 0));
    key
}

/// Listen on `listen` and serve the class. `join` gives the command
/// learners type, for the page, from the address listened on (its port is
/// known only then when 0 was asked for). A port in use is an error saying so.
pub(crate) fn start(
    listen: SocketAddr,
    secrets: Secrets,
    join: impl FnOnce(SocketAddr) -> String,
) -> Result<ClassServer, String> {
    let listener = TcpListener::bind(listen).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "{listen} is in use (is a class view already running?); try --listen {}:{}",
            listen.ip(),
            listen.port().checked_add(1).unwrap_or(super::DEFAULT_PORT)
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            format!("this machine has no address {}; try --listen 0.0.0.0:{}", listen.ip(), listen.port())
        }
        _ => format!("cannot listen on {listen}: {e}"),
    })?;
    let addr = listener.local_addr().map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let first = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(1);
    let shared = Arc::new(Shared {
        secrets,
        join: join(addr),
        class: Mutex::new(Class { version: first, seats: HashMap::new() }),
    });
    let stopping = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&stopping);
    thread::Builder::new()
        .name("lab-class".into())
        .spawn(move || {
            serve::accept_loop(listener, stop, move |stream: &mut TcpStream, readers: &Readers| {
                handle(stream, &shared, readers)
            })
        })
        .map_err(|e| format!("cannot start the class view: {e}"))?;
    Ok(ClassServer { addr, stopping })
}

/// Leaves the evictable readers when dropped, whichever way the reading ends.
struct Reading<'a> {
    readers: &'a Readers,
    id: Option<u64>,
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        self.readers.leave(self.id.take());
    }
}

fn handle(stream: &mut TcpStream, shared: &Shared, readers: &Readers) -> std::io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let reading = Reading { readers, id: readers.enter(stream) };
    let request = match serve::read_head(stream, Instant::now() + HEAD_DEADLINE) {
        Ok(Head::Complete(request)) => request,
        Ok(Head::Malformed) => return plain(stream, "400 Bad Request", "Bad request.\n"),
        Ok(Head::TooSlow) => return plain(stream, "408 Request Timeout", "The request took too long to arrive.\n"),
        Err(error) => return Err(error),
    };
    let mut parts = request.line.split_whitespace();
    let (Some(method), Some(target), Some(protocol)) = (parts.next(), parts.next(), parts.next()) else {
        return plain(stream, "400 Bad Request", "Bad request.\n");
    };
    if !protocol.starts_with("HTTP/1.") {
        return plain(stream, "505 HTTP Version Not Supported", "HTTP/1.1 only.\n");
    }
    let (method, target) = (method.to_string(), target.to_string());
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    match path {
        "/progress" | "/leave" => {
            if method != "POST" {
                return not_allowed(stream, "POST");
            }
            let body = match read_body(stream, &request, &shared.secrets.code) {
                Ok(body) => body,
                Err((status, message)) => return plain(stream, status, &message),
            };
            drop(reading);
            if path == "/progress" { post_progress(stream, shared, &body) } else { post_leave(stream, shared, &body) }
        }
        _ => {
            drop(reading);
            let head = match method.as_str() {
                "GET" => false,
                "HEAD" => true,
                _ if is_page_path(path) => return not_allowed(stream, "GET, HEAD"),
                _ => return plain(stream, "404 Not Found", "Not found.\n"),
            };
            get(stream, shared, head, path, query)
        }
    }
}

fn is_page_path(path: &str) -> bool {
    path == "/" || path.starts_with("/view/") || path.starts_with("/assets/")
}

/// The body of a post, once its code is right: or the status and message
/// that refuse it. The code is checked first, so that nobody without it
/// gets a body read.
fn read_body(stream: &mut TcpStream, request: &Request, code: &str) -> Result<Vec<u8>, (&'static str, String)> {
    let given = request.header(CODE_HEADER).unwrap_or("");
    if !constant_time_eq(given.as_bytes(), code.as_bytes()) {
        return Err(("403 Forbidden", "Wrong class code.\n".into()));
    }
    if request.header("Transfer-Encoding").is_some() {
        return Err(("411 Length Required", "Send the body with a Content-Length.\n".into()));
    }
    let Some(length) = request.header("Content-Length") else {
        return Err(("411 Length Required", "Send the body with a Content-Length.\n".into()));
    };
    let Ok(length) = length.parse::<usize>() else {
        return Err(("400 Bad Request", "Bad Content-Length.\n".into()));
    };
    if length > MAX_BODY {
        return Err(("413 Content Too Large", format!("A body may hold at most {MAX_BODY} bytes.\n")));
    }
    let mut body = request.rest.clone();
    let deadline = Instant::now() + BODY_DEADLINE;
    let mut chunk = [0u8; 8192];
    while body.len() < length {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(("408 Request Timeout", "The body took too long to arrive.\n".into()));
        }
        let _ = stream.set_read_timeout(Some(left.min(IDLE_TIMEOUT)));
        match stream.read(&mut chunk) {
            Ok(0) => return Err(("400 Bad Request", "The body ended early.\n".into())),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(("408 Request Timeout", "The body took too long to arrive.\n".into())),
        }
    }
    body.truncate(length);
    Ok(body)
}

fn post_progress(stream: &mut TcpStream, shared: &Shared, body: &[u8]) -> std::io::Result<()> {
    let report = match protocol::parse_report(body) {
        Ok(report) => report,
        Err(why) => return plain(stream, "400 Bad Request", &format!("Not a progress report: {why}.\n")),
    };
    let taken = shared.class.lock().unwrap_or_else(|e| e.into_inner()).apply(report, SystemTime::now());
    match taken {
        Ok(seat) => json_answer(stream, "200 OK", false, &json!({ "seat": seat })),
        Err(Refusal::SeatTaken(label)) => {
            plain(stream, "409 Conflict", &format!("Another learner is seated as {label:?}; choose another label.\n"))
        }
        Err(Refusal::Full) => {
            plain(stream, "503 Service Unavailable", &format!("The class is full ({MAX_SEATS} seats).\n"))
        }
    }
}

fn post_leave(stream: &mut TcpStream, shared: &Shared, body: &[u8]) -> std::io::Result<()> {
    match protocol::parse_leave(body) {
        Ok(learner) => {
            shared.class.lock().unwrap_or_else(|e| e.into_inner()).leave(&learner);
            json_answer(stream, "200 OK", false, &json!({}))
        }
        Err(why) => plain(stream, "400 Bad Request", &format!("Not a leave request: {why}.\n")),
    }
}

fn get(stream: &mut TcpStream, shared: &Shared, head: bool, path: &str, query: &str) -> std::io::Result<()> {
    let css = "text/css; charset=utf-8";
    let js = "text/javascript; charset=utf-8";
    match path {
        "/" => serve::respond_plain(
            stream,
            head,
            "200 OK",
            "A class view of cargo lab. Learners join with `cargo lab join`; the page's address is in the instructor's terminal.\n",
        ),
        "/assets/class.js" => serve::respond(stream, head, "200 OK", js, &[], PAGE_SCRIPT.as_bytes()),
        "/assets/class.css" => serve::respond(stream, head, "200 OK", css, &[], PAGE_STYLE.as_bytes()),
        _ => {
            let Some(rest) = path.strip_prefix("/view/") else {
                return serve::respond_plain(stream, head, "404 Not Found", "Not found.\n");
            };
            let (key, page) = rest.split_once('/').unwrap_or((rest, "\0"));
            if !constant_time_eq(key.as_bytes(), shared.secrets.view_key.as_bytes()) {
                return serve::respond_plain(stream, head, "403 Forbidden", "This page needs its key.\n");
            }
            match page {
                // Relative links in the page need the trailing slash.
                "\0" => serve::respond(
                    stream,
                    head,
                    "301 Moved Permanently",
                    "text/plain; charset=utf-8",
                    &[("Location", format!("/view/{key}/"))],
                    b"",
                ),
                "" => {
                    let page = page_html(shared);
                    let headers = [
                        ("Content-Security-Policy", PAGE_POLICY.to_string()),
                        ("Referrer-Policy", "no-referrer".to_string()),
                    ];
                    serve::respond(stream, head, "200 OK", "text/html; charset=utf-8", &headers, page.as_bytes())
                }
                "state" => {
                    let since =
                        query.split('&').find_map(|p| p.strip_prefix("since=")).and_then(|v| v.parse::<u64>().ok());
                    let state = {
                        let class = shared.class.lock().unwrap_or_else(|e| e.into_inner());
                        if since == Some(class.version) { None } else { Some(class.to_json()) }
                    };
                    match state {
                        None => serve::respond(stream, head, "204 No Content", "application/json", &[], b""),
                        Some(state) => json_answer(stream, "200 OK", head, &state),
                    }
                }
                _ => serve::respond_plain(stream, head, "404 Not Found", "Not found.\n"),
            }
        }
    }
}

/// The page: a frame the script fills from `state`. Only the server's own
/// text goes into it, escaped all the same.
fn page_html(shared: &Shared) -> String {
    let join = protocol::escape_html(&shared.join);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class view</title>
<link rel="stylesheet" href="/assets/class.css">
</head>
<body>
<h1>Class view</h1>
<p class="join">Learners join with <code>{join}</code> (and <code>--seat NAME</code> to choose the label shown here).</p>
<p id="status" class="waiting">Waiting for the first answer...</p>
<table id="class"><thead></thead><tbody></tbody></table>
<p id="empty">Nobody has joined yet.</p>
<noscript><p>This page needs JavaScript to show the class; the class as JSON is at <a href="state">state</a>.</p></noscript>
<p class="note">Each learner sends what <code>cargo lab report --json</code> shows: each exercise's status, runs of its checks, hints shown, and the first and last run. Nothing else: no names, no machine names, no paths, no code. Times are this computer's local time.</p>
<script src="/assets/class.js"></script>
</body>
</html>
"#
    )
}

fn json_answer(stream: &mut TcpStream, status: &str, head: bool, value: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(value).expect("plain JSON");
    serve::respond(stream, head, status, "application/json", &[], &body)
}

fn plain(stream: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    serve::respond_plain(stream, false, status, body)
}

fn not_allowed(stream: &mut TcpStream, allow: &str) -> std::io::Result<()> {
    let body = format!("Only {allow} here.\n");
    serve::respond(
        stream,
        false,
        "405 Method Not Allowed",
        "text/plain; charset=utf-8",
        &[("Allow", allow.to_string())],
        body.as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(learner: &str, seat: Option<&str>) -> Report {
        Report { learner: learner.to_string(), seat: seat.map(str::to_string), rows: Vec::new() }
    }

    const A: &str = "aaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbb";
    const C: &str = "cccccccccccccccccccc";

    #[test]
    fn seats_are_given_kept_and_not_taken_twice() {
        let mut class = Class { version: 0, seats: HashMap::new() };
        let now = SystemTime::now();
        assert_eq!(class.apply(report(A, None), now), Ok("seat 1".into()));
        assert_eq!(class.apply(report(B, Some("Seat 1")), now), Err(Refusal::SeatTaken("Seat 1".into())));
        assert_eq!(class.apply(report(B, Some("table 4")), now), Ok("table 4".into()));
        assert_eq!(class.apply(report(C, None), now), Ok("seat 2".into()));
        assert_eq!(class.apply(report(A, None), now), Ok("seat 1".into()), "a learner keeps their seat");
        assert_eq!(class.apply(report(A, Some("front")), now), Ok("front".into()), "or changes it");
        assert_eq!(class.version, 5);
        class.leave(C);
        assert_eq!(class.seats.len(), 2);
        assert_eq!(class.version, 6);
        class.leave(C);
        assert_eq!(class.version, 6, "leaving twice changes nothing");
    }

    #[test]
    fn the_class_is_bounded() {
        let mut class = Class { version: 0, seats: HashMap::new() };
        for n in 0..MAX_SEATS {
            let learner = format!("learner {n}");
            class.apply(report(&learner, None), SystemTime::now()).unwrap();
        }
        assert_eq!(class.apply(report(A, None), SystemTime::now()), Err(Refusal::Full));
    }

    #[test]
    fn seats_sort_naturally() {
        let mut labels = vec!["seat 10", "Seat 2", "table", "seat 1"];
        labels.sort_by_key(|l| natural_key(l));
        assert_eq!(labels, ["seat 1", "Seat 2", "seat 10", "table"]);
    }
}
