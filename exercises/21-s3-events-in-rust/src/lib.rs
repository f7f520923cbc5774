//! Exercise 21: S3 notifications, in Rust.
//!
//! The same task as exercise 06, with the same checks: S3 invokes the function
//! with one record per uploaded object, and it answers with every object's
//! bucket, real key and size. In Rust the event arrives typed: `S3Event` from
//! aws_lambda_events, where `event.payload.records` is a `Vec` and every field
//! that S3 may leave out is an `Option`. The response is a struct that serde
//! turns into JSON.
//!
//! The code below is the usual first example. It reads only the first record,
//! uses the key as it arrives and answers with a text body. Your task:
//!   - Return `Response { status_code: 200, objects }` with one `Uploaded`
//!     per record, in the order of the records: `bucket`, `key` decoded the
//!     way S3 encoded it ("+" is a space, %XX a byte; a real "+" is %2B),
//!     and `size`, the number from the record.
//!   - Log exactly one line per object, in the same order, through tracing:
//!     Received s3://BUCKET/KEY (SIZE bytes)
//!
//! Try it:               cargo lab invoke --bin exercise-21 --event s3-special-keys
//! Check your work with: cargo test -p exercise-21

use aws_lambda_events::event::s3::S3Event;
use lambda_runtime::{Error, LambdaEvent, tracing};
use serde::Serialize;

/// One object of the answer: `{"bucket": ..., "key": ..., "size": ...}`.
#[derive(Serialize)]
pub struct Uploaded {
    pub bucket: String,
    pub key: String,
    pub size: i64,
}

/// The answer, `{"statusCode": 200, "objects": [...]}` once serialized.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub status_code: u16,
    pub objects: Vec<Uploaded>,
}

pub async fn function_handler(event: LambdaEvent<S3Event>) -> Result<serde_json::Value, Error> {
    // get the bucket name and the object key of the first record
    let record = &event.payload.records[0];
    let bucket = record.s3.bucket.name.clone().unwrap_or_default();
    let key = record.s3.object.key.clone().unwrap_or_default();

    tracing::info!("Bucket: {bucket}, Key: {key}");

    Ok(serde_json::json!({
        "statusCode": 200,
        "body": format!("Bucket: {bucket}, Key: {key}"),
    }))
}
