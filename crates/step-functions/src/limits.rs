//! The quotas of a Standard execution that the runner enforces, from the
//! developer guide's "Quotas related to state machine executions" and "...to
//! task executions" tables, and the failures AWS reports when they are hit.
//!
//! - history: at most [`MAX_HISTORY_EVENTS`] events ("Avoid reaching the
//!   history quota": "When an execution reaches 24,999 events, it waits for
//!   the next event to happen. If the event number 25,000 is
//!   ExecutionSucceeded, the execution finishes successfully. If the event
//!   number 25,000 isn't ExecutionSucceeded, the ExecutionFailed event is
//!   logged"), failing with [`HISTORY_LIMIT_ERROR`];
//! - time: at most one year ("Maximum execution time: 1 year. If an execution
//!   runs for more than the 1-year maximum, it will fail with a
//!   States.Timeout error"), or the machine's own TimeoutSeconds; on the
//!   runner's virtual clock, so a two-year Wait ends at once, timed out;
//! - data: "Maximum input or output size for a task, state, or execution:
//!   262,144 bytes of data as a UTF-8 encoded string", failing with
//!   `States.DataLimitExceeded` and [`data_limit_cause`]'s wording.

use serde_json::Value;

/// The most events one execution's history holds.
pub const MAX_HISTORY_EVENTS: u64 = 25_000;

/// The error and cause of an execution that reached [`MAX_HISTORY_EVENTS`],
/// as AWS reports them (quoted from a real execution in loads/ardere issue
/// #86: `{"error": "States.Runtime", "cause": "The execution reached the
/// maximum number of history events (25000)."}`).
pub const HISTORY_LIMIT_ERROR: (&str, &str) =
    ("States.Runtime", "The execution reached the maximum number of history events (25000).");

/// The longest a Standard execution runs: one year, in seconds.
pub const MAX_EXECUTION_SECONDS: u64 = 365 * 24 * 60 * 60;

/// The largest input or output, in bytes of its JSON text.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// The error name of a payload over [`MAX_PAYLOAD_BYTES`].
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";

/// The cause AWS writes for a result over the limit, naming the state or
/// task (recorded against AWS in LocalStack's test_states_errors.snapshot.json:
/// `The state/task 'lambda' returned a result with a size exceeding the
/// maximum number of bytes service limit.` for `lambda:invoke`, the
/// function's ARN for a legacy Lambda Task, the state's name for a Pass).
pub fn data_limit_cause(what: &str) -> String {
    format!(
        "The state/task '{what}' returned a result with a size exceeding the maximum number of bytes service limit."
    )
}

/// Whether `value`'s JSON text is longer than [`MAX_PAYLOAD_BYTES`]. Counts
/// the bytes without building the text, and stops counting past the limit.
pub fn exceeds_payload_limit(value: &Value) -> bool {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            if self.0 > MAX_PAYLOAD_BYTES {
                // Stops serialising: the answer is known.
                return Err(std::io::Error::other("over the limit"));
            }
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_payload_limit_counts_utf8_bytes_of_the_json_text() {
        // The string's quotes count: 262,142 letters make 262,144 bytes.
        assert!(!exceeds_payload_limit(&json!("a".repeat(MAX_PAYLOAD_BYTES - 2))));
        assert!(exceeds_payload_limit(&json!("a".repeat(MAX_PAYLOAD_BYTES - 1))));
        // "é" is two bytes in UTF-8.
        assert!(exceeds_payload_limit(&json!("é".repeat(MAX_PAYLOAD_BYTES / 2))));
    }
}
