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
use local_aws::LocalAws;
use std::sync::{Arc, OnceLock};

pub use local_aws::Call as AwsCall;
pub use local_aws::{CallInfo, Denial, Fault, Registration};

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
/// credentials, and its log of calls (public for the Step Functions runner,
/// whose service integrations call the local AWS as the execution's role).
/// None when the gateway could not start
/// (the function then keeps the closed endpoint, and calls fail at once).
pub fn register(region: &str, role_policy: Option<&RolePolicy>) -> Option<Registration> {
    let policy = role_policy.map(|policy| {
        let policy = policy.0.clone();
        Box::new(move |call: &CallInfo| policy(call)) as local_aws::Policy
    });
    local_aws().ok().map(|local| local.register(region, policy))
}

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
pub fn seed(admin: &Registration, state: &serde_json::Value) -> Result<(), String> {
    // moto and the administrator are two Pythons starting: side by side on
    // two cores rather than one after the other.
    if let Ok(local) = local_aws() {
        let _ = std::thread::Builder::new().name("local-aws-start".into()).spawn(move || local.start_moto());
    }
    administer(admin, "seed", state).map(|_| ()).map_err(|error| format!("the AWS state could not be set up: {error}"))
}

/// What is in a function's account at the local AWS now, as JSON:
/// `{"s3": {BUCKET: {KEY: text}}, "dynamodb": {TABLE: [item...]}, "sqs":
/// {QUEUE: [body...]}}`, numbers in items written as DynamoDB returns them.
/// `admin` is the account's administrator, so the reading is not among the
/// function's calls.
pub fn world(admin: &Registration) -> Result<serde_json::Value, String> {
    administer(admin, "world", &serde_json::Value::Null)
        .map_err(|error| format!("the local AWS's state could not be read: {error}"))
}

/// The items of one DynamoDB table of the account, read as [`world`] reads
/// them (an error names a table that does not exist).
pub(crate) fn items(admin: &Registration, table: &str) -> Result<Vec<serde_json::Value>, String> {
    let found = administer(admin, "items", &serde_json::json!(table))
        .map_err(|error| format!("the table {table} could not be read: {error}"))?;
    Ok(found.as_array().cloned().unwrap_or_default())
}

/// The administrator's script (`aws_state.py`): it sets up and reads
/// accounts with boto3, which speaks each service's protocol, so there is
/// no second client here.
const ADMINISTRATOR: &str = include_str!("aws_state.py");

/// How long one request to the administrator may take.
const ADMINISTRATOR_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The administrator process of this process, started on first use and
/// kept: one boto3 import and one load of the service models for a whole
/// test run, instead of one per state set up or read (about 0.4 s of CPU
/// each).
struct Administrator {
    child: std::process::Child,
    requests: std::process::ChildStdin,
    answers: std::io::BufReader<std::process::ChildStdout>,
}

impl Drop for Administrator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static ADMINISTRATOR_PROCESS: std::sync::Mutex<Option<Administrator>> = std::sync::Mutex::new(None);

/// Run one operation of the administrator for `registration`'s account,
/// one request at a time. A request unanswered within the limit kills the
/// process (the next request starts another), so a stuck local AWS ends in
/// an error, never in a wait for ever.
fn administer(registration: &Registration, op: &str, state: &serde_json::Value) -> Result<serde_json::Value, String> {
    use std::io::{BufRead, Write};
    let credentials = registration.credentials();
    let endpoint = registration.env().into_iter().find(|(name, _)| name == "AWS_ENDPOINT_URL").map(|(_, v)| v);
    let request = serde_json::json!({
        "op": op,
        "state": state,
        "account": {
            "region": registration.region(),
            "endpoint": endpoint,
            "access_key_id": credentials.access_key_id,
            "secret_access_key": credentials.secret_access_key,
            "session_token": credentials.session_token,
        },
    });
    let mut slot = ADMINISTRATOR_PROCESS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if slot.is_none() {
        *slot = Some(start_administrator()?);
    }
    let process = slot.as_mut().expect("started above");
    let pid = process.child.id();
    let (finished, waited) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::Builder::new().name("aws-administrator-limit".into()).spawn(move || {
        if waited.recv_timeout(ADMINISTRATOR_LIMIT).is_err() {
            #[cfg(unix)]
            crate::process::kill_process(pid);
        }
    });
    let mut line = String::new();
    let exchanged = writeln!(process.requests, "{request}")
        .and_then(|()| process.requests.flush())
        .and_then(|()| process.answers.read_line(&mut line));
    let _ = finished.send(());
    if let Ok(watchdog) = watchdog {
        let _ = watchdog.join();
    }
    let answer: Option<serde_json::Value> = match exchanged {
        Ok(read) if read > 0 => serde_json::from_str(&line).ok(),
        _ => None,
    };
    let Some(answer) = answer else {
        // Dead, killed or confused: the next request starts a fresh one.
        *slot = None;
        return Err(format!(
            "the local AWS did not answer within {} s, or its administrator stopped",
            ADMINISTRATOR_LIMIT.as_secs()
        ));
    };
    match (answer.get("ok"), answer.get("error")) {
        (_, Some(error)) => Err(error.as_str().unwrap_or("no message").to_string()),
        (Some(ok), None) => Ok(ok.clone()),
        (None, None) => Err("the administrator's answer is empty".into()),
    }
}

/// The administrator, from the managed environment's interpreter, with none
/// of the user's AWS configuration (each request carries its account).
fn start_administrator() -> Result<Administrator, String> {
    let mut command = std::process::Command::new(interpreter()?);
    local_aws::without_user_aws(&mut command);
    command
        .args(["-c", ADMINISTRATOR])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = command.spawn().map_err(|e| format!("cannot run the local AWS's Python: {e}"))?;
    let requests = child.stdin.take().ok_or("the administrator has no standard input")?;
    let answers = std::io::BufReader::new(child.stdout.take().ok_or("the administrator has no standard output")?);
    Ok(Administrator { child, requests, answers })
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
