//! The platform's record of one invocation: what AWS Lambda itself writes and
//! decides around the runtime, whatever kind of function ran. The START, END
//! and REPORT lines (with the billed duration), the INIT_REPORT line of a
//! failed init, the timeout line and the `Sandbox.Timedout` error, the exit
//! line and `Runtime.ExitError`, the response-size limit, and the init phase's
//! time limit all live here, so a Python function run in-process
//! ([`crate::Function`]), a runtime-client process ([`crate::process`]) and a
//! Rust handler (the harness-rust crate) write the same record.
//!
//! Each runtime detects a timeout or an exit its own way (a Python thread
//! interrupted, a process killed, a tokio timer); they all report it here.
//! Sources for the wording: AWS's "Monitoring and troubleshooting Lambda
//! functions" log samples and the conformance suite against awslambdaric
//! (`conformance/`).

use crate::config::FunctionConfig;
use crate::invocation::{ErrorSource, FunctionError, Invocation, Outcome};
use crate::memory;
use std::time::{Duration, Instant};

/// Largest response a synchronous invocation may return, in bytes.
pub const MAX_RESPONSE_BYTES: usize = 6_291_556;
/// Largest event a synchronous invocation may carry, in bytes: "For
/// synchronous invocations, the maximum payload size is 6 MB" (the Invoke API
/// reference, https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html),
/// which the service counts as 6 × 1024 × 1024 bytes (its refusal, below).
pub const MAX_REQUEST_BYTES: usize = 6_291_456;
/// The error code and message of Lambda's refusal of a larger request, HTTP
/// 413, as callers receive them (botocore's `ClientError`: "An error occurred
/// (RequestEntityTooLargeException) when calling the Invoke operation: Request
/// must be smaller than 6291456 bytes for the InvokeFunction operation", as
/// reported in e.g. awslabs/aws-athena-query-federation#793 and
/// pelmers/streetwarp-web#14). The API reference models the same refusal as
/// `RequestTooLargeException`, "The request payload exceeded the Invoke request
/// body JSON input quota"; the code on the wire is the one below.
pub const REQUEST_TOO_LARGE: &str = "RequestEntityTooLargeException";
/// How long the init phase may take before Lambda gives up on it.
pub const INIT_LIMIT: Duration = Duration::from_secs(10);

/// How long one attempt at init may take. The first, in the init phase, has
/// the 10 s limit; when it fails, Lambda tries again at the first invocation,
/// in the invoke phase, with the function's own timeout ("Understanding the
/// Lambda execution environment lifecycle", Init phase).
pub fn init_limit(phase: &str, function_timeout: Duration) -> Duration {
    if phase == "init" { INIT_LIMIT } else { function_timeout }
}

/// The state of one invocation while the platform builds its record.
pub struct Record<'a> {
    config: &'a FunctionConfig,
    request_id: String,
    lines: Vec<String>,
    started: Instant,
    /// This invocation created the environment (its report has an Init Duration).
    cold: bool,
    init_ms: f64,
    /// Init failed for good and its INIT_REPORT lines are written.
    init_given_up: bool,
    /// What REPORT adds after its figures (`Status: timeout`, ...).
    status: Option<String>,
    /// The function ran out of memory: REPORT's Max Memory Used is the
    /// memory setting, as Lambda's is when it kills a function for it.
    memory_capped: bool,
}

impl<'a> Record<'a> {
    pub fn new(config: &'a FunctionConfig, request_id: String) -> Self {
        Record {
            config,
            request_id,
            lines: Vec::new(),
            started: Instant::now(),
            cold: false,
            init_ms: 0.0,
            init_given_up: false,
            status: None,
            memory_capped: false,
        }
    }

    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// An attempt at init took this long (it counts toward Init Duration,
    /// whether it succeeded or not).
    pub fn init_took(&mut self, took: Duration) {
        self.init_ms += millis(took);
    }

    /// Init succeeded: this invocation is a cold start.
    pub fn initialized(&mut self) {
        self.cold = true;
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

    /// The runtime process exited (`reason` in Lambda's words, see `exit_reason`): the
    /// platform's two log lines, the REPORT status, and the error the caller gets.
    pub fn exited(&mut self, reason: &str) -> FunctionError {
        let message = format!("RequestId: {} Error: {reason}", self.request_id);
        self.lines.push(message.clone());
        self.lines.push("Runtime.ExitError".into());
        self.status = Some("Status: error\tError Type: Runtime.ExitError".into());
        FunctionError::platform(ErrorSource::Exit, "Runtime.ExitError", message)
    }

    /// The function used more memory than its setting: Lambda kills the
    /// runtime, so the caller gets `Runtime.OutOfMemory` with the exit's
    /// message, and the environment is gone (the next invoke is a cold start).
    pub fn out_of_memory(&mut self) -> FunctionError {
        let message = format!("RequestId: {} Error: {}", self.request_id, signal_reason(9));
        self.lines.push(message.clone());
        self.lines.push(OUT_OF_MEMORY.into());
        self.status = Some(format!("Status: error\tError Type: {OUT_OF_MEMORY}"));
        self.memory_capped = true;
        FunctionError::platform(ErrorSource::Exit, OUT_OF_MEMORY, message)
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

    /// The error an init that ran out of time gives: the same as a timed-out
    /// invocation's, without its log line (INIT_REPORT says it instead).
    pub fn timeout_error(&self, limit: Duration) -> FunctionError {
        let message = timeout_message(&self.request_id, limit);
        FunctionError::platform(ErrorSource::Timeout, "Sandbox.Timedout", message)
    }

    /// One failed attempt at init, in `phase` ("init", or "invoke" for the
    /// retry on the first invocation): its INIT_REPORT line and REPORT status.
    pub fn init_failed(&mut self, phase: &str, error: &FunctionError) {
        self.lines.push(format!(
            "INIT_REPORT Init Duration: {:.2} ms\tPhase: {phase}\tStatus: error\tError Type: {}",
            self.init_ms, error.error_type
        ));
        self.status = Some(format!("Status: error\tError Type: {}", error.error_type));
    }

    /// Every attempt at init failed: REPORT carries no Init Duration (the
    /// INIT_REPORT lines have it) and no measured Duration.
    pub fn init_given_up(&mut self) {
        self.init_given_up = true;
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
            if duration.is_zero() && !self.init_given_up { millis(self.started.elapsed()) } else { millis(duration) };
        let init_duration_ms = (self.cold && !self.init_given_up).then_some(self.init_ms);
        let mut max_memory_mb = max_memory_mb.unwrap_or_else(memory::peak_mb);
        if self.memory_capped {
            max_memory_mb = u64::from(self.config.memory_mb);
        }
        let report = Report::measured(duration_ms, init_duration_ms, self.config.memory_mb, max_memory_mb);
        self.lines.push(end_line(&self.request_id));
        let mut line = report.line(&self.request_id);
        if let Some(status) = &self.status {
            line.push('\t');
            line.push_str(status);
        }
        self.lines.push(line);
        Invocation { request_id: self.request_id, outcome, logs: self.lines, report, aws_calls: Vec::new() }
    }
}

/// The figures of the REPORT line.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub duration_ms: f64,
    pub billed_duration_ms: u64,
    pub memory_size_mb: u32,
    pub max_memory_used_mb: u64,
    /// Present on a cold start only.
    pub init_duration_ms: Option<f64>,
}

impl Report {
    /// The figures of one invocation. Since August 2025 Lambda bills the init
    /// phase of on-demand functions too, so a cold start's Init Duration is
    /// part of the Billed Duration (rounded up to the millisecond, at least 1).
    pub fn measured(
        duration_ms: f64,
        init_duration_ms: Option<f64>,
        memory_size_mb: u32,
        max_memory_used_mb: u64,
    ) -> Report {
        let billed_duration_ms = (duration_ms + init_duration_ms.unwrap_or(0.0)).ceil().max(1.0) as u64;
        Report { duration_ms, billed_duration_ms, memory_size_mb, max_memory_used_mb, init_duration_ms }
    }

    /// The REPORT line, without a trailing status.
    pub fn line(&self, request_id: &str) -> String {
        let mut line = format!(
            "REPORT RequestId: {request_id}\tDuration: {:.2} ms\tBilled Duration: {} ms\tMemory Size: {} MB\tMax Memory Used: {} MB",
            self.duration_ms, self.billed_duration_ms, self.memory_size_mb, self.max_memory_used_mb
        );
        if let Some(init) = self.init_duration_ms {
            line.push_str(&format!("\tInit Duration: {init:.2} ms"));
        }
        line
    }
}

/// The message of `Sandbox.Timedout`, as the caller receives it.
pub fn timeout_message(request_id: &str, limit: std::time::Duration) -> String {
    format!("RequestId: {request_id} Error: Task timed out after {:.2} seconds", limit.as_secs_f64())
}

/// The line the platform writes when an invocation starts.
pub fn start_line(request_id: &str, version: &str) -> String {
    format!("START RequestId: {request_id} Version: {version}")
}

/// The line the platform writes when an invocation ends.
pub fn end_line(request_id: &str) -> String {
    format!("END RequestId: {request_id}")
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

/// Lambda's refusal of a request over [`MAX_REQUEST_BYTES`], or None when
/// the request may go on. The Invoke API refuses it before any execution
/// environment sees it: no cold start, no START/END/REPORT, nothing billed.
pub fn refused_request(request_id: String, payload_len: usize, memory_mb: u32) -> Option<Invocation> {
    if payload_len <= MAX_REQUEST_BYTES {
        return None;
    }
    let message = format!("Request must be smaller than {MAX_REQUEST_BYTES} bytes for the InvokeFunction operation");
    let error = FunctionError::platform(ErrorSource::Request, REQUEST_TOO_LARGE, message);
    let report = Report {
        duration_ms: 0.0,
        billed_duration_ms: 0,
        memory_size_mb: memory_mb,
        max_memory_used_mb: 0,
        init_duration_ms: None,
    };
    Some(Invocation { request_id, outcome: Outcome::Failed(error), logs: Vec::new(), report, aws_calls: Vec::new() })
}

/// A failure of the harness itself (no Python, a program that cannot start).
pub(crate) fn harness_error(message: String) -> FunctionError {
    FunctionError::platform(ErrorSource::Harness, "Harness.Unavailable", message)
}

/// Why the runtime stopped, in Lambda's words, from its exit status; a
/// negative status is the number of the signal that ended the process.
pub(crate) fn exit_reason(status: i32) -> String {
    if status < 0 {
        return signal_reason(-status);
    }
    if status == 0 {
        "Runtime exited without providing a reason".into()
    } else {
        format!("Runtime exited with error: exit status {status}")
    }
}

/// A process ended by a signal, described as Lambda's (Go) platform does,
/// with the names of Go's `syscall.Signal.String()`: `signal: killed` after
/// a SIGKILL (what running out of memory looks like), `signal: aborted`
/// after `abort()` or a Rust `panic = "abort"`.
pub(crate) fn signal_reason(signal: i32) -> String {
    let name = match signal {
        1 => "hangup".to_string(),
        2 => "interrupt".to_string(),
        3 => "quit".to_string(),
        4 => "illegal instruction".to_string(),
        5 => "trace/breakpoint trap".to_string(),
        6 => "aborted".to_string(),
        7 => "bus error".to_string(),
        8 => "floating point exception".to_string(),
        9 => "killed".to_string(),
        10 => "user defined signal 1".to_string(),
        11 => "segmentation fault".to_string(),
        12 => "user defined signal 2".to_string(),
        13 => "broken pipe".to_string(),
        14 => "alarm clock".to_string(),
        15 => "terminated".to_string(),
        other => format!("signal {other}"),
    };
    format!("Runtime exited with error: signal: {name}")
}

/// The error type Lambda gives when the function used more memory than its
/// setting: the runtime is killed (`signal: killed`) and the REPORT line ends
/// `Status: error\tError Type: Runtime.OutOfMemory`, Max Memory Used equal
/// to Memory Size (recorded REPORT lines, e.g. those quoted in
/// nasa-gcn/gcn.nasa.gov#3628 and in AWS re:Post's "Lambda runtime error").
pub const OUT_OF_MEMORY: &str = "Runtime.OutOfMemory";

pub fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Lines the Lambda platform writes around an invocation.
pub fn is_platform_line(line: &str) -> bool {
    ["START RequestId: ", "END RequestId: ", "REPORT RequestId: ", "INIT_REPORT "]
        .iter()
        .any(|prefix| line.starts_with(prefix))
}
