//! Exercise 26: exactly once, with Powertools' idempotency utility. The
//! tests share one function, as Lambda keeps one environment warm for many
//! batches: its account at the local AWS (moto, on your machine) holds the
//! orders table and the idempotency table, both empty at first. Each test
//! sends your handler.py an SQS batch of its own orders, then checks the
//! response, the orders recorded, the lines printed and the records
//! Powertools kept.

use harness::aws::Fault;
use harness::check::{Call, Lab};
use harness::config::Clock;
use harness::events::sqs_batch;
use harness::{Value, json};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

const ORDERS: &str = "orders";
const IDEMPOTENCY: &str = "idempotency";

fn starting_state(idempotency_table: &str) -> Value {
    json!({"dynamodb": {
        ORDERS: {"key": {"orderId": "S"}, "items": []},
        idempotency_table: {"key": {"id": "S"}, "items": []},
    }})
}

fn configured(adjust: impl FnOnce(&mut harness::FunctionConfig)) -> Lab {
    Lab::configured(|config| {
        config.environment.push(("TABLE_NAME".into(), ORDERS.into()));
        config.environment.push(("IDEMPOTENCY_TABLE".into(), IDEMPOTENCY.into()));
        config.aws_state = Some(starting_state(IDEMPOTENCY));
        adjust(config);
    })
}

/// The function most tests share.
fn lab() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| configured(|_| {}))
}

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

fn failures(event: &Value, positions: &[usize]) -> Value {
    let items: Vec<Value> =
        positions.iter().map(|&at| json!({"itemIdentifier": event["Records"][at]["messageId"]})).collect();
    json!({"batchItemFailures": items})
}

/// The same batch with every message id changed: how a sender that sends
/// an order again (after a timeout, say) looks to the consumer.
fn sent_again(mut event: Value) -> Value {
    for record in event["Records"].as_array_mut().into_iter().flatten() {
        let id = record["messageId"].as_str().unwrap_or_default().replace("059f36b4", "a1b2c3d4");
        record["messageId"] = json!(id);
    }
    event
}

fn recorded_lines(call: &Call) -> Value {
    call.invocation
        .function_messages()
        .into_iter()
        .filter(|text| text.starts_with("Recorded order"))
        .map(|t| json!(t))
        .collect()
}

/// The records Powertools keeps in `table` for the orders whose ids are in
/// `data` (the recorded result names the order), by order id.
fn idempotency_records(lab: &Lab, table: &str) -> Vec<Value> {
    lab.function().aws_items(table).unwrap_or_default()
}

fn record_for<'a>(records: &'a [Value], order_id: &str) -> Option<&'a Value> {
    let wanted = format!("\"orderId\": \"{order_id}\"");
    records.iter().find(|record| record["data"]["S"].as_str().is_some_and(|data| data.contains(&wanted)))
}

fn now_s() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

#[test]
fn new_orders_are_recorded_once_each() {
    let event = sqs_batch(&[&order("o-1001", "grace", "25.50"), &order("o-1002", "alan", "100")]);
    let call = lab().invoke(event.clone());
    call.expect_result("reports no failures when every order is recorded", json!({"batchItemFailures": []}));
    call.expect_value(
        "prints one Recorded order line per new order",
        "the Recorded order lines",
        json!(["Recorded order o-1001", "Recorded order o-1002"]),
        recorded_lines(&call),
    );
    lab().expect_aws_item(
        "records the order with its customer, its amount exactly as sent and the message's id",
        ORDERS,
        json!({"orderId": {"S": "o-1001"}}),
        Some(item(&event, 0, "o-1001", "grace", "25.5")),
    );
    lab().expect_aws_item(
        "records the second order too",
        ORDERS,
        json!({"orderId": {"S": "o-1002"}}),
        Some(item(&event, 1, "o-1002", "alan", "100")),
    );
}

#[test]
fn a_batch_delivered_again_writes_nothing() {
    let check = "an order seen before (sent again with a new message id) is not written again and prints nothing";
    let event = sqs_batch(&[&order("o-1101", "grace", "12.00"), &order("o-1102", "alan", "7.25")]);
    lab().invoke(event.clone()).expect_result("records the batch the first time", json!({"batchItemFailures": []}));
    let call = lab().invoke(sent_again(event.clone()));
    call.expect_result(check, json!({"batchItemFailures": []}));
    call.expect_value(check, "the Recorded order lines of the second delivery", json!([]), recorded_lines(&call));
    let writes: Vec<String> = call
        .invocation
        .aws_calls
        .iter()
        .filter(|c| c.resource.as_deref().is_some_and(|r| r.ends_with("/orders")))
        .map(|c| c.operation.clone())
        .collect();
    call.expect_value(check, "the calls to the orders table", json!([]), json!(writes));
    lab().expect_aws_item(
        "keeps the first delivery's item, message id included",
        ORDERS,
        json!({"orderId": {"S": "o-1101"}}),
        Some(item(&event, 0, "o-1101", "grace", "12")),
    );
}

#[test]
fn the_same_order_twice_in_one_batch_is_recorded_once() {
    let event = sqs_batch(&[&order("o-1201", "grace", "5.00"), &order("o-1201", "grace", "5.00")]);
    let call = lab().invoke(event.clone());
    call.expect_result("reports no failures when a batch holds the same order twice", json!({"batchItemFailures": []}));
    call.expect_value(
        "prints Recorded order once for an order listed twice",
        "the Recorded order lines",
        json!(["Recorded order o-1201"]),
        recorded_lines(&call),
    );
    lab().expect_aws_item(
        "records the order from its first message",
        ORDERS,
        json!({"orderId": {"S": "o-1201"}}),
        Some(item(&event, 0, "o-1201", "grace", "5")),
    );
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
    lab().expect_aws_item(
        "records the good orders around them",
        ORDERS,
        json!({"orderId": {"S": "o-1303"}}),
        Some(item(&event, 4, "o-1303", "alan", "0.3")),
    );
}

#[test]
fn each_order_leaves_a_completed_record_kept_for_a_day() {
    let check = "Powertools keeps one COMPLETED record per order, expiring a day later, with the invocation's deadline registered";
    let before = now_s();
    let call = lab().invoke(sqs_batch(&[&order("o-1601", "grace", "8.00")]));
    call.result_for(check);
    let records = idempotency_records(lab(), IDEMPOTENCY);
    let Some(record) = record_for(&records, "o-1601") else {
        call.expect_value(check, "the idempotency table's record for o-1601", json!("a record"), json!(records));
        return;
    };
    let expiration: i64 = record["expiration"]["N"].as_str().and_then(|n| n.parse().ok()).unwrap_or(0);
    let described = json!({
        "status": record["status"]["S"],
        "expires": if (before + 86_400 - 60..=now_s() + 86_400 + 60).contains(&expiration) {
            json!("a day after the invocation")
        } else {
            json!(format!("{} s after the invocation", expiration - before))
        },
        "in_progress_expiration": if record.get("in_progress_expiration").is_some() {
            json!("set from the registered context")
        } else {
            json!("missing: the context was not registered")
        },
    });
    call.expect_value(
        check,
        "the record Powertools kept for o-1601",
        json!({"status": "COMPLETED", "expires": "a day after the invocation", "in_progress_expiration": "set from the registered context"}),
        described,
    );
    let warnings: Vec<&str> = call.invocation.function_logs().into_iter().filter(|l| l.contains("Warning")).collect();
    call.expect_value(check, "warnings in the log", json!([]), json!(warnings));
}

#[test]
fn a_throttled_write_fails_alone_and_leaves_no_record() {
    // A function of its own: DynamoDB refuses both of the SDK's attempts at
    // the second order's write to the orders table (PutItem calls 4 and 5:
    // each order makes one PutItem to the idempotency table, then one to the
    // orders table).
    let lab = configured(|config| {
        config.aws_faults = vec![Fault::dynamodb_throttled("PutItem", 4), Fault::dynamodb_throttled("PutItem", 5)];
        config.clock = Clock::virtual_default();
    });
    let event = sqs_batch(&[
        &order("o-1401", "grace", "1.00"),
        &order("o-1402", "alan", "2.00"),
        &order("o-1403", "ada", "3.00"),
    ]);
    let call = lab.invoke(event.clone());
    call.expect_result(
        "reports the message whose write DynamoDB refused (throttled), and only that one",
        failures(&event, &[1]),
    );
    let records = idempotency_records(&lab, IDEMPOTENCY);
    let kept: Vec<&str> =
        ["o-1401", "o-1402", "o-1403"].into_iter().filter(|id| record_for(&records, id).is_some()).collect();
    call.expect_value(
        "keeps no idempotency record for the order that failed, so SQS's next delivery records it",
        "the orders with a record in the idempotency table",
        json!(["o-1401", "o-1403"]),
        json!(kept),
    );
    let again = lab.invoke(sqs_batch(&[&order("o-1402", "alan", "2.00")]));
    again.expect_result("the next delivery of the failed message succeeds", json!({"batchItemFailures": []}));
    again.expect_value(
        "the next delivery of the failed message records the order",
        "the Recorded order lines",
        json!(["Recorded order o-1402"]),
        recorded_lines(&again),
    );
}

#[test]
fn uses_the_tables_the_configuration_names() {
    let check =
        "writes to the tables TABLE_NAME and IDEMPOTENCY_TABLE name (os.environ), here orders-eu and idempotency-eu";
    let lab = Lab::configured(|config| {
        config.environment.push(("TABLE_NAME".into(), "orders-eu".into()));
        config.environment.push(("IDEMPOTENCY_TABLE".into(), "idempotency-eu".into()));
        config.aws_state = Some(json!({"dynamodb": {
            "orders-eu": {"key": {"orderId": "S"}, "items": []},
            ORDERS: {"key": {"orderId": "S"}, "items": []},
            "idempotency-eu": {"key": {"id": "S"}, "items": []},
            IDEMPOTENCY: {"key": {"id": "S"}, "items": []},
        }}));
    });
    let call = lab.invoke(sqs_batch(&[&order("o-1901", "grace", "3.50")]));
    call.expect_result(check, json!({"batchItemFailures": []}));
    let counts = json!({
        "orders-eu": lab.function().aws_items("orders-eu").unwrap_or_default().len(),
        "orders": lab.function().aws_items(ORDERS).unwrap_or_default().len(),
        "idempotency-eu": idempotency_records(&lab, "idempotency-eu").len(),
        "idempotency": idempotency_records(&lab, IDEMPOTENCY).len(),
    });
    call.expect_value(
        check,
        "the items in each table",
        json!({"orders-eu": 1, "orders": 0, "idempotency-eu": 1, "idempotency": 0}),
        counts,
    );
}
