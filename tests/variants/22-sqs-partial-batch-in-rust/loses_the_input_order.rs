//! Exercise 22, a wrong answer: the failures are collected in two passes (bodies that are not orders, then amounts), so they no longer follow the batch's order.

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

/// The order in a message body, or None when the body is not an object that
/// reads as an Order (serde would read a list of the fields as one too). The
/// rule about the amount is checked in a pass of its own.
fn read_order(body: Option<&str>) -> Option<Order> {
    let value: serde_json::Value = serde_json::from_str(body?).ok()?;
    if !value.is_object() {
        return None;
    }
    serde_json::from_value(value).ok()
}

pub async fn function_handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    let id = |record: &aws_lambda_events::event::sqs::SqsMessage| record.message_id.clone().unwrap_or_default();
    let read = |record: &aws_lambda_events::event::sqs::SqsMessage| read_order(record.body.as_deref());
    for record in event.payload.records.iter().filter(|r| read(r).is_none()) {
        response.add_failure(id(record));
    }
    for record in &event.payload.records {
        match read(record) {
            Some(order) if order.amount > 0.0 => {
                tracing::info!("Processed order {} for {:.2}", order.order_id, order.amount)
            }
            Some(_) => response.add_failure(id(record)),
            None => {}
        }
    }
    Ok(response)
}
