//! `cargo lab invoke`: run a handler file against an event, once or several
//! times in one warm environment, and show what the Lambda console would:
//! the response, then the log lines from START to REPORT.

use harness::config::{DEFAULT_MEMORY_MB, FunctionConfig};
use harness::{Function, Invocation, InvokeOptions, Outcome};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// The Python file holding the handler, e.g. exercises/01-first-handler/handler.py.
    #[arg(required_unless_present = "handler_string")]
    file: Option<PathBuf>,
    /// The function in FILE that Lambda calls.
    #[arg(long, value_name = "NAME", default_value = "lambda_handler")]
    handler: String,
    /// The event to send: a JSON file, or the name of a recorded event from
    /// `cargo lab events` (default: the empty object {}).
    #[arg(long, value_name = "FILE|NAME")]
    event: Option<PathBuf>,
    /// The function's timeout, in whole seconds (1 to 900).
    #[arg(long, value_name = "SECONDS", default_value_t = 3)]
    timeout: u64,
    /// The function's memory, in MB (128 to 10240).
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MEMORY_MB)]
    memory: u32,
    /// An environment variable for the function (repeatable).
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    env: Vec<(String, String)>,
    /// Invoke N times in one warm environment.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Print one JSON object per invocation, one per line.
    #[arg(long)]
    json: bool,
    /// Lambda's whole handler string (module.function), instead of FILE and --handler.
    #[arg(long, value_name = "MODULE.FUNCTION", requires = "task_root", conflicts_with = "file")]
    handler_string: Option<String>,
    /// With --handler-string: the folder the module is imported from (Lambda's /var/task).
    #[arg(long, value_name = "DIR")]
    task_root: Option<PathBuf>,
    /// The Lambda runtime to imitate, like python3.12 (default: the version of
    /// the Python the harness embeds). It sets AWS_EXECUTION_ENV, and from
    /// python3.12 on, responses keep non-ASCII characters unescaped.
    #[arg(long, value_name = "RUNTIME", value_parser = parse_runtime)]
    runtime: Option<String>,
    /// Stop at `breakpoint()` in the handler and debug it with pdb in this
    /// terminal (the timeout is raised to 900 s meanwhile).
    #[arg(long)]
    debug: bool,
    /// Turn on X-Ray active tracing: the trace header in _X_AMZN_TRACE_ID says Sampled=1.
    #[arg(long)]
    active_tracing: bool,
}

fn parse_runtime(text: &str) -> Result<String, String> {
    let minor = text.strip_prefix("python3.").and_then(|m| m.parse::<u32>().ok());
    match minor {
        Some(minor) if (9..=15).contains(&minor) => Ok(text.to_string()),
        _ => Err(format!("expected a Python runtime like python3.12, got '{text}'")),
    }
}

fn parse_env(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("expected KEY=VALUE, got '{text}'")),
    }
}

pub fn run(args: Args) -> ExitCode {
    let mut config = match (&args.file, &args.handler_string, &args.task_root) {
        (Some(file), _, _) => {
            if !file.is_file() {
                return crate::usage_error(format!("no such handler file: {}", file.display()));
            }
            if file.extension().is_none_or(|ext| ext != "py") {
                return crate::usage_error(format!(
                    "{} is not a Python file; give the .py file that holds your handler",
                    file.display()
                ));
            }
            FunctionConfig::from_file(file, &args.handler)
        }
        (None, Some(handler), Some(root)) => {
            if !root.is_dir() {
                return crate::usage_error(format!("no such folder: {}", root.display()));
            }
            let root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
            FunctionConfig::new(root, handler.clone())
        }
        _ => return crate::usage_error("give a handler FILE, or --handler-string with --task-root"),
    };
    config.timeout = Duration::from_secs(args.timeout);
    config.memory_mb = args.memory;
    config.environment = args.env.clone();
    config.runtime = args.runtime.clone();
    config.active_tracing = args.active_tracing;
    if args.debug {
        config.debug = true;
        config.timeout = harness::config::MAX_TIMEOUT;
        eprintln!(
            "Debug mode: breakpoint() in your handler opens pdb here (n: next line, s: step in, \
             p EXPR: print, c: continue, q: quit). The timeout is 900 s while you debug."
        );
    }

    let payload = match read_event(args.event.as_ref()) {
        Ok(payload) => payload,
        Err(message) => return crate::usage_error(message),
    };
    let function = match Function::new(config) {
        Ok(function) => function,
        Err(error) => return crate::usage_error(error),
    };

    let mut out = crate::output::claim_stdout();
    let mut all_returned = true;
    for round in 0..args.repeat {
        let invocation = function.invoke_payload(payload.clone(), &InvokeOptions::default());
        all_returned &= invocation.succeeded();
        let written = if args.json {
            writeln!(out, "{}", invocation.to_json())
        } else {
            print_readable(&mut out, &invocation, round, args.repeat)
        };
        if written.and_then(|_| out.flush()).is_err() {
            return ExitCode::from(1); // the reader went away (a closed pipe)
        }
    }
    if all_returned { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// The event as bytes, checked to be JSON so a typo is reported here, naming
/// the file, rather than as an error from inside the function. A name that is
/// not a file but a recorded event is taken from the catalog.
fn read_event(path: Option<&PathBuf>) -> Result<Vec<u8>, String> {
    let Some(path) = path else { return Ok(b"{}".to_vec()) };
    if !path.exists() {
        let name = path.to_string_lossy();
        if harness::events::find(&name).is_some() {
            return harness::events::load(&name).map(|event| event.to_string().into_bytes());
        }
        if !name.contains(['/', '.']) {
            return Err(crate::events::unknown(&name));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the event file {}: {e}", path.display()))?;
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .map_err(|e| format!("the event file {} is not valid JSON: {e}", path.display()))?;
    Ok(bytes)
}

fn print_readable(out: &mut impl Write, invocation: &Invocation, round: u32, rounds: u32) -> std::io::Result<()> {
    if rounds > 1 {
        let start = if invocation.cold_start() { "cold start" } else { "warm start" };
        writeln!(out, "=== Invocation {} of {rounds} ({start}) ===", round + 1)?;
    }
    match &invocation.outcome {
        Outcome::Returned { content_type, .. } => {
            writeln!(out, "Response:")?;
            let body = invocation.result().unwrap_or_default();
            writeln!(out, "{}", serde_json::to_string_pretty(&body).unwrap_or_default())?;
            if content_type != "application/json" {
                writeln!(out, "(content type: {content_type})")?;
            }
        }
        Outcome::Failed(error) => {
            writeln!(out, "Response (an error, so the caller sees FunctionError: Unhandled):")?;
            writeln!(out, "{}", serde_json::to_string_pretty(&error.payload).unwrap_or_default())?;
        }
    }
    writeln!(out, "\nFunction logs:")?;
    for line in &invocation.logs {
        // The runtime joins a traceback's lines with carriage returns;
        // CloudWatch shows them on one line, the console on several.
        writeln!(out, "{}", line.replace('\r', "\n"))?;
    }
    if rounds > 1 {
        writeln!(out)?;
    }
    Ok(())
}
