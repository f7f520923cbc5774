//! Exercise 08: an SQS batch with partial failures. Each test sends your
//! handler.py a batch of SQS messages, the way Lambda's event source mapping
//! would, and checks which messages it reports as failed and what it logs.

use harness::check::{Call, Lab};
use harness::events::{self, sqs_batch, sqs_fifo_batch};
use harness::{Value, json};

/// The response that reports the messages at `positions` (counted from 0) of
/// `event` as failed, in that order, by their message ids.
fn failures(event: &Value, positions: &[usize]) -> Value {
    let items: Vec<Value> =
        positions.iter().map(|&at| json!({"itemIdentifier": event["Records"][at]["messageId"]})).collect();
    json!({"batchItemFailures": items})
}

/// The lines the function logged that start with "Processed order", in order.
/// A line written through `logging` ("[INFO]\t<time>\t<request id>\t<text>")
/// counts by its text.
fn processed_lines(call: &Call) -> Value {
    let lines: Vec<Value> = call
        .invocation
        .function_messages()
        .into_iter()
        .filter(|text| text.starts_with("Processed order"))
        .map(|text| json!(text.trim_end()))
        .collect();
    Value::Array(lines)
}

#[test]
fn a_batch_of_good_orders_reports_no_failures() {
    let lab = Lab::exercise();
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
    let lab = Lab::exercise();
    let event =
        sqs_batch(&[r#"{"orderId": "o-1001", "amount": 25.5}"#, "not json", r#"{"orderId": "o-1003", "amount": 12}"#]);
    let expected = failures(&event, &[1]);
    lab.invoke(event).expect_result(
        "reports the message whose body is not JSON by its messageId, and returns instead of raising",
        expected,
    );
}

#[test]
fn json_that_is_not_an_order_object_is_a_failure() {
    let lab = Lab::exercise();
    let event = sqs_batch(&["[1, 2]", "42", r#""o-1001""#, "null", r#"{"orderId": "o-1005", "amount": 5}"#]);
    let expected = failures(&event, &[0, 1, 2, 3]);
    lab.invoke(event).expect_result(
        "reports bodies that are valid JSON but not an object (a list, a number, a string, null) as failures",
        expected,
    );
}

#[test]
fn a_missing_field_is_a_failure() {
    let lab = Lab::exercise();
    let event =
        sqs_batch(&[r#"{"orderId": "o-1001"}"#, r#"{"amount": 10}"#, "{}", r#"{"orderId": "o-1004", "amount": 7.5}"#]);
    let expected = failures(&event, &[0, 1, 2]);
    lab.invoke(event).expect_result("reports a message that lacks orderId or amount as a failure", expected);
}

#[test]
fn the_amount_must_be_a_number_greater_than_zero() {
    let lab = Lab::exercise();
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
    let lab = Lab::exercise();
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
    let lab = Lab::exercise();
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
        "the \"Processed order\" lines in the function's log",
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
    let lab = Lab::exercise();
    let event = events::recorded("sqs-batch");
    let call = lab.invoke(event);
    call.expect_result(
        "a batch recorded from SQS, three good orders, has no failures",
        json!({"batchItemFailures": []}),
    );
    call.expect_value(
        "a batch recorded from SQS, three good orders, gets one log line per order",
        "the \"Processed order\" lines in the function's log",
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
    // One environment, two batches: a list of failures kept at module level
    // would carry the first batch's failures into the second answer.
    let lab = Lab::exercise();
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
    // Python's json.loads reads NaN and Infinity (which JSON does not have),
    // and reads 1e400 as inf. NaN > 0 is False but so is NaN <= 0, so a check
    // for "not greater than 0" lets it through; an integer too big for a float
    // makes the :.2f format raise OverflowError.
    let lab = Lab::exercise();
    let huge = format!(r#"{{"orderId": "o-1005", "amount": 1{}}}"#, "0".repeat(400));
    let event = sqs_batch(&[
        r#"{"orderId": "o-1001", "amount": NaN}"#,
        r#"{"orderId": "o-1002", "amount": Infinity}"#,
        r#"{"orderId": "o-1003", "amount": -Infinity}"#,
        r#"{"orderId": "o-1004", "amount": 1e400}"#,
        &huge,
        r#"{"orderId": "o-1006", "amount": 12.5}"#,
    ]);
    let expected = failures(&event, &[0, 1, 2, 3, 4]);
    let call = lab.invoke(event);
    call.expect_result(
        "reports NaN, Infinity, -Infinity, 1e400 (which Python reads as inf) and a 401-digit amount as failures: an amount must be a finite number",
        expected,
    );
    call.expect_value(
        "logs no \"Processed order\" line for an amount that is not a finite number",
        "the \"Processed order\" lines in the function's log",
        json!(["Processed order o-1006 for 12.50"]),
        processed_lines(&call),
    );
}

#[test]
fn a_body_nested_too_deeply_to_read_is_a_failure_not_a_crash() {
    // Valid JSON, but json.loads gives up on it with RecursionError, which is
    // not a ValueError: an `except ValueError` lets it out of the handler and
    // the whole batch fails, the good orders included.
    let lab = Lab::exercise();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let event = sqs_batch(&[r#"{"orderId": "o-1001", "amount": 5}"#, &deep, r#"{"orderId": "o-1003", "amount": 8}"#]);
    let expected = failures(&event, &[1]);
    let call = lab.invoke(event);
    call.expect_result(
        "reports a body nested 100,000 levels deep (json.loads raises RecursionError on it) by its messageId, and goes on with the batch",
        expected,
    );
    call.expect_value(
        "processes the good orders on both sides of the deeply nested body",
        "the \"Processed order\" lines in the function's log",
        json!(["Processed order o-1001 for 5.00", "Processed order o-1003 for 8.00"]),
        processed_lines(&call),
    );
}

#[test]
fn a_fifo_batch_stops_at_the_first_bad_message() {
    // On a FIFO queue, order matters: once a message fails, the ones after it
    // must not be processed ahead of it. Report it and everything after it.
    let lab = Lab::exercise();
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
        "on a FIFO queue (eventSourceARN ending in .fifo), reports the first bad message and every message after it, good or bad, in order",
        expected,
    );
    call.expect_value(
        "on a FIFO queue, processes nothing after the first bad message",
        "the \"Processed order\" lines in the function's log",
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
    // (the end of eventSourceARN) says whether it is a FIFO queue.
    let lab = Lab::exercise();
    let mut event =
        sqs_batch(&[r#"{"orderId": "o-1001", "amount": 1}"#, "not json", r#"{"orderId": "o-1003", "amount": 2}"#]);
    for (index, record) in event["Records"].as_array_mut().unwrap().iter_mut().enumerate() {
        record["attributes"]["MessageGroupId"] = json!(format!("tenant-{index}"));
    }
    let expected = failures(&event, &[1]);
    lab.invoke(event).expect_result(
        "on a standard queue (its name does not end in .fifo) whose messages have a MessageGroupId (a fair queue), reports only the bad message and processes the rest",
        expected,
    );
}

#[test]
fn the_s3_test_message_is_a_bad_message() {
    // A queue that S3 notifies receives one s3:TestEvent message when the
    // notification is set up: JSON, but not an order.
    let lab = Lab::exercise();
    let event = events::recorded("sqs-s3-test-event");
    let expected = failures(&event, &[0]);
    lab.invoke(event).expect_result(
        "reports S3's test message (the catalog's sqs-s3-test-event: an object with no orderId) as a failure, without raising",
        expected,
    );
}
