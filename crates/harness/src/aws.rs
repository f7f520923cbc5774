//! The AWS around the function: each Python function's SDK reaches the
//! process's local AWS (the `local-aws` crate: moto on loopback behind a
//! gateway) with credentials of its own, and every call it makes is logged
//! on the invocation, as CloudTrail would record it.
//!
//! The gateway starts with the first function (a socket and a thread, no
//! Python); moto starts on the first call a handler makes, from the managed
//! environment's interpreter (`.lab/python`, see [`crate::pyenv`]). A
//! handler that never calls AWS never starts it. When that environment is not
//! set up, each call is answered with an error that says to run
//! `cargo lab setup`, which the learner reads in their traceback.

use crate::pyenv::{EnvState, PythonEnv, SETUP_COMMAND};
use local_aws::{LocalAws, Registration};
use std::sync::{Arc, OnceLock};

pub use local_aws::Call as AwsCall;
pub use local_aws::{CallInfo, Denial, Fault};

/// Decides each AWS call a function makes, as its execution role would:
/// `None` lets it through, a [`Denial`] is answered with the service's
/// AccessDenied error carrying its message.
#[derive(Clone)]
pub struct RolePolicy(pub Arc<Decide>);

/// What a [`RolePolicy`] holds: the decision of one call.
pub type Decide = dyn Fn(&CallInfo) -> Option<Denial> + Send + Sync;

impl std::fmt::Debug for RolePolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RolePolicy(..)")
    }
}

/// The managed environment's interpreter (moto's and boto3's), or the
/// sentence that says how to get one.
fn interpreter() -> Result<std::path::PathBuf, String> {
    let version = crate::python::embedded_version().map_err(|error| error.to_string())?;
    match PythonEnv::here_state(version) {
        EnvState::Ready { .. } => Ok(PythonEnv::here().interpreter()),
        EnvState::Missing => Err(format!(
            "The local AWS is not set up: run `{SETUP_COMMAND}` in the workshop's folder (it installs moto, which \
             plays S3, DynamoDB and SQS on your machine), then invoke again."
        )),
        EnvState::Stale(why) => Err(format!(
            "The local AWS is out of date ({why}): run `{SETUP_COMMAND}` in the workshop's folder, then invoke again."
        )),
    }
}

/// This process's local AWS, or why there is none.
fn local_aws() -> Result<&'static LocalAws, &'static str> {
    static LOCAL: OnceLock<Result<LocalAws, String>> = OnceLock::new();
    LOCAL
        .get_or_init(|| LocalAws::lazy(interpreter()).map_err(|error| error.to_string()))
        .as_ref()
        .map_err(String::as_str)
}

/// A function's identity at the local AWS: its own account and
/// credentials, and its log of calls. None when the gateway could not start
/// (the function then keeps the closed endpoint, and calls fail at once).
pub(crate) fn register(region: &str, role_policy: Option<&RolePolicy>) -> Option<Registration> {
    let policy = role_policy.map(|policy| {
        let policy = policy.0.clone();
        Box::new(move |call: &CallInfo| policy(call)) as local_aws::Policy
    });
    local_aws().ok().map(|local| local.register(region, policy))
}

/// The script that sets up a function's starting state at the local AWS,
/// with boto3 (the SDK speaks each service's protocol; no second client
/// here): it reads the declaration as JSON on standard input.
const SEED: &str = r#"
import json, sys, boto3

state = json.load(sys.stdin)
s3 = boto3.client("s3")
for bucket, objects in state.get("s3", {}).items():
    s3.create_bucket(Bucket=bucket)
    for key, body in objects.items():
        data = body if isinstance(body, str) else json.dumps(body)
        s3.put_object(Bucket=bucket, Key=key, Body=data.encode("utf-8"))
dynamodb = boto3.client("dynamodb")
for table, spec in state.get("dynamodb", {}).items():
    key = spec["key"]
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": name, "KeyType": kind} for name, kind in zip(key, ["HASH", "RANGE"])],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": type_} for name, type_ in key.items()],
        BillingMode="PAY_PER_REQUEST",
    )
    for item in spec.get("items", []):
        dynamodb.put_item(TableName=table, Item=item)
sqs = boto3.client("sqs")
for queue, messages in state.get("sqs", {}).items():
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true"} if queue.endswith(".fifo") else {}
    url = sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
    for body in messages:
        extra = {"MessageGroupId": "seed"} if queue.endswith(".fifo") else {}
        sqs.send_message(QueueUrl=url, MessageBody=body if isinstance(body, str) else json.dumps(body), **extra)
"#;

/// Create a function's starting state at the local AWS, as it declares it:
///
/// ```json
/// {"s3": {"BUCKET": {"KEY": "text, or any JSON value (stored as JSON)"}},
///  "dynamodb": {"TABLE": {"key": {"id": "S"}, "items": [{"id": {"S": "o-1"}}]}},
///  "sqs": {"QUEUE": ["a message body, or any JSON value"]}}
/// ```
///
/// A table's `key` names its partition key and, second, its sort key, with
/// their types (`S`, `N`, `B`); items are in DynamoDB's typed form. A queue
/// whose name ends in `.fifo` is a FIFO queue.
pub(crate) fn seed(registration: &Registration, state: &serde_json::Value) -> Result<(), String> {
    run_boto3(registration, SEED, &state.to_string())
        .map(|_| ())
        .map_err(|error| format!("the AWS state could not be set up: {error}"))
}

/// The script that reads an account's whole state: every bucket with its
/// objects (as text), every table with its items, every queue with the
/// messages in it. A queue's messages are read with a visibility timeout of
/// zero, so they stay in the queue (their receive count goes up, as any
/// reader's would).
const WORLD: &str = r#"
import json, sys, boto3

world = {"s3": {}, "dynamodb": {}, "sqs": {}}
s3 = boto3.client("s3")
for bucket in s3.list_buckets().get("Buckets", []):
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
        for entry in page.get("Contents", []):
            body = s3.get_object(Bucket=bucket["Name"], Key=entry["Key"])["Body"].read()
            objects[entry["Key"]] = body.decode("utf-8", "replace")
    world["s3"][bucket["Name"]] = objects
dynamodb = boto3.client("dynamodb")
for table in dynamodb.list_tables().get("TableNames", []):
    items = []
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        items.extend(page.get("Items", []))
    world["dynamodb"][table] = items
sqs = boto3.client("sqs")
for url in sqs.list_queues().get("QueueUrls", []):
    bodies, seen = [], set()
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
        fresh = [m for m in got if m["MessageId"] not in seen]
        if not fresh:
            break
        for message in fresh:
            seen.add(message["MessageId"])
            bodies.append(message["Body"])
    world["sqs"][url.rsplit("/", 1)[-1]] = bodies
print(json.dumps(world))
"#;

/// What is in a function's account at the local AWS now, as JSON:
/// `{"s3": {BUCKET: {KEY: text}}, "dynamodb": {TABLE: [item...]}, "sqs":
/// {QUEUE: [body...]}}`. Read as an administrator, so not among the
/// function's calls.
pub(crate) fn world(registration: &Registration) -> Result<serde_json::Value, String> {
    let output = run_boto3(&registration.administrator(), WORLD, "")
        .map_err(|error| format!("the local AWS's state could not be read: {error}"))?;
    serde_json::from_str(output.trim()).map_err(|e| format!("the local AWS's state could not be read: {e}"))
}

/// How long setting up or reading an account's state may take.
const SCRIPT_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Run a boto3 script with the managed environment's interpreter, as
/// `registration`, feeding it `input`; its standard output, or the last line
/// of its error.
fn run_boto3(registration: &Registration, script: &str, input: &str) -> Result<String, String> {
    use std::io::Write;
    let mut command = registration.command(&interpreter()?);
    command
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().map_err(|e| format!("cannot run the local AWS's Python: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    // Never wait for ever on a stuck local AWS: past the limit the script is
    // killed, and waiting for its output then returns at once.
    let pid = child.id();
    let (finished, waited) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::Builder::new().name("aws-script-limit".into()).spawn(move || {
        if waited.recv_timeout(SCRIPT_LIMIT).is_err() {
            let _ = std::process::Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        }
    });
    let output = child.wait_with_output().map_err(|e| format!("the script did not finish: {e}"));
    let _ = finished.send(());
    if let Ok(watchdog) = watchdog {
        let _ = watchdog.join();
    }
    let output = output?;
    if output.status.code().is_none() {
        return Err(format!("the local AWS did not answer within {} s", SCRIPT_LIMIT.as_secs()));
    }
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let said = String::from_utf8_lossy(&output.stderr);
    Err(said.lines().map(str::trim).rfind(|line| !line.is_empty()).unwrap_or("no message").to_string())
}

/// What changed between two readings of an account's state ([`world`]'s
/// form), one line each: objects written or deleted, items put or removed
/// (an item whose attributes changed shows as removed, then put), messages
/// sent or taken.
pub fn changes(before: &serde_json::Value, after: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    let empty = serde_json::Map::new();
    let section = |world: &Value, name: &str| world.get(name).and_then(Value::as_object).unwrap_or(&empty).clone();
    let mut lines = Vec::new();
    let (old, new) = (section(before, "s3"), section(after, "s3"));
    for (bucket, objects) in &new {
        let previous = old.get(bucket).and_then(Value::as_object).cloned().unwrap_or_default();
        if !old.contains_key(bucket) {
            lines.push(format!("s3: bucket {bucket} created"));
        }
        for (key, body) in objects.as_object().into_iter().flatten() {
            match previous.get(key) {
                None => lines.push(format!("s3: s3://{bucket}/{key} written ({})", summary(body))),
                Some(was) if was != body => {
                    lines.push(format!("s3: s3://{bucket}/{key} rewritten ({})", summary(body)))
                }
                Some(_) => {}
            }
        }
        for key in previous.keys().filter(|key| objects.get(key.as_str()).is_none()) {
            lines.push(format!("s3: s3://{bucket}/{key} deleted"));
        }
    }
    for bucket in old.keys().filter(|bucket| !new.contains_key(bucket.as_str())) {
        lines.push(format!("s3: bucket {bucket} deleted"));
    }
    for (kind, noun, added, removed) in
        [("dynamodb", "item", "put in", "removed from"), ("sqs", "message", "sent to", "taken from")]
    {
        let (old, new) = (section(before, kind), section(after, kind));
        for (name, entries) in &new {
            let was: Vec<String> =
                old.get(name).and_then(Value::as_array).into_iter().flatten().map(Value::to_string).collect();
            let now: Vec<String> = entries.as_array().into_iter().flatten().map(Value::to_string).collect();
            if !old.contains_key(name) {
                let what = if kind == "sqs" { "queue" } else { "table" };
                lines.push(format!("{kind}: {what} {name} created"));
            }
            for entry in now.iter().filter(|entry| !was.contains(entry)) {
                lines.push(format!("{kind}: {noun} {added} {name}: {entry}"));
            }
            for entry in was.iter().filter(|entry| !now.contains(entry)) {
                lines.push(format!("{kind}: {noun} {removed} {name}: {entry}"));
            }
        }
    }
    lines
}

/// A short description of an object's content for a line of changes.
fn summary(body: &serde_json::Value) -> String {
    let text = body.as_str().unwrap_or_default();
    let shown: String = text.chars().take(40).collect();
    if text.chars().count() > 40 { format!("{} bytes: {shown:?}...", text.len()) } else { format!("{shown:?}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_name_what_was_written_put_sent_and_taken() {
        let before =
            json!({"s3": {"in": {"a.txt": "one"}}, "dynamodb": {"t": [{"id": {"S": "1"}}]}, "sqs": {"q": ["m1"]}});
        let after = json!({
            "s3": {"in": {"a.txt": "two", "b.txt": "new"}, "out": {}},
            "dynamodb": {"t": [{"id": {"S": "2"}}]},
            "sqs": {"q": ["m2"]},
        });
        assert_eq!(
            changes(&before, &after),
            [
                "s3: s3://in/a.txt rewritten (\"two\")",
                "s3: s3://in/b.txt written (\"new\")",
                "s3: bucket out created",
                "dynamodb: item put in t: {\"id\":{\"S\":\"2\"}}",
                "dynamodb: item removed from t: {\"id\":{\"S\":\"1\"}}",
                "sqs: message sent to q: \"m2\"",
                "sqs: message taken from q: \"m1\"",
            ]
        );
        assert!(changes(&after, &after).is_empty());
    }
}
