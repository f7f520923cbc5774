//! What the harness costs on top of the handler itself, measured in one run:
//! - warm: `Function::invoke` of a trivial handler, against calling the same
//!   Python function directly through pyo3 on the caller's thread (no
//!   environment, no context, no marshalling, no logs);
//! - cold: a new `Function`'s first invoke, against importing the same module
//!   with importlib, which is the module's own import time.
//!
//! Run: `cargo bench -p harness --bench invoke`

use harness::{Function, FunctionConfig};
use pyo3::prelude::*;
use std::time::{Duration, Instant};

const HANDLER: &str = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let root = std::env::temp_dir().join(format!("harness-bench-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    for n in 0..400 {
        std::fs::write(root.join(format!("app{n}.py")), HANDLER).unwrap();
    }
    harness::python::start().unwrap();
    let event = serde_json::json!({"name": "Ada", "items": [1, 2, 3]});

    // Warm: the harness.
    let function = Function::new(FunctionConfig::new(&root, "app0.handler")).unwrap();
    function.invoke(&event);
    let mut warm = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        for _ in 0..500 {
            std::hint::black_box(function.invoke(&event));
        }
        warm.push(started.elapsed() / 500);
    }
    let warm = median(warm);

    // Warm: the bare call, with the event parsed from the same JSON text.
    let payload = event.to_string();
    let bare = Python::attach(|py| {
        let module = PyModule::from_code(
            py,
            c"def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n",
            c"bare.py",
            c"bare",
        )
        .unwrap();
        let handler = module.getattr("handler").unwrap();
        let loads = py.import("json").unwrap().getattr("loads").unwrap();
        let dumps = py.import("json").unwrap().getattr("dumps").unwrap();
        let mut samples = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            for _ in 0..500 {
                let event = loads.call1((payload.as_str(),)).unwrap();
                let result = handler.call1((event, py.None())).unwrap();
                std::hint::black_box(dumps.call1((result,)).unwrap());
            }
            samples.push(started.elapsed() / 500);
        }
        median(samples)
    });

    // Cold: a new function's first invoke, against importlib on a fresh module.
    let mut cold = Vec::new();
    let mut init = Vec::new();
    for n in 1..200 {
        let function = Function::new(FunctionConfig::new(&root, format!("app{n}.handler"))).unwrap();
        let started = Instant::now();
        let call = function.invoke(&event);
        cold.push(started.elapsed());
        init.push(Duration::from_secs_f64(call.report.init_duration_ms.unwrap() / 1000.0));
    }
    let import_alone = Python::attach(|py| {
        let sys = py.import("sys").unwrap();
        sys.getattr("path").unwrap().call_method1("insert", (0, root.to_string_lossy().to_string())).unwrap();
        let importlib = py.import("importlib").unwrap();
        let mut samples = Vec::new();
        for n in 200..400 {
            let started = Instant::now();
            importlib.call_method1("import_module", (format!("app{n}"),)).unwrap();
            samples.push(started.elapsed());
        }
        median(samples)
    });
    let cold = median(cold);
    let init = median(init);

    println!("warm invoke, harness            {:>9.1} µs", micros(warm));
    println!("warm call, bare pyo3 + json     {:>9.1} µs", micros(bare));
    println!("warm overhead of the harness    {:>9.1} µs", micros(warm.saturating_sub(bare)));
    println!(
        "cold invoke, harness            {:>9.1} µs  (Init Duration reported: {:.1} µs)",
        micros(cold),
        micros(init)
    );
    println!("module import alone (importlib) {:>9.1} µs", micros(import_alone));
    println!(
        "cold-start overhead of harness  {:>9.1} µs  (cold invoke - import alone - bare call)",
        micros(cold.saturating_sub(import_alone).saturating_sub(bare))
    );
    let _ = std::fs::remove_dir_all(&root);
}
