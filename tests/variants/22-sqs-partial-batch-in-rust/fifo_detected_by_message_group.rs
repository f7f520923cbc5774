//! Exercise 22, a wrong answer: takes any message with a MessageGroupId for a FIFO message. Standard queues
//! use message groups too (fair queues), and there the batch must go on after a bad message.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
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
/// The body must be a JSON object. serde would also read an Order from a list
/// of its fields in order, `["o-1001", 25.5]`, so the body is read as a
/// serde_json::Value first, and only an object goes on to become an Order.
/// serde refuses what is not JSON or lacks a field of the right type;
/// serde_json also refuses NaN and Infinity (not JSON) and 1e400 (out of
/// range for an f64), and gives up on a body nested more than 128 levels
/// deep, so the amount it gives is always finite. The rule about the amount
/// is ours.
fn parse_order(body: Option<&str>) -> Option<Order> {
    let value: serde_json::Value = serde_json::from_str(body?).ok()?;
    if !value.is_object() {
        return None;
    }
    let order: Order = serde_json::from_value(value).ok()?;
    (order.amount > 0.0).then_some(order)
}

/// Only FIFO messages belong to a message group (so it seems).
fn is_fifo(record: &SqsMessage) -> bool {
    record.attributes.contains_key("MessageGroupId")
}

pub async fn function_handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    let records = &event.payload.records;
    for (position, record) in records.iter().enumerate() {
        match parse_order(record.body.as_deref()) {
            Some(order) => tracing::info!("Processed order {} for {:.2}", order.order_id, order.amount),
            None if is_fifo(record) => {
                // Keep the queue's order: this message and every one after
                // it go back to the queue, unprocessed.
                for later in &records[position..] {
                    response.add_failure(later.message_id.clone().unwrap_or_default());
                }
                break;
            }
            None => response.add_failure(record.message_id.clone().unwrap_or_default()),
        }
    }
    Ok(response)
}
