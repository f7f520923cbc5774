//! What a learner sends to the class view, and the checks the server makes
//! before it believes any of it.
//!
//! `POST /progress`, with the class code in the `X-Lab-Class-Code` header
//! and a JSON body:
//!
//! ```json
//! {
//!   "version": 1,
//!   "learner": "k3v9q2m7xw4tp8rbn5hd",
//!   "seat": "table 4",
//!   "exercises": [
//!     {"number": 1, "id": "first-handler", "title": "A first handler",
//!      "status": "passed", "attempts": 3,
//!      "firstAttempt": "2026-11-27T09:12:30Z", "lastAttempt": "2026-11-27T09:20:02Z",
//!      "hintsShown": 1}
//!   ]
//! }
//! ```
//!
//! `exercises` is exactly what `cargo lab report --json` prints; `learner`
//! is a random token made when joining (it tells two learners apart, and
//! says nothing about them); `seat` is the label the instructor sees,
//! chosen by the learner or `null` for the server to give one (`seat 3`).
//! The answer is `200` with `{"seat": "..."}`. Nothing else is sent: no
//! names, no user or host names, no paths, no code.
//!
//! `POST /leave` with the code and `{"version": 1, "learner": "..."}` takes
//! the learner off the page.
//!
//! The server trusts none of it: known fields only, each of a known type
//! and bounded size, times in the one form the progress file uses, seat
//! labels from a short plain alphabet. What it shows is escaped anyway.

use serde_json::{Map, Value, json};

/// The format's version, in every body.
pub(crate) const VERSION: u64 = 1;
/// A body larger than this is refused (413) before it is read. The whole
/// workshop's report is a few kilobytes.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// At most this many exercises in one report.
pub(crate) const MAX_ROWS: usize = 100;
/// At most this many seats in one class.
pub(crate) const MAX_SEATS: usize = 200;
/// The longest seat label.
pub(crate) const MAX_SEAT: usize = 24;
const MAX_ID: usize = 64;
const MAX_TITLE: usize = 120;
const MAX_NUMBER: u64 = 999;
const MAX_COUNT: u64 = 1_000_000;
/// The three statuses `cargo lab report` gives.
const STATUSES: [&str; 3] = ["not started", "failing", "passed"];

/// One exercise's progress, as `cargo lab report --json` gives it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) number: u32,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) status: &'static str,
    pub(crate) attempts: u32,
    pub(crate) first_attempt: Option<String>,
    pub(crate) last_attempt: Option<String>,
    pub(crate) hints_shown: u32,
}

impl Row {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "number": self.number,
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "attempts": self.attempts,
            "firstAttempt": self.first_attempt,
            "lastAttempt": self.last_attempt,
            "hintsShown": self.hints_shown,
        })
    }
}

/// A checked `POST /progress` body.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) learner: String,
    /// `None`: the server gives a label.
    pub(crate) seat: Option<String>,
    pub(crate) rows: Vec<Row>,
}

/// The body a learner posts.
pub(crate) fn report_body(learner: &str, seat: Option<&str>, rows: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({ "version": VERSION, "learner": learner, "seat": seat, "exercises": rows }))
        .expect("plain JSON")
}

/// The body of a `POST /leave`.
pub(crate) fn leave_body(learner: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({ "version": VERSION, "learner": learner })).expect("plain JSON")
}

/// Whether `label` may be shown as a seat: 1 to [`MAX_SEAT`] characters,
/// ASCII letters and digits, with single spaces, `.`, `_` and `-` inside.
/// Nothing that could be markup, and nothing that looks like a path.
pub(crate) fn valid_seat(label: &str) -> bool {
    let bytes = label.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SEAT
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'_' | b'-'))
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && !label.contains("  ")
}

/// Check a `POST /progress` body; the error says what is wrong with it.
pub(crate) fn parse_report(body: &[u8]) -> Result<Report, String> {
    let object = top_level(body, &["version", "learner", "seat", "exercises"])?;
    let learner = learner(&object)?;
    let seat = match object.get("seat") {
        None | Some(Value::Null) => None,
        Some(Value::String(label)) if valid_seat(label) => Some(label.clone()),
        Some(_) => {
            return Err(format!(
                "\"seat\" must be null or 1 to {MAX_SEAT} letters, digits, spaces, '.', '_' or '-', starting and ending with a letter or digit"
            ));
        }
    };
    let Some(Value::Array(items)) = object.get("exercises") else {
        return Err("\"exercises\" must be a list".into());
    };
    if items.len() > MAX_ROWS {
        return Err(format!("at most {MAX_ROWS} exercises"));
    }
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| row(item).map_err(|e| format!("exercise {i}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Report { learner, seat, rows })
}

/// Check a `POST /leave` body: the learner's token.
pub(crate) fn parse_leave(body: &[u8]) -> Result<String, String> {
    learner(&top_level(body, &["version", "learner"])?)
}

/// The body as a JSON object of the format's version holding only `known` fields.
fn top_level(body: &[u8], known: &[&str]) -> Result<Map<String, Value>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(object) = value else { return Err("not a JSON object".into()) };
    if let Some(unknown) = object.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(format!("unknown field {:?}", clip(unknown)));
    }
    if object.get("version").and_then(Value::as_u64) != Some(VERSION) {
        return Err(format!("\"version\" must be {VERSION}"));
    }
    Ok(object)
}

fn learner(object: &Map<String, Value>) -> Result<String, String> {
    match object.get("learner").and_then(Value::as_str) {
        Some(token) if super::is_token(token) => Ok(token.to_string()),
        _ => Err("\"learner\" must be the token `cargo lab join` made".into()),
    }
}

/// One row, checked field by field.
fn row(item: &Value) -> Result<Row, String> {
    const FIELDS: [&str; 8] =
        ["number", "id", "title", "status", "attempts", "firstAttempt", "lastAttempt", "hintsShown"];
    let Value::Object(object) = item else { return Err("not a JSON object".into()) };
    if let Some(unknown) = object.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!("unknown field {:?}", clip(unknown)));
    }
    let count = |name: &str, max: u64| -> Result<u32, String> {
        match object.get(name).and_then(Value::as_u64) {
            Some(n) if n <= max => Ok(n as u32),
            _ => Err(format!("{name:?} must be a whole number from 0 to {max}")),
        }
    };
    let text = |name: &str| object.get(name).and_then(Value::as_str).ok_or_else(|| format!("{name:?} must be text"));
    let id = text("id")?;
    if id.is_empty()
        || id.len() > MAX_ID
        || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(format!("\"id\" must be 1 to {MAX_ID} lowercase letters, digits and '-'"));
    }
    let title = text("title")?;
    if title.chars().count() > MAX_TITLE || title.chars().any(char::is_control) {
        return Err(format!("\"title\" must be at most {MAX_TITLE} characters, none of them control characters"));
    }
    let status = text("status")?;
    let Some(status) = STATUSES.iter().find(|s| **s == status) else {
        return Err(format!("\"status\" must be one of {STATUSES:?}"));
    };
    let time = |name: &str| match object.get(name) {
        Some(Value::Null) => Ok(None),
        Some(Value::String(t)) if is_utc_time(t) => Ok(Some(t.clone())),
        _ => Err(format!("{name:?} must be null or a UTC time such as 2026-11-27T09:12:30Z")),
    };
    Ok(Row {
        number: count("number", MAX_NUMBER)?,
        id: id.to_string(),
        title: title.to_string(),
        status,
        attempts: count("attempts", MAX_COUNT)?,
        first_attempt: time("firstAttempt")?,
        last_attempt: time("lastAttempt")?,
        hints_shown: count("hintsShown", MAX_COUNT)?,
    })
}

/// `2026-11-27T09:12:30Z` exactly: the one form the progress file writes.
pub(crate) fn is_utc_time(text: &str) -> bool {
    let pattern = b"dddd-dd-ddTdd:dd:ddZ";
    text.len() == pattern.len()
        && text.bytes().zip(pattern).all(|(b, p)| if *p == b'd' { b.is_ascii_digit() } else { b == *p })
}

/// At most 40 characters of `text`, for an error message.
fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

/// `text` made safe to put in HTML, in text or in a quoted attribute.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEARNER: &str = "k3v9q2m7xw4tp8rbn5hd";

    fn a_row() -> Value {
        json!({"number": 1, "id": "first-handler", "title": "A first handler", "status": "passed",
               "attempts": 3, "firstAttempt": "2026-11-27T09:12:30Z", "lastAttempt": "2026-11-27T09:20:02Z",
               "hintsShown": 1})
    }

    fn body(exercises: Value) -> Vec<u8> {
        serde_json::to_vec(&json!({"version": 1, "learner": LEARNER, "seat": "table 4", "exercises": exercises}))
            .unwrap()
    }

    /// What `report --json` gives passes, and comes back the same.
    #[test]
    fn a_report_is_read_back_as_sent() {
        let report = parse_report(&body(json!([a_row()]))).unwrap();
        assert_eq!(report.learner, LEARNER);
        assert_eq!(report.seat.as_deref(), Some("table 4"));
        assert_eq!(report.rows.len(), 1);
        assert_eq!(report.rows[0].to_json(), a_row());
        let unseated = report_body(LEARNER, None, vec![a_row()]);
        assert_eq!(parse_report(&unseated).unwrap().seat, None);
        assert_eq!(parse_leave(&leave_body(LEARNER)).unwrap(), LEARNER);
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        let refused = |exercises: Value, why: &str| {
            let error = parse_report(&body(exercises)).unwrap_err();
            assert!(error.contains(why), "{error:?} does not say {why:?}");
        };
        let with = |key: &str, value: Value| {
            let mut row = a_row();
            row[key] = value;
            json!([row])
        };
        refused(with("status", json!("done")), "\"status\"");
        refused(with("attempts", json!(-1)), "\"attempts\"");
        refused(with("attempts", json!(1.5)), "\"attempts\"");
        refused(with("hintsShown", json!("1")), "\"hintsShown\"");
        refused(with("number", json!(1000)), "\"number\"");
        refused(with("title", json!("x".repeat(121))), "\"title\"");
        refused(with("title", json!("a\nb")), "\"title\"");
        refused(with("id", json!("../etc")), "\"id\"");
        refused(with("id", json!("")), "\"id\"");
        refused(with("lastAttempt", json!("yesterday")), "\"lastAttempt\"");
        refused(with("firstAttempt", json!("2026-11-27 09:12:30")), "\"firstAttempt\"");
        refused(with("user", json!("ada")), "unknown field \"user\"");
        refused(json!([1]), "not a JSON object");
        refused(json!({}), "must be a list");
        refused(Value::Array(vec![a_row(); MAX_ROWS + 1]), "at most 100");
        let mut row = a_row();
        row.as_object_mut().unwrap().remove("status");
        refused(json!([row]), "\"status\"");

        let top = |value: Value| parse_report(&serde_json::to_vec(&value).unwrap()).unwrap_err();
        assert!(
            top(json!({"version": 1, "learner": LEARNER, "exercises": [], "hostname": "x"})).contains("unknown field")
        );
        assert!(top(json!({"version": 2, "learner": LEARNER, "exercises": []})).contains("version"));
        assert!(top(json!({"version": 1, "learner": "ada", "exercises": []})).contains("learner"));
        assert!(top(json!({"version": 1, "learner": LEARNER, "seat": "<b>x</b>", "exercises": []})).contains("seat"));
        assert!(top(json!([])).contains("not a JSON object"));
        assert!(parse_report(b"{\"version\": 1,").unwrap_err().starts_with("not JSON"));
    }

    #[test]
    fn seat_labels_are_short_and_plain() {
        for good in ["seat 3", "Table 4", "A", "row-2.left", "front_1"] {
            assert!(valid_seat(good), "{good}");
        }
        for bad in
            ["", " seat", "seat ", "seat  3", "<script>", "a\"b", "é", "x".repeat(25).as_str(), "/home/ada", "a\tb"]
        {
            assert!(!valid_seat(bad), "{bad:?}");
        }
    }

    #[test]
    fn times_are_the_progress_files_form() {
        assert!(is_utc_time("2026-11-27T09:12:30Z"));
        assert!(!is_utc_time("2026-11-27T09:12:30.5Z"));
        assert!(!is_utc_time("2026-11-27T09:12:30+01"));
        assert!(!is_utc_time("<img src=x onerror=alert(1)>"));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape_html("plain seat 3"), "plain seat 3");
    }
}
