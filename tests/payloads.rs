//! The worked answers of the event exercises, run on real payloads.
//!
//! `tests/payloads/` holds events published by other projects (aws-lambda-go,
//! the `aws_lambda_events` crate, Powertools for AWS Lambda, SAM CLI and
//! LocalStack's recordings against AWS; its README names each source, commit
//! and licence). Each test here runs one exercise's worked answer on every
//! payload of its event type and checks the answer the exercise's contract
//! gives for that payload, worked out here from the payload itself:
//!
//! * 06, S3 notifications: one object per record, the key decoded, one log
//!   line each (for `ObjectCreated` records: the contract says the function
//!   is subscribed to those only, and counts the others out loud);
//! * 07, API Gateway: 200, 400 or 404 with a JSON body, as sent, and sent
//!   again as `GET /hello`, as `POST /echo` and on a named stage;
//! * 08, SQS: the failed message ids (FIFO queues stop at the first one) and
//!   the `Processed order` lines, as sent and with order bodies put in;
//! * 09, DynamoDB Streams: the plain summary of every record.
//!
//! Exercises 12 and 13 call AWS and have checks of their own; they are not
//! run here. A payload whose shape no test reads fails the first test, so a
//! file cannot sit in the corpus unread.

use harness::{Function, Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    S3,
    RestV1,
    HttpV2,
    Sqs,
    Stream,
}

/// One payload: its name (`source/file.json`) and the event.
struct Payload {
    name: String,
    event: Value,
}

fn shape(event: &Value) -> Option<Shape> {
    if let Some(first) = event.get("Records").and_then(|r| r.get(0)) {
        return match first.get("eventSource").and_then(Value::as_str) {
            Some("aws:s3") => Some(Shape::S3),
            Some("aws:sqs") => Some(Shape::Sqs),
            Some("aws:dynamodb") => Some(Shape::Stream),
            _ => None,
        };
    }
    if event.get("httpMethod").is_some() {
        return Some(Shape::RestV1);
    }
    if event.get("version").and_then(Value::as_str) == Some("2.0") && event.get("rawPath").is_some() {
        return Some(Shape::HttpV2);
    }
    None
}

fn corpus() -> Vec<Payload> {
    let dir = root().join("tests/payloads");
    let mut found = Vec::new();
    for source in std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().is_dir()) {
        for file in std::fs::read_dir(source.path()).unwrap().flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let event = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
                let name = format!("{}/{}", source.file_name().to_string_lossy(), file.file_name().to_string_lossy());
                found.push(Payload { name, event });
            }
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

fn of_shape(wanted: Shape) -> Vec<Payload> {
    corpus().into_iter().filter(|p| shape(&p.event) == Some(wanted)).collect()
}

/// The worked answer in `solutions/` (or in the folder `LAB_PAYLOAD_SOLUTIONS`
/// names instead, to show that these tests fail on a wrong answer).
fn worked_answer(folder: &str) -> Function {
    let solutions = std::env::var_os("LAB_PAYLOAD_SOLUTIONS").map_or_else(|| root().join("solutions"), PathBuf::from);
    let path = solutions.join(folder).join("handler.py");
    Function::from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The response, or a line saying how the invocation failed instead.
fn response(function: &Function, event: &Value) -> Result<Value, String> {
    let invocation = function.invoke(event);
    invocation.result().ok_or_else(|| match invocation.error() {
        Some(error) => format!("the worked answer failed: {}", error.payload),
        None => "the invocation neither returned nor failed".to_string(),
    })
}

fn logged(function: &Function, event: &Value, prefix: &str) -> Vec<String> {
    let invocation = function.invoke(event);
    invocation.function_logs().iter().filter(|l| l.starts_with(prefix)).map(|l| l.trim_end().to_string()).collect()
}

fn report(what: &str, failures: &[String], checked: usize) {
    assert!(checked > 0, "{what}: no payload was checked");
    assert!(
        failures.is_empty(),
        "{what}: {} of {checked} cases differ from the contract:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ------------------------------------------------------------------ the corpus

#[test]
fn every_payload_is_read_and_every_source_is_named_with_its_licence() {
    let readme = std::fs::read_to_string(root().join("tests/payloads/README.md")).unwrap();
    let payloads = corpus();
    let mut counts: BTreeMap<Shape, usize> = BTreeMap::new();
    for payload in &payloads {
        let shape = shape(&payload.event).unwrap_or_else(|| {
            panic!("{}: no test reads this shape; give it one, or leave the file out", payload.name)
        });
        *counts.entry(shape).or_default() += 1;
        let source = payload.name.split('/').next().unwrap();
        assert!(
            readme.contains(&format!("`{source}/`")),
            "tests/payloads/README.md does not name the source {source}/"
        );
        let folder = root().join("tests/payloads").join(source);
        let licensed = std::fs::read_dir(&folder)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("LICENSE"));
        assert!(licensed, "{}: no LICENSE file beside the payloads", folder.display());
    }
    let count = |shape| counts.get(&shape).copied().unwrap_or(0);
    let said = format!(
        "{} payloads in all: {} S3 notifications, {} API Gateway requests ({} REST,\npayload 1.0; {} HTTP API, payload 2.0), {} SQS batches and {} DynamoDB\nstream batches.",
        payloads.len(),
        count(Shape::S3),
        count(Shape::RestV1) + count(Shape::HttpV2),
        count(Shape::RestV1),
        count(Shape::HttpV2),
        count(Shape::Sqs),
        count(Shape::Stream)
    );
    assert!(readme.contains(&said), "tests/payloads/README.md should say, as it is now:\n{said}");
}

// ------------------------------------------------------------------ 06: S3

#[test]
fn exercise_06_reports_every_object_of_every_real_s3_notification() {
    let function = worked_answer("06-s3-events");
    let (mut failures, mut checked, mut outside) = (Vec::new(), 0, Vec::new());
    for payload in of_shape(Shape::S3) {
        let records = payload.event["Records"].as_array().unwrap();
        if !records.iter().all(|r| r["eventName"].as_str().unwrap_or("").starts_with("ObjectCreated")) {
            // The contract: "subscribed to ObjectCreated events only".
            outside.push(payload.name);
            continue;
        }
        let mut objects = Vec::new();
        let mut lines = Vec::new();
        for record in records {
            let bucket = record["s3"]["bucket"]["name"].as_str().unwrap();
            let key = unquote_plus(record["s3"]["object"]["key"].as_str().unwrap());
            let size = &record["s3"]["object"]["size"];
            lines.push(format!("Received s3://{bucket}/{key} ({size} bytes)"));
            objects.push(json!({"bucket": bucket, "key": key, "size": size}));
        }
        let expected = json!({"statusCode": 200, "objects": objects});
        match response(&function, &payload.event) {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!("{}: expected {expected}, got {got}", payload.name)),
            Err(why) => failures.push(format!("{}: {why}", payload.name)),
        }
        let got = logged(&function, &payload.event, "Received ");
        if got != lines {
            failures.push(format!("{}: expected the log lines {lines:?}, got {got:?}", payload.name));
        }
        checked += 1;
    }
    report("exercise 06", &failures, checked);
    // Deletions have no size; 06 is not subscribed to them. Say which.
    assert!(outside.iter().all(|n| n.contains("elete")), "S3 payloads neither created nor deleted: {outside:?}");
}

/// Python's `urllib.parse.unquote_plus` on a key S3 wrote.
fn unquote_plus(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && bytes[i + 1..i + 3].iter().all(u8::is_ascii_hexdigit) => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ------------------------------------------------------------------ 07: API Gateway

/// The answer 07's contract gives: status, and the body once parsed (None
/// for an error, whose message is the handler's to word).
fn api_answer(event: &Value) -> (u16, Option<Value>) {
    let (method, path) = if event.get("version").and_then(Value::as_str) == Some("2.0") {
        let raw = event["rawPath"].as_str().unwrap_or("");
        let stage = event["requestContext"]["stage"].as_str().unwrap_or("$default");
        let prefix = format!("/{stage}/");
        let path = match raw.strip_prefix(&prefix[..prefix.len() - 1]) {
            Some(rest) if stage != "$default" && raw.starts_with(&prefix) => rest.to_string(),
            _ => raw.to_string(),
        };
        (event["requestContext"]["http"]["method"].as_str().unwrap_or("").to_string(), path)
    } else {
        (event["httpMethod"].as_str().unwrap_or("").to_string(), event["path"].as_str().unwrap_or("").to_string())
    };
    match (method.as_str(), path.as_str()) {
        ("GET", "/hello") => {
            let name = event["queryStringParameters"]["name"].as_str().unwrap_or("world");
            (200, Some(json!({"message": format!("Hello, {name}!")})))
        }
        ("POST", "/echo") => {
            let Some(body) = event.get("body").and_then(Value::as_str) else { return (400, None) };
            let bytes = if event["isBase64Encoded"] == json!(true) {
                match base64_decode(body) {
                    Some(bytes) => bytes,
                    None => return (400, None),
                }
            } else {
                body.as_bytes().to_vec()
            };
            // serde_json reads JSON strictly: no NaN or Infinity, no number
            // out of a float's range, as the contract asks.
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(value) => (200, Some(json!({"echo": value}))),
                Err(_) => (400, None),
            }
        }
        _ => (404, None),
    }
}

fn check_api_response(function: &Function, name: &str, event: &Value, failures: &mut Vec<String>) {
    let (status, body) = api_answer(event);
    let got = match response(function, event) {
        Ok(got) => got,
        Err(why) => return failures.push(format!("{name}: {why}")),
    };
    let content_type = got["headers"]
        .as_object()
        .and_then(|h| h.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-type")))
        .map(|(_, v)| v.clone());
    let parsed: Option<Value> = got["body"].as_str().and_then(|text| serde_json::from_str(text).ok());
    let body_ok = match (&body, &parsed) {
        (Some(expected), Some(parsed)) => expected == parsed,
        (None, Some(parsed)) => parsed["error"].as_str().is_some_and(|m| !m.trim().is_empty()),
        (_, None) => false,
    };
    if got["statusCode"] != json!(status) || content_type != Some(json!("application/json")) || !body_ok {
        failures.push(format!("{name}: expected status {status} and body {body:?} (JSON), got {got}"));
    }
}

/// The same request, sent as `method path` (with its own body and query).
fn retarget(event: &Value, method: &str, path: &str) -> Value {
    let mut event = event.clone();
    if event.get("version").and_then(Value::as_str) == Some("2.0") {
        event["rawPath"] = json!(path);
        event["routeKey"] = json!(format!("{method} {path}"));
        event["requestContext"]["http"]["method"] = json!(method);
        event["requestContext"]["http"]["path"] = json!(path);
        event["requestContext"]["stage"] = json!("$default");
    } else {
        event["httpMethod"] = json!(method);
        event["path"] = json!(path);
        if event["requestContext"].is_object() {
            event["requestContext"]["httpMethod"] = json!(method);
        }
    }
    event
}

#[test]
fn exercise_07_answers_every_real_api_gateway_request_as_the_contract_says() {
    let function = worked_answer("07-http-api");
    let (mut failures, mut checked) = (Vec::new(), 0);
    for payload in of_shape(Shape::RestV1).into_iter().chain(of_shape(Shape::HttpV2)) {
        let event = &payload.event;
        let cases = [
            ("as sent", event.clone()),
            ("as GET /hello", retarget(event, "GET", "/hello")),
            ("as POST /echo", retarget(event, "POST", "/echo")),
            ("as POST /echo on the stage prod", harness::events::on_stage(retarget(event, "POST", "/echo"), "prod")),
            ("as GET /hello on the stage prod", harness::events::on_stage(retarget(event, "GET", "/hello"), "prod")),
        ];
        for (how, event) in cases {
            check_api_response(&function, &format!("{} ({how})", payload.name), &event, &mut failures);
            checked += 1;
        }
    }
    report("exercise 07", &failures, checked);
}

// ------------------------------------------------------------------ 08: SQS

/// 08's contract for one body: the order's id and amount when it is a good
/// order, None when it is a bad message.
fn good_order(body: &str) -> Option<(Value, f64)> {
    // Strict JSON: NaN and Infinity are not JSON, and 1e400 is out of a
    // float's range, so they fail here as the contract says they must.
    let order: Value = serde_json::from_str(body).ok()?;
    let object = order.as_object()?;
    let id = object.get("orderId")?.clone();
    let amount = object.get("amount")?.as_f64()?;
    (amount.is_finite() && amount > 0.0).then_some((id, amount))
}

/// The failures and the log lines 08's contract gives for a batch.
fn sqs_answer(event: &Value) -> (Value, Vec<String>) {
    let records = event["Records"].as_array().unwrap();
    let (mut failed, mut lines) = (Vec::new(), Vec::new());
    for (position, record) in records.iter().enumerate() {
        let fifo = record["eventSourceARN"].as_str().unwrap_or("").ends_with(".fifo");
        match good_order(record["body"].as_str().unwrap_or("")) {
            Some((Value::String(id), amount)) => lines.push(format!("Processed order {id} for {amount:.2}")),
            Some(_) => {} // an id that is not a string: logged as Python writes it
            None if fifo => {
                failed.extend(records[position..].iter().map(|r| json!({"itemIdentifier": r["messageId"]})));
                break;
            }
            None => failed.push(json!({"itemIdentifier": record["messageId"]})),
        }
    }
    (json!({"batchItemFailures": failed}), lines)
}

/// The batch's first message four times over, each with its own id and one
/// of these bodies: the same queue, attributes and shape, with orders in.
fn with_bodies(event: &Value, bodies: &[&str]) -> Value {
    let first = &event["Records"][0];
    let records: Vec<Value> = bodies
        .iter()
        .enumerate()
        .map(|(index, body)| {
            let mut record = first.clone();
            record["messageId"] = json!(format!("{}-{index}", first["messageId"].as_str().unwrap_or("m")));
            record["body"] = json!(body);
            record
        })
        .collect();
    json!({"Records": records})
}

#[test]
fn exercise_08_reports_the_failures_of_every_real_sqs_batch_as_the_contract_says() {
    let function = worked_answer("08-sqs-partial-batch");
    let (mut failures, mut checked) = (Vec::new(), 0);
    let bodies = [
        r#"{"orderId": "o-1", "amount": 25.5}"#,
        "not json",
        r#"{"orderId": "o-3", "amount": 7}"#,
        r#"{"orderId": "o-4", "amount": NaN}"#,
        r#"{"orderId": "o-5", "amount": 1}"#,
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))])
    .collect::<Vec<_>>();
    let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
    for payload in of_shape(Shape::Sqs) {
        for (how, event) in
            [("as sent", payload.event.clone()), ("with orders in", with_bodies(&payload.event, &bodies))]
        {
            let name = format!("{} ({how})", payload.name);
            let (expected, lines) = sqs_answer(&event);
            match response(&function, &event) {
                Ok(got) if got == expected => {}
                Ok(got) => failures.push(format!("{name}: expected {expected}, got {got}")),
                Err(why) => failures.push(format!("{name}: {why}")),
            }
            let got = logged(&function, &event, "Processed order ");
            let all_ids_are_text = event["Records"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| good_order(r["body"].as_str().unwrap_or("")).is_none_or(|(id, _)| id.is_string()));
            if all_ids_are_text && got != lines {
                failures.push(format!("{name}: expected the log lines {lines:?}, got {got:?}"));
            }
            checked += 1;
        }
    }
    report("exercise 08", &failures, checked);
}

// ------------------------------------------------------------------ 09: DynamoDB Streams

/// 09's contract for one typed attribute value.
fn plain(attribute: &Value) -> Result<Value, String> {
    let (kind, value) = attribute.as_object().and_then(|o| o.iter().next()).ok_or("an attribute is not an object")?;
    let number = |text: &Value| -> Result<Value, String> {
        let text = text.as_str().ok_or("N is not a string")?;
        serde_json::from_str(text).map_err(|e| format!("N {text:?}: {e}"))
    };
    let hex = |text: &Value| -> Result<String, String> {
        let text = text.as_str().ok_or("B is not a string")?;
        let bytes = base64_decode(text).ok_or_else(|| format!("B {text:?} is not base64"))?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    };
    let items = || value.as_array().cloned().unwrap_or_default();
    Ok(match kind.as_str() {
        "S" | "BOOL" => value.clone(),
        "NULL" => Value::Null,
        "N" => number(value)?,
        "L" => Value::Array(items().iter().map(plain).collect::<Result<_, _>>()?),
        "M" => item_of(value)?,
        "SS" => {
            let mut strings: Vec<String> = items().iter().filter_map(|s| s.as_str().map(String::from)).collect();
            strings.sort();
            json!(strings)
        }
        "NS" => {
            let mut numbers = items().iter().map(number).collect::<Result<Vec<_>, _>>()?;
            numbers.sort_by(|a, b| a.as_f64().partial_cmp(&b.as_f64()).unwrap());
            Value::Array(numbers)
        }
        "B" => json!(hex(value)?),
        "BS" => {
            // Sorted by the bytes; hex keeps their order (two digits a byte).
            let mut values = items().iter().map(hex).collect::<Result<Vec<_>, _>>()?;
            values.sort();
            json!(values)
        }
        other => return Err(format!("the type {other:?} is not in 09's table")),
    })
}

fn item_of(attributes: &Value) -> Result<Value, String> {
    let map = attributes.as_object().ok_or("an image is not an object")?;
    map.iter().map(|(name, value)| Ok((name.clone(), plain(value)?))).collect::<Result<_, String>>().map(Value::Object)
}

fn stream_answer(event: &Value) -> Result<Value, String> {
    let summaries = event["Records"].as_array().unwrap().iter().map(|record| {
        let change = &record["dynamodb"];
        let image = |key: &str| change.get(key).filter(|v| !v.is_null()).map_or(Ok(Value::Null), item_of);
        Ok(json!({
            "eventName": record["eventName"],
            "keys": item_of(&change["Keys"])?,
            "new": image("NewImage")?,
            "old": image("OldImage")?,
        }))
    });
    summaries.collect::<Result<Vec<Value>, String>>().map(Value::Array)
}

#[test]
fn exercise_09_summarises_every_real_stream_record_as_the_contract_says() {
    let function = worked_answer("09-dynamodb-streams");
    let (mut failures, mut checked) = (Vec::new(), 0);
    for payload in of_shape(Shape::Stream) {
        let expected = stream_answer(&payload.event).unwrap_or_else(|e| panic!("{}: {e}", payload.name));
        match response(&function, &payload.event) {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!("{}: expected {expected}, got {got}", payload.name)),
            Err(why) => failures.push(format!("{}: {why}", payload.name)),
        }
        checked += 1;
    }
    report("exercise 09", &failures, checked);
}

// ------------------------------------------------------------------ decoding

/// Standard base64, as Python's `base64.b64decode` reads it (padding required).
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let sextet = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        let mut acc = 0u32;
        for &c in &chunk[..4 - pad] {
            acc = acc << 6 | sextet(c)?;
        }
        acc <<= 6 * pad as u32;
        out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8][..3 - pad]);
    }
    Some(out)
}
