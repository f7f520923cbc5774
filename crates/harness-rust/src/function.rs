//! The platform around a Rust handler: cold and warm environments, the
//! context the runtime receives, the timeout, and the START / END / REPORT
//! lines, giving the same [`Invocation`] a Python function gives.
//!
//! What Lambda would send as `Lambda-Runtime-*` headers on `GET /next` is
//! built as those headers and handed to `lambda_runtime::Context::new`, the
//! constructor the real runtime uses, so the handler's `Context` is made by
//! lambda_runtime's own code from the same values a Python handler sees
//! (request id, deadline, ARN, X-Ray header, function configuration).

use crate::environment::{Environment, MakePipeline, Reply};
use crate::pipeline::{Answer, Pipeline, ServicePipeline};
use harness::record::{self, Record};
use harness::{ErrorSource, FunctionConfig, FunctionError, Invocation, InvokeOptions, Outcome, Value, ids, memory};
use lambda_runtime::{Diagnostic, LambdaEvent, Service};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A Lambda function whose handler is a `lambda_runtime` service, invoked
/// in-process: `RustFunction::new(config, service_fn(function_handler))`.
pub struct RustFunction {
    config: FunctionConfig,
    runtime_config: Arc<lambda_runtime::Config>,
    make: MakePipeline,
    environment: Mutex<Option<Environment>>,
}

impl RustFunction {
    /// `service` is what you would pass to `lambda_runtime::run`, usually
    /// `service_fn(function_handler)`. Each cold start gets a clone of it.
    pub fn new<S, A, R, E>(config: FunctionConfig, service: S) -> RustFunction
    where
        S: Service<LambdaEvent<A>, Response = R, Error = E> + Clone + Send + Sync + 'static,
        A: DeserializeOwned + 'static,
        R: Serialize + 'static,
        E: Into<Diagnostic> + Debug + 'static,
    {
        let make: MakePipeline =
            Arc::new(move || Box::new(ServicePipeline::<S, A>::new(service.clone())) as Box<dyn Pipeline>);
        let runtime_config = Arc::new(lambda_runtime::Config {
            function_name: config.function_name.clone(),
            memory: config.memory_mb as i32,
            version: config.version.clone(),
            log_stream: ids::log_stream_name(&config.version),
            log_group: config.log_group_name(),
        });
        RustFunction { config, runtime_config, make, environment: Mutex::new(None) }
    }

    pub fn config(&self) -> &FunctionConfig {
        &self.config
    }

    /// Invoke with a JSON event, as Lambda would.
    pub fn invoke(&self, event: &Value) -> Invocation {
        self.invoke_payload(event.to_string().into_bytes(), &InvokeOptions::default())
    }

    /// Invoke with the payload's bytes as sent, and the caller's extra data.
    pub fn invoke_payload(&self, payload: Vec<u8>, options: &InvokeOptions) -> Invocation {
        let mut run = Record::new(&self.config, ids::request_id());
        let mut slot = self.environment.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            match Environment::start(&self.make, &self.config) {
                Ok(environment) => {
                    run.init_took(environment.init);
                    run.initialized();
                    run.add_logs(&environment.logs.take());
                    *slot = Some(environment);
                }
                Err(message) => return run.harness_failure(message),
            }
        }
        let environment = slot.as_ref().expect("an environment was just made");
        let context = match self.context(run.request_id(), options) {
            Ok(context) => context,
            Err(message) => return run.harness_failure(message),
        };
        run.start();
        memory::reset_peak();
        let started = Instant::now();
        let reply = environment.invoke(payload, context, self.config.timeout);
        let duration = started.elapsed();
        run.add_logs(&environment.logs.take());
        let (outcome, duration) = match reply {
            Reply::Answered(Answer::Response(body)) => (record::returned(body, "application/json".into()), duration),
            Reply::Answered(Answer::Error(diagnostic)) => {
                let text = serde_json::to_string(&diagnostic).unwrap_or_default();
                (Outcome::Failed(FunctionError::from_text(ErrorSource::Handler, &text)), duration)
            }
            Reply::TimedOut | Reply::Stuck => {
                // Lambda throws the environment away after a timeout.
                *slot = None;
                let limit = self.config.timeout;
                (Outcome::Failed(run.timed_out(harness::time::since_epoch(), limit)), limit)
            }
        };
        run.finish(outcome, duration, None)
    }

    /// Throw the environment away: the next invoke is a cold start.
    pub fn reset(&self) {
        *self.environment.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// The `lambda_runtime::Context` for one invocation, made by
    /// lambda_runtime from the headers the Runtime API would send.
    fn context(&self, request_id: &str, options: &InvokeOptions) -> Result<lambda_runtime::Context, String> {
        let deadline_ms = (harness::time::since_epoch() + self.config.timeout).as_millis() as u64;
        let mut headers = http::HeaderMap::new();
        let mut add = |name: &'static str, value: String| -> Result<(), String> {
            let value = http::HeaderValue::from_str(&value)
                .map_err(|e| format!("the {name} header cannot hold {value:?}: {e}"))?;
            headers.insert(name, value);
            Ok(())
        };
        add("lambda-runtime-deadline-ms", deadline_ms.to_string())?;
        add("lambda-runtime-invoked-function-arn", self.config.function_arn())?;
        add("lambda-runtime-trace-id", ids::trace_header(self.config.active_tracing))?;
        if let Some(client_context) = &options.client_context {
            add("lambda-runtime-client-context", client_context.to_string())?;
        }
        if let Some(identity) = &options.identity {
            add("lambda-runtime-cognito-identity", identity.to_string())?;
        }
        if let Some(tenant) = &options.tenant_id {
            add("lambda-runtime-aws-tenant-id", tenant.clone())?;
        }
        lambda_runtime::Context::new(request_id, self.runtime_config.clone(), &headers)
            .map_err(|e| format!("lambda_runtime could not read the invocation's context: {e}"))
    }
}
