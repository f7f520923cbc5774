//! Just enough HTTP/1.1 for the Runtime API: one request at a time off a
//! persistent connection, bodies framed by Content-Length or chunked.
//!
//! Keep-alive matters: lambda_runtime's hyper client pools its connection and
//! sends /next, /response and the following /next over the same socket, so
//! answering one request and closing would turn every invocation into a
//! reconnect (and a race, if the client has already written the next request).

use std::io::{self, BufRead, Write};

pub(crate) struct Request {
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
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// HTTP/1.1 defaults to keep-alive; only an explicit `Connection: close`
    /// ends the conversation.
    pub(crate) fn wants_close(&self) -> bool {
        self.header("connection").is_some_and(|v| v.eq_ignore_ascii_case("close"))
    }
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
pub(crate) fn read_request(r: &mut impl BufRead) -> io::Result<Option<Request>> {
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
    let mut req = Request { method, path, headers, body: Vec::new(), chunked: false };
    let transfer_encoding = req.header("transfer-encoding").map(str::to_ascii_lowercase);
    if transfer_encoding.is_some_and(|encoding| encoding.contains("chunked")) {
        req.chunked = true;
        read_chunked(r, &mut req.body, &mut req.headers)?;
    } else if let Some(len) = req.header("content-length") {
        let len: usize = len.parse().map_err(|_| bad("bad content-length"))?;
        req.body.resize(len, 0);
        r.read_exact(&mut req.body)?;
    }
    Ok(Some(req))
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

pub(crate) fn write_response(
    w: &mut impl Write,
    status: u16,
    headers: &[(&str, String)],
    body: &[u8],
) -> io::Result<()> {
    let reason = match status {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Unknown",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    w.write_all(body)?;
    w.flush()
}
