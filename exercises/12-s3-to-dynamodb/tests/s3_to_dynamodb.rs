//! Exercise 12: from S3 to DynamoDB. The tests share one function, as
//! Lambda keeps one environment warm for many events: its account at the
//! local AWS (moto, on your machine) starts with every CSV file below in
//! S3 and an empty daily-totals table. Each test sends your handler.py the
//! S3 notification for some files, then checks its answer, the AWS calls it
//! made, and the items of its own files in the table.

use harness::aws::{CallInfo, Denial, RolePolicy};
use harness::check::Lab;
use harness::events::s3_uploads;
use harness::{Value, json};
use std::sync::{Arc, OnceLock};

const BUCKET: &str = "sales-exports";
const OTHER_BUCKET: &str = "sales-exports-eu";
/// A bucket the function's role may not read.
const ARCHIVE_BUCKET: &str = "sales-archive";
const TABLE: &str = "daily-totals";

type File = (&'static str, &'static str);

const FIRST: File = ("exports/2026-12-01.csv", "order_id,amount\no-1001,25.50\no-1002,9.99\no-1003,0.10\n");
const SECOND: File = ("exports/2026-12-02.csv", "order_id,amount\no-1004,12.00\n");
const THIRD: File = ("exports/2026-12-03.csv", "order_id,amount\no-1005,3.30\no-1006,4.40\n");
// 0.10 + 0.20 + 0.05 is 0.35000000000000003 in floats.
const CENTS: File = ("exports/2026-12-04.csv", "order_id,amount\no-4001,0.10\no-4002,0.20\no-4003,0.05\n");
const HEADER_ONLY: File = ("exports/2026-12-25.csv", "order_id,amount\n");
const WARM_FIRST: File = ("exports/2026-12-05.csv", "order_id,amount\no-5001,1.25\n");
const WARM_SECOND: File = ("exports/2026-12-06.csv", "order_id,amount\no-6001,2.50\n");
const KEPT: File = ("exports/2026-12-07.csv", "order_id,amount\no-7001,7.00\n");
/// Uploaded, then deleted before the function read it: not in the bucket.
const DELETED: File = ("exports/2026-12-08.csv", "order_id,amount\no-8001,8.00\n");
// S3 writes "store 7/... (late).csv" in the event as "store+7/...+%28late%29.csv",
// and a plus sign in a real name as %2B.
const SPACES: File = ("exports/store 7/2026-12-01 (late).csv", "order_id,amount\no-2001,0.20\no-2002,0.05\n");
const PLUS: File = ("exports/A+B/2026-12-01.csv", "order_id,amount\no-3001,1.00\n");

/// The function every test shares, with its starting state.
fn lab() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| {
        let objects = |files: &[File]| {
            let mut objects = json!({});
            for (key, text) in files {
                objects[*key] = json!(text);
            }
            objects
        };
        let in_bucket = objects(&[FIRST, SECOND, THIRD, CENTS, HEADER_ONLY, WARM_FIRST, WARM_SECOND, KEPT]);
        Lab::configured(|config| {
            config.aws_state = Some(json!({
                "s3": {BUCKET: in_bucket, OTHER_BUCKET: objects(&[SPACES, PLUS]), ARCHIVE_BUCKET: objects(&[FIRST])},
                "dynamodb": {TABLE: {"key": {"file": "S"}, "items": []}},
            }));
            config.role_policy = Some(RolePolicy(Arc::new(|call: &CallInfo| {
                let archived =
                    call.resource.as_deref().is_some_and(|arn| arn.starts_with("arn:aws:s3:::sales-archive/"));
                (archived && call.operation == "GetObject").then(|| Denial::new("Access Denied"))
            })));
        })
    })
}

/// The notification for these files of `bucket` (sizes are the texts').
fn uploads(bucket: &str, files: &[File]) -> Value {
    let objects: Vec<(&str, u64)> = files.iter().map(|(key, text)| (*key, text.len() as u64)).collect();
    s3_uploads(bucket, &objects)
}

/// The table holds this item for `file` (as DynamoDB returns it), or no
/// item when `orders` is None.
fn expect_item(check: &str, file: &str, orders_and_total: Option<(u32, &str)>) {
    let expected = orders_and_total.map(
        |(orders, total)| json!({"file": {"S": file}, "orders": {"N": orders.to_string()}, "total": {"N": total}}),
    );
    lab().expect_aws_item(check, TABLE, json!({"file": {"S": file}}), expected);
}

#[test]
fn one_upload_becomes_one_item() {
    lab().invoke(uploads(BUCKET, &[FIRST])).expect_result(
        "answers which files it recorded and which were missing",
        json!({"recorded": [FIRST.0], "missing": []}),
    );
    expect_item(
        "writes one item for the file: its key, how many orders it holds, and their total",
        FIRST.0,
        Some((3, "35.59")),
    );
}

#[test]
fn every_record_is_read_then_written() {
    let call = lab().invoke(uploads(BUCKET, &[SECOND, THIRD, KEPT]));
    call.expect_result(
        "records every file of the notification, in the order of its records",
        json!({"recorded": [SECOND.0, THIRD.0, KEPT.0], "missing": []}),
    );
    call.expect_aws_calls(
        "reads each object once and writes its item, one record after the other, and nothing more",
        &["s3 GetObject", "dynamodb PutItem", "s3 GetObject", "dynamodb PutItem", "s3 GetObject", "dynamodb PutItem"],
    );
    expect_item("writes an item for the first record", SECOND.0, Some((1, "12")));
    expect_item("writes an item for the second record", THIRD.0, Some((2, "7.7")));
    expect_item("writes an item for the third record", KEPT.0, Some((1, "7")));
}

#[test]
fn keys_are_decoded_and_the_bucket_comes_from_the_record() {
    lab().invoke(uploads(OTHER_BUCKET, &[SPACES, PLUS])).expect_result(
        "asks S3 for each object under its real name, in the bucket its record names",
        json!({"recorded": [SPACES.0, PLUS.0], "missing": []}),
    );
    expect_item("keys the item by the real (decoded) name of the file", SPACES.0, Some((2, "0.25")));
    expect_item("keeps a plus sign that is part of the real name", PLUS.0, Some((1, "1")));
}

#[test]
fn totals_are_exact_to_the_cent() {
    lab()
        .invoke(uploads(BUCKET, &[CENTS]))
        .expect_result("records the file", json!({"recorded": [CENTS.0], "missing": []}));
    expect_item("adds amounts as decimals: 0.10 + 0.20 + 0.05 is exactly 0.35", CENTS.0, Some((3, "0.35")));
}

#[test]
fn a_file_with_only_its_header_holds_no_orders() {
    lab()
        .invoke(uploads(BUCKET, &[HEADER_ONLY]))
        .expect_result("records the file", json!({"recorded": [HEADER_ONLY.0], "missing": []}));
    expect_item(
        "writes 0 orders and a total of 0 for a day without orders (the header line is not an order)",
        HEADER_ONLY.0,
        Some((0, "0")),
    );
}

#[test]
fn a_file_deleted_before_it_is_read_is_skipped() {
    lab().invoke(uploads(BUCKET, &[DELETED, FIRST])).expect_result(
        "skips a file S3 no longer has (NoSuchKey), says so under missing, and records the others",
        json!({"recorded": [FIRST.0], "missing": [DELETED.0]}),
    );
    expect_item("writes no item for the missing file", DELETED.0, None);
}

#[test]
fn other_errors_are_not_taken_for_a_missing_file() {
    // The function's role may not read the archive bucket: S3 answers
    // AccessDenied, which is not NoSuchKey.
    let call = lab().invoke(uploads(ARCHIVE_BUCKET, &[FIRST]));
    let denied = call.invocation.aws_calls.iter().any(|c| c.operation == "GetObject" && c.status == 403);
    call.expect(
        "asks S3 for the object the record names",
        denied,
        "The function should have asked S3 for the file (GetObject) and been refused: the AWS calls below show \
         what it did instead.",
    );
    call.expect(
        "lets an S3 error other than NoSuchKey escape the handler",
        call.invocation.error().is_some(),
        "S3 answered AccessDenied (the role may not read that bucket) and the handler returned normally, so the \
         failure is hidden: nobody is told, and the file is never recorded. Catch only s3.exceptions.NoSuchKey and \
         let every other error escape: the invocation then fails, Lambda retries it, and the error shows in the \
         function's metrics and in the place failed events are sent.",
    );
}

#[test]
fn clients_are_made_once_at_init() {
    let first = lab().invoke(uploads(BUCKET, &[WARM_FIRST]));
    first.expect_result("records a file", json!({"recorded": [WARM_FIRST.0], "missing": []}));
    let warm = lab().invoke(uploads(BUCKET, &[WARM_SECOND]));
    warm.expect_result("records another file, warm", json!({"recorded": [WARM_SECOND.0], "missing": []}));
    warm.expect_clients_reused(
        "the warm invocation reuses the S3 and DynamoDB clients made when Lambda loaded the module",
        &first,
    );
}

#[test]
fn writes_to_the_table_named_by_table_name() {
    // The table's name comes from the function's configuration, not from the
    // code: the same handler serves a test stage and production, each with
    // its own table. This function is configured with TABLE_NAME=store-totals.
    let lab = Lab::configured(|config| {
        config.environment.push(("TABLE_NAME".into(), "store-totals".into()));
        config.aws_state = Some(json!({
            "s3": {BUCKET: {FIRST.0: FIRST.1}},
            "dynamodb": {"store-totals": {"key": {"file": "S"}, "items": []}, TABLE: {"key": {"file": "S"}, "items": []}},
        }));
    });
    lab.invoke(uploads(BUCKET, &[FIRST])).expect_result(
        "records the file when TABLE_NAME names another table",
        json!({"recorded": [FIRST.0], "missing": []}),
    );
    lab.expect_aws_item(
        "writes the item into the table TABLE_NAME names (os.environ[\"TABLE_NAME\"]), not into daily-totals",
        "store-totals",
        json!({"file": {"S": FIRST.0}}),
        Some(json!({"file": {"S": FIRST.0}, "orders": {"N": "3"}, "total": {"N": "35.59"}})),
    );
}
