//! The error responses the gateway writes itself, shaped as each protocol's
//! errors are, so that the function's SDK raises the same `ClientError` it
//! would raise in AWS and the learner's `except` clauses meet the real
//! thing.
//!
//! Where each shape comes from:
//! - S3 (REST-XML): the `<Error><Code/><Message/><RequestId/><HostId/></Error>`
//!   document of the S3 API Reference's "Error responses" page
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>),
//!   which also lists AccessDenied and InvalidAccessKeyId as 403. botocore's
//!   S3 model has AccessDenied as a 403 error shape.
//! - JSON protocol (DynamoDB, SQS): a body of `__type` and a message, the
//!   code being what follows the `#` (botocore `parsers.py`,
//!   `BaseJSONParser._do_error_parse`, which takes `message` or `Message`).
//!   The common errors pages of both services list AccessDeniedException
//!   as 400
//!   (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html>).
//!   SQS's model is `awsQueryCompatible`: its JSON errors carry the code of
//!   the older query API in `x-amzn-query-error: CODE;Sender`, and botocore
//!   reports that code ("Interpreting Amazon SQS JSON API responses",
//!   <https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-json-api-responses.html>),
//!   so a denied SQS call is `AccessDenied`, as AWS's SQS troubleshooting
//!   article quotes it. DynamoDB writes `Message` with a capital M in its
//!   AccessDeniedException, SQS's example a lower-case `message`.
//! - Query protocol (SNS, STS, IAM, older SQS): `<ErrorResponse><Error>
//!   <Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`, which
//!   botocore's `QueryParser` reads.
//! - RPC v2 CBOR (CloudWatch in recent SDKs): the same two members as the
//!   JSON protocol, in CBOR, since botocore decodes error bodies as CBOR.
//! - REST-JSON (Lambda and others): the code in `x-amzn-ErrorType` and a
//!   `message` in the body (botocore `RestJSONParser._inject_error_code`).

use crate::call::Protocol;

/// A response the gateway writes without asking moto.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

/// Why the gateway answers a call itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A policy refused the call.
    AccessDenied,
    /// Signed with an access key the gateway did not issue.
    UnknownKey,
    /// Not signed at all.
    Unsigned,
    /// moto refused the connection or dropped it.
    Unavailable,
    /// moto took longer than the gateway's limit to answer.
    TimedOut,
    /// moto failed inside (its bare HTML 500): almost always an operation it
    /// does not implement. 501, which botocore does not retry, so the
    /// handler hears of it at once.
    NotServed,
}

/// The status, the code and, for SQS's JSON protocol, the query code of a
/// failure in a protocol. The statuses are AWS's where AWS has one
/// (DynamoDB answers an unknown key with 400, SQS with 403); 502 and 504
/// are the gateway's own, and botocore retries both as transient.
fn status_and_codes(failure: Failure, protocol: Protocol, service: &str) -> (u16, &'static str, Option<&'static str>) {
    use Failure::*;
    use Protocol::*;
    let sqs = service == "sqs";
    match (failure, protocol) {
        (AccessDenied, RestXml | Query) => (403, "AccessDenied", None),
        (AccessDenied, Json) => (400, "AccessDeniedException", sqs.then_some("AccessDenied")),
        (AccessDenied, Cbor | RestJson) => (403, "AccessDeniedException", None),
        (UnknownKey, RestXml) => (403, "InvalidAccessKeyId", None),
        (UnknownKey, Query) => (403, "InvalidClientTokenId", None),
        (UnknownKey, Json) if service == "dynamodb" => (400, "UnrecognizedClientException", None),
        (UnknownKey, Json) => (403, "UnrecognizedClientException", sqs.then_some("InvalidClientTokenId")),
        (UnknownKey, Cbor | RestJson) => (403, "UnrecognizedClientException", None),
        // An anonymous request to a private bucket is refused as any other.
        (Unsigned, RestXml) => (403, "AccessDenied", None),
        (Unsigned, Query) => (403, "MissingAuthenticationToken", None),
        (Unsigned, Json) if service == "dynamodb" => (400, "MissingAuthenticationTokenException", None),
        (Unsigned, Json) => (403, "MissingAuthenticationTokenException", sqs.then_some("MissingAuthenticationToken")),
        (Unsigned, Cbor | RestJson) => (403, "MissingAuthenticationTokenException", None),
        (Unavailable, _) => (502, "LocalAwsUnavailable", None),
        (TimedOut, _) => (504, "LocalAwsTimeout", None),
        (NotServed, _) => (501, "NotImplemented", None),
    }
}

/// The error response for `failure`, in the protocol of the request.
pub(crate) fn reply(failure: Failure, protocol: Protocol, service: &str, message: &str, request_id: &str) -> Reply {
    let (status, code, query_code) = status_and_codes(failure, protocol, service);
    error_reply(status, code, query_code, protocol, service, message, request_id)
}

/// The error response of a planned [`Fault`](crate::Fault): its status and
/// code, in the protocol of the request (SQS's JSON errors carry the code as
/// their query code too, so botocore reports it as written).
pub(crate) fn fault_reply(fault: &crate::Fault, protocol: Protocol, service: &str, request_id: &str) -> Reply {
    let query_code = (service == "sqs").then_some(fault.code.as_str());
    error_reply(fault.status, &fault.code, query_code, protocol, service, &fault.message, request_id)
}

fn error_reply(
    status: u16,
    code: &str,
    query_code: Option<&str>,
    protocol: Protocol,
    service: &str,
    message: &str,
    request_id: &str,
) -> Reply {
    let mut headers = vec![("x-amzn-RequestId".to_string(), request_id.to_string())];
    let body = match protocol {
        Protocol::RestXml => {
            headers = vec![
                ("x-amz-request-id".into(), request_id.into()),
                ("x-amz-id-2".into(), format!("local-aws/{request_id}")),
                ("Content-Type".into(), "application/xml".into()),
            ];
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{}</Message>\
                 <RequestId>{request_id}</RequestId><HostId>local-aws/{request_id}</HostId></Error>",
                xml_escape(message)
            )
            .into_bytes()
        }
        Protocol::Query => {
            headers.push(("Content-Type".into(), "text/xml".into()));
            format!(
                "<?xml version=\"1.0\"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
                 <Message>{}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
                xml_escape(message)
            )
            .into_bytes()
        }
        Protocol::Json => {
            headers.push(("Content-Type".into(), "application/x-amz-json-1.0".into()));
            if let Some(query_code) = query_code {
                headers.push(("x-amzn-query-error".into(), format!("{query_code};Sender")));
            }
            let message_key = if service == "dynamodb" { "Message" } else { "message" };
            let mut body = serde_json::Map::new();
            body.insert("__type".into(), format!("{}#{code}", type_namespace(code)).into());
            body.insert(message_key.into(), message.into());
            serde_json::Value::Object(body).to_string().into_bytes()
        }
        Protocol::Cbor => {
            headers.push(("Content-Type".into(), "application/cbor".into()));
            headers.push(("smithy-protocol".into(), "rpc-v2-cbor".into()));
            cbor_text_map(&[("__type", &format!("{}#{code}", type_namespace(code))), ("message", message)])
        }
        Protocol::RestJson => {
            headers.push(("Content-Type".into(), "application/json".into()));
            headers.push(("x-amzn-ErrorType".into(), code.into()));
            serde_json::json!({ "message": message }).to_string().into_bytes()
        }
    };
    Reply { status, headers, body }
}

/// The namespace AWS's front end gives the errors it raises before the
/// service sees a request (authentication, authorization); the gateway's
/// own codes get one of their own.
fn type_namespace(code: &str) -> &'static str {
    if code.starts_with("LocalAws") { "local-aws" } else { "com.amazon.coral.service" }
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A CBOR map of text keys to text values (RFC 8949: major type 5 for the
/// map, 3 for each text string), all a CBOR error body needs.
fn cbor_text_map(entries: &[(&str, &str)]) -> Vec<u8> {
    fn head(out: &mut Vec<u8>, major: u8, len: usize) {
        let major = major << 5;
        match len {
            0..=23 => out.push(major | len as u8),
            24..=0xff => out.extend_from_slice(&[major | 24, len as u8]),
            0x100..=0xffff => {
                out.push(major | 25);
                out.extend_from_slice(&(len as u16).to_be_bytes());
            }
            _ => {
                out.push(major | 26);
                out.extend_from_slice(&(len as u32).to_be_bytes());
            }
        }
    }
    let mut out = Vec::new();
    head(&mut out, 5, entries.len());
    for (key, value) in entries {
        for text in [key, value] {
            head(&mut out, 3, text.len());
            out.extend_from_slice(text.as_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(reply: &Reply) -> String {
        String::from_utf8(reply.body.clone()).unwrap()
    }

    fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
        reply.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    #[test]
    fn s3_access_denied_is_a_403_error_document() {
        let r = reply(Failure::AccessDenied, Protocol::RestXml, "s3", "no <way> & no", "RID");
        assert_eq!(r.status, 403);
        assert!(
            text(&r).contains("<Error><Code>AccessDenied</Code><Message>no &lt;way&gt; &amp; no</Message>"),
            "{}",
            text(&r)
        );
        assert_eq!(header(&r, "x-amz-request-id"), Some("RID"));
    }

    #[test]
    fn json_access_denied_is_a_400_with_a_type() {
        let r = reply(Failure::AccessDenied, Protocol::Json, "dynamodb", "no", "RID");
        let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(r.status, 400);
        assert_eq!(body["__type"], "com.amazon.coral.service#AccessDeniedException");
        assert_eq!(body["Message"], "no");
        assert_eq!(header(&r, "x-amzn-query-error"), None);
        let r = reply(Failure::AccessDenied, Protocol::Json, "sqs", "no", "RID");
        assert_eq!(header(&r, "x-amzn-query-error"), Some("AccessDenied;Sender"));
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["message"], "no");
    }

    #[test]
    fn an_unknown_key_is_answered_as_each_service_does() {
        assert_eq!(reply(Failure::UnknownKey, Protocol::RestXml, "s3", "m", "r").status, 403);
        assert!(text(&reply(Failure::UnknownKey, Protocol::RestXml, "s3", "m", "r")).contains("InvalidAccessKeyId"));
        assert_eq!(reply(Failure::UnknownKey, Protocol::Json, "dynamodb", "m", "r").status, 400);
        assert!(text(&reply(Failure::UnknownKey, Protocol::Query, "sns", "m", "r")).contains("InvalidClientTokenId"));
    }

    #[test]
    fn the_cbor_map_encodes_short_and_long_strings() {
        let long = "x".repeat(300);
        let bytes = cbor_text_map(&[("a", "bc"), ("message", &long)]);
        assert_eq!(&bytes[..6], &[0xa2, 0x61, b'a', 0x62, b'b', b'c']);
        assert_eq!(&bytes[6..14], &[0x67, b'm', b'e', b's', b's', b'a', b'g', b'e']);
        assert_eq!(&bytes[14..17], &[0x79, 0x01, 0x2c]);
        assert_eq!(bytes.len(), 17 + 300);
    }
}
