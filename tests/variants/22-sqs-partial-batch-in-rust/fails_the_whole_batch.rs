//! Exercise 22, a wrong answer: a bad message makes the handler return an Err, so SQS delivers the whole batch again.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{Error, LambdaEvent, tracing};
use serde::Deserialize;

/// An order, as a message body holds it: `{"orderId": "o-1001", "amount": 25.5}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub order_id: String,
    pub amount: f64,
}

/// The order in a message body, or None when the body is not a valid order.
/// Only an object: serde would read a list of the fields as an Order too.
/// serde refuses what is not JSON or lacks a field of the right type; the
/// rule about the amount is ours.
fn parse_order(body: Option<&str>) -> Option<Order> {
    let value: serde_json::Value = serde_json::from_str(body?).ok()?;
    if !value.is_object() {
        return None;
    }
    let order: Order = serde_json::from_value(value).ok()?;
    (order.amount > 0.0).then_some(order)
}

pub async fn function_handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let response = SqsBatchResponse::default();
    for record in &event.payload.records {
        let order = parse_order(record.body.as_deref()).ok_or("a bad message")?;
        tracing::info!("Processed order {} for {:.2}", order.order_id, order.amount);
    }
    Ok(response)
}
