//! The execution history, event for event as Step Functions records it: each
//! event has an id, the id of the event that led to it, a timestamp, a type,
//! and one details object named after the type (GetExecutionHistory's shape).

use crate::limits::MAX_HISTORY_EVENTS;
use serde_json::{Map, Value, json};

/// One event of an execution's history.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: u64,
    pub previous_event_id: u64,
    /// Milliseconds since 1970, on the runner's clock.
    pub timestamp_ms: u64,
    /// `ExecutionStarted`, `TaskStateEntered`, `LambdaFunctionFailed`, ...
    pub kind: String,
    /// The details object, or None for types that carry none.
    pub details: Option<Value>,
}

impl Event {
    /// The event as GetExecutionHistory returns it (timestamp as ISO text).
    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert(
            "timestamp".into(),
            json!(harness::time::iso_timestamp(std::time::Duration::from_millis(self.timestamp_ms))),
        );
        object.insert("type".into(), json!(self.kind));
        object.insert("id".into(), json!(self.id));
        object.insert("previousEventId".into(), json!(self.previous_event_id));
        if let Some(details) = &self.details {
            object.insert(details_key(&self.kind), details.clone());
        }
        Value::Object(object)
    }
}

/// The name of the details member for an event type:
/// `TaskStateEntered` → `stateEnteredEventDetails`.
pub fn details_key(kind: &str) -> String {
    let family = [("StateEntered", "stateEnteredEventDetails"), ("StateExited", "stateExitedEventDetails")];
    for (suffix, key) in family {
        if kind.ends_with(suffix) && kind != "MapStateStarted" {
            return key.to_string();
        }
    }
    let mut chars = kind.chars();
    let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or_default();
    format!("{first}{}EventDetails", chars.as_str())
}

/// Input or output text with its `...Details` companion, as AWS writes them.
pub fn payload(key: &str, value: &Value) -> (String, Value, String, Value) {
    (key.to_string(), json!(value.to_string()), format!("{key}Details"), json!({ "truncated": false }))
}

/// An events list being written: ids and previous ids handed out in order.
#[derive(Default)]
pub struct History {
    pub events: Vec<Event>,
    /// Whether an event was refused because the history had reached
    /// [`MAX_HISTORY_EVENTS`]: the execution must then end as failed.
    full: bool,
}

impl History {
    /// Append an event after `previous` (0 for the first) and return its id.
    ///
    /// Once the history holds `MAX_HISTORY_EVENTS - 1` events, only the event that
    /// ends the execution is written; any other is dropped, the history is
    /// marked full (see [`History::is_full`]) and the last id is returned, so
    /// the runner can unwind to its ExecutionFailed.
    pub fn add(&mut self, previous: u64, timestamp_ms: u64, kind: &str, details: Option<Value>) -> u64 {
        let last = self.events.len() as u64;
        let ends_execution = matches!(kind, "ExecutionSucceeded" | "ExecutionFailed" | "ExecutionTimedOut");
        if last + 1 >= MAX_HISTORY_EVENTS && !ends_execution {
            self.full = true;
            return last;
        }
        let id = last + 1;
        self.events.push(Event { id, previous_event_id: previous, timestamp_ms, kind: kind.to_string(), details });
        id
    }

    /// Whether the history reached [`MAX_HISTORY_EVENTS`] and refused an event.
    pub fn is_full(&self) -> bool {
        self.full
    }

    pub fn last_id(&self) -> u64 {
        self.events.len() as u64
    }

    pub fn to_json(&self) -> Value {
        Value::Array(self.events.iter().map(Event::to_json).collect())
    }
}

/// Details with an input or output payload: `{"name": ..., "input": "...", "inputDetails": {...}}`.
pub fn with_payload(mut fields: Map<String, Value>, key: &str, value: &Value) -> Value {
    let (k, v, dk, dv) = payload(key, value);
    fields.insert(k, v);
    fields.insert(dk, dv);
    Value::Object(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_keys_follow_the_event_types() {
        assert_eq!(details_key("TaskStateEntered"), "stateEnteredEventDetails");
        assert_eq!(details_key("PassStateExited"), "stateExitedEventDetails");
        assert_eq!(details_key("ExecutionStarted"), "executionStartedEventDetails");
        assert_eq!(details_key("LambdaFunctionFailed"), "lambdaFunctionFailedEventDetails");
        assert_eq!(details_key("MapStateStarted"), "mapStateStartedEventDetails");
        assert_eq!(details_key("FailStateEntered"), "stateEnteredEventDetails");
    }

    #[test]
    fn events_chain_by_id() {
        let mut history = History::default();
        let started = history.add(0, 1_795_780_800_000, "ExecutionStarted", Some(json!({"input": "{}"})));
        let entered = history.add(started, 1_795_780_800_010, "PassStateEntered", None);
        assert_eq!((started, entered), (1, 2));
        let json = history.to_json();
        assert_eq!(json[1]["previousEventId"], 1);
        assert_eq!(json[0]["timestamp"], "2026-11-27T12:00:00.000Z");
        assert_eq!(json[0]["executionStartedEventDetails"]["input"], "{}");
    }
}
