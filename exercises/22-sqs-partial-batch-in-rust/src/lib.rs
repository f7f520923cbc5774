//! Exercise 22: an SQS batch with partial failures, in Rust.
//!
//! The same task as exercise 08, with the same checks. SQS hands the function
//! a batch, `event.payload.records`, each message with its `message_id` and a
//! `body` (both `Option<String>` in aws_lambda_events). Every body should be a
//! JSON order such as {"orderId": "o-1001", "amount": 25.5}.
//!
//! If the handler returns an Err, the whole batch counts as failed and SQS
//! delivers every message again. Instead, judge each message on its own and
//! answer with the ones that failed, an `SqsBatchResponse` (on AWS this needs
//! ReportBatchItemFailures on the event source mapping).
//!
//! The task:
//!   - A message is GOOD when its body is a JSON object with an "orderId" and
//!     an "amount" that is a number greater than 0. Every other message is BAD.
//!   - For each good message, log exactly one line through tracing, with the
//!     amount written with two decimals:  Processed order o-1001 for 25.50
//!   - Never return an Err because of a bad message. Return the response with
//!     one failure per bad message (its message id), in the order the messages
//!     arrived; {"batchItemFailures": []} when every message is good.
//!   - On a FIFO queue (the record's event_source_arn ends in ".fifo"), stop at
//!     the first bad message: report it and every message after it, and
//!     process none of them.
//!
//! The code below is a first try: it logs the orders it can read, skips the
//! others, and tells SQS that everything went well.
//!
//! Try it:               cargo lab invoke --bin exercise-22 --event sqs-batch
//! Check your work with: cargo test -p exercise-22

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

pub async fn function_handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    for record in &event.payload.records {
        let body = record.body.as_deref().unwrap_or_default();
        match serde_json::from_str::<Order>(body) {
            Ok(order) => tracing::info!("Processing order {}", order.order_id),
            Err(error) => tracing::warn!("Skipping a bad message: {error}"),
        }
    }
    Ok(SqsBatchResponse::default())
}
