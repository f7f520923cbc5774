//! The local AWS as functions use it: real boto3 clients, in the Python
//! that runs moto, with a registration's environment, against one moto and
//! gateway shared by every test of this file (moto's start costs seconds).
//! Each test registers functions of its own, so the tests run in parallel
//! and their call logs stay theirs.

mod common;

use common::{median_ms, run_as, run_with_env};
use local_aws::{Call, CallInfo, Denial, LocalAws, Policy, Registration};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn local_aws() -> &'static LocalAws {
    static LOCAL_AWS: OnceLock<LocalAws> = OnceLock::new();
    LOCAL_AWS.get_or_init(|| {
        let started = Instant::now();
        let local = LocalAws::start(&common::python()).unwrap_or_else(|e| panic!("{e}"));
        eprintln!("local AWS started in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
        local
    })
}

fn register() -> Registration {
    local_aws().register("us-east-1", None)
}

fn call(service: &str, operation: &str, resource: Option<&str>, status: u16, error_code: Option<&str>) -> Call {
    Call {
        service: service.into(),
        operation: operation.into(),
        resource: resource.map(str::to_string),
        status,
        error_code: error_code.map(str::to_string),
        connection: 0,
    }
}

/// The calls with their connection numbers set to 0, to compare with
/// [`call`]'s (which connection a call came on is tested on its own).
fn ignoring_connections(calls: Vec<Call>) -> Vec<Call> {
    calls.into_iter().map(|call| Call { connection: 0, ..call }).collect()
}

#[test]
fn a_client_reuses_its_connection_and_a_new_client_opens_its_own() {
    let function = register();
    run_as(
        &function,
        r#"
first = boto3.client("s3")
first.create_bucket(Bucket="kept")
first.list_buckets()
second = boto3.client("s3")
second.list_buckets()
out(None)
"#,
    );
    let connections: Vec<u64> = function.take_calls().into_iter().map(|c| c.connection).collect();
    let [create, listed, by_second] = connections[..] else { panic!("three calls: {connections:?}") };
    assert_eq!(create, listed, "a client keeps its connection alive between calls");
    assert_ne!(listed, by_second, "a new client opens a connection of its own");
}

#[test]
fn s3_put_then_get_round_trips() {
    let function = register();
    let result = run_as(
        &function,
        r#"
s3 = boto3.client("s3")
s3.create_bucket(Bucket="photos")
s3.put_object(Bucket="photos", Key="cats/tom & jerry.txt", Body=b"meow")
got = s3.get_object(Bucket="photos", Key="cats/tom & jerry.txt")["Body"].read().decode()
out({"got": got, "keys": [o["Key"] for o in s3.list_objects_v2(Bucket="photos")["Contents"]]})
"#,
    );
    assert_eq!(result, json!({"got": "meow", "keys": ["cats/tom & jerry.txt"]}));
}

#[test]
fn a_body_sent_after_100_continue_arrives() {
    // A file-like body makes botocore send `Expect: 100-continue` and wait
    // for the interim answer before the body.
    let function = register();
    let result = run_as(
        &function,
        r#"
import io, time
s3 = boto3.client("s3")
s3.create_bucket(Bucket="uploads")
started = time.monotonic()
s3.put_object(Bucket="uploads", Key="big.bin", Body=io.BytesIO(b"x" * 300000))
elapsed = time.monotonic() - started
size = s3.head_object(Bucket="uploads", Key="big.bin")["ContentLength"]
out({"size": size, "fast": elapsed < 0.9})
"#,
    );
    assert_eq!(result, json!({"size": 300000, "fast": true}));
}

#[test]
fn dynamodb_create_put_get() {
    let function = local_aws().register("eu-west-1", None);
    let result = run_as(
        &function,
        r#"
ddb = boto3.client("dynamodb")
ddb.create_table(
    TableName="orders",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)
ddb.put_item(TableName="orders", Item={"id": {"S": "o-1"}, "total": {"N": "42"}})
item = ddb.get_item(TableName="orders", Key={"id": {"S": "o-1"}})["Item"]
arn = ddb.describe_table(TableName="orders")["Table"]["TableArn"]
out({"item": item, "arn": arn})
"#,
    );
    let arn = format!("arn:aws:dynamodb:eu-west-1:{}:table/orders", function.account_id());
    assert_eq!(result, json!({"item": {"id": {"S": "o-1"}, "total": {"N": "42"}}, "arn": arn}));
    let operations: Vec<String> = function.calls().into_iter().map(|c| c.operation).collect();
    assert_eq!(operations, ["CreateTable", "PutItem", "GetItem", "DescribeTable"]);
    assert!(function.calls().iter().all(|c| c.resource.as_deref() == Some(arn.as_str())));
}

#[test]
fn sqs_create_send_receive() {
    let function = register();
    let result = run_as(
        &function,
        r#"
sqs = boto3.client("sqs")
url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
sqs.send_message(QueueUrl=url, MessageBody="hello")
messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1)["Messages"]
out({"url": url, "bodies": [m["Body"] for m in messages]})
"#,
    );
    assert_eq!(result["bodies"], json!(["hello"]));
    let url = result["url"].as_str().unwrap();
    assert!(url.ends_with(&format!("/{}/jobs", function.account_id())), "{url}");
    let arn = format!("arn:aws:sqs:us-east-1:{}:jobs", function.account_id());
    assert_eq!(
        ignoring_connections(function.calls()),
        [
            call("sqs", "CreateQueue", Some(&arn), 200, None),
            call("sqs", "SendMessage", Some(&arn), 200, None),
            call("sqs", "ReceiveMessage", Some(&arn), 200, None),
        ]
    );
}

#[test]
fn two_functions_with_the_same_bucket_name_do_not_see_each_other() {
    let first = register();
    let second = register();
    assert_ne!(first.account_id(), second.account_id());
    let put = |function: &Registration, body: &str| {
        run_as(
            function,
            &format!(
                r#"
s3 = boto3.client("s3")
s3.create_bucket(Bucket="shared-name")
before = [o["Key"] for o in s3.list_objects_v2(Bucket="shared-name").get("Contents", [])]
s3.put_object(Bucket="shared-name", Key="mine.txt", Body=b"{body}")
out({{"before": before}})
"#
            ),
        )
    };
    let read = |function: &Registration| {
        run_as(
            function,
            r#"
s3 = boto3.client("s3")
out({"body": s3.get_object(Bucket="shared-name", Key="mine.txt")["Body"].read().decode(),
     "buckets": [b["Name"] for b in s3.list_buckets()["Buckets"]]})
"#,
        )
    };
    assert_eq!(put(&first, "first"), json!({"before": []}));
    // The second creates the same name without BucketAlreadyExists, and
    // finds its bucket empty.
    assert_eq!(put(&second, "second"), json!({"before": []}));
    assert_eq!(read(&first), json!({"body": "first", "buckets": ["shared-name"]}));
    assert_eq!(read(&second), json!({"body": "second", "buckets": ["shared-name"]}));

    // Creating it again in its own account is what AWS does in us-east-1:
    // a success, the objects kept.
    let again = run_as(
        &first,
        r#"
s3 = boto3.client("s3")
s3.create_bucket(Bucket="shared-name")
out(s3.get_object(Bucket="shared-name", Key="mine.txt")["Body"].read().decode())
"#,
    );
    assert_eq!(again, json!("first"));
}

#[test]
fn a_function_cannot_choose_its_account() {
    let victim = register();
    run_as(&victim, r#"boto3.client("s3").create_bucket(Bucket="secret-stuff"); out(None)"#);
    let intruder = register();
    let script = format!(
        r#"
s3 = boto3.client("s3")
def claim(request, **kwargs):
    request.headers["x-moto-account-id"] = "{}"
s3.meta.events.register("before-send.s3.*", claim)
out([b["Name"] for b in s3.list_buckets()["Buckets"]])
"#,
        victim.account_id()
    );
    assert_eq!(run_as(&intruder, &script), json!([]));
}

#[test]
fn the_call_log_lists_each_call_in_order_with_its_outcome() {
    let function = register();
    run_as(
        &function,
        r#"
s3 = boto3.client("s3")
s3.create_bucket(Bucket="logs")
s3.put_object(Bucket="logs", Key="a/1.txt", Body=b"1")
s3.get_object(Bucket="logs", Key="a/1.txt")
try:
    s3.get_object(Bucket="logs", Key="missing")
except ClientError as e:
    assert e.response["Error"]["Code"] == "NoSuchKey", e.response
try:
    s3.head_object(Bucket="logs", Key="missing")
except ClientError as e:
    assert e.response["Error"]["Code"] == "404", e.response
s3.head_bucket(Bucket="logs")
s3.copy_object(Bucket="logs", Key="b/2.txt", CopySource={"Bucket": "logs", "Key": "a/1.txt"})
s3.list_objects_v2(Bucket="logs", Prefix="a/")
s3.list_objects(Bucket="logs")
s3.delete_objects(Bucket="logs", Delete={"Objects": [{"Key": "a/1.txt"}]})
s3.delete_object(Bucket="logs", Key="b/2.txt")
s3.list_buckets()
s3.delete_bucket(Bucket="logs")
out(None)
"#,
    );
    let bucket = "arn:aws:s3:::logs";
    let object = |key: &str| format!("{bucket}/{key}");
    assert_eq!(
        ignoring_connections(function.take_calls()),
        [
            call("s3", "CreateBucket", Some(bucket), 200, None),
            call("s3", "PutObject", Some(&object("a/1.txt")), 200, None),
            call("s3", "GetObject", Some(&object("a/1.txt")), 200, None),
            call("s3", "GetObject", Some(&object("missing")), 404, Some("NoSuchKey")),
            call("s3", "HeadObject", Some(&object("missing")), 404, Some("404")),
            call("s3", "HeadBucket", Some(bucket), 200, None),
            call("s3", "CopyObject", Some(&object("b/2.txt")), 200, None),
            call("s3", "ListObjectsV2", Some(bucket), 200, None),
            call("s3", "ListObjects", Some(bucket), 200, None),
            call("s3", "DeleteObjects", Some(bucket), 200, None),
            call("s3", "DeleteObject", Some(&object("b/2.txt")), 204, None),
            call("s3", "ListBuckets", None, 200, None),
            call("s3", "DeleteBucket", Some(bucket), 204, None),
        ]
    );
    assert!(function.calls().is_empty(), "take_calls empties the log");

    run_as(
        &function,
        r#"
ddb = boto3.client("dynamodb")
try:
    ddb.get_item(TableName="nope", Key={"id": {"S": "1"}})
except ClientError as e:
    assert e.response["Error"]["Code"] == "ResourceNotFoundException", e.response
sqs = boto3.client("sqs")
try:
    sqs.get_queue_url(QueueName="nope")
except ClientError as e:
    out(e.response["Error"]["Code"])
"#,
    );
    let account = function.account_id();
    assert_eq!(
        ignoring_connections(function.take_calls()),
        [
            call(
                "dynamodb",
                "GetItem",
                Some(&format!("arn:aws:dynamodb:us-east-1:{account}:table/nope")),
                400,
                Some("ResourceNotFoundException")
            ),
            call(
                "sqs",
                "GetQueueUrl",
                Some(&format!("arn:aws:sqs:us-east-1:{account}:nope")),
                400,
                Some("AWS.SimpleQueueService.NonExistentQueue")
            ),
        ]
    );
}

#[test]
fn an_unknown_access_key_is_told_whose_keys_work_here() {
    let function = register();
    let mut env = common::env_of(&function);
    for (name, value) in &mut env {
        if name == "AWS_ACCESS_KEY_ID" {
            *value = "AKIAIOSFODNN7EXAMPLE".into();
        }
    }
    let result = run_with_env(
        &env,
        r#"
answers = {}
try:
    boto3.client("s3").list_buckets()
except ClientError as e:
    answers["s3"] = error(e)
try:
    boto3.client("dynamodb").list_tables()
except ClientError as e:
    answers["dynamodb"] = error(e)
try:
    boto3.client("sqs").list_queues()
except ClientError as e:
    answers["sqs"] = error(e)
out(answers)
"#,
    );
    eprintln!("{result:#}");
    assert_eq!(result["s3"]["code"], "InvalidAccessKeyId");
    assert_eq!(result["s3"]["status"], 403);
    assert_eq!(result["dynamodb"]["code"], "UnrecognizedClientException");
    assert_eq!(result["sqs"]["code"], "InvalidClientTokenId");
    assert_eq!(result["sqs"]["status"], 403);
    for service in ["s3", "dynamodb", "sqs"] {
        let message = result[service]["message"].as_str().unwrap();
        assert!(message.contains("AKIAIOSFODNN7EXAMPLE is not one the workshop gave this function"), "{message}");
        assert!(message.contains("AWS_ACCESS_KEY_ID"), "{message}");
    }
    assert!(function.calls().is_empty(), "a call that is not the function's is not in its log");
}

#[test]
fn a_policy_denial_is_answered_as_aws_words_it() {
    let policy: Policy = Box::new(|call: &CallInfo| {
        let denied = matches!(
            (call.service.as_str(), call.operation.as_str()),
            ("s3", "PutObject") | ("dynamodb", "PutItem") | ("sqs", "SendMessage")
        );
        denied.then(|| {
            let principal = format!("arn:aws:sts::{}:assumed-role/orders-role/orders", call.account_id);
            let action = format!("{}:{}", call.service, call.operation);
            Denial::no_identity_policy(&principal, &action, call.resource.as_deref().unwrap_or("*"))
        })
    });
    let function = local_aws().register("us-east-1", Some(policy));
    let result = run_as(
        &function,
        r#"
answers = {}
s3 = boto3.client("s3")
s3.create_bucket(Bucket="locked")
try:
    s3.put_object(Bucket="locked", Key="k", Body=b"x")
except ClientError as e:
    answers["s3"] = error(e)
answers["s3_stored"] = s3.list_objects_v2(Bucket="locked").get("KeyCount")
ddb = boto3.client("dynamodb")
ddb.create_table(TableName="t", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
try:
    ddb.put_item(TableName="t", Item={"id": {"S": "1"}})
except ClientError as e:
    answers["dynamodb"] = error(e)
    answers["dynamodb_class"] = type(e).__name__
sqs = boto3.client("sqs")
url = sqs.create_queue(QueueName="q")["QueueUrl"]
try:
    sqs.send_message(QueueUrl=url, MessageBody="m")
except ClientError as e:
    answers["sqs"] = error(e)
out(answers)
"#,
    );
    eprintln!("{result:#}");
    let account = function.account_id();
    assert_eq!(result["s3"]["code"], "AccessDenied");
    assert_eq!(result["s3"]["status"], 403);
    assert_eq!(
        result["s3"]["message"],
        format!(
            "User: arn:aws:sts::{account}:assumed-role/orders-role/orders is not authorized to perform: s3:PutObject \
             on resource: arn:aws:s3:::locked/k because no identity-based policy allows the s3:PutObject action"
        )
    );
    assert_eq!(result["s3_stored"], 0, "a denied call never reaches moto");
    assert_eq!(result["dynamodb"]["code"], "AccessDeniedException");
    assert_eq!(result["dynamodb"]["status"], 400);
    assert_eq!(result["dynamodb_class"], "ClientError");
    assert!(result["dynamodb"]["message"].as_str().unwrap().contains("dynamodb:PutItem on resource: arn:aws:dynamodb"));
    // SQS is query-compatible: botocore reports the query code of
    // x-amzn-query-error.
    assert_eq!(result["sqs"]["code"], "AccessDenied");
    assert_eq!(result["sqs"]["status"], 400);

    let denied: Vec<(String, u16, Option<String>)> = function
        .calls()
        .into_iter()
        .filter(|c| c.status >= 400)
        .map(|c| (c.operation, c.status, c.error_code))
        .collect();
    assert_eq!(
        denied,
        [
            ("PutObject".to_string(), 403, Some("AccessDenied".to_string())),
            ("PutItem".to_string(), 400, Some("AccessDeniedException".to_string())),
            ("SendMessage".to_string(), 400, Some("AccessDenied".to_string())),
        ]
    );
}

/// One raw request to the gateway, and the status line and body of the
/// answer.
fn raw(request: &str) -> (String, String) {
    let endpoint = local_aws().endpoint();
    let mut stream = TcpStream::connect(endpoint.trim_start_matches("http://")).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    std::io::Read::read_exact(&mut reader, &mut body).unwrap();
    (status.trim().to_string(), String::from_utf8(body).unwrap())
}

#[test]
fn moto_s_own_api_and_unsigned_requests_are_refused() {
    let (status, body) =
        raw("POST /moto-api/reset HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assert_eq!(status, "HTTP/1.1 404 Not Found");
    assert!(body.contains("moto's own API"), "{body}");
    let (status, body) = raw("GET /some-bucket/key HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(status, "HTTP/1.1 403 Forbidden");
    assert!(body.contains("<Code>AccessDenied</Code>") && body.contains("not signed"), "{body}");
}

/// The gateway's cost per call: PutItem from one boto3 client, through the
/// gateway and straight to moto, 200 of each after a warm-up. Run with
/// `cargo test -p local-aws --test services -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn measure_the_gateway_s_added_latency() {
    let function = register();
    let script = format!(
        r#"
import time
def timings(endpoint):
    ddb = boto3.client("dynamodb", endpoint_url=endpoint)
    try:
        ddb.create_table(TableName="bench", KeySchema=[{{"AttributeName": "id", "KeyType": "HASH"}}],
                         AttributeDefinitions=[{{"AttributeName": "id", "AttributeType": "S"}}],
                         BillingMode="PAY_PER_REQUEST")
    except ClientError:
        pass
    for i in range(20):
        ddb.put_item(TableName="bench", Item={{"id": {{"S": "warm"}}}})
    samples = []
    for i in range(200):
        started = time.perf_counter()
        ddb.put_item(TableName="bench", Item={{"id": {{"S": str(i)}}, "n": {{"N": "1"}}}})
        samples.append((time.perf_counter() - started) * 1000)
    return samples
gateway = timings("{gateway}")
direct = timings("{moto}")
gateway2 = timings("{gateway}")
direct2 = timings("{moto}")
out({{"gateway": gateway + gateway2, "direct": direct + direct2}})
"#,
        gateway = local_aws().endpoint(),
        moto = local_aws().moto_endpoint().expect("moto runs"),
    );
    let result = run_as(&function, &script);
    let samples = |name: &str| -> Vec<f64> {
        result[name].as_array().unwrap().iter().map(Value::as_f64).map(Option::unwrap).collect()
    };
    let (gateway, direct) = (median_ms(samples("gateway")), median_ms(samples("direct")));
    eprintln!(
        "PutItem median over 400 calls: through the gateway {gateway:.3} ms, straight to moto {direct:.3} ms, \
         added {:.3} ms",
        gateway - direct
    );
}

/// How long [`LocalAws::start`] takes, until the gateway takes calls.
#[test]
#[ignore = "a measurement, not a check"]
fn measure_the_start_time() {
    let mut samples = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let local = LocalAws::start(&common::python()).unwrap();
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
        drop(local);
    }
    eprintln!("LocalAws::start: median {:.0} ms of {samples:.0?}", median_ms(samples.clone()));
}

#[test]
fn planned_faults_fail_the_nth_attempt_as_the_service_would() {
    let function = register();
    function.inject(local_aws::Fault::dynamodb_throttled("PutItem", 1));
    function.inject(local_aws::Fault::dynamodb_throttled("PutItem", 3));
    function.inject(local_aws::Fault::dynamodb_throttled("PutItem", 4));
    function.inject(local_aws::Fault::new("GetObject", 1, 404, "NoSuchKey", "The specified key does not exist."));
    let result = run_as(
        &function,
        r#"
answers = {}
dynamodb = boto3.client("dynamodb")
dynamodb.create_table(
    TableName="faulty",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
)
dynamodb.put_item(TableName="faulty", Item={"id": {"S": "retried"}})
answers["first"] = "stored after a retry"
try:
    dynamodb.put_item(TableName="faulty", Item={"id": {"S": "gave-up"}})
except ClientError as e:
    answers["second"] = error(e)
s3 = boto3.client("s3")
s3.create_bucket(Bucket="faulty-bucket")
s3.put_object(Bucket="faulty-bucket", Key="k", Body=b"x")
try:
    s3.get_object(Bucket="faulty-bucket", Key="k")
except ClientError as e:
    answers["missing"] = error(e)
out(answers)
"#,
    );
    assert_eq!(result["first"], "stored after a retry");
    assert_eq!(result["second"]["code"], "ProvisionedThroughputExceededException", "{result:#}");
    assert_eq!(result["missing"]["code"], "NoSuchKey");
    let log: Vec<(String, u16)> = function.calls().into_iter().map(|c| (c.operation, c.status)).collect();
    let puts: Vec<u16> = log.iter().filter(|(op, _)| op == "PutItem").map(|(_, status)| *status).collect();
    // The SDK tries each call twice (AWS_MAX_ATTEMPTS=2): the first PutItem
    // succeeds on its retry, the second fails twice and gives up.
    assert_eq!(puts, [400, 200, 400, 400]);
}

#[test]
fn an_operation_moto_lacks_fails_at_once_naming_it() {
    let function = register();
    let said = run_as(
        &function,
        r#"
try:
    boto3.client("dynamodb").describe_contributor_insights(TableName="orders")
except ClientError as e:
    out([e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]])
"#,
    );
    assert_eq!(said[0], "NotImplemented");
    assert_eq!(said[1], 501);
    assert!(said[2].as_str().unwrap().contains("cannot serve dynamodb DescribeContributorInsights"), "{said}");
    let calls: Vec<(String, u16)> = function.calls().into_iter().map(|c| (c.operation, c.status)).collect();
    assert_eq!(calls, [("DescribeContributorInsights".to_string(), 501)], "a 501 is not retried");
}
