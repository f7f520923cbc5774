//! One call of a service's JSON protocol at the local AWS: an HTTP/1.1
//! POST to the gateway, signed with the account's access key (the gateway
//! tells callers apart by it and does not verify signatures), and the
//! answer read back framed by its Content-Length, as the gateway always
//! frames it.

use harness::aws::Registration;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

/// How long one call may take: longer than the gateway's own limit for
/// moto (30 s), which then answers with an error of its own.
const CALL_LIMIT: Duration = Duration::from_secs(40);

/// An HTTP answer: status, headers (names lower-case) and body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// POST `body` to the local AWS as `registration`, for `service` (the name
/// in the credential scope: `dynamodb`, `sqs`) and `target` (the JSON
/// protocol's `X-Amz-Target`, such as `DynamoDB_20120810.PutItem`).
pub(crate) fn post(registration: &Registration, service: &str, target: &str, body: &[u8]) -> Result<Answer, String> {
    let endpoint = registration.endpoint();
    let host = endpoint.strip_prefix("http://").unwrap_or(endpoint).trim_end_matches('/');
    let mut stream = TcpStream::connect(host).map_err(|e| format!("cannot reach the local AWS at {endpoint}: {e}"))?;
    stream.set_read_timeout(Some(CALL_LIMIT)).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(CALL_LIMIT)).map_err(|e| e.to_string())?;
    let credentials = registration.credentials();
    let region = registration.region();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: {target}\r\n\
         X-Amz-Date: 20261127T120000Z\r\nX-Amz-Security-Token: {token}\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={key}/20261127/{region}/{service}/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n",
        token = credentials.session_token,
        key = credentials.access_key_id,
        length = body.len(),
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).and_then(|()| stream.flush()).map_err(|e| format!("the local AWS: {e}"))?;
    read_answer(BufReader::new(stream)).map_err(|e| format!("the local AWS answered no HTTP response: {e}"))
}

fn read_answer(mut reader: impl BufRead) -> std::io::Result<Answer> {
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| invalid("status"))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let text = line.trim_end();
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse::<usize>().ok());
    let mut body = Vec::new();
    match length {
        Some(length) => {
            body.resize(length, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    Ok(Answer { status, headers, body })
}

/// CRC-32 (IEEE), as DynamoDB writes it in `x-amz-crc32` over the body.
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_ieee_checksum() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        // DynamoDB's `{}`, the body of a PutItem's answer.
        assert_eq!(crc32(b"{}"), 2_745_614_147);
    }

    #[test]
    fn an_answer_is_read_to_its_length() {
        let text = "HTTP/1.1 400 Bad Request\r\nContent-Type: x\r\ncontent-length: 2\r\n\r\n{}extra";
        let answer = read_answer(text.as_bytes()).unwrap();
        assert_eq!((answer.status, answer.body.as_slice()), (400, &b"{}"[..]));
        assert_eq!(answer.header("content-type"), Some("x"));
    }
}
