//! A stable text rendering of an invocation, for insta snapshots: the
//! response (or the error payload), then the log lines, with everything that
//! changes from run to run or machine to machine replaced by a placeholder
//! (request id, timestamps, durations, memory, the task root's path, which
//! becomes `/var/task` as on Lambda).

use crate::invocation::{Invocation, Outcome};

/// Placeholders used in snapshot text.
pub const REQUEST_ID: &str = "[request-id]";
pub const TIMESTAMP: &str = "[timestamp]";

impl Invocation {
    /// The invocation as stable text, for `insta::assert_snapshot!`.
    pub fn snapshot_text(&self, task_root: &std::path::Path) -> String {
        let root = task_root.to_string_lossy();
        let stable =
            |text: &str| -> String { text.replace(&self.request_id, REQUEST_ID).replace(root.as_ref(), "/var/task") };
        let mut out = String::new();
        match &self.outcome {
            Outcome::Returned { content_type, .. } => {
                out.push_str("Response");
                if content_type != "application/json" {
                    out.push_str(&format!(" ({content_type})"));
                }
                out.push_str(":\n");
                let body = self.result().unwrap_or_default();
                out.push_str(&stable(&serde_json::to_string_pretty(&body).unwrap_or_default()));
            }
            Outcome::Failed(error) => {
                out.push_str("Error:\n");
                out.push_str(&stable(&serde_json::to_string_pretty(&error.payload).unwrap_or_default()));
            }
        }
        out.push_str("\n\nLogs:\n");
        for line in &self.logs {
            // The runtime joins a traceback's lines with carriage returns;
            // show them, so the snapshot file stays plain text.
            out.push_str(&stable_line(&stable(line)).replace('\r', "\\r"));
            out.push('\n');
        }
        out
    }
}

/// One log line with its varying figures replaced.
fn stable_line(line: &str) -> String {
    if line.starts_with("REPORT RequestId: ") || line.starts_with("INIT_REPORT ") {
        return line
            .split('\t')
            .map(|field| match field.split_once(": ") {
                Some((name, _)) if name.ends_with("Duration") => format!("{name}: [ms]"),
                Some(("Max Memory Used", _)) => "Max Memory Used: [mb]".to_string(),
                _ => field.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\t");
    }
    // `[LEVEL]\t<timestamp>\t...` from the text log format.
    if line.starts_with('[') {
        let mut fields: Vec<String> = line.split('\t').map(String::from).collect();
        if fields.len() > 1 && is_timestamp(&fields[1]) {
            fields[1] = TIMESTAMP.to_string();
        }
        return fields.join("\t");
    }
    // `<timestamp> <request id> Task timed out after ...`
    if let Some((first, rest)) = line.split_once(' ') {
        if is_timestamp(first) {
            return format!("{TIMESTAMP} {rest}");
        }
    }
    // A JSON log record: its timestamp field.
    if line.starts_with('{') {
        if let Ok(serde_json::Value::Object(mut record)) = serde_json::from_str::<serde_json::Value>(line) {
            if record.get("timestamp").and_then(|t| t.as_str()).is_some_and(is_timestamp) {
                record.insert("timestamp".into(), TIMESTAMP.into());
                return serde_json::Value::Object(record).to_string();
            }
        }
    }
    line.to_string()
}

/// `2026-11-27T12:00:03.123Z` or `2026-11-27T12:00:03Z`.
fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    (bytes.len() == 24 || bytes.len() == 20)
        && bytes[4] == b'-'
        && bytes[10] == b'T'
        && text.ends_with('Z')
        && text[..4].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varying_figures_become_placeholders() {
        assert_eq!(
            stable_line(
                "REPORT RequestId: x\tDuration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 9.10 ms"
            ),
            "REPORT RequestId: x\tDuration: [ms]\tBilled Duration: [ms]\tMemory Size: 128 MB\tMax Memory Used: [mb]\tInit Duration: [ms]"
        );
        assert_eq!(
            stable_line("[WARNING]\t2026-11-27T12:00:03.123Z\tid\tdisk almost full"),
            "[WARNING]\t[timestamp]\tid\tdisk almost full"
        );
        assert_eq!(
            stable_line("2026-11-27T12:00:03.123Z id Task timed out after 3.00 seconds"),
            "[timestamp] id Task timed out after 3.00 seconds"
        );
        assert_eq!(
            stable_line(r#"{"timestamp": "2026-11-27T12:00:03Z", "level": "INFO"}"#),
            r#"{"timestamp":"[timestamp]","level":"INFO"}"#
        );
        assert_eq!(stable_line("plain print"), "plain print");
    }
}
