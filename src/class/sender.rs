//! The learner's side of the class view: a small HTTP/1.1 client on a plain
//! [`TcpStream`] (no HTTP or TLS crate: the learner's build stays lean, and
//! the class view is plain HTTP on the classroom's network), and the
//! background thread that sends the progress whenever it changes.
//!
//! Every send is the whole current report, so nothing is lost when the
//! instructor's server is away: the next send that gets through brings it
//! up to date. The thread never prints and never waits on the workshop: it
//! only reads `.lab/progress.json` and `.lab/class.json`.

use super::Membership;
use super::protocol;
use super::server::CODE_HEADER;
use crate::progress::{Progress, state_dir};
use harness::exercise::Exercise;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

/// How often the thread looks at the progress and membership files.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// The progress is sent again after this long even when it has not
/// changed, so that a class view restarted meanwhile (which starts empty)
/// shows every learner again soon.
const HEARTBEAT: Duration = Duration::from_secs(30);
/// After a failed send the thread waits this long, doubled after each
/// further failure up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(16);
/// Connecting, writing and reading each give up after this.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(5);
/// The most of an answer that is read.
const MAX_ANSWER: usize = 16 * 1024;

/// A class view's address: `http://HOST:PORT` (a trailing `/` allowed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ClassUrl {
    /// `HOST:PORT`, as given (`[::1]:3100` for an IPv6 address).
    authority: String,
}

impl ClassUrl {
    pub(crate) fn parse(text: &str) -> Result<ClassUrl, String> {
        let text = text.trim();
        if text.starts_with("https://") {
            return Err(format!(
                "{text}: the class view is plain HTTP on the classroom's network; use the http:// address it printed"
            ));
        }
        let Some(rest) = text.strip_prefix("http://") else {
            return Err(format!("{text} is not the class view's address; it looks like http://192.168.1.20:3100"));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let port_ok = authority
            .rsplit_once(':')
            .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0));
        let plain = authority.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
        if !port_ok || !plain {
            return Err(format!("{text} is not the class view's address; it looks like http://192.168.1.20:3100"));
        }
        Ok(ClassUrl { authority: authority.to_string() })
    }

    /// `http://HOST:PORT`.
    pub(crate) fn as_str(&self) -> String {
        format!("http://{}", self.authority)
    }
}

/// Why a send did not get through.
#[derive(Debug)]
pub(crate) enum SendError {
    /// Nothing listens there (refused), or the name does not resolve.
    NotListening(String),
    /// No connection or no answer within [`TIMEOUT`].
    Timeout,
    /// The class view refused the code (403).
    WrongCode,
    /// Another learner has the seat label (409).
    SeatTaken,
    /// Any other answer or failure, said as it was.
    Other(String),
}

impl SendError {
    /// The sentence a learner reads after `cargo lab join`.
    pub(crate) fn explain(&self, url: &str, code: &str, seat: Option<&str>) -> String {
        match self {
            SendError::NotListening(why) => format!(
                "nothing is listening at {url} ({why}): is the instructor's `cargo lab class` running, and is the address the one on their screen?"
            ),
            SendError::Timeout => format!(
                "no answer from {url} within {} seconds: is the address the one on the instructor's screen, and are you on the same network?",
                TIMEOUT.as_secs()
            ),
            SendError::WrongCode => {
                format!("the class at {url} refused the code {code}: check it on the instructor's screen")
            }
            SendError::SeatTaken => format!(
                "another learner already has the seat {:?} in this class; choose another with --seat NAME",
                seat.unwrap_or("")
            ),
            SendError::Other(why) => format!("the class view at {url} did not take your progress: {why}"),
        }
    }
}

/// POST `body` to `path` of the class view with the code; the status and
/// the answer's body.
pub(crate) fn post(url: &ClassUrl, path: &str, code: &str, body: &[u8]) -> Result<(u16, String), SendError> {
    let addresses: Vec<SocketAddr> = url
        .authority
        .to_socket_addrs()
        .map_err(|e| SendError::NotListening(format!("cannot find {}: {e}", url.authority)))?
        .collect();
    let mut last = SendError::NotListening(format!("no address for {}", url.authority));
    let mut stream = None;
    for address in addresses {
        match TcpStream::connect_timeout(&address, TIMEOUT) {
            Ok(connected) => {
                stream = Some(connected);
                break;
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) => {
                last = SendError::Timeout;
            }
            Err(e) => last = SendError::NotListening(e.to_string()),
        }
    }
    let Some(mut stream) = stream else { return Err(last) };
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => SendError::Timeout,
        _ => SendError::Other(e.to_string()),
    };
    stream.set_write_timeout(Some(TIMEOUT)).map_err(io)?;
    stream.set_read_timeout(Some(TIMEOUT)).map_err(io)?;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{CODE_HEADER}: {code}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        url.authority,
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).map_err(io)?;
    let mut answer = Vec::new();
    // The whole exchange is bounded: each read by TIMEOUT, and all of them
    // together by twice that.
    let until = Instant::now() + 2 * TIMEOUT;
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // A reset after a complete answer is still the answer.
            Err(_) if !answer.is_empty() => break,
            Err(e) => return Err(io(e)),
        }
        if answer.len() > MAX_ANSWER || Instant::now() > until {
            break;
        }
    }
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| SendError::Other("the answer was not HTTP".into()))?;
    Ok((status, body.to_string()))
}

/// Send the workspace's report as `learner` under `seat` (`None`: let the
/// server give one); the seat label the server shows.
pub(crate) fn send_report(
    root: &Path,
    url: &ClassUrl,
    code: &str,
    learner: &str,
    seat: Option<&str>,
) -> Result<String, SendError> {
    let exercises = Exercise::discover(root).unwrap_or_default();
    let (progress, _) = Progress::load(root);
    let body = protocol::report_body(learner, seat, crate::cmd::report::rows(&exercises, &progress));
    let (status, answer) = post(url, "/progress", code, &body)?;
    match status {
        200 => serde_json::from_str::<serde_json::Value>(&answer)
            .ok()
            .and_then(|v| v.get("seat").and_then(|s| s.as_str()).map(str::to_string))
            .filter(|s| protocol::valid_seat(s))
            .ok_or_else(|| SendError::Other("its answer gave no seat".into())),
        403 => Err(SendError::WrongCode),
        409 => Err(SendError::SeatTaken),
        _ => Err(SendError::Other(format!("it answered {status}: {}", answer.trim()))),
    }
}

/// Start the thread that sends the learner's progress to the class they
/// joined whenever it changes (and every [`HEARTBEAT`]), retrying with
/// backoff while the class view is unreachable. It does nothing until the
/// workspace at `root` has a membership (`cargo lab join`), and stops
/// sending when it is removed (`cargo lab join --leave`). Never prints.
pub(crate) fn start_sender(root: &Path) {
    let root = root.to_path_buf();
    // Failing to start a thread is no reason to trouble the workshop.
    let _ = thread::Builder::new().name("lab-class-sender".into()).spawn(move || follow(&root));
}

/// What was last sent successfully.
#[derive(PartialEq, Eq)]
struct Sent {
    membership: Membership,
    progress: Option<Vec<u8>>,
}

fn follow(root: &Path) {
    let progress_file: PathBuf = state_dir(root).join("progress.json");
    let mut sent: Option<(Sent, Instant)> = None;
    let mut retry_at: Option<Instant> = None;
    let mut backoff = FIRST_BACKOFF;
    loop {
        if let Some(membership) = Membership::load(root) {
            // The file is small: reading it is the surest way to see a change
            // (a save renames a new file over it, within the same second too).
            let now = Sent { membership, progress: std::fs::read(&progress_file).ok() };
            let readable = now.progress.as_deref().is_none_or(progress_is_whole);
            let changed = sent.as_ref().is_none_or(|(last, at)| *last != now || at.elapsed() >= HEARTBEAT);
            let due = retry_at.is_none_or(|at| Instant::now() >= at);
            // A damaged progress file is not sent (nor set aside from here:
            // the workshop says so when it reads it).
            if readable && changed && due {
                let m = &now.membership;
                let sending = ClassUrl::parse(&m.url).map_err(SendError::Other);
                match sending.and_then(|url| send_report(root, &url, &m.code, &m.learner, Some(&m.seat))) {
                    Ok(_) => {
                        sent = Some((now, Instant::now()));
                        retry_at = None;
                        backoff = FIRST_BACKOFF;
                    }
                    Err(_) => {
                        retry_at = Some(Instant::now() + backoff);
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                }
            }
        } else {
            sent = None;
            retry_at = None;
            backoff = FIRST_BACKOFF;
        }
        thread::sleep(LOOK_EVERY);
    }
}

/// Whether the progress file's text can be read as progress (so that
/// loading it will not set it aside).
fn progress_is_whole(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).ok().is_some_and(|v| {
        v.get("version").and_then(|n| n.as_u64()) == Some(1) && v.get("exercises").is_some_and(|e| e.is_object())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_plain_http_with_a_port() {
        assert_eq!(ClassUrl::parse("http://192.168.1.20:3100/").unwrap().as_str(), "http://192.168.1.20:3100");
        assert_eq!(ClassUrl::parse(" http://teacher.local:3100 ").unwrap().as_str(), "http://teacher.local:3100");
        assert!(ClassUrl::parse("http://[::1]:3100").is_ok());
        assert!(ClassUrl::parse("https://192.168.1.20:3100").unwrap_err().contains("plain HTTP"));
        assert!(ClassUrl::parse("192.168.1.20:3100").is_err());
        assert!(ClassUrl::parse("http://192.168.1.20").is_err(), "the port is needed");
        assert!(ClassUrl::parse("http://192.168.1.20:3100/view").is_err());
        assert!(ClassUrl::parse("http://a b:3100").is_err());
        assert!(ClassUrl::parse("http://host:0").is_err());
    }

    #[test]
    fn a_damaged_progress_file_is_not_sent() {
        assert!(progress_is_whole(br#"{"version": 1, "exercises": {}}"#));
        assert!(!progress_is_whole(br#"{"version": 1, "exercises": {"#));
        assert!(!progress_is_whole(br#"{"version": 2, "exercises": {}}"#));
    }
}
