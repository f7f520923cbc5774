//! A function's configuration, as you would set it in the Lambda console:
//! where the code is, the handler string, name, memory, timeout, environment
//! variables, and the identity of the account and region it pretends to live in.

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
