//! A function's configuration, as you would set it in the Lambda console:
//! where the code is, the handler string, name, memory, timeout, environment
//! variables, and the identity of the account and region it pretends to live
//! in; what CreateFunction would refuse of it; and the environment variables
//! Lambda sets from it.

use crate::ids;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Lambda's defaults for a new function.
pub const DEFAULT_MEMORY_MB: u32 = 128;
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// Lambda's limits.
pub const MAX_MEMORY_MB: u32 = 10_240;
pub const MIN_MEMORY_MB: u32 = 128;
pub const MAX_TIMEOUT: Duration = Duration::from_secs(900);

/// Which clock the function sees.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock, as on Lambda.
    #[default]
    Real,
    /// A clock the test controls, starting at this many milliseconds since
    /// 1970: `time.time`, `time.monotonic`, `time.perf_counter`, `time.sleep`
    /// and the context's remaining time follow it. It moves only when the
    /// function sleeps (instantly) or the test calls `Function::advance_clock`;
    /// a sleep past the deadline ends the invocation as a timeout.
    Virtual { start_ms: u64 },
}

impl Clock {
    /// A virtual clock starting at 2026-11-27T12:00:00Z.
    pub const fn virtual_default() -> Clock {
        Clock::Virtual { start_ms: 1_795_780_800_000 }
    }
}

/// Everything the platform needs to know to run a function.
#[derive(Clone, Debug)]
pub struct FunctionConfig {
    /// The folder Lambda unpacks the deployment package into (`/var/task`).
    pub task_root: PathBuf,
    /// Lambda's handler string, `module.function` (`handler.lambda_handler`).
    pub handler: String,
    pub function_name: String,
    pub version: String,
    /// An alias or version the function is invoked through, added to the ARN.
    pub qualifier: Option<String>,
    pub memory_mb: u32,
    pub timeout: Duration,
    pub region: String,
    pub account_id: String,
    /// Variables the function's configuration sets (the console's
    /// "Environment variables"), added to the ones Lambda always sets.
    pub environment: Vec<(String, String)>,
    /// The runtime identifier, `python3.12`: it decides `AWS_EXECUTION_ENV`,
    /// and with it how the response is encoded. Defaults to the version of the
    /// Python the harness embeds, since that is what really runs the code.
    pub runtime: Option<String>,
    pub clock: Clock,
    /// X-Ray active tracing: the trace header says `Sampled=1`. Off on a new
    /// function (`Sampled=0`, the header is still set).
    pub active_tracing: bool,
    /// `breakpoint()` in the handler opens pdb at this process's terminal
    /// (`cargo lab invoke --debug`); otherwise it is skipped with a log line.
    pub debug: bool,
    /// The execution role's permissions, as the local AWS enforces them:
    /// each AWS call the function makes is put to it first, and one it
    /// refuses gets AccessDenied. None: every call is allowed (the iam
    /// crate makes one from a permissions policy).
    pub role_policy: Option<crate::aws::RolePolicy>,
    /// The buckets, tables and queues the function finds at the local AWS
    /// when it is created (the form is [`crate::aws`]'s `seed`).
    pub aws_state: Option<serde_json::Value>,
    /// Calls that fail on purpose at the local AWS (throttling, an internal
    /// error, a missing object on the Nth attempt), to teach retries.
    pub aws_faults: Vec<crate::aws::Fault>,
    /// The function's layers, in order: each a folder standing for what
    /// Lambda unpacks into /opt. A Python runtime imports from each
    /// layer's `python/lib/pythonX.Y/site-packages` and `python` folders,
    /// after the task root and before the runtime's own packages (the
    /// order awslambdaric's bootstrap sets: LAMBDA_TASK_ROOT, then
    /// /opt/python/lib/pythonN.N/site-packages, then /opt/python).
    pub layers: Vec<PathBuf>,
}

impl FunctionConfig {
    /// A function whose code is `task_root`, with Lambda's handler string.
    pub fn new(task_root: impl Into<PathBuf>, handler: impl Into<String>) -> Self {
        let handler = handler.into();
        let module = handler.rsplit_once('.').map(|(m, _)| m).unwrap_or(&handler);
        let name = module.rsplit(['/', '.']).next().unwrap_or("function");
        FunctionConfig {
            task_root: task_root.into(),
            function_name: format!("{}-function", name.replace('_', "-")),
            handler,
            version: "$LATEST".into(),
            qualifier: None,
            memory_mb: DEFAULT_MEMORY_MB,
            timeout: DEFAULT_TIMEOUT,
            region: "us-east-1".into(),
            account_id: "123456789012".into(),
            environment: Vec::new(),
            runtime: None,
            clock: Clock::Real,
            active_tracing: false,
            debug: false,
            role_policy: None,
            aws_state: None,
            aws_faults: Vec::new(),
            layers: Vec::new(),
        }
    }

    /// A function whose handler is `function` in the Python file `path`:
    /// the file's folder is the task root and its stem the module.
    pub fn from_file(path: impl AsRef<Path>, function: &str) -> Self {
        let path = path.as_ref();
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let module = absolute.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let root = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        FunctionConfig::new(root, format!("{module}.{function}"))
    }

    pub fn function_arn(&self) -> String {
        let base = format!("arn:aws:lambda:{}:{}:function:{}", self.region, self.account_id, self.function_name);
        match &self.qualifier {
            Some(q) => format!("{base}:{q}"),
            None => base,
        }
    }

    pub fn log_group_name(&self) -> String {
        format!("/aws/lambda/{}", self.function_name)
    }
}

/// Variables only Lambda may set; CreateFunction rejects them.
pub const RESERVED_VARIABLES: &[&str] = &[
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
];

/// A configuration Lambda would refuse.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// The environment variables Lambda sets for a function, then the function's
/// own. `runtime` is the managed runtime's identifier (`python3.12`), which
/// Lambda puts in AWS_EXECUTION_ENV; OS-only runtimes (`provided.al2023`, the
/// one a Rust function uses) have none, and the variable is not set.
pub fn lambda_variables(config: &FunctionConfig, runtime: Option<&str>) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = vec![
        ("AWS_REGION".into(), config.region.clone()),
        ("AWS_DEFAULT_REGION".into(), config.region.clone()),
        ("AWS_LAMBDA_FUNCTION_NAME".into(), config.function_name.clone()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE".into(), config.memory_mb.to_string()),
        ("AWS_LAMBDA_FUNCTION_VERSION".into(), config.version.clone()),
        ("AWS_LAMBDA_LOG_GROUP_NAME".into(), config.log_group_name()),
        ("AWS_LAMBDA_LOG_STREAM_NAME".into(), ids::log_stream_name(&config.version)),
        ("AWS_LAMBDA_INITIALIZATION_TYPE".into(), "on-demand".into()),
        ("AWS_LAMBDA_RUNTIME_API".into(), "127.0.0.1:9001".into()),
        ("_HANDLER".into(), config.handler.clone()),
        ("LAMBDA_TASK_ROOT".into(), config.task_root.to_string_lossy().into_owned()),
        ("LAMBDA_RUNTIME_DIR".into(), "/var/runtime".into()),
        ("TZ".into(), ":UTC".into()),
        ("LANG".into(), "en_US.UTF-8".into()),
        ("PATH".into(), std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into())),
        // Fake credentials in the form Lambda gives (a role's temporary keys),
        // and an endpoint that refuses connections: a stray SDK call fails
        // fast and can never reach a real AWS account.
        ("AWS_ACCESS_KEY_ID".into(), "ASIAXAMPLELOCALLAMBDA".into()),
        ("AWS_SECRET_ACCESS_KEY".into(), "local/harness/fake/secret/key/not/valid/anywhere".into()),
        ("AWS_SESSION_TOKEN".into(), "FwoGZXIvYXdzELocalHarnessFakeSessionToken".into()),
        ("AWS_ENDPOINT_URL".into(), "http://127.0.0.1:9".into()),
        ("AWS_XRAY_CONTEXT_MISSING".into(), "LOG_ERROR".into()),
        ("AWS_XRAY_DAEMON_ADDRESS".into(), "169.254.79.129:2000".into()),
        // Lambda has no ~/.aws; here the learner's may hold profiles, an
        // endpoint or retry settings, which the SDK must not pick up.
        ("AWS_CONFIG_FILE".into(), "/dev/null".into()),
        ("AWS_SHARED_CREDENTIALS_FILE".into(), "/dev/null".into()),
    ];
    if let Some(runtime) = runtime {
        vars.push(("AWS_EXECUTION_ENV".into(), format!("AWS_Lambda_{runtime}")));
    }
    for (key, value) in &config.environment {
        vars.retain(|(k, _)| k != key);
        vars.push((key.clone(), value.clone()));
    }
    vars
}

/// Refuse what CreateFunction would refuse: memory, timeout, variable names.
pub fn validate(config: &FunctionConfig) -> Result<(), ConfigError> {
    if !(MIN_MEMORY_MB..=MAX_MEMORY_MB).contains(&config.memory_mb) {
        return Err(ConfigError(format!(
            "Memory must be between {MIN_MEMORY_MB} and {MAX_MEMORY_MB} MB; got {} MB.",
            config.memory_mb
        )));
    }
    let timeout = config.timeout;
    if timeout < Duration::from_secs(1) || timeout > MAX_TIMEOUT || timeout.subsec_nanos() != 0 {
        return Err(ConfigError(format!(
            "The timeout must be a whole number of seconds from 1 to 900; got {:.3} s.",
            timeout.as_secs_f64()
        )));
    }
    for (key, _) in &config.environment {
        if RESERVED_VARIABLES.contains(&key.as_str()) {
            return Err(ConfigError(format!(
                "{key} is set by Lambda itself and cannot be given as an environment variable."
            )));
        }
        let valid = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(ConfigError(format!(
                "'{key}' is not a valid environment variable name: use letters, digits and _, starting with a letter."
            )));
        }
    }
    Ok(())
}
