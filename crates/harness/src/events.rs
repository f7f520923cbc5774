//! Recorded AWS events, and builders for variations of them.
//!
//! The catalog is a folder of JSON files (`crates/harness/events/`), each one event
//! as a service hands it to a Lambda function; a workshop test checks
//! that each deserializes into its `aws_lambda_events` type, so none can drift
//! from the real schema. The builders start from those recordings and change
//! only what a test asks for, encoding it the way the service would: an S3 key
//! is URL-encoded as S3 sends it, an SQS body gets its MD5, an HTTP API body
//! its base64.
//!
//! Where the shapes come from. Identifiers, names and bodies in every file
//! are the workshop's own; the layout of each event (which keys, in which
//! order, which are left out) follows a recording:
//! - `s3-put`, `s3-multipart-upload`, `sqs-batch`, `sns`, `eventbridge-*`,
//!   `kinesis`, `apigw-*` and `dynamodb-stream`: modelled on events as the
//!   services send them (checked against `aws_lambda_events`); the REST API
//!   events carry `requestContext.deploymentId`, which every real REST event
//!   has (LocalStack's snapshots recorded against AWS, `tests/aws/services/
//!   apigateway/test_apigateway_lambda.snapshot.json`).
//! - `s3-delete`: an `ObjectRemoved:Delete` record with no `size` and no
//!   `eTag`, key for key the shape of Powertools for AWS Lambda's
//!   `tests/events/s3EventDeleteObject.json`.
//! - `sqs-fifo-batch`: three messages from a FIFO queue (the ARN ends in
//!   `.fifo`; `MessageGroupId`, `MessageDeduplicationId` and `SequenceNumber`
//!   among the attributes, in the order of Powertools'
//!   `tests/events/snsSqsFifoEvent.json`, a message recorded from a FIFO queue).
//! - `sqs-s3-test-event`: the `s3:TestEvent` message S3 sends to a queue when
//!   a notification to it is configured. S3 sends it to SQS and SNS
//!   destinations only, never straight to a function, so a function meets it
//!   as the body of an SQS (or SNS) message. The body's fields are those of
//!   S3's documented test message, as LocalStack's AWS-validated notifier
//!   writes them (`localstack/services/s3/notifications.py`).
//! - `dynamodb-stream-binary-set`: a MODIFY whose images hold a `BS` (binary
//!   set), laid out like the stream records of aws-lambda-go's
//!   `events/testdata/dynamodb-event.json`.
//! - `s3-batch` and `s3-special-keys` are constructed, not recorded: S3
//!   writes one record per notification today, and these put three in one.
//!   The format is a list, so a handler loops over it, and these two make a
//!   handler that reads only `Records[0]` visible.
//!
//! The real payloads themselves, unchanged and with their origins, are in
//! `tests/payloads/` (the workshop's regression corpus).

use serde_json::{Map, Value, json};
use std::path::PathBuf;

/// One recorded event.
pub struct CatalogEntry {
    pub name: &'static str,
    /// The service that sends it.
    pub source: &'static str,
    pub description: &'static str,
}

pub const CATALOG: &[CatalogEntry] = &[
    entry("s3-put", "S3", "an object uploaded (ObjectCreated:Put)"),
    entry("s3-delete", "S3", "an object deleted (ObjectRemoved:Delete): no size, no eTag"),
    entry("s3-multipart-upload", "S3", "a multipart upload completed (ObjectCreated:CompleteMultipartUpload)"),
    entry(
        "s3-special-keys",
        "S3",
        "constructed: three uploads whose keys have spaces, + signs, parentheses and non-ASCII, URL-encoded",
    ),
    entry(
        "s3-batch",
        "S3",
        "constructed, not recorded: three uploads in one notification (S3 sends one record per notification)",
    ),
    entry("apigw-rest-get", "API Gateway REST API (payload v1)", "GET /hello?name=Ada"),
    entry(
        "apigw-rest-get-no-query",
        "API Gateway REST API (payload v1)",
        "GET /hello, no query string: the query fields are null",
    ),
    entry("apigw-rest-post", "API Gateway REST API (payload v1)", "POST /echo with a JSON body"),
    entry("apigw-http-get", "API Gateway HTTP API (payload v2)", "GET /hello?name=Ada, with cookies"),
    entry("apigw-http-post-base64", "API Gateway HTTP API (payload v2)", "POST /echo with a base64-encoded JSON body"),
    entry("sqs-batch", "SQS", "a batch of three order messages with attributes"),
    entry(
        "sqs-fifo-batch",
        "SQS",
        "a batch of three orders from a FIFO queue (orders.fifo): MessageGroupId, SequenceNumber",
    ),
    entry(
        "sqs-s3-test-event",
        "SQS",
        "the s3:TestEvent message S3 puts on a queue when a notification is configured (no Records)",
    ),
    entry("sns", "SNS", "one notification with a message attribute"),
    entry("eventbridge-scheduled", "EventBridge", "a scheduled rule firing (detail is empty)"),
    entry("eventbridge-custom", "EventBridge", "a custom OrderPlaced event with a detail object"),
    entry(
        "dynamodb-stream",
        "DynamoDB Streams",
        "INSERT, MODIFY and REMOVE records with new and old images, every attribute type",
    ),
    entry(
        "dynamodb-stream-binary-set",
        "DynamoDB Streams",
        "a MODIFY whose images hold a binary set (BS) and a binary (B)",
    ),
    entry("kinesis", "Kinesis Data Streams", "two records with base64-encoded JSON data"),
];

const fn entry(name: &'static str, source: &'static str, description: &'static str) -> CatalogEntry {
    CatalogEntry { name, source, description }
}

/// Where the recorded events are.
pub fn catalog_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events")
}

/// The catalog entry called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.name == name)
}

/// The recorded event `name`, parsed.
pub fn load(name: &str) -> Result<Value, String> {
    if find(name).is_none() {
        return Err(format!("there is no event called '{name}' in the catalog"));
    }
    let path = catalog_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}

/// The recorded event `name`, for tests: the catalog ships with the harness,
/// so a missing or broken file is a damaged installation, not a test failure.
pub fn recorded(name: &str) -> Value {
    load(name).unwrap_or_else(|e| panic!("the harness's event catalog is damaged: {e}"))
}

// --- S3 --------------------------------------------------------------------

/// A key as S3 writes it in a notification: URL-encoded as a form value
/// (`my photo (1).jpg` → `my+photo+%281%29.jpg`), slashes kept.
pub fn s3_key_encode(key: &str) -> String {
    form_encode(key, "/")
}

/// An S3 notification for one upload of `key` (the real name; it is encoded
/// as S3 would) into `bucket`, `size` bytes long.
pub fn s3_put(bucket: &str, key: &str, size: u64) -> Value {
    s3_uploads(bucket, &[(key, size)])
}

/// One notification with a record per `(key, size)`, in order.
pub fn s3_uploads(bucket: &str, objects: &[(&str, u64)]) -> Value {
    let base = recorded("s3-put");
    let record = base["Records"][0].clone();
    let records: Vec<Value> = objects
        .iter()
        .enumerate()
        .map(|(index, (key, size))| {
            let mut record = record.clone();
            set_s3_object(&mut record, Some(bucket), Some(key));
            record["s3"]["object"]["size"] = json!(size);
            record["s3"]["object"]["eTag"] = json!(crate::digest::md5_hex(key.as_bytes()));
            record["s3"]["object"]["sequencer"] = json!(format!("0067A3F1C2D4E5{index:04X}"));
            record
        })
        .collect();
    json!({ "Records": records })
}

/// Point every record of an S3 event at another bucket and/or key.
pub fn with_s3_object(mut event: Value, bucket: Option<&str>, key: Option<&str>) -> Value {
    if let Some(records) = event.get_mut("Records").and_then(Value::as_array_mut) {
        for record in records {
            set_s3_object(record, bucket, key);
        }
    }
    event
}

fn set_s3_object(record: &mut Value, bucket: Option<&str>, key: Option<&str>) {
    if let Some(bucket) = bucket {
        record["s3"]["bucket"]["name"] = json!(bucket);
        record["s3"]["bucket"]["arn"] = json!(format!("arn:aws:s3:::{bucket}"));
    }
    if let Some(key) = key {
        record["s3"]["object"]["key"] = json!(s3_key_encode(key));
    }
}

// --- SQS -------------------------------------------------------------------

/// An SQS batch with one message per body, in order, each with its own
/// message id and the MD5 of its body.
pub fn sqs_batch(bodies: &[&str]) -> Value {
    let base = recorded("sqs-batch");
    let message = base["Records"][0].clone();
    let records: Vec<Value> = bodies
        .iter()
        .enumerate()
        .map(|(index, body)| {
            let mut message = message.clone();
            message["messageId"] =
                json!(format!("059f36b4-87a3-44ab-83d2-{:012x}", 0x661f_c000_0000u64 + index as u64));
            message["body"] = json!(body);
            message["md5OfBody"] = json!(crate::digest::md5_hex(body.as_bytes()));
            message
        })
        .collect();
    json!({ "Records": records })
}

/// A batch from a FIFO queue (`orders.fifo`), one message per body, in
/// order: each with its own message id, deduplication id and sequence
/// number, the MD5 of its body, and all in one message group.
pub fn sqs_fifo_batch(bodies: &[&str]) -> Value {
    let base = recorded("sqs-fifo-batch");
    let message = base["Records"][0].clone();
    let records: Vec<Value> = bodies
        .iter()
        .enumerate()
        .map(|(index, body)| {
            let mut message = message.clone();
            message["messageId"] =
                json!(format!("3b9c1e7a-52d4-4c8e-9f1a-{:012x}", 0x6d0e_2b7c_5a10u64 + index as u64));
            message["body"] = json!(body);
            message["md5OfBody"] = json!(crate::digest::md5_hex(body.as_bytes()));
            let attributes = &mut message["attributes"];
            attributes["MessageDeduplicationId"] =
                json!(crate::digest::sha256_hex(format!("{index}:{body}").as_bytes()));
            attributes["SequenceNumber"] = json!((18_891_094_213_448_196_096u128 + 65_536 * index as u128).to_string());
            message
        })
        .collect();
    json!({ "Records": records })
}

// --- API Gateway ----------------------------------------------------------------

/// A REST API (payload v1) request. An empty `query` gives null query fields,
/// as API Gateway sends them; `body` is the raw text or None.
pub fn api_v1(method: &str, path: &str, query: &[(&str, &str)], body: Option<&str>) -> Value {
    let mut event = recorded("apigw-rest-get");
    event["httpMethod"] = json!(method);
    event["path"] = json!(path);
    event["resource"] = json!(path);
    if let Some(context) = event.get_mut("requestContext") {
        context["httpMethod"] = json!(method);
        context["resourcePath"] = json!(path);
        let stage = context["stage"].as_str().unwrap_or("prod").to_string();
        context["path"] = json!(format!("/{stage}{path}"));
    }
    if query.is_empty() {
        event["queryStringParameters"] = Value::Null;
        event["multiValueQueryStringParameters"] = Value::Null;
    } else {
        let mut single = Map::new();
        let mut multi: Map<String, Value> = Map::new();
        for (name, value) in query {
            single.insert((*name).into(), json!(value)); // the last value wins, as in v1
            multi.entry(name.to_string()).or_insert_with(|| json!([])).as_array_mut().unwrap().push(json!(value));
        }
        event["queryStringParameters"] = Value::Object(single);
        event["multiValueQueryStringParameters"] = Value::Object(multi);
    }
    event["body"] = body.map_or(Value::Null, |b| json!(b));
    event["isBase64Encoded"] = json!(false);
    event
}

/// An HTTP API (payload v2) request. With `base64`, the body is sent
/// base64-encoded and `isBase64Encoded` is true, as for binary content types.
pub fn api_v2(method: &str, path: &str, query: &[(&str, &str)], body: Option<&str>, base64: bool) -> Value {
    let mut event = recorded("apigw-http-get");
    let object = event.as_object_mut().expect("an HTTP API event is an object");
    object.insert("routeKey".into(), json!(format!("{method} {path}")));
    object.insert("rawPath".into(), json!(path));
    let raw_query: Vec<String> =
        query.iter().map(|(n, v)| format!("{}={}", form_encode(n, ""), form_encode(v, ""))).collect();
    object.insert("rawQueryString".into(), json!(raw_query.join("&")));
    if query.is_empty() {
        object.remove("queryStringParameters");
    } else {
        // v2 joins repeated parameters with commas.
        let mut joined: Map<String, Value> = Map::new();
        for (name, value) in query {
            let text = match joined.get(*name).and_then(Value::as_str) {
                Some(previous) => format!("{previous},{value}"),
                None => value.to_string(),
            };
            joined.insert(name.to_string(), json!(text));
        }
        object.insert("queryStringParameters".into(), Value::Object(joined));
    }
    match body {
        Some(text) if base64 => object.insert("body".into(), json!(base64_encode(text.as_bytes()))),
        Some(text) => object.insert("body".into(), json!(text)),
        None => object.remove("body"),
    };
    object.insert("isBase64Encoded".into(), json!(body.is_some() && base64));
    if let Some(context) = object.get_mut("requestContext") {
        context["routeKey"] = json!(format!("{method} {path}"));
        context["http"]["method"] = json!(method);
        context["http"]["path"] = json!(path);
    }
    event
}

/// The same API Gateway request sent to a named stage (`prod`, `dev`): the
/// stage's name goes in `requestContext.stage` and at the front of the paths
/// that carry it. A REST API (v1) puts it in `requestContext.path` only
/// (`path` stays `/echo`); an HTTP API (v2) puts it in `rawPath` and
/// `requestContext.http.path` too (`/prod/echo`), while `routeKey` stays
/// `POST /echo`.
pub fn on_stage(mut event: Value, stage: &str) -> Value {
    if event.get("version").and_then(Value::as_str) == Some("2.0") {
        let raw = event["rawPath"].as_str().unwrap_or("/").to_string();
        event["rawPath"] = json!(format!("/{stage}{raw}"));
        if let Some(context) = event.get_mut("requestContext") {
            context["stage"] = json!(stage);
            context["http"]["path"] = json!(format!("/{stage}{raw}"));
        }
    } else if let Some(context) = event.get_mut("requestContext") {
        let path = context["resourcePath"].as_str().unwrap_or("/").to_string();
        context["stage"] = json!(stage);
        context["path"] = json!(format!("/{stage}{path}"));
    }
    event
}

// --- encodings ------------------------------------------------------------------

/// Form encoding: letters, digits and `-_.~` stay, a space becomes `+`,
/// every other byte of the UTF-8 text `%XX`; characters in `keep` stay too.
fn form_encode(text: &str, keep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || "-_.~".contains(ch) || keep.contains(ch) {
            out.push(ch);
        } else if ch == ' ' {
            out.push('+');
        } else {
            let mut buffer = [0u8; 4];
            for byte in ch.encode_utf8(&mut buffer).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let bytes = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let group = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
        for index in 0..4 {
            if index <= chunk.len() {
                out.push(ALPHABET[(group >> (18 - 6 * index) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_keys_are_encoded_as_s3_sends_them() {
        // Checked against Python: urllib.parse.quote_plus(key, safe="/").
        assert_eq!(s3_key_encode("my photo (1).jpg"), "my+photo+%281%29.jpg");
        assert_eq!(s3_key_encode("a+b.txt"), "a%2Bb.txt");
        assert_eq!(s3_key_encode("café/menü.pdf"), "caf%C3%A9/men%C3%BC.pdf");
        assert_eq!(s3_key_encode("plain/key-1_2.~txt"), "plain/key-1_2.~txt");
    }

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        // RFC 4648, section 10.
        for (text, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(text.as_bytes()), encoded);
        }
    }
}
