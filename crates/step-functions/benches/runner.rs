//! The Step Functions runner's speed:
//! - an inline Map of Pass states over 1,000, 5,000 and 10,000 items, from
//!   the execution input (the case that cost quadratically: target, 5,000
//!   items in at most 1 s; 10,000 items stop at the history quota);
//! - a Map over a trivial Python task, 1,000 and 3,000 items (3,000 is about
//!   the most whose history, 7 events an item, fits in 25,000 events);
//! - a machine that loops forever, ended by the 25,000-event quota;
//! - the runner's own cost per state transition, from a loop of Pass and
//!   Choice states that calls no function;
//! - an inline Map in JSONata over 1,000 items (Items, ItemSelector with
//!   `$states.context`, a Pass with Output and Assign per item: target, at
//!   most 0.5 s), and the JSONPath counter loop again with a variable.
//!
//! Run: `cargo bench -p step-functions --bench runner` (the median of 5 runs
//! each). Figures go in docs/benchmarks.md, "Step Functions runner".

use harness::{Function, FunctionConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use step_functions::runner::{Execution, Options, Status, execute};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The median time of 5 runs of `machine` on `input`, after one warm-up run
/// whose execution `check` inspects.
fn time(machine: &Value, input: &Value, functions: &HashMap<String, Function>, check: impl Fn(&Execution)) -> Duration {
    let warm = execute(machine, input, functions, &Options::default()).unwrap();
    check(&warm);
    median(
        (0..5)
            .map(|_| {
                let started = Instant::now();
                execute(machine, input, functions, &Options::default()).unwrap();
                started.elapsed()
            })
            .collect(),
    )
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let root = std::env::temp_dir().join(format!("states-bench-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("app.py"), "def handler(event, context):\n    return event * 2\n").unwrap();
    let mut config = FunctionConfig::new(&root, "app.handler");
    config.function_name = "double".into();
    let mut functions = HashMap::new();
    functions.insert("double".to_string(), Function::new(config).unwrap());

    // The review's map.json: a Pass per item, the items in the execution input.
    let pass_map = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P",
            "States": {"P": {"Type": "Pass", "End": true}}}}}});
    for items in [1_000usize, 5_000, 10_000] {
        let input = json!({"items": (0..items).collect::<Vec<_>>()});
        let took = time(&pass_map, &input, &functions, |run| {
            // 4 events an item: 10,000 items cannot fit in 25,000 events.
            let fits = 4 * items + 5 <= 25_000;
            assert_eq!(run.status == Status::Succeeded, fits, "{items} items");
        });
        let outcome = if 4 * items + 5 <= 25_000 { "succeeds" } else { "fails at the history quota" };
        println!("Map of {items:>6} items over a Pass state   {:>8.1} ms  ({outcome})", ms(took));
    }

    let task_map = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
        "ItemProcessor": {"StartAt": "Double", "States": {"Double": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double", "End": true}}}}}});
    for items in [1_000usize, 3_000] {
        let input = json!({"items": (0..items).collect::<Vec<_>>()});
        let took = time(&task_map, &input, &functions, |run| {
            assert_eq!(run.output.as_ref().unwrap()[items - 1], json!(2 * (items - 1)));
        });
        println!("Map of {items:>6} items over a Python task {:>8.1} ms", ms(took));
    }

    // The review's loop2.json: Pass and Choice forever, until the quota.
    let forever = json!({"StartAt": "Spin", "States": {
        "Spin": {"Type": "Pass", "Next": "Again"},
        "Again": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "Spin"},
        "Done": {"Type": "Succeed"}}});
    let took = time(&forever, &json!({}), &functions, |run| {
        assert_eq!(run.history.events.len(), 25_000);
        assert_eq!(run.error.as_deref(), Some("States.Runtime"));
    });
    println!("a loop ended at 25,000 events             {:>8.1} ms", ms(took));

    // 2,002 transitions: a counter loop of Pass + Choice states.
    let loop_machine = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": 1000, "Next": "Done"}], "Default": "Step"},
        "Step": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}});
    let took = time(&loop_machine, &json!({}), &functions, |run| assert_eq!(run.output.as_ref().unwrap()["i"], 1000));
    let transitions = 2 + 2 * 1000;
    let per = took.as_secs_f64() * 1e6 / transitions as f64;
    println!("runner cost per state transition          {per:>8.1} µs  ({transitions} transitions, no function calls)");

    // JSONata: Items, ItemSelector reading the context object, and per item a
    // Pass state with Output and Assign (and a variable of the outer scope).
    let jsonata_map = json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"factor": 2}, "Next": "Each"},
        "Each": {"Type": "Map", "Items": "{% $states.input.items %}", "End": true,
            "ItemSelector": {"value": "{% $states.context.Map.Item.Value %}", "index": "{% $states.context.Map.Item.Index %}"},
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
                "Assign": {"last": "{% $states.input.index %}"},
                "Output": "{% $states.input.value * $factor %}"}}}}}});
    let input = json!({"items": (0..1_000).collect::<Vec<_>>()});
    let took = time(&jsonata_map, &input, &functions, |run| {
        assert_eq!(run.output.as_ref().unwrap()[999], json!(1998));
    });
    println!("JSONata Map of   1000 items over a Pass     {:>8.1} ms", ms(took));

    // The counter loop with a variable: JSONPath reading `$limit`.
    let variable_loop = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Assign": {"limit": 1000}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEqualsPath": "$limit", "Next": "Done"}], "Default": "Step"},
        "Step": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Done": {"Type": "Succeed"}}});
    let took = time(&variable_loop, &json!({}), &functions, |run| assert_eq!(run.output.as_ref().unwrap()["i"], 1000));
    let per = took.as_secs_f64() * 1e6 / transitions as f64;
    println!("the same with a variable ($limit)         {per:>8.1} µs");
    let _ = std::fs::remove_dir_all(&root);
}
