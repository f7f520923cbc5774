//! Metrics a handler emits in Embedded Metric Format, read back from its log.

mod common;

use serde_json::json;

#[test]
fn printed_emf_lines_become_metrics() {
    let source = r#"
import json, time
def handler(event, context):
    for value in event["values"]:
        print(json.dumps({
            "_aws": {"Timestamp": int(time.time() * 1000), "CloudWatchMetrics": [{
                "Namespace": "Shop", "Dimensions": [["Service"]],
                "Metrics": [{"Name": "OrdersProcessed", "Unit": "Count"}, {"Name": "OrderValue", "Unit": "None"}]}]},
            "Service": "orders", "OrdersProcessed": 1, "OrderValue": value,
            "requestId": context.aws_request_id,
        }))
    print("done")
"#;
    let call = common::function(source, "handler").invoke(&json!({"values": [12.5, 7]}));
    let found = call.metrics();
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    let values: Vec<f64> = found.named("OrderValue").iter().flat_map(|m| m.values.clone()).collect();
    assert_eq!(values, [12.5, 7.0]);
    let counts = found.named("OrdersProcessed");
    assert_eq!(counts.len(), 2);
    assert!(
        counts.iter().all(|m| m.namespace == "Shop"
            && m.unit == "Count"
            && m.dimensions == [("Service".into(), "orders".into())])
    );
}

#[test]
fn a_broken_emf_line_is_a_problem_naming_the_line() {
    let source = "import json\ndef handler(event, context):\n    print('starting')\n    print(json.dumps({'_aws': {'CloudWatchMetrics': []}}))\n";
    let call = common::function(source, "handler").invoke(&json!({}));
    let found = call.metrics();
    assert!(found.metrics.is_empty());
    assert_eq!(found.problems.len(), 1);
    // Line 1 is START, 2 "starting", 3 the EMF line.
    assert_eq!(found.problems[0].line, 3);
    assert!(found.problems[0].reason.contains("Timestamp"));
}
