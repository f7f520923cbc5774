//! Exercise 13: exactly once, in practice. The tests share one function, as
//! Lambda keeps one environment warm for many batches: its account at the
//! local AWS (moto, on your machine) holds an orders table in which o-1000
//! is already recorded. Each test sends your handler.py an SQS batch of its
//! own orders, then checks the response, the AWS calls it made, and the
//! items of its orders in the table.

use harness::aws::Fault;
use harness::check::Lab;
use harness::config::Clock;
use harness::events::sqs_batch;
use harness::{Value, json};
use std::sync::OnceLock;

const TABLE: &str = "orders";

/// The order recorded before any test runs, from an earlier message.
fn recorded_before() -> Value {
    json!({
        "orderId": {"S": "o-1000"},
        "customer": {"S": "ada"},
        "amount": {"N": "42.5"},
        "messageId": {"S": "0f0e0d0c-0000-4000-8000-000000001000"},
    })
}

fn starting_state() -> Value {
    json!({"dynamodb": {TABLE: {"key": {"orderId": "S"}, "items": [recorded_before()]}}})
}

/// The function every test but one shares.
fn lab() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| Lab::configured(|config| config.aws_state = Some(starting_state())))
}

/// The body of an order message.
fn order(id: &str, customer: &str, amount: &str) -> String {
    format!(r#"{{"orderId": "{id}", "customer": "{customer}", "amount": {amount}}}"#)
}

/// The item an order's message should leave, as DynamoDB returns it.
fn item(event: &Value, at: usize, id: &str, customer: &str, amount: &str) -> Value {
    json!({
        "orderId": {"S": id},
        "customer": {"S": customer},
        "amount": {"N": amount},
        "messageId": {"S": event["Records"][at]["messageId"]},
    })
}

/// The response that reports the messages at `positions` of `event` as failed.
fn failures(event: &Value, positions: &[usize]) -> Value {
    let items: Vec<Value> =
        positions.iter().map(|&at| json!({"itemIdentifier": event["Records"][at]["messageId"]})).collect();
    json!({"batchItemFailures": items})
}

fn expect_order(check: &str, id: &str, expected: Option<Value>) {
    lab().expect_aws_item(check, TABLE, json!({"orderId": {"S": id}}), expected);
}

/// The same batch as `event`, with every message id changed: how a sender
/// that sends an order again (after a timeout, say) looks to the consumer.
fn sent_again(mut event: Value) -> Value {
    for record in event["Records"].as_array_mut().into_iter().flatten() {
        let id = record["messageId"].as_str().unwrap_or_default().replace("059f36b4", "a1b2c3d4");
        record["messageId"] = json!(id);
    }
    event
}

#[test]
fn new_orders_are_recorded_with_one_conditional_write_each() {
    let event = sqs_batch(&[&order("o-1001", "grace", "25.50"), &order("o-1002", "alan", "100")]);
    let call = lab().invoke(event.clone());
    call.expect_result("reports no failures when every order is recorded", json!({"batchItemFailures": []}));
    call.expect_aws_calls(
        "writes each order with one PutItem, and makes no other call (no GetItem first)",
        &["dynamodb PutItem", "dynamodb PutItem"],
    );
    expect_order(
        "records the order with its customer, its amount exactly as sent, and the message's id",
        "o-1001",
        Some(item(&event, 0, "o-1001", "grace", "25.5")),
    );
    expect_order("records the second order too", "o-1002", Some(item(&event, 1, "o-1002", "alan", "100")));
}

#[test]
fn an_order_sent_again_changes_nothing() {
    // o-1000 was recorded before, from another message.
    let event = sqs_batch(&[&order("o-1000", "ada", "99.00")]);
    let call = lab().invoke(event);
    call.expect_result(
        "treats an order that is already recorded as done, not as a failure (SQS would deliver it again and again)",
        json!({"batchItemFailures": []}),
    );
    expect_order(
        "leaves the item of an order already recorded exactly as it was (a plain put_item overwrites it)",
        "o-1000",
        Some(recorded_before()),
    );
    // A line from print() or from logging (whose text comes after its
    // level, time and request id) counts alike.
    let logged = call.invocation.function_messages().contains(&"Skipped duplicate order o-1000");
    call.expect(
        "logs that it skipped the duplicate",
        logged,
        "Expected a line \"Skipped duplicate order o-1000\" in the function's log (from print() or logger.info()).",
    );
}

#[test]
fn a_batch_delivered_twice_is_recorded_once() {
    let event = sqs_batch(&[&order("o-1101", "grace", "12.00"), &order("o-1102", "alan", "7.25")]);
    lab().invoke(event.clone()).expect_result("records the batch the first time", json!({"batchItemFailures": []}));
    let again = sent_again(event.clone());
    let call = lab().invoke(again);
    call.expect_result("reports no failures for the second delivery", json!({"batchItemFailures": []}));
    call.expect_aws_calls(
        "tries each write once more, and each is refused by its condition",
        &["dynamodb PutItem", "dynamodb PutItem"],
    );
    expect_order(
        "keeps the first delivery's item, message id included",
        "o-1101",
        Some(item(&event, 0, "o-1101", "grace", "12")),
    );
    expect_order(
        "keeps the first delivery's item for the second order",
        "o-1102",
        Some(item(&event, 1, "o-1102", "alan", "7.25")),
    );
}

#[test]
fn the_same_order_twice_in_one_batch_is_recorded_once() {
    let event = sqs_batch(&[&order("o-1201", "grace", "5.00"), &order("o-1201", "grace", "5.00")]);
    lab()
        .invoke(event.clone())
        .expect_result("reports no failures when a batch holds the same order twice", json!({"batchItemFailures": []}));
    expect_order("records the order from its first message", "o-1201", Some(item(&event, 0, "o-1201", "grace", "5")));
}

#[test]
fn a_message_that_is_not_an_order_fails_alone() {
    let event = sqs_batch(&[
        "not json",
        &order("o-1301", "grace", "3.10"),
        r#"{"orderId": "o-1302", "customer": "alan"}"#,
        "[1, 2]",
        &order("o-1303", "alan", "0.30"),
    ]);
    lab().invoke(event.clone()).expect_result(
        "reports each message that is not an order (not JSON, no amount, not an object), in arrival order",
        failures(&event, &[0, 2, 3]),
    );
    expect_order("records the good orders around them", "o-1301", Some(item(&event, 1, "o-1301", "grace", "3.1")));
    expect_order("records the last order too", "o-1303", Some(item(&event, 4, "o-1303", "alan", "0.3")));
    expect_order("records nothing for a message without an amount", "o-1302", None);
}

#[test]
fn a_throttled_write_fails_only_its_own_message() {
    // A function of its own: DynamoDB refuses both of the SDK's attempts at
    // the second message's PutItem (its 2nd and 3rd PutItem calls).
    let lab = Lab::configured(|config| {
        config.aws_state = Some(starting_state());
        config.aws_faults = vec![Fault::dynamodb_throttled("PutItem", 2), Fault::dynamodb_throttled("PutItem", 3)];
        // The SDK waits before it retries; on a virtual clock that wait
        // counts in the function's time but takes none of yours.
        config.clock = Clock::virtual_default();
    });
    let event = sqs_batch(&[
        &order("o-1401", "grace", "1.00"),
        &order("o-1402", "alan", "2.00"),
        &order("o-1403", "ada", "3.00"),
    ]);
    let call = lab.invoke(event.clone());
    call.expect_result(
        "reports the message whose write DynamoDB refused (throttled), and only that one, so SQS retries it alone",
        failures(&event, &[1]),
    );
    let expect =
        |check: &str, id: &str, expected| lab.expect_aws_item(check, TABLE, json!({"orderId": {"S": id}}), expected);
    expect("records the order before it", "o-1401", Some(item(&event, 0, "o-1401", "grace", "1")));
    expect("records the order after it", "o-1403", Some(item(&event, 2, "o-1403", "ada", "3")));
}

#[test]
fn the_table_is_made_once_at_init() {
    let first = lab().invoke(sqs_batch(&[&order("o-1501", "grace", "1.50")]));
    first.expect_result("records an order", json!({"batchItemFailures": []}));
    let warm = lab().invoke(sqs_batch(&[&order("o-1502", "alan", "2.50")]));
    warm.expect_result("records another order, warm", json!({"batchItemFailures": []}));
    warm.expect_clients_reused(
        "the warm invocation reuses the DynamoDB table made when Lambda loaded the module",
        &first,
    );
}

#[test]
fn writes_to_the_table_named_by_table_name() {
    // The table's name comes from the function's configuration, not from the
    // code. This function is configured with TABLE_NAME=orders-eu.
    let lab = Lab::configured(|config| {
        config.environment.push(("TABLE_NAME".into(), "orders-eu".into()));
        config.aws_state = Some(json!({"dynamodb": {
            "orders-eu": {"key": {"orderId": "S"}, "items": []},
            TABLE: {"key": {"orderId": "S"}, "items": []},
        }}));
    });
    let event = sqs_batch(&[&order("o-1901", "grace", "3.50")]);
    lab.invoke(event.clone())
        .expect_result("records the order when TABLE_NAME names another table", json!({"batchItemFailures": []}));
    lab.expect_aws_item(
        "writes the order into the table TABLE_NAME names (os.environ[\"TABLE_NAME\"]), not into orders",
        "orders-eu",
        json!({"orderId": {"S": "o-1901"}}),
        Some(item(&event, 0, "o-1901", "grace", "3.5")),
    );
}
