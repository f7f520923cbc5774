//! Exercise 25: an SQS batch with Powertools' batch utility. Each test sends
//! your handler.py a batch of SQS messages, the way Lambda's event source
//! mapping would (from a standard queue, or from a FIFO queue), and checks
//! which messages it reports as failed, what it logs, and that a batch
//! where every message is bad ends in the utility's error.

use harness::check::{Call, Lab};
use harness::events::{sqs_batch, sqs_fifo_batch};
use harness::{Value, json};

/// The response that reports the messages at `positions` (counted from 0)
/// of `event` as failed, in that order, by their message ids.
fn failures(event: &Value, positions: &[usize]) -> Value {
    let items: Vec<Value> =
        positions.iter().map(|&at| json!({"itemIdentifier": event["Records"][at]["messageId"]})).collect();
    json!({"batchItemFailures": items})
}

/// The lines the function printed that start with "Processed order", in order.
fn processed_lines(call: &Call) -> Value {
    call.invocation
        .function_messages()
        .into_iter()
        .filter(|text| text.starts_with("Processed order"))
        .map(|text| json!(text.trim_end()))
        .collect()
}

const GOOD_1: &str = r#"{"orderId": "o-1001", "amount": 25.5}"#;
const GOOD_2: &str = r#"{"orderId": "o-1002", "amount": 100}"#;
const GOOD_3: &str = r#"{"orderId": "o-1003", "amount": 9.99}"#;

#[test]
fn a_batch_of_good_orders_reports_no_failures_and_processes_each() {
    let check = "every message is good: no failures, and one Processed order line per message, in order";
    let lab = Lab::exercise();
    let call = lab.invoke(sqs_batch(&[GOOD_1, GOOD_2, GOOD_3]));
    call.expect_result(check, json!({"batchItemFailures": []}));
    call.expect_value(
        check,
        "the Processed order lines",
        json!([
            "Processed order o-1001 for 25.50",
            "Processed order o-1002 for 100.00",
            "Processed order o-1003 for 9.99"
        ]),
        processed_lines(&call),
    );
}

#[test]
fn a_batch_of_one_message_is_a_batch_too() {
    // A queue with little traffic hands over one message at a time.
    let check = "a batch of a single good message: no failures, one Processed order line";
    let lab = Lab::exercise();
    let call = lab.invoke(sqs_batch(&[GOOD_2]));
    call.expect_result(check, json!({"batchItemFailures": []}));
    call.expect_value(
        check,
        "the Processed order lines",
        json!(["Processed order o-1002 for 100.00"]),
        processed_lines(&call),
    );
}

#[test]
fn a_mixed_batch_reports_each_bad_message_and_processes_the_rest() {
    // A standard queue: a bad first message does not stop the others.
    let check = "reports each bad message by its messageId (not JSON, not an object, a missing key) and processes the good ones";
    let lab = Lab::exercise();
    let event = sqs_batch(&["not json", GOOD_1, "[1, 2]", r#"{"orderId": "o-1004"}"#, GOOD_3]);
    let expected = failures(&event, &[0, 2, 3]);
    let call = lab.invoke(event);
    call.expect_result(check, expected);
    call.expect_value(
        check,
        "the Processed order lines",
        json!(["Processed order o-1001 for 25.50", "Processed order o-1003 for 9.99"]),
        processed_lines(&call),
    );
}

#[test]
fn the_amount_must_be_a_finite_number_above_zero() {
    let check = "reports an amount that is 0, negative, text, a bool, NaN, Infinity, 1e400 or too big for a float";
    let lab = Lab::exercise();
    let event = sqs_batch(&[
        r#"{"orderId": "o-1", "amount": 0}"#,
        r#"{"orderId": "o-2", "amount": -5}"#,
        r#"{"orderId": "o-3", "amount": "25.50"}"#,
        r#"{"orderId": "o-4", "amount": true}"#,
        r#"{"orderId": "o-5", "amount": NaN}"#,
        r#"{"orderId": "o-6", "amount": Infinity}"#,
        r#"{"orderId": "o-7", "amount": 1e400}"#,
        r#"{"orderId": "o-8", "amount": 1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001}"#,
        GOOD_2,
        r#"{"orderId": "o-10", "amount": 0.01}"#,
    ]);
    let expected = failures(&event, &[0, 1, 2, 3, 4, 5, 6, 7]);
    let call = lab.invoke(event);
    call.expect_result(check, expected);
    call.expect_value(
        "a small amount above zero is good: one cent is an order",
        "the Processed order lines",
        json!(["Processed order o-1002 for 100.00", "Processed order o-10 for 0.01"]),
        processed_lines(&call),
    );
}

#[test]
fn a_body_nested_too_deeply_is_a_failure_not_a_crash() {
    let check = "a body nested so deeply that json.loads gives up is reported as a failure, and the batch goes on";
    let lab = Lab::exercise();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let event = sqs_batch(&[&deep, GOOD_1]);
    let expected = failures(&event, &[0]);
    lab.invoke(event).expect_result(check, expected);
}

#[test]
fn a_batch_where_every_message_is_bad_ends_in_the_utilitys_error() {
    // The utility's default: nothing was processed, so the function fails
    // and Lambda retries the whole batch (and counts an error you can alarm on).
    let check = "when every message is bad, process_partial_response raises BatchProcessingError";
    let lab = Lab::exercise();
    let call = lab.invoke(sqs_batch(&["not json", "{}"]));
    call.expect_error(check, "BatchProcessingError", None);
    let message = call.invocation.error().map(|error| error.error_message.clone()).unwrap_or_default();
    let first_line = message.lines().next().unwrap_or_default().to_string();
    call.expect(
        check,
        first_line == "All records failed processing. 2 individual errors logged separately below.",
        &format!(
            "The error's message begins {first_line:?}; the batch utility's begins \"All records failed processing. \
             2 individual errors logged separately below.\", then the traceback of each record's error. Let \
             process_partial_response raise it: do not catch it, and do not raise an error of your own."
        ),
    );
}

#[test]
fn a_fifo_batch_stops_at_the_first_bad_message() {
    let check = "from a FIFO queue: the first bad message and every message after it are reported, and none after it is processed";
    let lab = Lab::exercise();
    let event = sqs_fifo_batch(&[GOOD_1, "not json", GOOD_2, GOOD_3]);
    let expected = failures(&event, &[1, 2, 3]);
    let call = lab.invoke(event);
    call.expect_result(check, expected);
    call.expect_value(
        check,
        "the Processed order lines",
        json!(["Processed order o-1001 for 25.50"]),
        processed_lines(&call),
    );
}

#[test]
fn a_good_fifo_batch_is_processed_in_order() {
    let check = "a FIFO batch of good messages: no failures, each processed in the queue's order";
    let lab = Lab::exercise();
    let call = lab.invoke(sqs_fifo_batch(&[GOOD_3, GOOD_1, GOOD_2]));
    call.expect_result(check, json!({"batchItemFailures": []}));
    call.expect_value(
        check,
        "the Processed order lines",
        json!([
            "Processed order o-1003 for 9.99",
            "Processed order o-1001 for 25.50",
            "Processed order o-1002 for 100.00"
        ]),
        processed_lines(&call),
    );
}

#[test]
fn a_warm_invocation_reports_only_its_own_failures() {
    // The processors live at module level, and so does anything else kept
    // there: a failure list that is not reset grows from batch to batch.
    let check = "on a warm start, the response names only the failures of that batch";
    let lab = Lab::exercise();
    let first = sqs_batch(&["not json", GOOD_1]);
    lab.invoke(first).result_for(check);
    let second = sqs_batch(&[GOOD_2, "{}"]);
    let expected = failures(&second, &[1]);
    let warm = lab.invoke(second);
    warm.expect(
        "the second invocation reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    warm.expect_result(check, expected);
}
