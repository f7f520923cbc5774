//! The platform for a Python function run in-process: what AWS Lambda itself
//! does around the runtime client. It refuses a request over the payload
//! limit, creates execution environments (cold starts) and reuses them (warm
//! starts), enforces the timeout and the memory setting, notices a process
//! exit, and freezes what the handler started between invocations
//! ([`children`]); the lines, errors and figures it reports are written by the
//! shared [`crate::record`], as for every other kind of function.
//!
//! Memory: Lambda kills a function whose environment uses more than its
//! memory setting (`Runtime.OutOfMemory`). Here the environment shares its
//! process with the tests and every other environment, so what counts is what
//! the invocation itself (or the init, for a module that allocates at import)
//! adds to the process: its peak resident memory less the process's at the
//! start. More than the setting is reported as Lambda
//! reports running out of memory, and the environment is thrown away; a
//! handler still allocating is stopped as a timed-out one is (checked every
//! [`MEMORY_WATCH`]), so a runaway loop cannot exhaust the machine. The rule is
//! lenient by Lambda's runtime's own footprint (about 40 MB on Lambda) and
//! memory kept across warm invocations, both of which count there.

pub(crate) mod children;

use crate::config::{self, Clock, ConfigError, FunctionConfig};
use crate::environment::{self, Environment, InitOutcome, Request, Spec};
use crate::invocation::{ErrorSource, FunctionError, Invocation, Outcome};
use crate::record::{Record, exit_reason, harness_error, init_limit, returned};
use crate::{ids, memory, python};
use pyo3::prelude::*;
use serde_json::Value;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// After a timeout, how long a handler gets to notice it was interrupted
/// before its thread is abandoned.
const INTERRUPT_GRACE: Duration = Duration::from_millis(500);
/// How often the memory of a running invocation is looked at (one read of
/// /proc/self/status; an invocation that answers sooner is never polled).
pub const MEMORY_WATCH: Duration = Duration::from_millis(20);

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
    /// The function's identity at the local AWS (its SDK's endpoint and
    /// credentials) and its log of calls.
    aws: Option<local_aws::Registration>,
    /// The same account's administrator, made once: it sets the state up and
    /// reads it back, with credentials of its own, so none of that is among
    /// the function's calls or passes its role's policy.
    aws_admin: Option<local_aws::Registration>,
    environment: Mutex<Option<Environment>>,
    /// The runtime's `VirtualClock` for this function, made on first use
    /// when the configuration asks for one; it outlives environments.
    virtual_clock: OnceLock<Arc<Py<PyAny>>>,
}

impl Function {
    /// A function with this configuration; fails when Lambda would refuse it.
    pub fn new(config: FunctionConfig) -> Result<Self, ConfigError> {
        config::validate(&config)?;
        let aws = crate::aws::register(&config.region, config.role_policy.as_ref());
        let aws_admin = aws.as_ref().map(local_aws::Registration::administrator);
        if let Some(state) = &config.aws_state {
            let admin = aws_admin.as_ref().ok_or_else(|| ConfigError("the local AWS could not start".into()))?;
            crate::aws::seed(admin, state).map_err(ConfigError)?;
        }
        if let Some(registration) = &aws {
            for fault in &config.aws_faults {
                registration.inject(fault.clone());
            }
        }
        Ok(Function { config, aws, aws_admin, environment: Mutex::new(None), virtual_clock: OnceLock::new() })
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

    /// What is in the function's account at the local AWS now: buckets and
    /// objects, tables and items, queues and messages (see [`crate::aws`]).
    pub fn aws_state(&self) -> Result<Value, String> {
        crate::aws::world(self.aws_admin()?)
    }

    /// The items of one DynamoDB table in the function's account now.
    pub fn aws_items(&self, table: &str) -> Result<Vec<Value>, String> {
        crate::aws::items(self.aws_admin()?, table)
    }

    fn aws_admin(&self) -> Result<&local_aws::Registration, String> {
        self.aws_admin.as_ref().ok_or_else(|| "the local AWS could not start".to_string())
    }

    /// Invoke with the raw request body.
    pub fn invoke_payload(&self, payload: Vec<u8>, options: &InvokeOptions) -> Invocation {
        if let Some(refused) = crate::record::refused_request(ids::request_id(), payload.len(), self.config.memory_mb) {
            return refused;
        }
        let mut invocation = self.invoke_and_record(payload, options);
        if let Some(aws) = &self.aws {
            invocation.aws_calls = aws.take_calls();
        }
        invocation
    }

    fn invoke_and_record(&self, payload: Vec<u8>, options: &InvokeOptions) -> Invocation {
        let _turn = python::exclusive();
        let mut slot = self.environment.lock().unwrap_or_else(|p| p.into_inner());
        let request_id = ids::request_id();
        let mut run = Record::new(&self.config, request_id);

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

    /// Lambda's variables, with the SDK pointed at the local AWS as this
    /// function. A variable the function's configuration sets itself wins.
    fn variables(&self, runtime: &str) -> Vec<(String, String)> {
        let mut variables = config::lambda_variables(&self.config, Some(runtime));
        if let Some(aws) = &self.aws {
            for (key, value) in aws.env() {
                if self.config.environment.iter().any(|(own, _)| *own == key) {
                    continue;
                }
                variables.retain(|(k, _)| *k != key);
                variables.push((key, value));
            }
        }
        variables
    }

    fn spec(&self) -> Spec {
        let (major, minor) = pyo3::Python::attach(python::version);
        let runtime = self.config.runtime.clone().unwrap_or_else(|| format!("python{major}.{minor}"));
        let runtime_minor: u32 = runtime.rsplit('.').next().and_then(|m| m.parse().ok()).unwrap_or(u32::from(minor));
        Spec {
            task_root: self.config.task_root.to_string_lossy().into_owned(),
            handler: self.config.handler.clone(),
            variables: self.variables(&runtime),
            ensure_ascii: runtime_minor < 12,
            clock: self.clock_object(),
            debug: self.config.debug,
            layer_paths: layer_paths(&self.config.layers, (major, u32::from(minor))),
        }
    }

    /// Create an environment and import the handler. As on Lambda, a failed
    /// init is tried once more in the invoke phase before the error is returned.
    // The error is boxed: it is large and a cold start is rare.
    fn cold_start(&self, run: &mut Record) -> Result<Environment, Box<FunctionError>> {
        let mut last_error = None;
        for phase in ["init", "invoke"] {
            let limit = init_limit(phase, self.config.timeout);
            let environment = match Environment::create(self.spec()) {
                Ok(environment) => environment,
                Err(message) => return Err(Box::new(harness_error(message))),
            };
            // Init counts against the memory setting as the handler does:
            // a module that allocates without end at import is killed too.
            let limit_mb = u64::from(self.config.memory_mb);
            let before_mb = memory::current_mb();
            let started = std::time::Instant::now();
            let receiver = environment.init(limit);
            let (reply, out_of_memory) = watch(&receiver, limit, |now_mb| now_mb.saturating_sub(before_mb) > limit_mb);
            // Grown past the setting in one allocation the watch could not see.
            let over_at_the_end = reply.is_some() && memory::peak_mb().saturating_sub(before_mb) > limit_mb;
            let (error, stuck) = match reply {
                _ if out_of_memory => {
                    let stopped = interrupt_within(&environment, &receiver, INTERRUPT_GRACE.max(limit / 10));
                    match &stopped {
                        Some((_, _, logs, _)) => run.add_logs(logs),
                        None => run.add_logs(&environment.take_logs_now().unwrap_or_default()),
                    }
                    run.init_took(started.elapsed());
                    (run.out_of_memory(), stopped.is_none())
                }
                Some((_, took, logs, _)) if over_at_the_end => {
                    run.add_logs(&logs);
                    run.init_took(took);
                    (run.out_of_memory(), false)
                }
                Some((outcome, took, logs, threads)) => {
                    run.add_logs(&logs);
                    run.init_took(took);
                    match outcome {
                        InitOutcome::Ready => {
                            run.initialized();
                            environment.freeze(&threads);
                            return Ok(environment);
                        }
                        InitOutcome::Failed(payload) => (FunctionError::from_text(ErrorSource::Init, &payload), false),
                        InitOutcome::Exited(status) => (run.exited(&exit_reason(status)), false),
                        InitOutcome::TimedOut => (run.timeout_error(limit), false),
                    }
                }
                None => {
                    let stopped = interrupt(&environment, &receiver);
                    match &stopped {
                        Some((_, _, logs, _)) => run.add_logs(logs),
                        None => run.add_logs(&environment.take_logs_now().unwrap_or_default()),
                    }
                    run.init_took(limit);
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
        run.init_given_up();
        Err(Box::new(last_error.expect("the loop ran at least once")))
    }

    /// Run the handler. Returns the outcome, the duration, and whether the
    /// environment must go (Some(stuck)) or may stay warm (None).
    fn run_invoke(
        &self,
        run: &mut Record,
        environment: &Environment,
        payload: Vec<u8>,
        options: &InvokeOptions,
    ) -> (Outcome, Duration, Option<bool>) {
        let timeout = self.config.timeout;
        let request = Request {
            request_id: run.request_id().to_string(),
            payload,
            timeout_ms: timeout.as_millis() as u64,
            arn: self.config.function_arn(),
            client_context: options.client_context.as_ref().map(Value::to_string),
            identity: options.identity.as_ref().map(Value::to_string),
            trace_id: ids::trace_header(self.config.active_tracing),
            tenant_id: options.tenant_id.clone(),
        };
        let limit_mb = u64::from(self.config.memory_mb);
        let before_mb = memory::current_mb();
        environment.thaw();
        run.start();
        let started = std::time::Instant::now();
        let receiver = environment.invoke(request);
        let (reply, out_of_memory) = watch(&receiver, timeout, |now_mb| now_mb.saturating_sub(before_mb) > limit_mb);
        if out_of_memory {
            let left = timeout.saturating_sub(started.elapsed());
            let stopped = interrupt_within(environment, &receiver, left.max(INTERRUPT_GRACE));
            match &stopped {
                Some(reply) => run.add_logs(&reply.logs),
                None => run.add_logs(&environment.take_logs_now().unwrap_or_default()),
            }
            return (Outcome::Failed(run.out_of_memory()), started.elapsed(), Some(stopped.is_none()));
        }
        let reply = match reply {
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
        // Grown past the memory setting in one go (a single allocation the
        // watch could not see until it returned): Lambda would have killed it.
        if reply.code != environment::EXIT && memory::peak_mb().saturating_sub(before_mb) > limit_mb {
            return (Outcome::Failed(run.out_of_memory()), reply.duration, Some(false));
        }
        environment.freeze(&reply.threads);
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

    fn timed_out(&self, run: &mut Record, stuck: bool) -> (Outcome, Duration, Option<bool>) {
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

/// Wait for the reply until `timeout`, looking at the process's memory every
/// [`MEMORY_WATCH`] meanwhile. Returns the reply (None: the time is up), and
/// whether `over` said the memory grew past the setting (then no reply).
fn watch<T>(
    receiver: &std::sync::mpsc::Receiver<T>,
    timeout: Duration,
    over: impl Fn(u64) -> bool,
) -> (Option<T>, bool) {
    let started = std::time::Instant::now();
    let first = environment::receive(receiver, environment::SPIN, Some(timeout.min(MEMORY_WATCH)));
    if first.is_some() {
        return (first, false);
    }
    loop {
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return (None, false);
        }
        if over(memory::current_mb()) {
            return (None, true);
        }
        match receiver.recv_timeout(left.min(MEMORY_WATCH)) {
            Ok(reply) => return (Some(reply), false),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return (None, false),
        }
    }
}

/// Stop a handler that ran out of time. Returns what the worker sent back
/// when it stopped, or None when it did not stop within the grace period and
/// its thread has to be left behind.
fn interrupt<T>(environment: &Environment, receiver: &std::sync::mpsc::Receiver<T>) -> Option<T> {
    interrupt_within(environment, receiver, INTERRUPT_GRACE)
}

/// The same, allowing `limit` to reach the interpreter: a handler over its
/// memory is often inside one long allocation, which holds the interpreter
/// until it returns, and is not stuck for that.
fn interrupt_within<T>(
    environment: &Environment,
    receiver: &std::sync::mpsc::Receiver<T>,
    limit: Duration,
) -> Option<T> {
    let ident = environment.ident;
    let object = environment.object();
    python::attach_within(limit, move |py| python::interrupt_thread(py, ident, &object).is_ok())?;
    receiver.recv_timeout(INTERRUPT_GRACE).ok()
}

/// Where a Python runtime imports a layer's code from: for each layer (a
/// folder standing for /opt), `python/lib/pythonX.Y/site-packages` then
/// `python`.
fn layer_paths(layers: &[std::path::PathBuf], (major, minor): (u8, u32)) -> Vec<String> {
    layers
        .iter()
        .flat_map(|layer| {
            let python = layer.join("python");
            [python.join(format!("lib/python{major}.{minor}/site-packages")), python]
        })
        .map(|path| path.to_string_lossy().into_owned())
        .collect()
}
