//! The platform: what AWS Lambda itself does around the runtime client. It
//! creates execution environments (cold starts) and reuses them (warm starts),
//! enforces the timeout, turns process exits and oversized responses into the
//! platform's errors, and writes the START, END and REPORT lines with measured
//! figures.

use crate::config::{Clock, FunctionConfig, MAX_MEMORY_MB, MAX_TIMEOUT, MIN_MEMORY_MB};
use crate::environment::{self, Environment, InitOutcome, Request, Spec};
use crate::invocation::{
    ErrorSource, FunctionError, Invocation, Outcome, Report, end_line, start_line, timeout_message,
};
use crate::{ids, memory, python};
use pyo3::prelude::*;
use serde_json::Value;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Largest response a synchronous invocation may return, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 6_291_556;
/// How long the init phase may take before Lambda gives up on it.
pub const INIT_LIMIT: Duration = Duration::from_secs(10);

/// How long one attempt at init may take. The first, in the init phase, has
/// the 10 s limit; when it fails, Lambda tries again at the first invocation,
/// in the invoke phase, with the function's own timeout ("Understanding the
/// Lambda execution environment lifecycle", Init phase).
pub(crate) fn init_limit(phase: &str, function_timeout: Duration) -> Duration {
    if phase == "init" { INIT_LIMIT } else { function_timeout }
}
/// After a timeout, how long a handler gets to notice it was interrupted
/// before its thread is abandoned.
const INTERRUPT_GRACE: Duration = Duration::from_millis(500);

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

/// Extra per-invocation data a caller can send (mobile SDK clients, Cognito,
/// tenant isolation).
#[derive(Clone, Debug, Default)]
pub struct InvokeOptions {
    pub client_context: Option<Value>,
    pub identity: Option<Value>,
    pub tenant_id: Option<String>,
}

/// A Lambda function backed by a Python handler file, invoked in-process.
pub struct Function {
    config: FunctionConfig,
    environment: Mutex<Option<Environment>>,
    /// The runtime's `VirtualClock` for this function, made on first use
    /// when the configuration asks for one; it outlives environments.
    virtual_clock: OnceLock<Arc<Py<PyAny>>>,
}

impl Function {
    /// A function with this configuration; fails when Lambda would refuse it.
    pub fn new(config: FunctionConfig) -> Result<Self, ConfigError> {
        validate(&config)?;
        Ok(Function { config, environment: Mutex::new(None), virtual_clock: OnceLock::new() })
    }

    /// The handler `lambda_handler` in the Python file `path`, with Lambda's
    /// defaults (128 MB, 3 s).
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, ConfigError> {
        Function::new(FunctionConfig::from_file(path, "lambda_handler"))
    }

    pub fn config(&self) -> &FunctionConfig {
        &self.config
    }

    /// Invoke with a JSON event, as the console's Test button does.
    pub fn invoke(&self, event: &Value) -> Invocation {
        self.invoke_with(event, &InvokeOptions::default())
    }

    pub fn invoke_with(&self, event: &Value, options: &InvokeOptions) -> Invocation {
        self.invoke_payload(event.to_string().into_bytes(), options)
    }

    /// Invoke with the raw request body.
    pub fn invoke_payload(&self, payload: Vec<u8>, options: &InvokeOptions) -> Invocation {
        let _turn = python::exclusive();
        let mut slot = self.environment.lock().unwrap_or_else(|p| p.into_inner());
        let request_id = ids::request_id();
        let mut run = Run::new(&self.config, request_id);

        if let Err(error) = python::start() {
            return run.harness_failure(error.0);
        }
        if python::wedged() {
            return run.harness_failure(python::WEDGED_MESSAGE.to_string());
        }
        memory::reset_peak();

        if slot.is_none() {
            match self.cold_start(&mut run) {
                Ok(environment) => *slot = Some(environment),
                Err(error) => return run.finish(Outcome::Failed(*error), Duration::ZERO, None),
            }
        }
        let environment = slot.as_ref().expect("an environment was just created");
        let (outcome, duration, keep) = self.run_invoke(&mut run, environment, payload, options);
        if let Some(stuck) = keep {
            if let Some(environment) = slot.take() {
                environment.discard(stuck);
            }
        }
        run.finish(outcome, duration, None)
    }

    /// Move the function's virtual clock forward (between invocations, the
    /// time that passes before the next one). Returns false on the real clock.
    pub fn advance_clock(&self, by: Duration) -> bool {
        let _turn = python::exclusive();
        match self.clock_object() {
            Some(clock) => {
                Python::attach(|py| clock.bind(py).call_method1("advance_ms", (by.as_millis() as u64,)).is_ok())
            }
            None => false,
        }
    }

    /// The virtual clock's time in milliseconds since 1970; None on the real clock.
    pub fn clock_now_ms(&self) -> Option<u64> {
        let _turn = python::exclusive();
        let clock = self.clock_object()?;
        Python::attach(|py| clock.bind(py).call_method0("now_ms").and_then(|v| v.extract()).ok())
    }

    /// The time on the function's clock (virtual or real), since 1970.
    fn now(&self) -> Duration {
        let virtual_ms = self.clock_object().and_then(|clock| {
            python::attach_within(Duration::from_secs(1), move |py| {
                clock.bind(py).call_method0("now_ms").and_then(|v| v.extract::<u64>()).ok()
            })
            .flatten()
        });
        virtual_ms.map_or_else(crate::time::since_epoch, Duration::from_millis)
    }

    fn clock_object(&self) -> Option<Arc<Py<PyAny>>> {
        let Clock::Virtual { start_ms } = self.config.clock else { return None };
        if let Some(clock) = self.virtual_clock.get() {
            return Some(Arc::clone(clock));
        }
        python::start().ok()?;
        let made = Python::attach(|py| -> PyResult<Py<PyAny>> {
            let runtime = python::runtime(py).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.0))?;
            Ok(runtime.getattr("VirtualClock")?.call1((start_ms,))?.unbind())
        })
        .ok()?;
        Some(Arc::clone(self.virtual_clock.get_or_init(|| Arc::new(made))))
    }

    /// Throw the current environment away: the next invoke is a cold start
    /// (what happens on Lambda when the function's code or configuration changes).
    pub fn reset(&self) {
        let _turn = python::exclusive();
        if let Some(environment) = self.environment.lock().unwrap_or_else(|p| p.into_inner()).take() {
            environment.discard(false);
        }
    }

    fn spec(&self) -> Spec {
        let (major, minor) = pyo3::Python::attach(python::version);
        let runtime = self.config.runtime.clone().unwrap_or_else(|| format!("python{major}.{minor}"));
        let runtime_minor: u32 = runtime.rsplit('.').next().and_then(|m| m.parse().ok()).unwrap_or(u32::from(minor));
        Spec {
            task_root: self.config.task_root.to_string_lossy().into_owned(),
            handler: self.config.handler.clone(),
            variables: lambda_variables(&self.config, Some(&runtime)),
            ensure_ascii: runtime_minor < 12,
            clock: self.clock_object(),
            debug: self.config.debug,
        }
    }

    /// Create an environment and import the handler. As on Lambda, a failed
    /// init is tried once more in the invoke phase before the error is returned.
    // The error is boxed: it is large and a cold start is rare.
    fn cold_start(&self, run: &mut Run) -> Result<Environment, Box<FunctionError>> {
        let mut last_error = None;
        for phase in ["init", "invoke"] {
            let limit = init_limit(phase, self.config.timeout);
            let environment = match Environment::create(self.spec()) {
                Ok(environment) => environment,
                Err(message) => return Err(Box::new(harness_error(message))),
            };
            let receiver = environment.init(limit);
            let (error, stuck) = match receiver.recv_timeout(limit) {
                Ok((outcome, took, logs)) => {
                    run.add_logs(&logs);
                    run.init_ms += millis(took);
                    match outcome {
                        InitOutcome::Ready => {
                            run.cold = true;
                            return Ok(environment);
                        }
                        InitOutcome::Failed(payload) => (FunctionError::from_text(ErrorSource::Init, &payload), false),
                        InitOutcome::Exited(status) => (run.exited(&exit_reason(status)), false),
                        InitOutcome::TimedOut => (run.timeout_error(limit), false),
                    }
                }
                Err(_) => {
                    let stopped = interrupt(&environment, &receiver);
                    match &stopped {
                        Some((_, _, logs)) => run.add_logs(logs),
                        None => run.add_logs(&environment.take_logs_now().unwrap_or_default()),
                    }
                    run.init_ms += millis(limit);
                    (run.timeout_error(limit), stopped.is_none())
                }
            };
            run.init_failed(phase, &error);
            environment.discard(stuck);
            last_error = Some(error);
            if stuck {
                break;
            }
        }
        run.init_reported = true;
        Err(Box::new(last_error.expect("the loop ran at least once")))
    }

    /// Run the handler. Returns the outcome, the duration, and whether the
    /// environment must go (Some(stuck)) or may stay warm (None).
    fn run_invoke(
        &self,
        run: &mut Run,
        environment: &Environment,
        payload: Vec<u8>,
        options: &InvokeOptions,
    ) -> (Outcome, Duration, Option<bool>) {
        let timeout = self.config.timeout;
        let request = Request {
            request_id: run.request_id.clone(),
            payload,
            timeout_ms: timeout.as_millis() as u64,
            arn: self.config.function_arn(),
            client_context: options.client_context.as_ref().map(Value::to_string),
            identity: options.identity.as_ref().map(Value::to_string),
            trace_id: ids::trace_header(self.config.active_tracing),
            tenant_id: options.tenant_id.clone(),
        };
        run.start();
        let receiver = environment.invoke(request);
        let reply = match environment::receive(&receiver, environment::SPIN, Some(timeout)) {
            Some(reply) if reply.code != environment::TIMEOUT => reply,
            Some(reply) => {
                run.add_logs(&reply.logs);
                return self.timed_out(run, false);
            }
            None => {
                // The handler's output so far comes with the worker's reply if
                // it stopped, or is read directly if it is stuck.
                let stopped = interrupt(environment, &receiver);
                match &stopped {
                    Some(reply) => run.add_logs(&reply.logs),
                    None => run.add_logs(&environment.take_logs_now().unwrap_or_default()),
                }
                return self.timed_out(run, stopped.is_none());
            }
        };
        run.add_logs(&reply.logs);
        match reply.code {
            environment::RESULT => {
                let content_type = reply.content_type.unwrap_or_else(|| "application/json".into());
                (returned(reply.body, content_type), reply.duration, None)
            }
            environment::ERROR => {
                let text = String::from_utf8_lossy(&reply.body);
                (Outcome::Failed(FunctionError::from_text(ErrorSource::Handler, &text)), reply.duration, None)
            }
            _ => (Outcome::Failed(run.exited(&exit_reason(reply.exit_status))), reply.duration, Some(false)),
        }
    }

    fn timed_out(&self, run: &mut Run, stuck: bool) -> (Outcome, Duration, Option<bool>) {
        let timeout = self.config.timeout;
        (Outcome::Failed(run.timed_out(self.now(), timeout)), timeout, Some(stuck))
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        if let Some(environment) = self.environment.get_mut().ok().and_then(Option::take) {
            if !python::wedged() {
                let _turn = python::exclusive();
                environment.discard(false);
            }
        }
    }
}

/// Stop a handler that ran out of time. Returns what the worker sent back
/// when it stopped, or None when it did not stop within the grace period and
/// its thread has to be left behind.
fn interrupt<T>(environment: &Environment, receiver: &std::sync::mpsc::Receiver<T>) -> Option<T> {
    let ident = environment.ident;
    let object = environment.object();
    python::attach_within(INTERRUPT_GRACE, move |py| python::interrupt_thread(py, ident, &object).is_ok())?;
    receiver.recv_timeout(INTERRUPT_GRACE).ok()
}

/// The response the caller gets, or `Function.ResponseSizeTooLarge` when
/// it is over the synchronous payload limit.
pub fn returned(body: Vec<u8>, content_type: String) -> Outcome {
    if body.len() > MAX_RESPONSE_BYTES {
        let message = format!(
            "Response payload size ({} bytes) exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).",
            body.len()
        );
        return Outcome::Failed(FunctionError::platform(
            ErrorSource::Handler,
            "Function.ResponseSizeTooLarge",
            message,
        ));
    }
    Outcome::Returned { payload: body, content_type }
}

/// The state of one invocation while the platform builds its record. Shared
/// by every kind of function (in-process Python here, a runtime process in
/// `process.rs`, a Rust handler in the harness-rust crate), so their log
/// lines, errors and REPORT read the same.
pub struct Run<'a> {
    config: &'a FunctionConfig,
    pub request_id: String,
    pub(crate) lines: Vec<String>,
    started: Instant,
    /// This invocation created the environment (its report has an Init Duration).
    pub cold: bool,
    pub init_ms: f64,
    /// The init failed and its INIT_REPORT lines are written.
    pub(crate) init_reported: bool,
    status: Option<String>,
}

impl<'a> Run<'a> {
    pub fn new(config: &'a FunctionConfig, request_id: String) -> Self {
        Run {
            config,
            request_id,
            lines: Vec::new(),
            started: Instant::now(),
            cold: false,
            init_ms: 0.0,
            init_reported: false,
            status: None,
        }
    }

    /// The invocation starts: the platform's START line.
    pub fn start(&mut self) {
        self.lines.push(start_line(&self.request_id, &self.config.version));
    }

    /// Split what the function wrote into CloudWatch lines: the platform cuts
    /// standard output at each newline (a carriage return stays in the line).
    pub fn add_logs(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = text.strip_suffix('\n').unwrap_or(text);
        self.lines.extend(text.split('\n').map(String::from));
    }

    /// The runtime process exited (`reason` from [`exit_reason`]): the
    /// platform's two log lines, the REPORT status, and the error the caller gets.
    pub(crate) fn exited(&mut self, reason: &str) -> FunctionError {
        let message = format!("RequestId: {} Error: {reason}", self.request_id);
        self.lines.push(message.clone());
        self.lines.push("Runtime.ExitError".into());
        self.status = Some("Status: error\tError Type: Runtime.ExitError".into());
        FunctionError::platform(ErrorSource::Exit, "Runtime.ExitError", message)
    }

    /// The invocation ran out of time at `now` (on the function's clock,
    /// since 1970): the platform's log line, the REPORT status, the error.
    pub fn timed_out(&mut self, now: Duration, limit: Duration) -> FunctionError {
        self.lines.push(format!(
            "{} {} Task timed out after {:.2} seconds",
            crate::time::iso_timestamp(now),
            self.request_id,
            limit.as_secs_f64()
        ));
        self.status = Some("Status: timeout".into());
        self.timeout_error(limit)
    }

    /// One failed attempt at init, in `phase` ("init", or "invoke" for the
    /// retry on the first invocation): its INIT_REPORT line and REPORT status.
    pub(crate) fn init_failed(&mut self, phase: &str, error: &FunctionError) {
        self.lines.push(format!(
            "INIT_REPORT Init Duration: {:.2} ms\tPhase: {phase}\tStatus: error\tError Type: {}",
            self.init_ms, error.error_type
        ));
        self.status = Some(format!("Status: error\tError Type: {}", error.error_type));
    }

    pub(crate) fn timeout_error(&self, limit: Duration) -> FunctionError {
        let message = timeout_message(&self.request_id, limit);
        FunctionError::platform(ErrorSource::Timeout, "Sandbox.Timedout", message)
    }

    /// The harness itself could not run the function.
    pub fn harness_failure(self, message: String) -> Invocation {
        self.finish(Outcome::Failed(harness_error(message)), Duration::ZERO, None)
    }

    /// The finished record: START if not yet written, END, and REPORT with
    /// the figures. `duration` zero means "measure from the start of the run";
    /// `max_memory_mb` None means "this process's peak" (the in-process case).
    pub fn finish(mut self, outcome: Outcome, duration: Duration, max_memory_mb: Option<u64>) -> Invocation {
        if !self.lines.iter().any(|l| l.starts_with("START RequestId: ")) {
            self.lines.push(start_line(&self.request_id, &self.config.version));
        }
        let duration_ms =
            if duration.is_zero() && !self.init_reported { millis(self.started.elapsed()) } else { millis(duration) };
        let init_duration_ms = (self.cold && !self.init_reported).then_some(self.init_ms);
        let max_memory_mb = max_memory_mb.unwrap_or_else(memory::peak_mb);
        let report = Report::measured(duration_ms, init_duration_ms, self.config.memory_mb, max_memory_mb);
        self.lines.push(end_line(&self.request_id));
        let mut line = report.line(&self.request_id);
        if let Some(status) = &self.status {
            line.push('\t');
            line.push_str(status);
        }
        self.lines.push(line);
        Invocation { request_id: self.request_id, outcome, logs: self.lines, report }
    }
}

/// A failure of the harness itself (no Python, a program that cannot start).
pub(crate) fn harness_error(message: String) -> FunctionError {
    FunctionError::platform(ErrorSource::Harness, "Harness.Unavailable", message)
}

/// Why the runtime stopped, in Lambda's words, from its exit status.
pub(crate) fn exit_reason(status: i32) -> String {
    if status == 0 {
        "Runtime exited without providing a reason".into()
    } else {
        format!("Runtime exited with error: exit status {status}")
    }
}

pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The environment variables Lambda sets for a function, then the function's
/// own. `runtime` is the managed runtime's identifier (`python3.12`), which
/// Lambda puts in AWS_EXECUTION_ENV; OS-only runtimes (`provided.al2023`, the
/// one a Rust function uses) have none, and the variable is not set.
pub(crate) fn lambda_variables(config: &FunctionConfig, runtime: Option<&str>) -> Vec<(String, String)> {
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
pub(crate) fn validate(config: &FunctionConfig) -> Result<(), ConfigError> {
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
