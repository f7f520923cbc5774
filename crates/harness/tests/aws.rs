//! The AWS around the function: a handler's boto3 reaches the local AWS
//! (moto behind the gateway) with no endpoint or credentials in its code,
//! and each invocation lists the calls it made.
//!
//! The managed environment (`.lab/python`, with moto) is set up first when it
//! is not ready, as `cargo lab setup` would.

mod common;

use harness::pyenv::{PythonEnv, Source};
use serde_json::json;

fn ready() {
    PythonEnv::here()
        .ensure(&Source::Index, &mut |line| eprintln!("aws tests: {line}"))
        .unwrap_or_else(|error| panic!("the workshop's Python environment cannot be set up: {error}"));
}

const ROUND_TRIP: &str = r#"
import json
import boto3

s3 = boto3.client("s3")
dynamodb = boto3.client("dynamodb")
sqs = boto3.client("sqs")


def handler(event, context):
    bucket = event["bucket"]
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="photo 1.jpg", Body=b"pixels")
    body = s3.get_object(Bucket=bucket, Key="photo 1.jpg")["Body"].read().decode()
    dynamodb.create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-1"}, "total": {"N": "12.5"}})
    item = dynamodb.get_item(TableName="orders", Key={"id": {"S": "o-1"}})["Item"]
    url = sqs.create_queue(QueueName="shipping")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"order": "o-1"}))
    message = sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"]
    try:
        s3.get_object(Bucket=bucket, Key="missing.jpg")
        missing = None
    except s3.exceptions.NoSuchKey as error:
        missing = error.response["Error"]["Code"]
    return {"object": body, "item": item, "message": json.loads(message), "missing": missing}
"#;

#[test]
fn a_handler_round_trips_s3_dynamodb_and_sqs_and_its_calls_are_listed() {
    ready();
    let function = common::function(ROUND_TRIP, "handler");
    let call = function.invoke(&json!({"bucket": "uploads-demo"}));
    assert_eq!(
        call.result(),
        Some(json!({
            "object": "pixels",
            "item": {"id": {"S": "o-1"}, "total": {"N": "12.5"}},
            "message": {"order": "o-1"},
            "missing": "NoSuchKey",
        })),
        "{:#?}",
        call.logs
    );
    let calls: Vec<(&str, &str, u16, Option<&str>)> = call
        .aws_calls
        .iter()
        .map(|c| (c.service.as_str(), c.operation.as_str(), c.status, c.error_code.as_deref()))
        .collect();
    assert_eq!(
        calls,
        [
            ("s3", "CreateBucket", 200, None),
            ("s3", "PutObject", 200, None),
            ("s3", "GetObject", 200, None),
            ("dynamodb", "CreateTable", 200, None),
            ("dynamodb", "PutItem", 200, None),
            ("dynamodb", "GetItem", 200, None),
            ("sqs", "CreateQueue", 200, None),
            ("sqs", "SendMessage", 200, None),
            ("sqs", "ReceiveMessage", 200, None),
            ("s3", "GetObject", 404, Some("NoSuchKey")),
        ]
    );
    assert_eq!(call.aws_calls[1].resource.as_deref(), Some("arn:aws:s3:::uploads-demo/photo 1.jpg"));
    let json = call.to_json();
    assert_eq!(
        json["awsCalls"][9],
        json!({"service": "s3", "operation": "GetObject", "resource": "arn:aws:s3:::uploads-demo/missing.jpg", "status": 404, "errorCode": "NoSuchKey"})
    );

    // The log is per invocation: a warm invoke lists only its own calls.
    // In us-east-1, creating a bucket you already own succeeds again (S3's
    // CreateBucket reference); creating the table again does not.
    let again = function.invoke(&json!({"bucket": "uploads-demo"}));
    assert_eq!(again.error().map(|e| e.error_type.as_str()), Some("ResourceInUseException"));
    let operations: Vec<(&str, Option<&str>)> =
        again.aws_calls.iter().map(|c| (c.operation.as_str(), c.error_code.as_deref())).collect();
    assert_eq!(
        operations,
        [
            ("CreateBucket", None),
            ("PutObject", None),
            ("GetObject", None),
            ("CreateTable", Some("ResourceInUseException"))
        ]
    );
}

#[test]
fn two_functions_each_have_an_aws_of_their_own() {
    ready();
    let source = r#"
import boto3

def handler(event, context):
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="shared-name")
    s3.put_object(Bucket="shared-name", Key="owner", Body=event["me"].encode())
    return [o["Key"] for o in s3.list_objects_v2(Bucket="shared-name").get("Contents", [])] + [
        s3.get_object(Bucket="shared-name", Key="owner")["Body"].read().decode()
    ]
"#;
    let first = common::function(source, "handler");
    let second = common::function(source, "handler");
    assert_eq!(first.invoke(&json!({"me": "first"})).result(), Some(json!(["owner", "first"])));
    assert_eq!(second.invoke(&json!({"me": "second"})).result(), Some(json!(["owner", "second"])));
}

#[test]
fn a_function_starts_from_the_state_it_declares_whatever_its_role_allows() {
    ready();
    let source = r#"
import boto3

def handler(event, context):
    s3 = boto3.client("s3")
    dynamodb = boto3.client("dynamodb")
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName="shipping")["QueueUrl"]
    return {
        "object": s3.get_object(Bucket="photo-uploads", Key="cat.jpg")["Body"].read().decode(),
        "json": s3.get_object(Bucket="photo-uploads", Key="meta.json")["Body"].read().decode(),
        "item": dynamodb.get_item(TableName="orders", Key={"id": {"S": "o-1"}, "at": {"N": "7"}})["Item"]["total"],
        "message": sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"],
    }
"#;
    let root = common::task_root(&[("app.py", source)]);
    let mut config = harness::FunctionConfig::new(&root, "app.handler");
    config.aws_state = Some(json!({
        "s3": {"photo-uploads": {"cat.jpg": "meow", "meta.json": {"w": 2}}},
        "dynamodb": {"orders": {"key": {"id": "S", "at": "N"}, "items": [{"id": {"S": "o-1"}, "at": {"N": "7"}, "total": {"N": "12"}}]}},
        "sqs": {"shipping": ["parcel 1"]},
    }));
    // A role that may read, but not create: the state is there all the same.
    config.role_policy = Some(harness::aws::RolePolicy(std::sync::Arc::new(|call: &harness::aws::CallInfo| {
        call.operation.starts_with("Create").then(|| harness::aws::Denial::new("no creating"))
    })));
    let function = harness::Function::new(config).unwrap();
    let call = function.invoke(&json!({}));
    assert_eq!(
        call.result(),
        Some(json!({"object": "meow", "json": "{\"w\": 2}", "item": {"N": "12"}, "message": "parcel 1"})),
        "{:#?}",
        call.logs
    );
    let operations: Vec<&str> = call.aws_calls.iter().map(|c| c.operation.as_str()).collect();
    assert_eq!(
        operations,
        ["GetQueueUrl", "GetObject", "GetObject", "GetItem", "ReceiveMessage"],
        "setting up is not the function's doing"
    );

    let mut broken = harness::FunctionConfig::new(&root, "app.handler");
    broken.aws_state = Some(json!({"dynamodb": {"orders": {"items": []}}}));
    let error = harness::Function::new(broken).err().expect("a table needs its key");
    assert!(error.0.starts_with("the AWS state could not be set up: KeyError: 'key'"), "{error}");
}

#[test]
fn a_planned_fault_reaches_the_handler_as_the_service_error() {
    ready();
    let source = r#"
import boto3
from botocore.exceptions import ClientError

def handler(event, context):
    try:
        boto3.client("s3").list_buckets()
        return "listed"
    except ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
"#;
    let root = common::task_root(&[("app.py", source)]);
    let mut config = harness::FunctionConfig::new(&root, "app.handler");
    // Both of the SDK's attempts fail, so the handler sees the error.
    config.aws_faults = vec![
        harness::aws::Fault::internal_error("s3", "ListBuckets", 1),
        harness::aws::Fault::internal_error("s3", "ListBuckets", 2),
    ];
    let function = harness::Function::new(config).unwrap();
    let call = function.invoke(&json!({}));
    assert_eq!(call.result(), Some(json!(["InternalError", 500])), "{:#?}", call.logs);
    assert_eq!(call.aws_calls.len(), 2);
    assert_eq!(function.invoke(&json!({})).result(), Some(json!("listed")), "the third attempt goes through");
}

#[test]
fn the_sdk_reads_no_aws_configuration_of_the_machine() {
    ready();
    let source = r#"
import boto3

def handler(event, context):
    session = boto3.session.Session()._session  # botocore's, which reads the files
    return [session.get_config_variable("config_file"), session.get_config_variable("credentials_file")]
"#;
    let function = common::function(source, "handler");
    assert_eq!(function.invoke(&json!({})).result(), Some(json!(["/dev/null", "/dev/null"])));
}

#[test]
fn a_handler_that_never_calls_aws_lists_no_calls() {
    let function = common::function("def handler(event, context):\n    return 1\n", "handler");
    let call = function.invoke(&json!({}));
    assert_eq!(call.result(), Some(json!(1)));
    assert!(call.aws_calls.is_empty());
    assert!(call.to_json().get("awsCalls").is_none());
}

/// Whether `f` ended in a failed learner check (not a plain panic).
fn check_fails(f: impl FnOnce()) -> bool {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(()) => false,
        Err(payload) => {
            assert!(payload.downcast_ref::<harness::check::report::CheckFailed>().is_some(), "a check, not a panic");
            true
        }
    }
}

#[test]
fn an_exercise_declares_its_aws_state_and_the_checks_read_the_calls_and_the_state() {
    ready();
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("19-s3-to-dynamodb");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("exercise.toml"),
        r#"
title = "S3 to DynamoDB"
chapter = "aws/index.md"
minutes = 30
hints = ["one"]

[aws.s3.uploads]
"a.txt" = "hello"

[aws.dynamodb.sizes]
key = { key = "S" }
items = []
"#,
    )
    .unwrap();
    let exercise = harness::exercise::Exercise::load(&dir).unwrap();
    assert_eq!(
        exercise.aws_state,
        Some(json!({"s3": {"uploads": {"a.txt": "hello"}}, "dynamodb": {"sizes": {"key": {"key": "S"}, "items": []}}}))
    );
    std::fs::write(
        dir.join("handler.py"),
        r#"
import boto3

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table("sizes")


def lambda_handler(event, context):
    body = s3.get_object(Bucket="uploads", Key=event["key"])["Body"].read()
    table.put_item(Item={"key": event["key"], "size": len(body)})
    return len(body)
"#,
    )
    .unwrap();
    let mut config = harness::FunctionConfig::new(&dir, "handler.lambda_handler");
    config.aws_state = exercise.aws_state.clone();
    let function = harness::Function::new(config).unwrap();
    let event = json!({"key": "a.txt"});
    let call = harness::check::Call::new(&exercise, event.clone(), function.invoke(&event));
    call.expect_aws_calls("one read, one write", &["s3 GetObject", "dynamodb PutItem"]);
    assert!(check_fails(|| {
        call.expect_aws_calls("no write", &["s3 GetObject"]);
    }));
    let state = function.aws_state().unwrap();
    assert_eq!(state["dynamodb"]["sizes"], json!([{"key": {"S": "a.txt"}, "size": {"N": "5"}}]));
    assert_eq!(state["s3"]["uploads"], json!({"a.txt": "hello"}));
    assert_eq!(state["sqs"], json!({}));
    let expect =
        |pointer: &str, expected| harness::check::expect_aws_state(&exercise, &function, "state", pointer, expected);
    expect("/dynamodb/sizes", json!([{"key": {"S": "a.txt"}, "size": {"N": "5"}}]));
    assert!(check_fails(|| expect("/dynamodb/sizes", json!([]))));
    assert!(check_fails(|| expect("/s3/missing-bucket", json!({}))));
}

#[test]
fn items_read_back_as_dynamodb_returns_them_and_are_found_by_their_key() {
    ready();
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("19-numbers");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("exercise.toml"),
        "title = \"Numbers\"\nchapter = \"aws/index.md\"\nminutes = 5\nhints = [\"one\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("handler.py"), "def lambda_handler(event, context):\n    return None\n").unwrap();
    let exercise = harness::exercise::Exercise::load(&dir).unwrap();
    let mut config = harness::FunctionConfig::new(&dir, "handler.lambda_handler");
    // moto keeps the text it was sent; DynamoDB stores the number, and
    // answers without leading or trailing zeros or an exponent.
    config.aws_state = Some(json!({"dynamodb": {"totals": {"key": {"day": "S"}, "items": [
        {"day": {"S": "mon"}, "total": {"N": "1.50"}, "count": {"N": "1E+2"}, "parts": {"L": [{"N": "007"}, {"M": {"N": {"N": "-0.10"}}}]}},
        {"day": {"S": "tue"}, "total": {"N": "0.0"}, "sizes": {"NS": ["2.0", "10"]}},
    ]}}}));
    let function = harness::Function::new(config).unwrap();
    let items = function.aws_items("totals").unwrap();
    let monday = json!({"day": {"S": "mon"}, "total": {"N": "1.5"}, "count": {"N": "100"}, "parts": {"L": [{"N": "7"}, {"M": {"N": {"N": "-0.1"}}}]}});
    assert!(items.contains(&monday), "{items:?}");
    assert!(
        items.contains(&json!({"day": {"S": "tue"}, "total": {"N": "0"}, "sizes": {"NS": ["2", "10"]}})),
        "{items:?}"
    );

    let expect = |key: &str, expected: Option<serde_json::Value>| {
        harness::check::expect_aws_item(
            &exercise,
            &function,
            "the item",
            "totals",
            &json!({"day": {"S": key}}),
            expected,
        )
    };
    expect("mon", Some(monday.clone()));
    expect("wed", None);
    assert!(check_fails(|| expect("wed", Some(monday.clone()))), "an item that is not there");
    assert!(check_fails(|| expect("mon", None)), "an item that should not be there");
    assert!(check_fails(|| expect("mon", Some(json!({"day": {"S": "mon"}})))), "an item that differs");
    assert!(function.aws_items("missing").unwrap_err().contains("ResourceNotFoundException"));
}
