//! Exercise 21, a wrong answer: %XX is decoded first, so a real plus (%2B) then becomes a space.

use aws_lambda_events::event::s3::S3Event;
use lambda_runtime::{Error, LambdaEvent, tracing};
use percent_encoding::percent_decode_str;
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

/// An S3 key as the object is really named: "+" stands for a space, then
/// %XX for a byte (so a real "+", sent as %2B, survives).
fn decode_key(key: &str) -> Result<String, Error> {
    let decoded = percent_decode_str(key).decode_utf8()?.into_owned();
    Ok(decoded.replace('+', " "))
}

pub async fn function_handler(event: LambdaEvent<S3Event>) -> Result<Response, Error> {
    let mut objects = Vec::new();
    for record in &event.payload.records {
        let bucket = record.s3.bucket.name.clone().unwrap_or_default();
        let key = decode_key(record.s3.object.key.as_deref().unwrap_or_default())?;
        let size = record.s3.object.size.unwrap_or_default();
        tracing::info!("Received s3://{bucket}/{key} ({size} bytes)");
        objects.push(Uploaded { bucket, key, size });
    }
    Ok(Response { status_code: 200, objects })
}
