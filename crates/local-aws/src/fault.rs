//! Faults on purpose: a call that fails on its Nth attempt with the error a
//! service really returns (throttling, an internal error, a missing object),
//! so that an exercise can teach retries and partial failure. The gateway
//! answers such a call itself, in the service's protocol, and logs it as
//! any failed call.

/// One planned failure of a function's calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The operation that fails (`PutItem`, `GetObject`, `SendMessage`).
    pub operation: String,
    /// Which of its attempts fails, counting from 1 over the registration's
    /// life (retries by the SDK count too).
    pub attempt: u32,
    /// The HTTP status the service answers with.
    pub status: u16,
    /// The error code botocore reports (`Error.Code`).
    pub code: String,
    pub message: String,
}

impl Fault {
    /// The Nth attempt of `operation` fails with this status and code.
    pub fn new(operation: &str, attempt: u32, status: u16, code: &str, message: &str) -> Fault {
        Fault { operation: operation.into(), attempt, status, code: code.into(), message: message.into() }
    }

    /// DynamoDB's throttling error, which botocore retries (a 400 with
    /// `ProvisionedThroughputExceededException`; DynamoDB API Reference,
    /// "Error handling").
    pub fn dynamodb_throttled(operation: &str, attempt: u32) -> Fault {
        Fault::new(
            operation,
            attempt,
            400,
            "ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your \
             provisioning level with the UpdateTable API.",
        )
    }

    /// S3's "slow down" (503 `SlowDown`; S3 API Reference, "Error
    /// responses"), which botocore retries.
    pub fn s3_slow_down(operation: &str, attempt: u32) -> Fault {
        Fault::new(operation, attempt, 503, "SlowDown", "Please reduce your request rate.")
    }

    /// A service's internal error (500 `InternalError` in S3's words,
    /// `InternalServerError` in DynamoDB's), which botocore retries.
    pub fn internal_error(service: &str, operation: &str, attempt: u32) -> Fault {
        let code = if service == "s3" { "InternalError" } else { "InternalServerError" };
        Fault::new(operation, attempt, 500, code, "We encountered an internal error. Please try again.")
    }
}
