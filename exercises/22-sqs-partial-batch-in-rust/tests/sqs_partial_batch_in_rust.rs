//! Exercise 22: an SQS batch with partial failures, in Rust. Exercise 08's
//! checks, and one more for a body that serde reads more kindly than Python
//! does: each test sends your `function_handler` (src/lib.rs) a batch of SQS
//! messages, the way Lambda's event source mapping would, and checks which
//! messages it reports as failed and what it logs. The harness runs your
//! handler in this test process, as lambda_runtime would on Lambda.

use exercise_22::function_handler;
use harness::check::Call;
use harness::events::{self, sqs_batch, sqs_fifo_batch};
use harness::{Value, json};
use harness_rust::{RustLab, logged_messages};
use lambda_runtime::service_fn;

/// Your handler as a Lambda function.
fn lab() -> RustLab {
    RustLab::exercise(service_fn(function_handler))
}

/// The response that reports the messages at `positions` (counted from 0) of
/// `event` as failed, in that order, by their message ids.
fn failures(event: &Value, positions: &[usize]) -> Value {
    let items: Vec<Value> =
        positions.iter().map(|&at| json!({"itemIdentifier": event["Records"][at]["messageId"]})).collect();
    json!({"batchItemFailures": items})
}

/// The messages the handler logged through tracing that start with
/// "Processed order", in order.
fn processed_lines(call: &Call) -> Value {
    let lines: Vec<Value> = logged_messages(&call.invocation)
        .into_iter()
        .filter(|text| text.starts_with("Processed order"))
        .map(|text| json!(text.trim_end()))
        .collect();
    Value::Array(lines)
}

#[test]
fn a_batch_of_good_orders_reports_no_failures() {
    let lab = lab();
    let event = sqs_batch(&[
        r#"{"orderId": "o-1001", "amount": 25.5}"#,
        r#"{"orderId": "o-1002", "amount": 100}"#,
        r#"{"orderId": "o-1003", "amount": 9.99}"#,
    ]);
    lab.invoke(event).expect_result(
        "when every message is good, it returns an empty list of failures (the key is still there)",
        json!({"batchItemFailures": []}),
    );
}

#[test]
fn a_body_that_is_not_json_is_reported_by_its_message_id() {
    let lab = lab();
    let event =
        sqs_batch(&[r#"{"orderId": "o-1001", "amount": 25.5}"#, "not json", r#"{"orderId": "o-1003", "amount": 12}"#]);
    let expected = failures(&event, &[1]);
    lab.invoke(event).expect_result(
        "reports the message whose body is not JSON by its messageId, and returns Ok instead of an Err",
        expected,
    );
}

#[test]
fn json_that_is_not_an_order_object_is_a_failure() {
    let lab = lab();
    let event = sqs_batch(&["[1, 2]", "42", r#""o-1001""#, "null", r#"{"orderId": "o-1005", "amount": 5}"#]);
    let expected = failures(&event, &[0, 1, 2, 3]);
    lab.invoke(event).expect_result(
        "reports bodies that are valid JSON but not an object (a list, a number, a string, null) as failures",
        expected,
    );
}

#[test]
fn a_list_of_the_fields_is_not_an_order() {
    // Not one of exercise 08's checks: Python's json.loads gives a list for
    // this body, and a list is not a dict. serde is more generous: a struct
    // with derived Deserialize reads from a JSON object, and also from a JSON
    // list of its fields in the order they are declared, so
    // serde_json::from_str::<Order> reads ["o-1002", 25.5] as a good order.
    let lab = lab();
    let event = sqs_batch(&[
        r#"{"orderId": "o-1001", "amount": 12}"#,
        r#"["o-1002", 25.5]"#,
        r#"{"orderId": "o-1003", "amount": 7.5}"#,
    ]);
    let expected = failures(&event, &[1]);
    let call = lab.invoke(event);
    let advice = "serde reads a struct from a list of its fields as well as from an object, so from_str::<Order> alone accepts it: read the body as a serde_json::Value, check is_object(), then turn it into an Order with serde_json::from_value";
    call.expect_result(
        &format!("reports the body [\"o-1002\", 25.5], a JSON list and not an object, by its messageId: {advice}"),
        expected,
    );
    call.expect_value(
        &format!("processes the two orders around the list, and not the list itself: {advice}"),
        "the \"Processed order\" messages your handler logged",
        json!(["Processed order o-1001 for 12.00", "Processed order o-1003 for 7.50"]),
        processed_lines(&call),
    );
}

#[test]
fn a_missing_field_is_a_failure() {
    let lab = lab();
    let event =
        sqs_batch(&[r#"{"orderId": "o-1001"}"#, r#"{"amount": 10}"#, "{}", r#"{"orderId": "o-1004", "amount": 7.5}"#]);
    let expected = failures(&event, &[0, 1, 2]);
    lab.invoke(event).expect_result("reports a message that lacks orderId or amount as a failure", expected);
}

#[test]
fn the_amount_must_be_a_number_greater_than_zero() {
    let lab = lab();
    let event = sqs_batch(&[
        r#"{"orderId": "o-1001", "amount": 0}"#,
        r#"{"orderId": "o-1002", "amount": -5}"#,
        r#"{"orderId": "o-1003", "amount": "25.50"}"#,
        r#"{"orderId": "o-1004", "amount": null}"#,
        r#"{"orderId": "o-1005", "amount": 0.01}"#,
    ]);
    let expected = failures(&event, &[0, 1, 2, 3]);
    lab.invoke(event).expect_result(
        "reports an amount of 0, a negative amount, or an amount that is not a number as a failure",
        expected,
    );
}

#[test]
fn failures_are_reported_in_the_order_the_messages_arrived() {
    let lab = lab();
    let event = sqs_batch(&[
        r#"{"orderId": "o-1001"}"#,
        r#"{"orderId": "o-1002", "amount": 30}"#,
        "not json",
        r#"{"orderId": "o-1004", "amount": 0}"#,
        "[1, 2]",
        r#"{"orderId": "o-1006", "amount": 1.25}"#,
    ]);
    let expected = failures(&event, &[0, 2, 3, 4]);
    lab.invoke(event).expect_result(
        "lists the failed messages in the order they arrived in the batch, whatever went wrong with each",
        expected,
    );
}

#[test]
fn logs_one_line_per_processed_order() {
    let lab = lab();
    let event = sqs_batch(&[
        r#"{"orderId": "o-1001", "amount": 25.5}"#,
        "not json",
        r#"{"orderId": "o-1003", "amount": 100}"#,
        r#"{"orderId": "o-1004", "amount": 0}"#,
        r#"{"orderId": "o-1005", "amount": 9.99}"#,
    ]);
    let call = lab.invoke(event);
    let check = "logs one line for each good message, in order, with the amount written with two decimals";
    call.result_for(check);
    call.expect_value(
        check,
        "the \"Processed order\" messages your handler logged",
        json!([
            "Processed order o-1001 for 25.50",
            "Processed order o-1003 for 100.00",
            "Processed order o-1005 for 9.99",
        ]),
        processed_lines(&call),
    );
}

#[test]
fn the_recorded_batch_is_processed_in_full() {
    let lab = lab();
    let event = events::recorded("sqs-batch");
    let call = lab.invoke(event);
    call.expect_result(
        "a batch recorded from SQS, three good orders, has no failures",
        json!({"batchItemFailures": []}),
    );
    call.expect_value(
        "a batch recorded from SQS, three good orders, gets one log line per order",
        "the \"Processed order\" messages your handler logged",
        json!([
            "Processed order o-1001 for 25.50",
            "Processed order o-1002 for 12.00",
            "Processed order o-1003 for 99.99",
        ]),
        processed_lines(&call),
    );
}

#[test]
fn each_batch_starts_with_no_failures_on_a_warm_start_too() {
    // One environment, two batches: a list of failures kept in a static
    // would carry the first batch's failures into the second answer.
    let lab = lab();
    let first = sqs_batch(&["not json", r#"{"orderId": "o-1002", "amount": 3}"#]);
    let expected = failures(&first, &[0]);
    lab.invoke(first).expect_result("reports the bad message of the first batch", expected);
    let warm = lab.invoke(sqs_batch(&[r#"{"orderId": "o-2001", "amount": 4}"#]));
    warm.expect(
        "the second batch reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    warm.expect_result(
        "a good second batch in the same environment reports no failures",
        json!({"batchItemFailures": []}),
    );
}

#[test]
fn an_amount_must_be_a_finite_number() {
    // JSON has no NaN or Infinity, and serde_json refuses them ("expected
    // value", "invalid number"); it refuses 1e400 and a 401-digit integer too,
    // as "number out of range" for an f64. 1e39 is a finite number, which an
    // f64 holds and an f32 does not: as an f32 it becomes inf, and inf > 0.0.
    let lab = lab();
    let huge = format!(r#"{{"orderId": "o-1005", "amount": 1{}}}"#, "0".repeat(400));
    let event = sqs_batch(&[
        r#"{"orderId": "o-1001", "amount": NaN}"#,
        r#"{"orderId": "o-1002", "amount": Infinity}"#,
        r#"{"orderId": "o-1003", "amount": -Infinity}"#,
        r#"{"orderId": "o-1004", "amount": 1e400}"#,
        &huge,
        r#"{"orderId": "o-1006", "amount": 12.5}"#,
        r#"{"orderId": "o-1007", "amount": 1e39}"#,
    ]);
    let expected = failures(&event, &[0, 1, 2, 3, 4]);
    let call = lab.invoke(event);
    call.expect_result(
        "reports NaN, Infinity, -Infinity, 1e400 and a 401-digit amount as failures (serde_json refuses each of them for an f64: an amount must be a finite number), and returns Ok",
        expected,
    );
    call.expect_value(
        "logs 12.5 and 1e39 as the finite numbers they are, never as inf: keep the amount an f64, since an f32 stops near 3.4e38 and reads 1e39 as inf",
        "the \"Processed order\" messages your handler logged",
        json!([
            "Processed order o-1006 for 12.50",
            // The f64 nearest to 1e39, written out in full, as {:.2} writes it.
            "Processed order o-1007 for 999999999999999939709166371603178586112.00",
        ]),
        processed_lines(&call),
    );
}

#[test]
fn a_body_nested_too_deeply_to_read_is_a_failure_not_a_crash() {
    // Valid JSON, 100,000 lists deep. Read as an Order, serde_json stops at
    // the first "[" (a list is not an order); read as a serde_json::Value, it
    // gives up after 128 levels with "recursion limit exceeded". Either way
    // an Err for this message alone. Code that walked the body by recursion,
    // one call per level, would overflow its stack instead, and a stack
    // overflow ends the whole process: every message of the batch with it.
    let lab = lab();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let event = sqs_batch(&[r#"{"orderId": "o-1001", "amount": 5}"#, &deep, r#"{"orderId": "o-1003", "amount": 8}"#]);
    let expected = failures(&event, &[1]);
    let call = lab.invoke(event);
    call.expect_result(
        "reports a body nested 100,000 levels deep (valid JSON, but no order) by its messageId, and goes on with the batch",
        expected,
    );
    call.expect_value(
        "processes the good orders on both sides of the deeply nested body",
        "the \"Processed order\" messages your handler logged",
        json!(["Processed order o-1001 for 5.00", "Processed order o-1003 for 8.00"]),
        processed_lines(&call),
    );
}

#[test]
fn a_fifo_batch_stops_at_the_first_bad_message() {
    // On a FIFO queue, order matters: once a message fails, the ones after it
    // must not be processed ahead of it. Report it and everything after it,
    // so that Lambda deletes none of them.
    let lab = lab();
    let event = sqs_fifo_batch(&[
        r#"{"orderId": "o-3001", "amount": 18.5}"#,
        "not json",
        r#"{"orderId": "o-3003", "amount": 42.25}"#,
        r#"{"orderId": "o-3004", "amount": 0}"#,
        r#"{"orderId": "o-3005", "amount": 3}"#,
    ]);
    let expected = failures(&event, &[1, 2, 3, 4]);
    let call = lab.invoke(event);
    call.expect_result(
        "on a FIFO queue (record.event_source_arn ends in .fifo), reports the first bad message and every message after it, good or bad, in order: a message left out of the list is deleted from the queue",
        expected,
    );
    call.expect_value(
        "on a FIFO queue, processes nothing after the first bad message (stop the loop there with break)",
        "the \"Processed order\" messages your handler logged",
        json!(["Processed order o-3001 for 18.50"]),
        processed_lines(&call),
    );
    let call = lab.invoke(events::recorded("sqs-fifo-batch"));
    call.expect_result(
        "a FIFO batch of good orders (the catalog's sqs-fifo-batch) has no failures",
        json!({"batchItemFailures": []}),
    );
}

#[test]
fn a_standard_queue_with_message_groups_keeps_going() {
    // Message group ids are not only for FIFO queues: on a standard queue they
    // turn on fair queues, and order does not matter there. The queue's name
    // (the end of eventSourceARN) says whether it is a FIFO queue; a
    // MessageGroupId in record.attributes does not.
    let lab = lab();
    let mut event =
        sqs_batch(&[r#"{"orderId": "o-1001", "amount": 1}"#, "not json", r#"{"orderId": "o-1003", "amount": 2}"#]);
    for (index, record) in event["Records"].as_array_mut().unwrap().iter_mut().enumerate() {
        record["attributes"]["MessageGroupId"] = json!(format!("tenant-{index}"));
    }
    let expected = failures(&event, &[1]);
    lab.invoke(event).expect_result(
        "on a standard queue (its name does not end in .fifo) whose messages have a MessageGroupId (a fair queue), reports only the bad message and processes the rest: decide FIFO by the queue's name, not by the message group",
        expected,
    );
}

#[test]
fn the_s3_test_message_is_a_bad_message() {
    // A queue that S3 notifies receives one s3:TestEvent message when the
    // notification is set up: JSON, but not an order.
    let lab = lab();
    let event = events::recorded("sqs-s3-test-event");
    let expected = failures(&event, &[0]);
    lab.invoke(event).expect_result(
        "reports S3's test message (the catalog's sqs-s3-test-event: an object with no orderId) as a failure, and returns Ok",
        expected,
    );
}
