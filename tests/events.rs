//! The catalogue of recorded Lambda events in crates/harness/events/.
//!
//! Each file is one event exactly as Lambda hands it to a handler. The checks
//! here hold the catalogue to the shapes the real services send, using the
//! `aws_lambda_events` crate as the reference:
//!
//! * every file deserializes into the crate's type for its service;
//! * every object key in the file survives a round trip through that type
//!   (serde ignores unknown keys, so a misspelt or invented key would
//!   otherwise pass unnoticed), save for a short, explained list per file;
//! * no file escapes the table, and no table entry lacks its file;
//! * the payloads a handler has to decode (URL-encoded S3 keys, base64
//!   bodies and Kinesis data) decode to what the catalogue promises.

use aws_lambda_events::event::{apigw, dynamodb, eventbridge, kinesis, s3, sns, sqs};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Where the fixtures live. `LAB_EVENT_FIXTURES` points the checks at a copy
/// instead (used to prove they fail on a doctored file without touching the
/// real one).
fn events_dir() -> PathBuf {
    match std::env::var_os("LAB_EVENT_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/harness/events"),
    }
}

fn try_read(file: &str) -> Result<String, String> {
    let path = events_dir().join(file);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

fn read(file: &str) -> String {
    try_read(file).unwrap_or_else(|e| panic!("{e}"))
}

fn raw(file: &str) -> Value {
    serde_json::from_str(&read(file)).unwrap_or_else(|e| panic!("{file}: not JSON: {e}"))
}

/// Where a key the fixture has may be missing from the typed round trip.
/// Paths are JSON-pointer-like ("/requestContext/identity/principalOrgId");
/// a "*" segment matches any one key or array index.
#[derive(Debug)]
enum Leeway {
    /// The real service sends this key, but the crate's struct has no field
    /// for it, so serde drops it on the way in and it cannot come back out.
    Unmodelled(&'static str),
    /// The keys of the map at this path are HTTP header names. The crate
    /// keeps headers in an `http::HeaderMap`, which stores names lower-cased,
    /// so these keys are matched case-insensitively (they must still all be
    /// there).
    HeaderNames(&'static str),
}

impl Leeway {
    fn pattern(&self) -> &'static str {
        match self {
            Leeway::Unmodelled(p) | Leeway::HeaderNames(p) => p,
        }
    }

    fn matches(&self, path: &[String]) -> bool {
        let pattern: Vec<&str> = self.pattern().split('/').skip(1).collect();
        pattern.len() == path.len() && pattern.iter().zip(path).all(|(p, s)| *p == "*" || p == s)
    }
}

/// API Gateway REST (payload 1.0) events, as API Gateway sends them today:
/// - header names keep the client's casing ("Host", "X-Forwarded-For", ...),
///   which `HeaderMap` lower-cases;
/// - `requestContext.extendedRequestId`, `requestContext.deploymentId` and
///   `requestContext.identity.principalOrgId` are in every real REST event
///   (LocalStack's snapshots recorded against AWS show all three) but have no
///   field in `ApiGatewayProxyRequestContext` / `ApiGatewayRequestIdentity`
///   (aws_lambda_events 1.2.1).
const REST_V1: &[Leeway] = &[
    Leeway::HeaderNames("/headers"),
    Leeway::HeaderNames("/multiValueHeaders"),
    Leeway::Unmodelled("/requestContext/extendedRequestId"),
    Leeway::Unmodelled("/requestContext/deploymentId"),
    Leeway::Unmodelled("/requestContext/identity/principalOrgId"),
];

/// Nothing to excuse: every key round-trips as written.
const NONE: &[Leeway] = &[];

/// One catalogue entry: the file, the crate type it must be, and how to run
/// it through that type (deserialize, then serialize back to a `Value`).
struct Fixture {
    file: &'static str,
    type_name: &'static str,
    round_trip: fn(&str) -> Result<Value, String>,
    leeway: &'static [Leeway],
}

/// Builds the round-trip function for a concrete crate type (a macro, so the
/// test needs no direct dependency on `serde` to name its traits).
macro_rules! fixture {
    ($file:literal, $ty:ty, $leeway:expr) => {
        Fixture {
            file: $file,
            type_name: stringify!($ty),
            round_trip: |text| {
                let typed: $ty = serde_json::from_str(text).map_err(|e| e.to_string())?;
                serde_json::to_value(&typed).map_err(|e| format!("serializing back: {e}"))
            },
            leeway: $leeway,
        }
    };
}

fn catalogue() -> Vec<Fixture> {
    vec![
        fixture!("s3-put.json", s3::S3Event, NONE),
        fixture!("s3-delete.json", s3::S3Event, NONE),
        fixture!("s3-multipart-upload.json", s3::S3Event, NONE),
        fixture!("s3-special-keys.json", s3::S3Event, NONE),
        fixture!("s3-batch.json", s3::S3Event, NONE),
        fixture!("apigw-rest-get.json", apigw::ApiGatewayProxyRequest, REST_V1),
        fixture!("apigw-rest-get-no-query.json", apigw::ApiGatewayProxyRequest, REST_V1),
        fixture!("apigw-rest-post.json", apigw::ApiGatewayProxyRequest, REST_V1),
        // HTTP API (payload 2.0) header names are already lower-case, so they
        // round-trip exactly and need no leeway.
        fixture!("apigw-http-get.json", apigw::ApiGatewayV2httpRequest, NONE),
        fixture!("apigw-http-post-base64.json", apigw::ApiGatewayV2httpRequest, NONE),
        fixture!("sqs-batch.json", sqs::SqsEvent, NONE),
        fixture!("sqs-fifo-batch.json", sqs::SqsEvent, NONE),
        fixture!("sqs-s3-test-event.json", sqs::SqsEvent, NONE),
        fixture!("sns.json", sns::SnsEvent, NONE),
        fixture!("eventbridge-scheduled.json", eventbridge::EventBridgeEvent, NONE),
        fixture!("eventbridge-custom.json", eventbridge::EventBridgeEvent, NONE),
        fixture!("dynamodb-stream.json", dynamodb::Event, NONE),
        fixture!("dynamodb-stream-binary-set.json", dynamodb::Event, NONE),
        fixture!("kinesis.json", kinesis::KinesisEvent, NONE),
    ]
}

// ------------------------------------------------------------------ key check

/// The key paths of `fixture` that are missing from `round_tripped`, and for
/// each leeway whether it was needed.
fn missing_keys(fixture: &Value, round_tripped: &Value, leeway: &[Leeway]) -> (Vec<String>, Vec<bool>) {
    let mut missing = Vec::new();
    let mut used = vec![false; leeway.len()];
    walk(fixture, round_tripped, &mut Vec::new(), leeway, &mut used, &mut missing);
    (missing, used)
}

fn walk(
    fixture: &Value,
    round_tripped: &Value,
    path: &mut Vec<String>,
    leeway: &[Leeway],
    used: &mut [bool],
    missing: &mut Vec<String>,
) {
    match fixture {
        Value::Object(map) => {
            let header_names = leeway.iter().position(|l| matches!(l, Leeway::HeaderNames(_)) && l.matches(path));
            for (key, value) in map {
                let counterpart = match (round_tripped, header_names) {
                    (Value::Object(out), None) => out.get(key),
                    (Value::Object(out), Some(i)) => out.get(key).or_else(|| {
                        let found = out.iter().find(|(k, _)| k.eq_ignore_ascii_case(key));
                        if found.is_some() {
                            used[i] = true;
                        }
                        found.map(|(_, v)| v)
                    }),
                    _ => None,
                };
                path.push(key.clone());
                match counterpart {
                    Some(out) => walk(value, out, path, leeway, used, missing),
                    None => {
                        let excused = leeway.iter().position(|l| matches!(l, Leeway::Unmodelled(_)) && l.matches(path));
                        match excused {
                            Some(i) => used[i] = true,
                            None => missing.push(format!("/{}", path.join("/"))),
                        }
                    }
                }
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let counterpart = round_tripped.get(i).unwrap_or(&Value::Null);
                path.push(i.to_string());
                walk(item, counterpart, path, leeway, used, missing);
                path.pop();
            }
        }
        _ => {}
    }
}

// ------------------------------------------------------------------ decoders

/// Python's `urllib.parse.unquote_plus`, strictly: '+' is a space, %XX a
/// byte, and the bytes must be UTF-8.
fn unquote_plus(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .ok_or_else(|| format!("bad escape at {i} in {s:?}"))?;
                let byte = u8::from_str_radix(hex, 16).expect("two hex digits");
                out.push(byte);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|e| format!("{s:?} is not UTF-8 once decoded: {e}"))
}

/// Standard base64 (RFC 4648 alphabet, '=' padding required), strictly.
fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    fn sextet(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let bytes = s.as_bytes();
    if bytes.len() % 4 != 0 {
        return Err(format!("length {} is not a multiple of 4", bytes.len()));
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (n, chunk) in bytes.chunks(4).enumerate() {
        let last = n == bytes.len() / 4 - 1;
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return Err(format!("misplaced padding in chunk {n}"));
        }
        let mut acc = 0u32;
        for &c in &chunk[..4 - pad] {
            acc = acc << 6 | sextet(c).ok_or_else(|| format!("invalid base64 character {:?}", c as char))?;
        }
        acc <<= 6 * pad as u32;
        let decoded = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Ok(out)
}

// ------------------------------------------------------------------ tests

#[test]
fn every_fixture_deserializes_into_its_type() {
    let failures: Vec<String> = catalogue()
        .iter()
        .filter_map(|f| {
            let text = match try_read(f.file) {
                Ok(text) => text,
                Err(e) => return Some(e),
            };
            (f.round_trip)(&text).err().map(|e| format!("{}: does not deserialize as {}: {e}", f.file, f.type_name))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_fixture_key_survives_the_typed_round_trip() {
    let mut failures = Vec::new();
    for f in catalogue() {
        let text = match try_read(f.file) {
            Ok(text) => text,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let fixture: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: not JSON: {e}", f.file));
                continue;
            }
        };
        let round_tripped = match (f.round_trip)(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{}: does not deserialize as {}: {e}", f.file, f.type_name));
                continue;
            }
        };
        let (missing, used) = missing_keys(&fixture, &round_tripped, f.leeway);
        for path in missing {
            failures.push(format!(
                "{}: key {path} is not in {} (misspelt, invented, or not modelled by the crate?)",
                f.file, f.type_name
            ));
        }
        for (leeway, used) in f.leeway.iter().zip(used) {
            if !used {
                failures.push(format!("{}: leeway {leeway:?} is never needed; drop it", f.file));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The catalog has one list, `harness::events::CATALOG` (what `cargo lab
/// events` shows); the files on disk and this test's table of types must name
/// the same events, so adding an event means adding it to all three.
#[test]
fn every_fixture_file_is_in_the_catalogue_and_every_entry_has_a_file() {
    let in_catalog: BTreeSet<String> = harness::events::CATALOG.iter().map(|e| format!("{}.json", e.name)).collect();
    let typed: BTreeSet<String> = catalogue().iter().map(|f| f.file.to_string()).collect();
    assert_eq!(
        in_catalog.len(),
        harness::events::CATALOG.len(),
        "an event is listed twice in harness::events::CATALOG"
    );
    assert_eq!(
        in_catalog, typed,
        "harness::events::CATALOG and this test's table of types (catalogue()) must list the same events"
    );
    let dir = events_dir();
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let listed: Vec<&str> = catalogue().iter().map(|f| f.file).collect();
    let listed_set: BTreeSet<String> = listed.iter().map(|s| s.to_string()).collect();
    assert_eq!(listed.len(), listed_set.len(), "a file is listed twice in the catalogue");
    let unlisted: Vec<_> = on_disk.difference(&listed_set).collect();
    let absent: Vec<_> = listed_set.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && absent.is_empty(),
        "in {dir} but not in the catalogue table: {unlisted:?}\nin the catalogue table but not in {dir}: {absent:?}",
        dir = dir.display()
    );
}

#[test]
fn s3_special_keys_decode_to_the_original_names() {
    let event = raw("s3-special-keys.json");
    let keys: Vec<&str> = event["Records"]
        .as_array()
        .expect("Records is an array")
        .iter()
        .map(|r| r["s3"]["object"]["key"].as_str().expect("object.key is a string"))
        .collect();
    assert_eq!(keys, ["my+photo+%281%29.jpg", "a%2Bb.txt", "caf%C3%A9/men%C3%BC.pdf"]);
    let decoded: Vec<String> = keys.iter().map(|k| unquote_plus(k).unwrap()).collect();
    assert_eq!(decoded, ["my photo (1).jpg", "a+b.txt", "café/menü.pdf"]);
}

#[test]
fn base64_payloads_decode_to_the_json_they_carry() {
    // HTTP API v2: a base64 body, flagged as such.
    let post = raw("apigw-http-post-base64.json");
    assert_eq!(post["isBase64Encoded"], json!(true));
    let body = base64_decode(post["body"].as_str().expect("body is a string")).unwrap();
    let text = String::from_utf8(body).unwrap();
    assert_eq!(text, r#"{"message": "hi", "count": 2}"#);
    // The REST v1 POST carries the same request as plain text.
    assert_eq!(raw("apigw-rest-post.json")["body"], json!(text));

    // Kinesis: data is base64 of a JSON reading; check it against the crate's
    // own base64 decoding too.
    let expected = [json!({"sensor": "t-1", "celsius": 21.5}), json!({"sensor": "t-2", "celsius": 19.75})];
    let event = raw("kinesis.json");
    let records = event["Records"].as_array().expect("Records is an array");
    assert_eq!(records.len(), expected.len());
    let typed: kinesis::KinesisEvent = serde_json::from_str(&read("kinesis.json")).unwrap();
    for ((record, want), typed) in records.iter().zip(&expected).zip(&typed.records) {
        let data = base64_decode(record["kinesis"]["data"].as_str().expect("data is a string")).unwrap();
        assert_eq!(data, typed.kinesis.data.0, "our base64 decoder disagrees with the crate's");
        let reading: Value = serde_json::from_slice(&data).unwrap();
        assert_eq!(&reading, want);
    }
}

#[test]
fn rest_get_without_a_query_string_has_null_query_maps() {
    let event = raw("apigw-rest-get-no-query.json");
    let object = event.as_object().expect("the event is an object");
    for key in ["queryStringParameters", "multiValueQueryStringParameters"] {
        assert_eq!(object.get(key), Some(&Value::Null), "{key} must be present and null, not absent or {{}}");
    }
}

#[test]
fn dynamodb_stream_shows_every_attribute_type_and_the_right_images() {
    fn collect_types(attribute: &Value, seen: &mut BTreeSet<String>) {
        for (tag, inner) in attribute.as_object().expect("an attribute value is an object") {
            seen.insert(tag.clone());
            match tag.as_str() {
                "M" => inner.as_object().unwrap().values().for_each(|v| collect_types(v, seen)),
                "L" => inner.as_array().unwrap().iter().for_each(|v| collect_types(v, seen)),
                _ => {}
            }
        }
    }
    let event = raw("dynamodb-stream.json");
    let mut seen = BTreeSet::new();
    let mut shapes = Vec::new();
    for record in event["Records"].as_array().expect("Records is an array") {
        let change = record["dynamodb"].as_object().unwrap();
        let images: Vec<&str> = ["NewImage", "OldImage"].into_iter().filter(|k| change.contains_key(*k)).collect();
        shapes.push((record["eventName"].as_str().unwrap().to_string(), images));
        for image in ["Keys", "NewImage", "OldImage"] {
            for attribute in change.get(image).and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
                collect_types(attribute, &mut seen);
            }
        }
    }
    let expected_shapes =
        [("INSERT", vec!["NewImage"]), ("MODIFY", vec!["NewImage", "OldImage"]), ("REMOVE", vec!["OldImage"])];
    assert_eq!(shapes, expected_shapes.map(|(name, images)| (name.to_string(), images)));
    for tag in ["B", "BOOL", "L", "M", "N", "NS", "NULL", "S", "SS"] {
        assert!(seen.contains(tag), "no attribute of type {tag} in dynamodb-stream.json");
    }
}

/// The key check is only worth having if it fails: a misspelt optional key
/// deserializes fine (serde ignores it) but must be reported, and header-name
/// leeway must not spread beyond header maps.
#[test]
fn the_key_check_reports_misspelt_keys() {
    let parse = catalogue().into_iter().find(|f| f.file == "s3-put.json").unwrap().round_trip;
    let doctored = read("s3-put.json")
        .replace("\"sequencer\"", "\"sequenser\"")
        .replace("\"configurationId\"", "\"configurationID\"");
    let fixture: Value = serde_json::from_str(&doctored).unwrap();
    let round_tripped = parse(&doctored).expect("misspelt optional keys still deserialize");
    let (missing, _) = missing_keys(&fixture, &round_tripped, NONE);
    assert_eq!(missing, ["/Records/0/s3/configurationID", "/Records/0/s3/object/sequenser"]);

    let rest = catalogue().into_iter().find(|f| f.file == "apigw-rest-get.json").unwrap();
    let doctored = read(rest.file).replace("\"resourcePath\"", "\"ResourcePath\"");
    let fixture: Value = serde_json::from_str(&doctored).unwrap();
    let (missing, _) = missing_keys(&fixture, &(rest.round_trip)(&doctored).unwrap(), rest.leeway);
    assert_eq!(missing, ["/requestContext/ResourcePath"]);

    assert_eq!(base64_decode("aGk=").unwrap(), b"hi");
    assert!(base64_decode("aGk").is_err() && base64_decode("a=Gk").is_err());
    assert_eq!(unquote_plus("a%2Bb+c").unwrap(), "a+b c");
    assert!(unquote_plus("%C3").is_err() && unquote_plus("%G1").is_err());
    assert!(unquote_plus("%+1").is_err() && unquote_plus("%4").is_err());
}

// ------------------------------------------------------------------ builders

/// What the harness's builders make must be as valid as the recordings.
macro_rules! deserializes {
    ($ty:ty, $what:expr, $event:expr) => {
        if let Err(error) = serde_json::from_value::<$ty>($event.clone()) {
            panic!("{} does not deserialize into {}: {error}", $what, stringify!($ty));
        }
    };
}

#[test]
fn an_s3_upload_is_built_as_s3_would_send_it() {
    let event = harness::events::s3_put("photo-uploads", "my photo (1).jpg", 1234);
    deserializes!(s3::S3Event, "s3_put", event);
    let object = &event["Records"][0]["s3"]["object"];
    assert_eq!(object["key"], "my+photo+%281%29.jpg");
    assert_eq!(unquote_plus(object["key"].as_str().unwrap()).unwrap(), "my photo (1).jpg");
    assert_eq!(object["size"], 1234);
    assert_eq!(event["Records"][0]["s3"]["bucket"]["arn"], "arn:aws:s3:::photo-uploads");
    let many = harness::events::s3_uploads("b", &[("a.txt", 1), ("b c.txt", 2)]);
    deserializes!(s3::S3Event, "s3_uploads", many);
    let keys: Vec<&Value> = many["Records"].as_array().unwrap().iter().map(|r| &r["s3"]["object"]["key"]).collect();
    assert_eq!(keys, [&json!("a.txt"), &json!("b+c.txt")]);
    assert_ne!(many["Records"][0]["s3"]["object"]["sequencer"], many["Records"][1]["s3"]["object"]["sequencer"]);
}

#[test]
fn an_sqs_batch_carries_each_body_with_its_md5_and_its_own_id() {
    let event = harness::events::sqs_batch(&["{\"orderId\": \"o-1\"}", "not json", ""]);
    deserializes!(sqs::SqsEvent, "sqs_batch", event);
    let records = event["Records"].as_array().unwrap();
    assert_eq!(records.len(), 3);
    // Checked with Python's hashlib.md5.
    assert_eq!(records[1]["body"], "not json");
    assert_eq!(records[1]["md5OfBody"], "83e12cc6068a0f3c5555be0d55fb01bb");
    assert_eq!(records[2]["md5OfBody"], "d41d8cd98f00b204e9800998ecf8427e");
    let ids: BTreeSet<&str> = records.iter().map(|r| r["messageId"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "message ids are distinct");
}

#[test]
fn rest_api_requests_have_null_query_maps_when_there_is_no_query() {
    let bare = harness::events::api_v1("GET", "/hello", &[], None);
    deserializes!(apigw::ApiGatewayProxyRequest, "api_v1", bare);
    assert!(bare["queryStringParameters"].is_null() && bare["multiValueQueryStringParameters"].is_null());
    assert!(bare["body"].is_null());
    let query = harness::events::api_v1("POST", "/echo", &[("tag", "a"), ("tag", "b")], Some("{}"));
    deserializes!(apigw::ApiGatewayProxyRequest, "api_v1", query);
    assert_eq!(query["queryStringParameters"], json!({"tag": "b"}));
    assert_eq!(query["multiValueQueryStringParameters"], json!({"tag": ["a", "b"]}));
    assert_eq!(
        (query["httpMethod"].as_str(), query["requestContext"]["resourcePath"].as_str()),
        (Some("POST"), Some("/echo"))
    );
}

#[test]
fn http_api_requests_encode_query_and_body_as_payload_v2_does() {
    let event = harness::events::api_v2("POST", "/echo", &[("q", "a b"), ("q", "c")], Some("{\"x\": 1}"), true);
    deserializes!(apigw::ApiGatewayV2httpRequest, "api_v2", event);
    assert_eq!(event["rawQueryString"], "q=a+b&q=c");
    assert_eq!(event["queryStringParameters"], json!({"q": "a b,c"}));
    assert_eq!(event["isBase64Encoded"], true);
    let body = base64_decode(event["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, b"{\"x\": 1}");
    assert_eq!(event["requestContext"]["http"]["method"], "POST");
    assert_eq!(event["routeKey"], "POST /echo");
    let plain = harness::events::api_v2("GET", "/hello", &[], None, false);
    assert!(plain.get("queryStringParameters").is_none() && plain.get("body").is_none());
    assert_eq!(plain["rawQueryString"], "");
}
