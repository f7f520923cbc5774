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
pub use local_aws::{CallInfo, Denial};

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

/// This process's local AWS, or why there is none.
fn local_aws() -> Result<&'static LocalAws, &'static str> {
    static LOCAL: OnceLock<Result<LocalAws, String>> = OnceLock::new();
    LOCAL
        .get_or_init(|| {
            let python = match crate::python::embedded_version() {
                Ok(version) => match PythonEnv::here().state(version) {
                    EnvState::Ready { .. } => Ok(PythonEnv::here().interpreter()),
                    EnvState::Missing => Err(format!(
                        "The local AWS is not set up: run `{SETUP_COMMAND}` in the workshop's folder (it installs \
                         moto, which plays S3, DynamoDB and SQS on your machine), then invoke again."
                    )),
                    EnvState::Stale(why) => Err(format!(
                        "The local AWS is out of date ({why}): run `{SETUP_COMMAND}` in the workshop's folder, then \
                         invoke again."
                    )),
                },
                Err(error) => Err(error.to_string()),
            };
            LocalAws::lazy(python).map_err(|error| error.to_string())
        })
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
