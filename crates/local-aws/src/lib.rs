//! The AWS around a function: a local AWS for the handlers the workshop
//! runs, which call boto3 as they would in Lambda.
//!
//! In Lambda, a function reaches other services with the temporary
//! credentials of its execution role, and every call it makes is
//! authenticated, authorized against that role, served in the function's
//! account, and recorded by CloudTrail. This crate models that loop on one
//! machine:
//!
//! - **moto's server** serves the AWS APIs (S3, DynamoDB, SQS and the many
//!   others moto implements), in-memory, on loopback ([`MotoServer`]).
//!   moto is what the Python world already tests boto3 code against; it
//!   speaks each service's real wire protocol, so the handler's code and
//!   its SDK run unchanged, and an exercise's behaviour is AWS's as far as
//!   moto models it.
//! - **a gateway** in front of it, in this crate, adds what moto does not
//!   do on its own for several functions at once: it gives each registered
//!   function its own credentials and its own AWS account (moto keeps
//!   accounts apart when told which one a request is for), so functions
//!   that run at the same time cannot see each other's buckets, tables or
//!   queues; it records each call a function makes ([`Call`]: service,
//!   operation, resource, status, error code), the invocation's own
//!   CloudTrail; and it consults a [`Policy`] before each call, so that a
//!   role's permissions can be enforced with AccessDenied answered as AWS
//!   words it. The gateway is where fault injection will go, too.
//!
//! Usage: [`LocalAws::start`] once (moto takes a second or more to start),
//! then [`LocalAws::register`] per function, whose [`Registration::env`]
//! goes into the function's environment, and read the function's calls with
//! [`Registration::calls`] or [`Registration::take_calls`].
//!
//! Not modelled: signatures are not verified (the access key identifies the
//! caller; the secret and the session token are not checked), and the
//! resources moto does not implement behave as moto does (usually a 404 or
//! a NotImplemented error).

mod call;
mod errors;
mod fault;
mod gateway;
mod ids;
mod server;

pub use call::{Call, CallInfo, Denial};
pub use fault::Fault;
pub use gateway::Policy;
pub use ids::Credentials;
pub use server::{DEFAULT_START_TIMEOUT, MotoServer, StartError, without_user_aws};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The SDK's retry settings for a function: the standard mode and two
/// attempts in all. botocore's standard mode waits up to 2^(n-1) s, at
/// random, before the nth retry (botocore/retries/standard.py), so a failing
/// call (a fault, a stopped moto) is reported after at most a second more:
/// within the 3 s of a function's default timeout, so the learner reads the
/// error rather than "Task timed out". botocore's default, the legacy mode
/// with five attempts (botocore/data/_retry.json), can wait 15 s.
pub const MAX_ATTEMPTS: &str = "2";
pub const RETRY_MODE: &str = "standard";

/// Time limits; [`Options::default`] is what [`LocalAws::start`] uses.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// How long moto may take to start listening.
    pub start_timeout: Duration,
    /// How long moto may take to answer one request before the gateway
    /// answers 504 instead: longer than SQS's longest long poll (20 s).
    pub upstream_timeout: Duration,
    /// How long a client connection may sit idle between requests before
    /// the gateway closes it (SDKs reconnect transparently).
    pub idle_timeout: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            start_timeout: DEFAULT_START_TIMEOUT,
            upstream_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// The gateway, and moto behind it. Dropping it stops both.
pub struct LocalAws {
    gateway: gateway::Gateway,
}

impl LocalAws {
    /// Starts moto with `python` (an interpreter that has `moto[server]`),
    /// and the gateway in front of it.
    pub fn start(python: &Path) -> Result<LocalAws, StartError> {
        LocalAws::start_with(python, Options::default())
    }

    pub fn start_with(python: &Path, options: Options) -> Result<LocalAws, StartError> {
        let moto = MotoServer::start_within(python, options.start_timeout)?;
        LocalAws::with_moto(gateway::Moto::Running(moto), options)
    }

    /// Starts the gateway alone (a socket and a thread, at once): moto is
    /// started with `python` on the first call a function makes, so a
    /// process whose functions never call AWS never starts it. With no
    /// interpreter (`Err`), every call is answered with that sentence, as
    /// the service's own error, so the learner reads it in their traceback.
    pub fn lazy(python: Result<PathBuf, String>) -> Result<LocalAws, StartError> {
        let options = Options::default();
        LocalAws::with_moto(gateway::Moto::Later { python, start_timeout: options.start_timeout }, options)
    }

    fn with_moto(moto: gateway::Moto, options: Options) -> Result<LocalAws, StartError> {
        let limits = gateway::Limits { upstream: options.upstream_timeout, idle: options.idle_timeout };
        let gateway = gateway::Gateway::start(moto, limits).map_err(|error| StartError::Gateway { error })?;
        Ok(LocalAws { gateway })
    }

    /// The URL functions use as `AWS_ENDPOINT_URL`: the gateway.
    /// Start moto now if it waits for the first call: a caller that knows
    /// calls are coming overlaps moto's start (about 0.3 s) with its own
    /// work. Calls made meanwhile wait for the start, as they would anyway.
    pub fn start_moto(&self) -> Result<(), String> {
        self.gateway.shared().moto_addr().map(|_| ())
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.gateway.addr())
    }

    /// moto's own URL, bypassing the gateway: no accounts, no log. For
    /// measurements and diagnostics, never for a function. None until moto
    /// has started.
    pub fn moto_endpoint(&self) -> Option<String> {
        self.gateway.shared().with_moto(|moto| format!("http://127.0.0.1:{}", moto.port()))
    }

    /// The process id of moto's server, once started.
    pub fn moto_pid(&self) -> Option<u32> {
        self.gateway.shared().with_moto(MotoServer::pid)
    }

    /// Whether moto's server has exited (it should not, while this lives).
    pub fn moto_has_exited(&self) -> bool {
        self.gateway.shared().with_moto(MotoServer::has_exited).unwrap_or(false)
    }

    /// The end of moto's error output, for diagnostics.
    pub fn moto_stderr(&self) -> String {
        self.gateway.shared().with_moto(MotoServer::stderr_tail).unwrap_or_default()
    }

    /// Registers a function running in `region`: new credentials, a new
    /// account, an empty call log. With a `policy`, each call is first put
    /// to it, and refused with the service's AccessDenied when it returns
    /// a [`Denial`]. The registration ends when the returned value is
    /// dropped; the account's resources stay in moto until it stops.
    pub fn register(&self, region: &str, policy: Option<Policy>) -> Registration {
        let shared = self.gateway.shared().clone();
        let (credentials, caller) = shared.register(region, policy);
        Registration { credentials, caller, shared, endpoint: self.endpoint() }
    }
}

impl Registration {
    /// An administrator of this registration's account: its own
    /// credentials and call log, and no policy. For setting up the state a
    /// function starts from, which its role may not be allowed to create and
    /// which is not among the function's calls.
    pub fn administrator(&self) -> Registration {
        let (credentials, caller) = self.shared.register_in(self.caller.account_id.clone(), &self.caller.region, None);
        Registration { credentials, caller, shared: self.shared.clone(), endpoint: self.endpoint.clone() }
    }
}

/// One function's identity at the local AWS, and its call log.
pub struct Registration {
    credentials: Credentials,
    caller: Arc<gateway::Caller>,
    shared: Arc<gateway::Shared>,
    endpoint: String,
}

impl Registration {
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The function's own 12-digit account.
    pub fn account_id(&self) -> &str {
        &self.caller.account_id
    }

    pub fn region(&self) -> &str {
        &self.caller.region
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The variables that point a function's SDK at the local AWS as this
    /// registration: the endpoint, the credentials, and bounded retries
    /// ([`MAX_ATTEMPTS`], [`RETRY_MODE`]). The harness sets `AWS_REGION`
    /// and `AWS_DEFAULT_REGION` itself, as Lambda does, to [`Self::region`].
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ENDPOINT_URL".into(), self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID".into(), self.credentials.access_key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY".into(), self.credentials.secret_access_key.clone()),
            ("AWS_SESSION_TOKEN".into(), self.credentials.session_token.clone()),
            ("AWS_MAX_ATTEMPTS".into(), MAX_ATTEMPTS.into()),
            ("AWS_RETRY_MODE".into(), RETRY_MODE.into()),
        ]
    }

    /// Plan a failure: the fault's attempt of its operation is answered with
    /// its error instead of reaching moto.
    pub fn inject(&self, fault: Fault) {
        self.caller.faults.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(fault);
    }

    /// A program (a boto3 script, say) run as this registration: none of the
    /// user's AWS configuration ([`without_user_aws`]), this registration's
    /// [`Self::env`] and its region.
    pub fn command(&self, program: &Path) -> std::process::Command {
        let mut command = std::process::Command::new(program);
        without_user_aws(&mut command);
        command.envs(self.env()).env("AWS_REGION", self.region()).env("AWS_DEFAULT_REGION", self.region());
        command
    }

    /// The calls made so far, in the order their answers came.
    pub fn calls(&self) -> Vec<Call> {
        self.caller.calls()
    }

    /// The calls made so far, leaving the log empty (one invocation's
    /// calls, when taken after each invocation).
    pub fn take_calls(&self) -> Vec<Call> {
        self.caller.take_calls()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.shared.unregister(&self.credentials.access_key_id);
    }
}
