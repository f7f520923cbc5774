//! Just enough HTTP/1.1 for loopback services and their clients: one
//! message at a time off a persistent connection, bodies framed by
//! Content-Length or chunked.
//!
//! The server half is the Runtime API's. Keep-alive matters there:
//! lambda_runtime's hyper client pools its connection and sends /next,
//! /response and the following /next over the same socket, so answering one
//! request and closing would turn every invocation into a reconnect (and a
//! race, if the client has already written the next request).
//!
//! The client half ([`write_request`], [`read_response`]) is for the local
//! AWS gateway (crate `local-aws`), which forwards an SDK's requests to moto
//! and so is both a server and a client. It reads what an HTTP/1.1 server may
//! send: interim 1xx responses (skipped), bodies framed by Content-Length,
//! chunked or by the end of the connection, and no body at all for HEAD,
//! 204 and 304.

use std::io::{self, BufRead, Write};

pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names lower-cased (HTTP header names are case-insensitive);
    /// trailers of a chunked body are appended here too, because a streaming
    /// response reports its error type in a trailer.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub chunked: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// HTTP/1.1 defaults to keep-alive; only an explicit `Connection: close`
    /// ends the conversation.
    pub fn wants_close(&self) -> bool {
        self.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
}

/// A response as a client reads it.
pub struct Response {
    pub status: u16,
    pub reason: String,
    /// Header names lower-cased, as in [`Request::headers`]; trailers of a
    /// chunked body appended.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The connection cannot carry another request: the server said
    /// `Connection: close`, spoke HTTP/1.0 without keep-alive, or framed the
    /// body by closing the connection.
    pub close: bool,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Reads one CRLF-terminated line, without the line ending. `None` at EOF.
fn read_line(r: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    while line.ends_with('\n') || line.ends_with('\r') {
        line.pop();
    }
    Ok(Some(line))
}

fn read_headers(r: &mut impl BufRead, into: &mut Vec<(String, String)>) -> io::Result<()> {
    loop {
        let line = read_line(r)?.ok_or_else(|| bad("EOF in headers"))?;
        if line.is_empty() {
            return Ok(());
        }
        let (name, value) = line.split_once(':').ok_or_else(|| bad("malformed header"))?;
        into.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
}

/// Reads the next request; `Ok(None)` when the peer closed the connection
/// cleanly between requests (the normal end of a keep-alive connection).
pub fn read_request(r: &mut impl BufRead) -> io::Result<Option<Request>> {
    let Some(mut req) = read_request_head(r)? else { return Ok(None) };
    read_request_body(r, &mut req)?;
    Ok(Some(req))
}

/// Reads the request line and the headers only, leaving the body unread, for
/// a server that must answer `Expect: 100-continue` before the client sends
/// the body; [`read_request_body`] reads it. `Ok(None)` as for
/// [`read_request`].
pub fn read_request_head(r: &mut impl BufRead) -> io::Result<Option<Request>> {
    let line = match read_line(r)? {
        None => return Ok(None),
        Some(l) => l,
    };
    let mut parts = line.split_whitespace();
    let (method, path) = match (parts.next(), parts.next()) {
        (Some(m), Some(p)) => (m.to_string(), p.to_string()),
        _ => return Err(bad("malformed request line")),
    };
    let mut headers = Vec::new();
    read_headers(r, &mut headers)?;
    Ok(Some(Request { method, path, headers, body: Vec::new(), chunked: false }))
}

/// Reads the body of a request whose head [`read_request_head`] returned.
pub fn read_request_body(r: &mut impl BufRead, req: &mut Request) -> io::Result<()> {
    if is_chunked(&req.headers) {
        req.chunked = true;
        read_chunked(r, &mut req.body, &mut req.headers)?;
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
        req.body.resize(len, 0);
        r.read_exact(&mut req.body)?;
    }
    Ok(())
}

fn is_chunked(headers: &[(String, String)]) -> bool {
    header(headers, "transfer-encoding").is_some_and(|encoding| encoding.to_ascii_lowercase().contains("chunked"))
}

fn read_chunked(r: &mut impl BufRead, body: &mut Vec<u8>, trailers: &mut Vec<(String, String)>) -> io::Result<()> {
    loop {
        let line = read_line(r)?.ok_or_else(|| bad("EOF in chunk size"))?;
        // Chunk extensions (";name=value") are allowed and ignored.
        let size = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| bad("bad chunk size"))?;
        if size == 0 {
            return read_headers(r, trailers);
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])?;
        let mut crlf = [0u8; 2];
        r.read_exact(&mut crlf)?;
    }
}

/// The reason phrase for a status code (RFC 9110, section 15); clients
/// ignore it, people reading a capture do not.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        416 => "Range Not Satisfiable",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

pub fn write_response(w: &mut impl Write, status: u16, headers: &[(&str, String)], body: &[u8]) -> io::Result<()> {
    let reason = reason_phrase(status);
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    w.write_all(body)?;
    w.flush()
}

/// Writes a request with a Content-Length body. Any `content-length` or
/// `transfer-encoding` in `headers` is dropped: the body is always sent
/// whole, framed by its length. Head and body go out in one write, so a
/// small request is one TCP segment (a second small write could wait on
/// Nagle's algorithm and the peer's delayed ACK).
pub fn write_request(
    w: &mut impl Write,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> io::Result<()> {
    let mut message = format!("{method} {target} HTTP/1.1\r\n").into_bytes();
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("transfer-encoding") {
            continue;
        }
        message.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    message.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    message.extend_from_slice(body);
    w.write_all(&message)?;
    w.flush()
}

/// Reads the response to a request made with `method` (a response to HEAD
/// has no body, whatever its Content-Length says). Interim 1xx responses are
/// skipped. `Ok(None)` when the server closed the connection before sending
/// anything: on a reused keep-alive connection, the sign that the server had
/// closed it, and that the request may be sent again on a new one.
pub fn read_response(r: &mut impl BufRead, method: &str) -> io::Result<Option<Response>> {
    let (version, status, reason, mut headers) = loop {
        let Some(line) = read_line(r)? else { return Ok(None) };
        let mut parts = line.splitn(3, ' ');
        let version = parts.next().unwrap_or("").to_string();
        if !version.starts_with("HTTP/") {
            return Err(bad("malformed status line"));
        }
        let status: u16 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| bad("malformed status line"))?;
        let reason = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        read_headers(r, &mut headers)?;
        // 100 Continue and 103 Early Hints precede the real answer; 101
        // (a protocol switch) is not something these clients ask for.
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        break (version, status, reason, headers);
    };
    let connection = header(&headers, "connection").map(str::to_ascii_lowercase);
    let mut close = match version.as_str() {
        "HTTP/1.0" => !connection.as_deref().is_some_and(|c| c.contains("keep-alive")),
        _ => connection.as_deref().is_some_and(|c| c.contains("close")),
    };
    let mut body = Vec::new();
    let bodiless = method.eq_ignore_ascii_case("HEAD") || status < 200 || status == 204 || status == 304;
    if bodiless {
        // Nothing follows the head.
    } else if is_chunked(&headers) {
        read_chunked(r, &mut body, &mut headers)?;
    } else if let Some(len) = header(&headers, "content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
        body.resize(len, 0);
        r.read_exact(&mut body)?;
    } else {
        // Neither length nor chunks: the body ends with the connection.
        r.read_to_end(&mut body)?;
        close = true;
    }
    Ok(Some(Response { status, reason, headers, body, close }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn response(raw: &str, method: &str) -> Response {
        read_response(&mut BufReader::new(raw.as_bytes()), method).unwrap().unwrap()
    }

    #[test]
    fn a_request_survives_a_round_trip_with_its_body_reframed() {
        let headers = vec![
            ("host".to_string(), "127.0.0.1:1".to_string()),
            ("transfer-encoding".to_string(), "chunked".to_string()),
        ];
        let mut wire = Vec::new();
        write_request(&mut wire, "PUT", "/b/k?x=1", &headers, b"hello").unwrap();
        let text = String::from_utf8(wire.clone()).unwrap();
        assert!(!text.contains("transfer-encoding"), "{text}");
        let req = read_request(&mut BufReader::new(&wire[..])).unwrap().unwrap();
        assert_eq!((req.method.as_str(), req.path.as_str()), ("PUT", "/b/k?x=1"));
        assert_eq!(req.header("host"), Some("127.0.0.1:1"));
        assert_eq!(req.header("content-length"), Some("5"));
        assert_eq!(req.body, b"hello");
    }

    #[test]
    fn the_head_can_be_read_before_the_body() {
        let raw = "PUT /b/k HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc";
        let mut reader = BufReader::new(raw.as_bytes());
        let mut req = read_request_head(&mut reader).unwrap().unwrap();
        assert_eq!(req.header("expect"), Some("100-continue"));
        assert!(req.body.is_empty());
        read_request_body(&mut reader, &mut req).unwrap();
        assert_eq!(req.body, b"abc");
    }

    #[test]
    fn a_response_framed_by_length_keeps_the_connection() {
        let r = response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-A: b\r\n\r\nhi", "GET");
        assert_eq!((r.status, r.reason.as_str(), r.body.as_slice(), r.close), (200, "OK", &b"hi"[..], false));
        assert_eq!(r.header("x-a"), Some("b"));
    }

    #[test]
    fn a_chunked_response_is_reassembled_and_its_trailers_kept() {
        let raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-T: 1\r\n\r\n";
        let r = response(raw, "GET");
        assert_eq!(r.body, b"abcde");
        assert_eq!(r.header("x-t"), Some("1"));
    }

    #[test]
    fn a_response_to_head_has_no_body_whatever_its_length() {
        let raw = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        let mut reader = BufReader::new(raw.as_bytes());
        let first = read_response(&mut reader, "HEAD").unwrap().unwrap();
        assert_eq!((first.status, first.header("content-length"), first.body.len()), (200, Some("10"), 0));
        let second = read_response(&mut reader, "HEAD").unwrap().unwrap();
        assert_eq!(second.status, 404);
    }

    #[test]
    fn interim_responses_are_skipped() {
        let r = response("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", "PUT");
        assert_eq!((r.status, r.body.len()), (204, 0));
    }

    #[test]
    fn a_body_without_framing_ends_with_the_connection() {
        let r = response("HTTP/1.0 200 OK\r\n\r\nall of it", "GET");
        assert_eq!((r.body.as_slice(), r.close), (&b"all of it"[..], true));
        assert!(response("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "GET").close);
    }

    #[test]
    fn a_connection_closed_before_the_status_line_is_none() {
        assert!(read_response(&mut BufReader::new(&b""[..]), "GET").unwrap().is_none());
        assert!(read_response(&mut BufReader::new(&b"HTTP/1.1 200 OK\r\n"[..]), "GET").is_err());
    }
}
