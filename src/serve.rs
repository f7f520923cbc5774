//! A small HTTP/1.1 server for the built book, on the loopback interface
//! only, with live reload.
//!
//! It answers `GET` and `HEAD` with the files of one folder (`/` and folders
//! give their `index.html`), refuses paths that climb out of it, and gives the
//! book's own `404.html` for anything missing. Every HTML page it sends gets a
//! tiny script that asks `/__lab/version` once a second and reloads the page
//! when the answer changes; [`Server::bump`] changes it after a rebuild, and
//! [`watch_book_sources`] says when to rebuild. A thread per connection, one
//! request per connection: it serves one reader's browser, not the internet.
//!
//! A client cannot hold the server: the request head must arrive within
//! [`HEAD_DEADLINE`] (and no read waits longer than [`IDLE_TIMEOUT`]), and
//! when every place is taken the client that has been sending its head the
//! longest gives up its place to the newcomer. Seventy clients trickling a
//! byte a second are dropped, and a reader is served meanwhile.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The port the book is served on unless told otherwise (`--port`).
pub(crate) const DEFAULT_PORT: u16 = 3000;
/// The address the book is served on: the loopback interface only.
pub(crate) const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// The path the live-reload script polls; its body is the book's version.
pub(crate) const VERSION_PATH: &str = "/__lab/version";

/// The script added to every HTML page, just before `</body>`.
pub(crate) const LIVE_RELOAD_SCRIPT: &str = r#"<script id="lab-live-reload">
(function () {
  var seen = null;
  function poll() {
    fetch("/__lab/version", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) { if (seen !== null && v !== seen) { location.reload(); } seen = v; })
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"#;

/// At most this many connections are served at once. When all are taken, a
/// newcomer takes the place of the client that has been sending its request
/// head the longest (if that is [`SLOW_HEAD`] or more); only when every place
/// is answering or just arrived does it get a 503.
const MAX_CONNECTIONS: usize = 64;
/// Connections, evicted ones still closing included, beyond which a newcomer
/// gets a 503 whatever the others are doing.
const HARD_LIMIT: usize = 2 * MAX_CONNECTIONS;
/// A request (line and headers) larger than this is refused.
const MAX_REQUEST_BYTES: usize = 16 * 1024;
/// The whole request head must arrive within this, however steadily a
/// client trickles it: a browser sends it in one packet.
pub(crate) const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// A client that sends nothing for this long is dropped.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(3);
/// An answer the client does not take within this is abandoned.
pub(crate) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// A head still arriving after this long is slow: its place may be given to
/// a newcomer when the server is full.
const SLOW_HEAD: Duration = Duration::from_millis(500);
/// How often [`watch_book_sources`] looks at the files.
pub(crate) const WATCH_INTERVAL: Duration = Duration::from_millis(300);

/// A running server. It stops when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    version: Arc<AtomicU64>,
    stopping: Arc<AtomicBool>,
    built: Arc<AtomicBool>,
}

/// What the connection threads share.
struct Site {
    dir: PathBuf,
    version: Arc<AtomicU64>,
    /// The workspace whose fetched Pyodide is served under `/pyodide/`
    /// (looked up on each request: `cargo lab setup` may fetch it while the
    /// book is served).
    workspace: Option<PathBuf>,
    /// False while the first build runs: pages then get a short page that
    /// says so and reloads when the build is done, not a 404 (a tab left
    /// open from an earlier session reloads as soon as the server is back).
    built: Arc<AtomicBool>,
}

/// Where the book's pages load Pyodide from (`book/runner/runner.js`).
const PYODIDE_PATH: &str = "/pyodide/";

/// Serve `dir` on `http://127.0.0.1:PORT/` (port 0 picks a free one; see
/// [`Server::url`]). A port in use is an error suggesting the next one in
/// the words of `command`, the command that serves the book
/// (`port 3000 is in use; try COMMAND --port 3001`).
/// With `building`, pages wait for [`Server::built`] (see [`Site::built`]).
pub(crate) fn start(
    dir: &Path,
    port: u16,
    command: &str,
    workspace: Option<&Path>,
    building: bool,
) -> Result<Server, String> {
    let listener = TcpListener::bind((LOOPBACK, port)).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "port {port} is in use (is the book already being served?); try {command} --port {}",
            port.checked_add(1).unwrap_or(DEFAULT_PORT + 1)
        ),
        std::io::ErrorKind::PermissionDenied => {
            format!("port {port} needs special permissions; try {command} --port {DEFAULT_PORT}")
        }
        _ => format!("cannot serve the book on {LOOPBACK}:{port}: {e}"),
    })?;
    let addr = listener.local_addr().map_err(|e| format!("cannot serve the book on {LOOPBACK}:{port}: {e}"))?;
    // Milliseconds since 1970 as the first version: a page left open while
    // the server restarts sees a new value and reloads.
    let first = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(1);
    let version = Arc::new(AtomicU64::new(first));
    let stopping = Arc::new(AtomicBool::new(false));
    let built = Arc::new(AtomicBool::new(!building));
    let site = Arc::new(Site {
        dir: dir.to_path_buf(),
        version: Arc::clone(&version),
        workspace: workspace.map(Path::to_path_buf),
        built: Arc::clone(&built),
    });
    let stop = Arc::clone(&stopping);
    thread::Builder::new()
        .name("lab-serve".into())
        .spawn(move || {
            accept_loop(listener, stop, move |stream: &mut TcpStream, readers: &Readers| handle(stream, &site, readers))
        })
        .map_err(|e| format!("cannot start the book's server: {e}"))?;
    Ok(Server { addr, version, stopping, built })
}

impl Server {
    /// The book's address, such as `http://127.0.0.1:3000/`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Tell open pages the book changed: they reload within a second.
    pub(crate) fn bump(&self) {
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// The first build is done: serve its pages, and have the pages that
    /// waited for it reload.
    pub(crate) fn built(&self) {
        self.built.store(true, Ordering::SeqCst);
        self.bump();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// The connections still sending their request head: when the server is
/// full, the oldest of them is closed to make room.
#[derive(Default)]
pub(crate) struct Readers {
    next: AtomicU64,
    open: Mutex<Vec<(u64, Instant, TcpStream)>>,
}

impl Readers {
    /// Note that `stream` is reading its head; `None` if it cannot be
    /// watched (it is then served without being evictable).
    pub(crate) fn enter(&self, stream: &TcpStream) -> Option<u64> {
        let copy = stream.try_clone().ok()?;
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        self.open.lock().unwrap_or_else(|e| e.into_inner()).push((id, Instant::now(), copy));
        Some(id)
    }

    pub(crate) fn leave(&self, id: Option<u64>) {
        if let Some(id) = id {
            self.open.lock().unwrap_or_else(|e| e.into_inner()).retain(|(i, _, _)| *i != id);
        }
    }

    /// Close the connection that has been reading its head the longest, if
    /// that is [`SLOW_HEAD`] or more; whether one was closed.
    fn evict_slowest(&self) -> bool {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let Some(oldest) = open.iter().enumerate().min_by_key(|(_, (_, since, _))| *since).map(|(i, _)| i) else {
            return false;
        };
        if open[oldest].1.elapsed() < SLOW_HEAD {
            return false;
        }
        let (_, _, stream) = open.swap_remove(oldest);
        // Its thread's read fails at once, and the thread ends.
        let _ = stream.shutdown(std::net::Shutdown::Both);
        true
    }
}

/// Accept connections until `stopping` is set (checked at each new
/// connection), each answered by `handle` on a thread of its own, within
/// the limits above: the book's server and the class view
/// (`crate::class`) both run on it. `handle` calls [`Readers::enter`] and
/// [`Readers::leave`] around its reading of the request, so that a client
/// slow to send it can be evicted when the server is full.
pub(crate) fn accept_loop<H>(listener: TcpListener, stopping: Arc<AtomicBool>, handle: H)
where
    H: Fn(&mut TcpStream, &Readers) -> std::io::Result<()> + Send + Sync + 'static,
{
    let handle = Arc::new(handle);
    let busy = Arc::new(AtomicUsize::new(0));
    let readers = Arc::new(Readers::default());
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        let open = busy.fetch_add(1, Ordering::SeqCst);
        // Full: a slow head gives up its place (its thread is still ending,
        // hence the hard limit above the cap).
        if open >= HARD_LIMIT || (open >= MAX_CONNECTIONS && !readers.evict_slowest()) {
            busy.fetch_sub(1, Ordering::SeqCst);
            refuse_busy(&mut stream);
            continue;
        }
        let handle = Arc::clone(&handle);
        let counter = Arc::clone(&busy);
        let watched = Arc::clone(&readers);
        let spawned = thread::Builder::new().name("lab-serve-conn".into()).spawn(move || {
            let _ = handle(&mut stream, &watched);
            counter.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            busy.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A 503 for a client that finds the server full, written at once and
/// without waiting for it: the accept loop must not wait on any client.
fn refuse_busy(stream: &mut TcpStream) {
    let body = "Too many requests at once.\n";
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
    let _ = stream.write_all(answer.as_bytes());
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Read one request from `stream` and answer it.
fn handle(stream: &mut TcpStream, site: &Site, readers: &Readers) -> std::io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let id = readers.enter(stream);
    let head = read_head(stream, Instant::now() + HEAD_DEADLINE);
    readers.leave(id);
    let request_line = match head {
        Ok(Head::Complete(request)) => request.line,
        Ok(Head::Malformed) => return respond_plain(stream, false, "400 Bad Request", "Bad request.\n"),
        Ok(Head::TooSlow) => {
            return respond_plain(stream, false, "408 Request Timeout", "The request took too long to arrive.\n");
        }
        // Closed by the client, or evicted to make room: nobody to answer.
        Err(error) => return Err(error),
    };
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), Some(protocol)) = (parts.next(), parts.next(), parts.next()) else {
        return respond_plain(stream, false, "400 Bad Request", "Bad request.\n");
    };
    if !protocol.starts_with("HTTP/1.") {
        return respond_plain(stream, false, "505 HTTP Version Not Supported", "HTTP/1.1 only.\n");
    }
    let head = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            let body = "Only GET and HEAD are served here.\n";
            let headers = [("Allow", "GET, HEAD".to_string())];
            return respond(
                stream,
                false,
                "405 Method Not Allowed",
                "text/plain; charset=utf-8",
                &headers,
                body.as_bytes(),
            );
        }
    };
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path == VERSION_PATH {
        let version = format!("{}", site.version.load(Ordering::SeqCst));
        return respond(stream, head, "200 OK", "text/plain; charset=utf-8", &[], version.as_bytes());
    }
    let Some(segments) = url_segments(path) else {
        return respond_plain(stream, head, "403 Forbidden", "That path is outside the book.\n");
    };
    if let Some(name) = path.strip_prefix(PYODIDE_PATH) {
        return serve_pyodide(stream, head, site, name);
    }
    if !site.built.load(Ordering::SeqCst) {
        let page = format!(
            "<!DOCTYPE html>\n<html><head><title>Building the book</title></head><body>\n<h1>Building the book</h1>\n<p>The book is being built; this page reloads by itself when it is ready (a second or two).</p>\n{LIVE_RELOAD_SCRIPT}</body></html>\n"
        );
        let headers = [("Retry-After", "2".to_string())];
        return respond(stream, head, "503 Service Unavailable", "text/html; charset=utf-8", &headers, page.as_bytes());
    }
    let mut file = site.dir.clone();
    file.extend(&segments);
    if file.is_dir() {
        if !path.ends_with('/') {
            // Relative links in the page need the trailing slash.
            let location = format!("{path}/");
            return respond(
                stream,
                head,
                "301 Moved Permanently",
                "text/plain; charset=utf-8",
                &[("Location", location)],
                b"",
            );
        }
        file.push("index.html");
    }
    if !inside(&site.dir, &file) {
        return respond_plain(stream, head, "403 Forbidden", "That path is outside the book.\n");
    }
    match std::fs::read(&file) {
        Ok(body) => {
            let kind = content_type(&file);
            let body = if kind.starts_with("text/html") { with_live_reload(&body) } else { body };
            respond(stream, head, "200 OK", kind, &[], &body)
        }
        Err(_) => not_found(stream, head, site),
    }
}

/// One of the pinned Pyodide's files, from `.lab/pyodide` (only the files
/// a page loads; anything else is missing).
fn serve_pyodide(stream: &mut TcpStream, head: bool, site: &Site, name: &str) -> std::io::Result<()> {
    let dir = site.workspace.as_deref().and_then(crate::pyodide::ready);
    match dir.filter(|_| crate::pyodide::FILES.contains(&name)).and_then(|dir| std::fs::read(dir.join(name)).ok()) {
        Some(body) => respond(stream, head, "200 OK", content_type(Path::new(name)), &[], &body),
        None => not_found(stream, head, site),
    }
}

/// How reading a request head ended.
pub(crate) enum Head {
    /// The request line, the headers, and what came after them.
    Complete(Request),
    /// Not a request, or larger than [`MAX_REQUEST_BYTES`].
    Malformed,
    /// Still arriving at `deadline`, or nothing for [`IDLE_TIMEOUT`].
    TooSlow,
}

/// A request head as it arrived.
pub(crate) struct Request {
    /// `GET /path HTTP/1.1`, without its line end.
    pub(crate) line: String,
    /// Each `Name: value` line of the head, in order, trimmed (lines without
    /// a colon are left out).
    headers: Vec<(String, String)>,
    /// The bytes read after the head: the start of a body.
    pub(crate) rest: Vec<u8>,
}

impl Request {
    /// The first header named `name` (in any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Read the request line and headers by `deadline`. An I/O error is the
/// connection closing under it.
pub(crate) fn read_head(stream: &mut TcpStream, deadline: Instant) -> std::io::Result<Head> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Head::TooSlow);
        }
        stream.set_read_timeout(Some(left.min(IDLE_TIMEOUT)))?;
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Ok(Head::Malformed),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Ok(Head::TooSlow);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        head.extend_from_slice(&chunk[..n]);
        if let Some((end, after)) = find_head_end(&head) {
            let Ok(text) = std::str::from_utf8(&head[..end]) else { return Ok(Head::Malformed) };
            let mut lines = text.split('\n');
            let line = lines.next().unwrap_or("").trim_end().to_string();
            let headers = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
                .collect();
            return Ok(Head::Complete(Request { line, headers, rest: head[after..].to_vec() }));
        }
        if head.len() > MAX_REQUEST_BYTES {
            return Ok(Head::Malformed);
        }
    }
}

/// Where the head ends: the first empty line (`\r\n\r\n`, or `\n\n`);
/// and where what follows it begins.
fn find_head_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|at| (at, at + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The percent-decoded segments of a URL path, or `None` when it is not a
/// plain path inside the site (`..`, backslashes, NUL, not starting with `/`).
fn url_segments(path: &str) -> Option<Vec<String>> {
    if !path.starts_with('/') {
        return None;
    }
    let mut segments = Vec::new();
    for raw in path.split('/') {
        let segment = percent_decode(raw)?;
        if segment == ".." || segment.contains(['/', '\\', '\0']) || segment.contains(':') {
            return None;
        }
        if segment.is_empty() || segment == "." {
            continue;
        }
        segments.push(segment);
    }
    Some(segments)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether `file` (if it exists) is really inside `dir`, symbolic links
/// resolved. A missing file is "inside": it gets a 404.
fn inside(dir: &Path, file: &Path) -> bool {
    if file.components().any(|c| matches!(c, Component::ParentDir)) {
        return false;
    }
    match (dir.canonicalize(), file.canonicalize()) {
        (Ok(dir), Ok(file)) => file.starts_with(dir),
        (_, Err(_)) => true,
        (Err(_), Ok(_)) => false,
    }
}

fn not_found(stream: &mut TcpStream, head: bool, site: &Site) -> std::io::Result<()> {
    match std::fs::read(site.dir.join("404.html")) {
        Ok(page) => respond(stream, head, "404 Not Found", "text/html; charset=utf-8", &[], &with_live_reload(&page)),
        Err(_) => {
            let page = format!(
                "<!DOCTYPE html>\n<html><head><title>Not found</title></head><body>\n<h1>Not found</h1>\n<p>There is no such page in the book. <a href=\"/\">Back to the start</a>.</p>\n{LIVE_RELOAD_SCRIPT}</body></html>\n"
            );
            respond(stream, head, "404 Not Found", "text/html; charset=utf-8", &[], page.as_bytes())
        }
    }
}

/// The page with the live-reload script inserted before its last `</body>`
/// (or at its end).
pub(crate) fn with_live_reload(page: &[u8]) -> Vec<u8> {
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + LIVE_RELOAD_SCRIPT.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(LIVE_RELOAD_SCRIPT.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The content type for a file, from its extension.
pub(crate) fn content_type(file: &Path) -> &'static str {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        // WebAssembly must say so, or a browser will not compile it as it downloads.
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "txt" | "md" | "py" | "toml" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

pub(crate) fn respond_plain(stream: &mut TcpStream, head: bool, status: &str, body: &str) -> std::io::Result<()> {
    respond(stream, head, status, "text/plain; charset=utf-8", &[], body.as_bytes())
}

pub(crate) fn respond(
    stream: &mut TcpStream,
    head: bool,
    status: &str,
    content_type: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head {
        bytes.extend_from_slice(body);
    }
    stream.write_all(&bytes)?;
    stream.flush()?;
    let _ = stream.shutdown(std::net::Shutdown::Write);
    // Let the client read the answer before the socket closes, so a request
    // body it is still sending does not turn the close into a reset.
    let mut sink = [0u8; 1024];
    // Bounded in time too: a client that keeps sending does not keep the
    // connection's place.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let until = Instant::now() + Duration::from_millis(500);
    while Instant::now() < until && matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
    Ok(())
}

/// Open `url` in the desktop's browser, best effort: `open` on macOS,
/// `start` on Windows, `xdg-open` (then `sensible-browser`) elsewhere. An
/// error is a note to print, saying to open the address by hand.
pub(crate) fn open_in_browser(url: &str) -> Result<(), String> {
    use std::process::{Command, Stdio};
    let openers: &[(&str, &[&str])] = if cfg!(target_os = "macos") {
        &[("open", &[])]
    } else if cfg!(windows) {
        &[("cmd", &["/C", "start", ""])]
    } else {
        &[("xdg-open", &[]), ("sensible-browser", &[])]
    };
    for (program, args) in openers {
        let status = Command::new(program)
            .args(*args)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if matches!(status, Ok(s) if s.success()) {
            return Ok(());
        }
    }
    Err(format!("could not open a browser from here; open {url} in yours"))
}

/// Watch the book's sources: every file under `ROOT/book` (except the build
/// folder, hidden files and editor backups) and `ROOT/book.toml`, looked at
/// every [`WATCH_INTERVAL`]. After a change, once the files have been still
/// for one more look (so a save of several files is one change),
/// `on_change` is called on the watching thread.
pub(crate) fn watch_book_sources<F>(root: &Path, mut on_change: F) -> Result<thread::JoinHandle<()>, String>
where
    F: FnMut() + Send + 'static,
{
    let root = root.to_path_buf();
    // The first look happens here, before this returns and the caller says
    // the book is served: a save right after that is then a change, however
    // late the watching thread gets to run.
    let mut last = book_fingerprint(&root);
    thread::Builder::new()
        .name("lab-watch-book".into())
        .spawn(move || {
            let mut pending = false;
            loop {
                thread::sleep(WATCH_INTERVAL);
                let now = book_fingerprint(&root);
                if now != last {
                    last = now;
                    pending = true;
                } else if pending {
                    pending = false;
                    on_change();
                }
            }
        })
        .map_err(|e| format!("cannot watch the book's sources: {e}"))
}

/// Path, size and modification time of every watched file, sorted.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

fn book_fingerprint(root: &Path) -> Fingerprint {
    let mut files = Vec::new();
    let config = root.join("book.toml");
    if let Ok(meta) = config.metadata() {
        files.push((config, meta.len(), meta.modified().ok()));
    }
    let build = root.join("book").join("build");
    collect(&root.join("book"), &build, &mut files);
    files.sort();
    files
}

fn collect(dir: &Path, skip: &Path, files: &mut Fingerprint) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path == skip || name.starts_with('.') || name.ends_with('~') || name.starts_with("#") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            collect(&path, skip, files);
        } else {
            files.push((path, meta.len(), meta.modified().ok()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused() {
        assert_eq!(url_segments("/a/b.html"), Some(vec!["a".into(), "b.html".into()]));
        assert_eq!(url_segments("/"), Some(vec![]));
        assert_eq!(url_segments("/a/%20b"), Some(vec!["a".into(), " b".into()]));
        assert_eq!(url_segments("/../etc/passwd"), None);
        assert_eq!(url_segments("/a/%2e%2e/%2E%2E/x"), None);
        assert_eq!(url_segments("/a%2f..%2fb"), None);
        assert_eq!(url_segments("/a\\..\\b"), None);
        assert_eq!(url_segments("a.html"), None);
        assert_eq!(url_segments("/%zz"), None);
    }

    /// A GET of `path`, answered or not: (status line, how long it took).
    fn get(addr: SocketAddr, path: &str) -> (String, Duration) {
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer);
        (text.lines().next().unwrap_or("").to_string(), started.elapsed())
    }

    /// While the first build runs, a page is a short page that says so and
    /// reloads (a tab left open from an earlier session asks at once), not
    /// a 404; the version answers meanwhile, and it changes when the build is
    /// done, which is what makes the waiting page reload.
    #[test]
    fn a_page_asked_for_during_the_first_build_says_so_and_reloads() {
        let dir = std::env::temp_dir().join(format!("lab-serve-building-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let server = start(&dir, 0, "test", None, true).expect("serves");
        let answer = |path: &str| {
            let mut stream = TcpStream::connect(server.addr).expect("connects");
            stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).unwrap();
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
            String::from_utf8_lossy(&answer).into_owned()
        };
        let waiting = answer("/handlers/index.html");
        assert!(waiting.starts_with("HTTP/1.1 503 "), "{waiting}");
        assert!(waiting.contains("The book is being built") && waiting.contains("lab-live-reload"), "{waiting}");
        let version = |text: String| text.rsplit("\r\n\r\n").next().unwrap_or_default().to_string();
        let before = version(answer(VERSION_PATH));
        std::fs::write(dir.join("index.html"), "<html><body>the book</body></html>").unwrap();
        server.built();
        assert_ne!(version(answer(VERSION_PATH)), before, "the waiting page reloads when the build is done");
        assert!(answer("/").starts_with("HTTP/1.1 200 "), "served once built");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The attack of the review (70 clients sending a request head a byte at
    /// a time, more than the 64 places): a reader is still served at once,
    /// every trickling client is dropped by the head's deadline, and a head
    /// that never ends gets a 408.
    #[test]
    fn trickling_clients_do_not_keep_readers_out() {
        let dir = std::env::temp_dir().join(format!("lab-serve-slow-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("page.html"), "<html><body>a page</body></html>").unwrap();
        let server = start(&dir, 0, "test", None, false).expect("serves");
        let addr = server.addr;

        let started = Instant::now();
        let stop = Arc::new(AtomicBool::new(false));
        let dropped_after = Arc::new(Mutex::new(Vec::new()));
        let head = b"GET /page.html HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let mut tricklers = Vec::new();
        for i in 0..70 {
            let (stop, dropped_after) = (Arc::clone(&stop), Arc::clone(&dropped_after));
            let trickler = thread::Builder::new().name(format!("trickle-{i}")).spawn(move || {
                let Ok(mut stream) = TcpStream::connect(addr) else { return };
                let _ = stream.set_read_timeout(Some(Duration::from_millis(10)));
                for byte in head.iter().cycle() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    // The server's answer (a 408 or 503) or its close ends it.
                    let mut answer = [0u8; 64];
                    let closed = match stream.read(&mut answer) {
                        Ok(_) => true,
                        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
                    };
                    if closed || stream.write_all(&[*byte]).is_err() {
                        let said = String::from_utf8_lossy(&answer).lines().next().unwrap_or("").to_string();
                        dropped_after.lock().unwrap().push((started.elapsed(), said));
                        return;
                    }
                    thread::sleep(Duration::from_secs(1));
                }
            });
            tricklers.push(trickler.unwrap());
        }
        // Once their heads are slow, a reader comes, and again later.
        for at in [Duration::from_millis(1500), Duration::from_secs(3)] {
            thread::sleep(at.saturating_sub(started.elapsed()));
            let (status, took) = get(addr, "/page.html");
            assert_eq!(status, "HTTP/1.1 200 OK", "a reader among 70 trickling clients, at {at:?}");
            assert!(took < Duration::from_secs(1), "the reader waited {took:?} at {at:?}");
        }
        // By the head's deadline (and a little), every trickling client is gone.
        thread::sleep((HEAD_DEADLINE + Duration::from_secs(2)).saturating_sub(started.elapsed()));
        let dropped = dropped_after.lock().unwrap().clone();
        stop.store(true, Ordering::SeqCst);
        for trickler in tricklers {
            let _ = trickler.join();
        }
        assert_eq!(dropped.len(), 70, "only {} of 70 trickling clients were dropped: {dropped:?}", dropped.len());
        assert!(dropped.iter().all(|(after, _)| *after < HEAD_DEADLINE + Duration::from_secs(2)), "{dropped:?}");
        assert!(dropped.iter().any(|(_, said)| said == "HTTP/1.1 408 Request Timeout"), "{dropped:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The head's headers are kept (any case), and the bytes after it, the
    /// start of a body, are not lost (the class view reads posts with it).
    #[test]
    fn a_request_head_keeps_its_headers_and_the_start_of_its_body() {
        let listener = TcpListener::bind((LOOPBACK, 0)).unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client
            .write_all(b"POST /progress HTTP/1.1\r\nHost: x\r\ncontent-length: 7\r\nX-Odd:  spaced \r\n\r\n{\"a\":")
            .unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let Ok(Head::Complete(request)) = read_head(&mut server, Instant::now() + HEAD_DEADLINE) else {
            panic!("a complete head")
        };
        assert_eq!(request.line, "POST /progress HTTP/1.1");
        assert_eq!(request.header("Content-Length"), Some("7"));
        assert_eq!(request.header("x-odd"), Some("spaced"));
        assert_eq!(request.header("Missing"), None);
        assert_eq!(request.rest, b"{\"a\":");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = with_live_reload(b"<html><body>x</body></html>");
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html><body>x<script id=\"lab-live-reload\">"), "{page}");
        assert!(page.ends_with("</script>\n</body></html>"), "{page}");
        assert!(String::from_utf8(with_live_reload(b"plain")).unwrap().starts_with("plain<script"));
    }
}
