//! The execution role enforced at the local AWS: a function given a
//! permissions policy gets AccessDenied, as botocore reports it from AWS, for
//! each call the policy does not allow, and the denied call is in its log.

use harness::pyenv::{PythonEnv, Source};
use harness::{Function, FunctionConfig, json};
use iam::{Policy, PolicyKind};

const PERMISSIONS: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:CreateBucket", "s3:GetObject"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]},
    {"Effect": "Allow", "Action": "dynamodb:CreateTable", "Resource": "*"}
  ]
}"#;

const HANDLER: &str = r#"
import boto3
from botocore.exceptions import ClientError


def handler(event, context):
    s3 = boto3.client("s3")
    dynamodb = boto3.client("dynamodb")
    s3.create_bucket(Bucket="reports")
    answers = {}
    for name, call in [
        ("put", lambda: s3.put_object(Bucket="reports", Key="q1.csv", Body=b"1")),
        ("get", lambda: s3.get_object(Bucket="reports", Key="q1.csv")),
        ("table", lambda: dynamodb.create_table(
            TableName="orders",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST")),
        ("item", lambda: dynamodb.put_item(TableName="orders", Item={"id": {"S": "o-1"}})),
    ]:
        try:
            call()
            answers[name] = "allowed"
        except ClientError as e:
            answers[name] = [e.response["Error"]["Code"], e.response["Error"]["Message"]]
    return answers
"#;

#[test]
fn calls_the_role_does_not_allow_are_denied_as_aws_denies_them() {
    PythonEnv::here()
        .ensure(&Source::Index, &mut |line| eprintln!("iam tests: {line}"))
        .unwrap_or_else(|error| panic!("the workshop's Python environment cannot be set up: {error}"));
    let root = tempfile::tempdir().unwrap();
    std::fs::write(root.path().join("app.py"), HANDLER).unwrap();
    let mut config = FunctionConfig::new(root.path(), "app.handler");
    config.function_name = "reports".into();
    let permissions = Policy::from_text(PolicyKind::Identity, PERMISSIONS).unwrap();
    config.role_policy = Some(iam::enforce::role_policy(permissions, "reports-role", "reports"));
    let function = Function::new(config).unwrap();
    let call = function.invoke(&json!({}));
    let answers = call.result().unwrap_or_else(|| panic!("{:#?}", call.logs));
    let session = |action: &str, resource: &str| {
        let principal =
            answers["put"][1].as_str().unwrap_or_default().split(' ').nth(1).unwrap_or_default().to_string();
        assert!(principal.starts_with("arn:aws:sts::") && principal.ends_with(":assumed-role/reports-role/reports"));
        format!(
            "User: {principal} is not authorized to perform: {action} on resource: {resource} because no \
             identity-based policy allows the {action} action"
        )
    };
    assert_eq!(answers["put"], json!(["AccessDenied", session("s3:PutObject", "arn:aws:s3:::reports/q1.csv")]));
    // Allowed, so moto answers: the object was never written.
    assert_eq!(answers["get"][0], "NoSuchKey");
    assert_eq!(answers["table"], "allowed");
    let table = answers["item"][1].as_str().unwrap_or_default();
    assert_eq!(answers["item"][0], "AccessDeniedException");
    assert!(table.contains("dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:"), "{table}");
    let log: Vec<(&str, u16, Option<&str>)> =
        call.aws_calls.iter().map(|c| (c.operation.as_str(), c.status, c.error_code.as_deref())).collect();
    assert_eq!(
        log,
        [
            ("CreateBucket", 200, None),
            ("PutObject", 403, Some("AccessDenied")),
            ("GetObject", 404, Some("NoSuchKey")),
            ("CreateTable", 200, None),
            ("PutItem", 400, Some("AccessDeniedException")),
        ]
    );
}
