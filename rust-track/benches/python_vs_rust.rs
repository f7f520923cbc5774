//! Python vs Rust, the same function on the same events, measured the way
//! Lambda measures them. Each function runs as its own process against the
//! local Runtime API (harness::process): the Python solutions of exercises 06
//! and 08 under AWS's runtime interface client (`python -m awslambdaric`),
//! and the Rust solutions of 21 and 22 as `lambda_runtime::run` binaries,
//! built with the bench (release) profile. For each: Init Duration (start of
//! the process to its first request for work), the cold invocation's
//! Duration, the warm Durations, and Max Memory Used (the process's peak
//! resident memory), all read from the REPORT figures.
//!
//!   bash bench/python-vs-rust.sh            (makes the awslambdaric venv first)
//!   cargo bench -p rust-track --bench python_vs_rust -- [COLD] [WARM]
//!
//! The Python interpreter is found in `LAB_AWSLAMBDARIC_PYTHON`, else in
//! conformance/.venv (which bench/python-vs-rust.sh makes).

use harness::process::{ProcessConfig, ProcessFunction};
use harness::{Invocation, Value, events};
use std::path::{Path, PathBuf};

struct Subject {
    language: &'static str,
    function: ProcessFunction,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn python(python: &Path, solution: &str) -> Subject {
    let folder = root().join("solutions").join(solution);
    let mut config = ProcessConfig::new(python);
    config.args = vec!["-m".into(), "awslambdaric".into(), "handler.lambda_handler".into()];
    config.current_dir = Some(folder.clone());
    config.function.task_root = folder;
    config.function.handler = "handler.lambda_handler".into();
    config.function.function_name = format!("{solution}-python");
    config.function.runtime = Some("python3.11".into());
    config.extra_env.push(("PYTHONDONTWRITEBYTECODE".into(), "1".into()));
    Subject { language: "Python", function: ProcessFunction::new(config).expect("a valid configuration") }
}

fn rust(binary: &str, name: &str) -> Subject {
    let mut config = ProcessConfig::new(binary);
    config.function.function_name = format!("{name}-rust");
    Subject { language: "Rust", function: ProcessFunction::new(config).expect("a valid configuration") }
}

#[allow(clippy::disallowed_methods)] // a benchmark stops at its first failure
fn ok(invocation: Invocation, what: &str) -> Invocation {
    if let Some(error) = invocation.error() {
        eprintln!("error: {what} failed: {}\n{}", error.text, invocation.logs.join("\n"));
        std::process::exit(1);
    }
    invocation
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

/// One row of the table: cold starts (a fresh process each), then warm
/// invocations of one environment.
fn measure(subject: &Subject, event: &Value, cold: usize, warm: usize) -> String {
    let (mut inits, mut colds, mut cold_memory) = (Vec::new(), Vec::new(), 0);
    for _ in 0..cold {
        subject.function.reset();
        let first = ok(subject.function.invoke(event), "a cold invocation");
        inits.push(first.report.init_duration_ms.expect("a cold start has an Init Duration"));
        colds.push(first.report.duration_ms);
        cold_memory = cold_memory.max(first.report.max_memory_used_mb);
    }
    let mut warms = Vec::new();
    let mut memory = 0;
    for _ in 0..warm {
        let invocation = ok(subject.function.invoke(event), "a warm invocation");
        warms.push(invocation.report.duration_ms);
        memory = invocation.report.max_memory_used_mb;
    }
    format!(
        "| {} | {:.1} ms | {:.2} ms | {:.3} ms | {:.3} ms | {} MB | {} MB |",
        subject.language,
        median(&mut inits),
        median(&mut colds),
        median(&mut warms),
        percentile(&mut warms, 0.9),
        cold_memory,
        memory
    )
}

/// A batch as large as an event source mapping with a batching window
/// delivers: the per-message work, not the platform, is most of it.
fn big_batch() -> Value {
    let bodies: Vec<String> = (0..1000)
        .map(|i| match i % 4 {
            3 => "not json".to_string(),
            _ => format!(r#"{{"orderId": "o-{i}", "amount": {}.25}}"#, i % 50 + 1),
        })
        .collect();
    let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
    events::sqs_batch(&bodies)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{cores} cores of {cpu}")
}

#[allow(clippy::disallowed_methods)] // without its Python, the benchmark cannot start
fn main() {
    // `cargo bench` passes `--bench`; the numbers are what is left.
    let numbers: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let cold = numbers.first().copied().unwrap_or(20);
    let warm = numbers.get(1).copied().unwrap_or(500);
    let interpreter = std::env::var_os("LAB_AWSLAMBDARIC_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("conformance/.venv/bin/python"));
    if !interpreter.is_file() {
        eprintln!(
            "error: no Python with awslambdaric at {}.\nRun `bash bench/python-vs-rust.sh`, which makes it, or set LAB_AWSLAMBDARIC_PYTHON.",
            interpreter.display()
        );
        std::process::exit(2);
    }
    let functions = [
        (
            "S3 notification (exercises 06 and 20), event `s3-special-keys`",
            events::recorded("s3-special-keys"),
            python(&interpreter, "06-s3-events"),
            rust(env!("CARGO_BIN_EXE_s3-in-rust"), "s3"),
        ),
        (
            "SQS partial batch (exercises 08 and 21), event `sqs-batch`",
            events::recorded("sqs-batch"),
            python(&interpreter, "08-sqs-partial-batch"),
            rust(env!("CARGO_BIN_EXE_sqs-in-rust"), "sqs"),
        ),
        (
            "SQS partial batch, a batch of 1,000 messages (every fourth one bad)",
            big_batch(),
            python(&interpreter, "08-sqs-partial-batch"),
            rust(env!("CARGO_BIN_EXE_sqs-in-rust"), "sqs"),
        ),
    ];
    println!("Python vs Rust: {cold} cold starts and {warm} warm invocations each, on {}.\n", machine());
    for (title, event, python, rust) in &functions {
        // The two answer the same: the parity tests hold them to it; this
        // only makes sure nothing in the set-up broke that.
        let (a, b) = (ok(python.function.invoke(event), "Python"), ok(rust.function.invoke(event), "Rust"));
        assert_eq!(a.result(), b.result(), "{title}: the answers differ");
        println!("{title}\n");
        println!(
            "| runtime | Init Duration (median) | cold Duration (median) | warm Duration (median) | warm Duration (p90) | Max Memory Used, cold | Max Memory Used, after the warm run |"
        );
        println!("|---|---|---|---|---|---|---|");
        println!("{}", measure(python, event, cold, warm));
        println!("{}", measure(rust, event, cold, warm));
        println!();
    }
}
