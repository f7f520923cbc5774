//! Exercise 21, a wrong answer: the failures are collected in two passes (bodies that are not orders, then amounts), so they no longer follow the batch's order.

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

#[allow(dead_code)]
/// The order in a message body, or None when the body is not a valid order.
/// serde refuses what is not JSON, not an object, or lacks a field of the
/// right type; the rule about the amount is ours.
fn parse_order(body: Option<&str>) -> Option<Order> {
    let order: Order = serde_json::from_str(body?).ok()?;
    (order.amount > 0.0).then_some(order)
}

pub async fn function_handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    let id = |record: &aws_lambda_events::event::sqs::SqsMessage| record.message_id.clone().unwrap_or_default();
    let read = |record: &aws_lambda_events::event::sqs::SqsMessage| serde_json::from_str::<Order>(record.body.as_deref()?).ok();
    for record in event.payload.records.iter().filter(|r| read(r).is_none()) {
        response.add_failure(id(record));
    }
    for record in &event.payload.records {
        match read(record) {
            Some(order) if order.amount > 0.0 => tracing::info!("Processed order {} for {:.2}", order.order_id, order.amount),
            Some(_) => response.add_failure(id(record)),
            None => {}
        }
    }
    Ok(response)
}
