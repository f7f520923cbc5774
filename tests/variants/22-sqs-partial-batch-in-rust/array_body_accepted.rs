//! Exercise 22, a wrong answer: the body goes straight to from_str::<Order>, and serde reads a struct from
//! a JSON list of its fields as well as from an object, so the body ["o-1002", 25.5] is processed as an order.

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
/// serde refuses what is not JSON or lacks a field of the right type, but it
/// reads a list of the fields in order as an Order too; serde_json refuses
/// NaN, Infinity and 1e400 for an f64. The rule about the amount is ours.
fn parse_order(body: Option<&str>) -> Option<Order> {
    let order: Order = serde_json::from_str(body?).ok()?;
    (order.amount > 0.0).then_some(order)
}

/// A FIFO queue's name, the end of its ARN, always ends in `.fifo`.
fn is_fifo(record: &SqsMessage) -> bool {
    record.event_source_arn.as_deref().is_some_and(|arn| arn.ends_with(".fifo"))
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
