//! What CloudWatch Logs receives from an invocation.

mod common;

use serde_json::{Value, json};

const LOGGING: &str = "
import logging
logger = logging.getLogger()
logging.basicConfig(level=logging.DEBUG)   # does nothing: the runtime already set up the root logger
def handler(event, context):
    print('plain print')
    print('two', 'lines\\nhere')
    logger.debug('a debug line')
    logger.info('an info line')
    logger.warning('a warning line')
    logging.getLogger('orders').error('order %s failed', 'A-1', extra={'orderId': 'A-1'})
    return 1
";

#[test]
fn by_default_only_warnings_and_above_are_logged() {
    let call = common::function(LOGGING, "handler").invoke(&json!({}));
    let lines = call.function_logs();
    assert_eq!(lines[0], "plain print");
    assert_eq!(lines[1], "two lines");
    assert_eq!(lines[2], "here");
    assert_eq!(lines.len(), 5, "{lines:?}");
    let warning = format!("\t{}\ta warning line", call.request_id);
    assert!(lines[3].starts_with("[WARNING]\t") && lines[3].ends_with(&warning), "{:?}", lines[3]);
    // [LEVEL]\t2026-11-27T12:00:00.123Z\t<request id>\t<message>
    let stamp = lines[3].split('\t').nth(1).unwrap();
    assert_eq!(stamp.len(), 24, "{stamp}");
    assert!(stamp.ends_with('Z') && &stamp[10..11] == "T" && &stamp[19..20] == ".");
    assert!(lines[4].starts_with("[ERROR]\t") && lines[4].ends_with("\torder A-1 failed"));
}

#[test]
fn the_log_level_variable_opens_the_lower_levels() {
    let f = common::configured(LOGGING, "handler", |c| {
        c.environment.push(("AWS_LAMBDA_LOG_LEVEL".into(), "DEBUG".into()));
    });
    let call = f.invoke(&json!({}));
    let lines = call.function_logs();
    assert!(lines.iter().any(|l| l.starts_with("[DEBUG]\t") && l.ends_with("a debug line")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("[INFO]\t") && l.ends_with("an info line")));
}

#[test]
fn the_json_log_format_writes_one_object_per_record() {
    let f = common::configured(LOGGING, "handler", |c| {
        c.environment.push(("AWS_LAMBDA_LOG_FORMAT".into(), "JSON".into()));
    });
    let call = f.invoke(&json!({}));
    let records: Vec<Value> = call.function_logs().iter().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(records.len(), 2, "{:?}", call.function_logs());
    let error = &records[1];
    assert_eq!(error["level"], json!("ERROR"));
    assert_eq!(error["message"], json!("order A-1 failed"));
    assert_eq!(error["logger"], json!("orders"));
    assert_eq!(error["requestId"], json!(call.request_id));
    assert_eq!(error["orderId"], json!("A-1"));
    let keys: Vec<&String> = error.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["timestamp", "level", "message", "logger", "requestId", "orderId"]);
    assert_eq!(error["timestamp"].as_str().unwrap().len(), "2026-11-27T12:00:00Z".len());
}

#[test]
fn platform_lines_frame_every_invocation() {
    let f = common::configured("def handler(e, c):\n    print('hi')\n", "handler", |c| c.memory_mb = 512);
    let call = f.invoke(&json!({}));
    let id = &call.request_id;
    assert_eq!(call.logs[0], format!("START RequestId: {id} Version: $LATEST"));
    assert_eq!(call.logs[1], "hi");
    assert_eq!(call.logs[2], format!("END RequestId: {id}"));
    let report: Vec<&str> = call.logs[3].split('\t').collect();
    assert_eq!(report[0], format!("REPORT RequestId: {id}"));
    assert_eq!(report[1], format!("Duration: {:.2} ms", call.report.duration_ms));
    assert_eq!(report[2], format!("Billed Duration: {} ms", call.report.billed_duration_ms));
    assert_eq!(report[3], "Memory Size: 512 MB");
    assert_eq!(report[4], format!("Max Memory Used: {} MB", call.report.max_memory_used_mb));
    assert!(report[5].starts_with("Init Duration: ") && report[5].ends_with(" ms"));
    // Billed: duration plus init (billed since August 2025), rounded up to the next ms.
    let init = call.report.init_duration_ms.unwrap();
    assert_eq!(call.report.billed_duration_ms, (call.report.duration_ms + init).ceil() as u64);
    assert!(call.report.max_memory_used_mb > 1);
    let warm = f.invoke(&json!({}));
    assert_eq!(warm.report.billed_duration_ms, warm.report.duration_ms.ceil().max(1.0) as u64);
}

#[test]
fn context_log_writes_without_a_newline() {
    let f = common::function("def handler(e, c):\n    c.log('one ')\n    c.log('two\\n')\n", "handler");
    assert_eq!(f.invoke(&json!({})).function_logs(), ["one two"]);
}

#[test]
fn module_level_output_belongs_to_the_cold_start() {
    let f = common::function("print('loading')\ndef handler(e, c):\n    print('handling')\n", "handler");
    let cold = f.invoke(&json!({}));
    assert_eq!(cold.logs[0], "loading");
    assert!(cold.logs[1].starts_with("START RequestId: "));
    let warm = f.invoke(&json!({}));
    assert_eq!(warm.function_logs(), ["handling"]);
}
