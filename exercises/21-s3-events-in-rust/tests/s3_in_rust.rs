//! Exercise 21: S3 notifications in Rust. The same checks as exercise 06:
//! each test invokes your `function_handler` (src/lib.rs) with an S3 event,
//! either one recorded from S3 (`cargo lab events` lists them) or one built
//! like S3 builds it, with the keys URL-encoded, and checks one thing the
//! task asks for. The harness runs your handler in this test process, the way
//! lambda_runtime would run it on Lambda.

use exercise_21::function_handler;
use harness::check::Call;
use harness::events;
use harness::{Value, json};
use harness_rust::{LogChecks, RustLab};
use lambda_runtime::service_fn;

/// Your handler as a Lambda function.
fn lab() -> RustLab {
    RustLab::exercise(service_fn(function_handler))
}

/// The `objects` list of the handler's response, or null when there is none.
fn objects_in(call: &Call, check: &str) -> Value {
    call.result_for(check).get("objects").cloned().unwrap_or(Value::Null)
}

#[test]
fn reports_an_uploaded_object() {
    let lab = lab();
    lab.invoke(events::recorded("s3-put")).expect_result(
        "answers an upload with status 200 and the object's bucket, key and size",
        json!({
            "statusCode": 200,
            "objects": [{"bucket": "photo-uploads", "key": "uploads/2026/11/report.pdf", "size": 48213}]
        }),
    );
}

#[test]
fn decodes_a_key_with_spaces_and_parentheses() {
    // S3 sends this key as "my+photo+%281%29.jpg".
    let lab = lab();
    lab.invoke(events::s3_put("holiday-pics", "my photo (1).jpg", 2048)).expect_result(
        "gives the object's real key, decoded from the URL-encoded one S3 sends",
        json!({
            "statusCode": 200,
            "objects": [{"bucket": "holiday-pics", "key": "my photo (1).jpg", "size": 2048}]
        }),
    );
}

#[test]
fn decodes_spaces_plus_signs_and_accents() {
    // Sent as "my+photo+%281%29.jpg", "a%2Bb.txt" and "caf%C3%A9/men%C3%BC.pdf":
    // a "+" stands for a space, and a real "+" arrives as "%2B".
    let check = "decodes every key: + becomes a space, %2B a plus sign, %C3%A9 an é";
    let lab = lab();
    let call = lab.invoke(events::recorded("s3-special-keys"));
    call.expect_value(
        check,
        "the list of objects",
        json!([
            {"bucket": "photo-uploads", "key": "my photo (1).jpg", "size": 2483120},
            {"bucket": "photo-uploads", "key": "a+b.txt", "size": 17},
            {"bucket": "photo-uploads", "key": "café/menü.pdf", "size": 310988}
        ]),
        objects_in(&call, check),
    );
}

#[test]
fn reports_every_record_of_a_batch() {
    let check = "reports every object in the event, not only the first record";
    let lab = lab();
    let call = lab.invoke(events::recorded("s3-batch"));
    call.expect_value(
        check,
        "the list of objects",
        json!([
            {"bucket": "photo-uploads", "key": "invoices/2026-11-001.pdf", "size": 18342},
            {"bucket": "photo-uploads", "key": "invoices/2026-11-002.pdf", "size": 20977},
            {"bucket": "photo-uploads", "key": "invoices/2026-11-003.pdf", "size": 16530}
        ]),
        objects_in(&call, check),
    );
}

#[test]
fn keeps_the_order_of_the_records() {
    // Neither sorted by key, nor by size, nor reversed: only the records' own order.
    let check = "lists the objects in the order of the records in the event";
    let lab = lab();
    let call = lab.invoke(events::s3_uploads(
        "scans",
        &[("b/second page.png", 300), ("c/third page.png", 100), ("a/first page.png", 200)],
    ));
    call.expect_value(
        check,
        "the list of objects",
        json!([
            {"bucket": "scans", "key": "b/second page.png", "size": 300},
            {"bucket": "scans", "key": "c/third page.png", "size": 100},
            {"bucket": "scans", "key": "a/first page.png", "size": 200}
        ]),
        objects_in(&call, check),
    );
}

#[test]
fn treats_a_multipart_upload_like_any_upload() {
    // eventName is ObjectCreated:CompleteMultipartUpload, not ObjectCreated:Put.
    let lab = lab();
    lab.invoke(events::recorded("s3-multipart-upload")).expect_result(
        "reports an object uploaded in parts, like any other new object",
        json!({
            "statusCode": 200,
            "objects": [{"bucket": "photo-uploads", "key": "uploads/2026/11/site-walkthrough.mp4", "size": 734003200}]
        }),
    );
}

#[test]
fn logs_the_uploaded_object() {
    let lab = lab();
    lab.invoke(events::recorded("s3-put")).expect_logged(
        "logs one line for the object: Received s3://BUCKET/KEY (SIZE bytes)",
        &["Received s3://photo-uploads/uploads/2026/11/report.pdf (48213 bytes)"],
    );
}

#[test]
fn logs_one_line_per_object_with_the_decoded_key() {
    let lab = lab();
    lab.invoke(events::recorded("s3-special-keys")).expect_logged(
        "logs one line per object, in order, each with the decoded key",
        &[
            "Received s3://photo-uploads/my photo (1).jpg (2483120 bytes)",
            "Received s3://photo-uploads/a+b.txt (17 bytes)",
            "Received s3://photo-uploads/café/menü.pdf (310988 bytes)",
        ],
    );
}

#[test]
fn reports_only_this_events_objects_on_a_warm_start() {
    // One environment, two events: anything kept in a static survives
    // from the first invocation into the second.
    let lab = lab();
    lab.invoke(events::s3_put("scans", "monday.png", 10)).expect_result(
        "reports the first event's object on the cold start",
        json!({"statusCode": 200, "objects": [{"bucket": "scans", "key": "monday.png", "size": 10}]}),
    );
    let warm = lab.invoke(events::s3_put("scans", "tuesday.png", 20));
    warm.expect(
        "the second invocation reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    warm.expect_result(
        "reports only the second event's object on the warm start",
        json!({"statusCode": 200, "objects": [{"bucket": "scans", "key": "tuesday.png", "size": 20}]}),
    );
}

#[test]
fn decodes_the_key_exactly_once() {
    // The real key is "100%2B.txt", with a percent sign in its name; S3 sends
    // it as "100%252B.txt". Decoded once it is the real key again; decoded a
    // second time, "%2B" turns into "+" and names an object that does not exist.
    let check = "decodes the key once: a key whose real name holds %2B keeps it";
    let lab = lab();
    let call = lab.invoke(events::s3_put("receipts", "100%2B.txt", 64));
    call.expect_value(
        check,
        "the list of objects (each key decoded once: \"+\" to a space, then %XX)",
        json!([{"bucket": "receipts", "key": "100%2B.txt", "size": 64}]),
        objects_in(&call, check),
    );
}
