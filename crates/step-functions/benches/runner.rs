//! The Step Functions runner's speed:
//! - a Map of 1,000 items over a trivial Python task (target: at most 0.5 s);
//! - the runner's own cost per state transition, from a loop of Pass and
//!   Choice states that calls no function.
//!
//! Run: `cargo bench -p step-functions --bench runner`

use harness::{Function, FunctionConfig};
use serde_json::json;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use step_functions::runner::{Options, execute};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let root = std::env::temp_dir().join(format!("states-bench-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("app.py"), "def handler(event, context):\n    return event * 2\n").unwrap();
    let mut config = FunctionConfig::new(&root, "app.handler");
    config.function_name = "double".into();
    let mut functions = HashMap::new();
    functions.insert("double".to_string(), Function::new(config).unwrap());

    let map = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double", "End": true}}}}}});
    let input = json!({"items": (0..1000).collect::<Vec<_>>()});
    execute(&map, &input, &functions, &Options::default()).ok();
    let samples: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let run = execute(&map, &input, &functions, &Options::default()).unwrap();
            assert_eq!(run.output.unwrap()[999], 1998);
            started.elapsed()
        })
        .collect();
    println!("Map of 1,000 items over a Python task   {:>8.1} ms", median(samples).as_secs_f64() * 1000.0);

    // 3,000 transitions: a counter loop of Pass + Choice states.
    let loop_machine = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": 1000, "Next": "Done"}], "Default": "Step"},
        "Step": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}});
    let samples: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let run = execute(&loop_machine, &json!({}), &functions, &Options::default()).unwrap();
            assert_eq!(run.output.unwrap()["i"], 1000);
            started.elapsed()
        })
        .collect();
    let transitions = 2 + 2 * 1000;
    let per = median(samples).as_secs_f64() * 1e6 / transitions as f64;
    println!("runner cost per state transition        {per:>8.1} µs  ({transitions} transitions, no function calls)");
    let _ = std::fs::remove_dir_all(&root);
}
