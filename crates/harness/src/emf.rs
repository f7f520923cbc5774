//! Embedded Metric Format: the metrics CloudWatch would extract from an
//! invocation's log lines. A line is EMF when it is a JSON object with an
//! `_aws` member (Lambda may prefix it with its text-log fields, as for
//! `logger.info(json.dumps(...))`). Each metric definition yields one metric
//! per dimension set. A line that claims to be EMF but breaks the
//! specification yields no metrics and a problem saying what CloudWatch would
//! reject and why, so a learner sees the mistake instead of a silent gap.

use crate::invocation::Invocation;
use serde_json::{Map, Value};

/// Units CloudWatch accepts (MetricDatum's StandardUnit).
pub const UNITS: &[&str] = &[
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];
const MAX_DIMENSIONS: usize = 30;
const MAX_METRICS: usize = 100;
const MAX_VALUES: usize = 100;

/// One metric series as CloudWatch would record it.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub namespace: String,
    pub name: String,
    /// `None` when the definition gives no unit.
    pub unit: String,
    pub values: Vec<f64>,
    /// Dimension names and values, in the order of the dimension set.
    pub dimensions: Vec<(String, String)>,
    pub timestamp_ms: i64,
    /// 60 (standard) unless the definition asks for 1 (high resolution).
    pub storage_resolution: u32,
}

/// An EMF line CloudWatch would reject.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The position of the line among the invocation's log lines, from 1.
    pub line: usize,
    pub reason: String,
}

/// What an invocation's logs give: the metrics, and the lines that were
/// meant as EMF but are not valid.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extraction {
    pub metrics: Vec<Metric>,
    pub problems: Vec<Problem>,
}

impl Extraction {
    /// The metrics called `name`.
    pub fn named(&self, name: &str) -> Vec<&Metric> {
        self.metrics.iter().filter(|m| m.name == name).collect()
    }
}

impl Invocation {
    /// The EMF metrics in this invocation's log.
    pub fn metrics(&self) -> Extraction {
        extract(self.logs.iter().map(String::as_str))
    }
}

/// Extract the metrics from log lines.
pub fn extract<'a>(lines: impl IntoIterator<Item = &'a str>) -> Extraction {
    let mut extraction = Extraction::default();
    for (index, line) in lines.into_iter().enumerate() {
        let Some(document) = emf_document(line) else { continue };
        match document.and_then(|root| metrics_of(&root)) {
            Ok(metrics) => extraction.metrics.extend(metrics),
            Err(reason) => extraction.problems.push(Problem { line: index + 1, reason }),
        }
    }
    extraction
}

/// The JSON object of a line meant as EMF: None when the line is not EMF at
/// all, Err when it mentions `_aws` but is not one JSON object.
fn emf_document(line: &str) -> Option<Result<Map<String, Value>, String>> {
    if !line.contains("\"_aws\"") {
        return None;
    }
    // Lambda's text format puts `[LEVEL]\t<time>\t<request id>\t` first.
    let body = crate::invocation::log_message(line);
    let body = body.trim();
    Some(match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(root)) if root.contains_key("_aws") => Ok(root),
        Ok(Value::Object(_)) => return None, // "_aws" only inside a string or a nested value
        Ok(_) => Err("the line must be one JSON object".into()),
        Err(error) => Err(format!(
            "the line mentions \"_aws\" but is not one valid JSON object ({error}); \
             write it with json.dumps and print nothing else on that line"
        )),
    })
}

fn metrics_of(root: &Map<String, Value>) -> Result<Vec<Metric>, String> {
    let aws = root["_aws"].as_object().ok_or("\"_aws\" must be an object")?;
    let timestamp_ms = match aws.get("Timestamp") {
        None => return Err("\"_aws\" has no \"Timestamp\": CloudWatch needs the metrics' time, in milliseconds since 1970 (int(time.time() * 1000))".into()),
        Some(value) => value
            .as_i64()
            .ok_or(format!("\"_aws.Timestamp\" must be a whole number of milliseconds since 1970, not {value}"))?,
    };
    let directives = aws
        .get("CloudWatchMetrics")
        .ok_or("\"_aws\" has no \"CloudWatchMetrics\" list")?
        .as_array()
        .ok_or("\"_aws.CloudWatchMetrics\" must be a list of metric directives")?;
    let mut metrics = Vec::new();
    for (index, directive) in directives.iter().enumerate() {
        let at = format!("CloudWatchMetrics[{index}]");
        let directive = directive.as_object().ok_or(format!("{at} must be an object"))?;
        let namespace = text_member(directive, "Namespace", &at)?;
        let dimension_sets = dimension_sets(directive, root, &at)?;
        let definitions = directive
            .get("Metrics")
            .ok_or(format!("{at} has no \"Metrics\" list"))?
            .as_array()
            .ok_or(format!("{at}.Metrics must be a list"))?;
        if definitions.len() > MAX_METRICS {
            return Err(format!(
                "{at}.Metrics holds {} definitions; at most {MAX_METRICS} are allowed",
                definitions.len()
            ));
        }
        for (number, definition) in definitions.iter().enumerate() {
            let at = format!("{at}.Metrics[{number}]");
            let definition = definition.as_object().ok_or(format!("{at} must be an object"))?;
            let name = text_member(definition, "Name", &at)?;
            let unit = match definition.get("Unit") {
                None => "None".to_string(),
                Some(Value::String(unit)) if UNITS.contains(&unit.as_str()) => unit.clone(),
                Some(other) => {
                    return Err(format!(
                        "{at}: the unit {other} is not one CloudWatch knows; use one of Count, Milliseconds, Seconds, Bytes, Percent, None, ... (case matters)"
                    ));
                }
            };
            let storage_resolution = match definition.get("StorageResolution") {
                None => 60,
                Some(value) if value.as_u64() == Some(1) || value.as_u64() == Some(60) => {
                    value.as_u64().unwrap_or(60) as u32
                }
                Some(other) => return Err(format!("{at}: StorageResolution must be 1 or 60, not {other}")),
            };
            let values = metric_values(root, &name)?;
            for dimensions in &dimension_sets {
                metrics.push(Metric {
                    namespace: namespace.clone(),
                    name: name.clone(),
                    unit: unit.clone(),
                    values: values.clone(),
                    dimensions: dimensions.clone(),
                    timestamp_ms,
                    storage_resolution,
                });
            }
        }
    }
    Ok(metrics)
}

fn text_member(object: &Map<String, Value>, key: &str, at: &str) -> Result<String, String> {
    match object.get(key) {
        None => Err(format!("{at} has no \"{key}\"")),
        Some(Value::String(text)) if !text.is_empty() && text.chars().count() <= 255 => Ok(text.clone()),
        Some(Value::String(_)) => Err(format!("{at}.{key} must be 1 to 255 characters long")),
        Some(other) => Err(format!("{at}.{key} must be a string, not {other}")),
    }
}

/// Each dimension set with its values, taken from the root's members.
fn dimension_sets(
    directive: &Map<String, Value>,
    root: &Map<String, Value>,
    at: &str,
) -> Result<Vec<Vec<(String, String)>>, String> {
    let sets = directive
        .get("Dimensions")
        .ok_or(format!("{at} has no \"Dimensions\"; use [[]] for metrics without dimensions"))?
        .as_array()
        .ok_or(format!("{at}.Dimensions must be a list of dimension sets, like [[\"Service\"]]"))?;
    if sets.is_empty() {
        return Err(format!("{at}.Dimensions holds no dimension set; use [[]] for metrics without dimensions"));
    }
    sets.iter()
        .enumerate()
        .map(|(index, set)| {
            let keys = set
                .as_array()
                .ok_or(format!("{at}.Dimensions[{index}] must be a list of dimension names, like [\"Service\"]"))?;
            if keys.len() > MAX_DIMENSIONS {
                return Err(format!("{at}.Dimensions[{index}] has {} dimensions; at most {MAX_DIMENSIONS}", keys.len()));
            }
            keys.iter()
                .map(|key| {
                    let key = key.as_str().ok_or(format!("{at}.Dimensions[{index}] must hold names (strings), not {key}"))?;
                    match root.get(key) {
                        Some(Value::String(value)) => Ok((key.to_string(), value.clone())),
                        Some(other) => Err(format!(
                            "the dimension \"{key}\" must have a string value at the top level of the line, not {other}"
                        )),
                        None => Err(format!(
                            "the dimension \"{key}\" has no value: add \"{key}\": \"...\" at the top level of the line (not nested)"
                        )),
                    }
                })
                .collect()
        })
        .collect()
}

fn metric_values(root: &Map<String, Value>, name: &str) -> Result<Vec<f64>, String> {
    let missing = || {
        format!(
            "the metric \"{name}\" has no value: add \"{name}\": <number> at the top level of the line (not nested)"
        )
    };
    match root.get(name).ok_or_else(missing)? {
        Value::Number(number) => Ok(vec![number.as_f64().unwrap_or(f64::NAN)]),
        Value::Array(items) if items.len() <= MAX_VALUES && items.iter().all(Value::is_number) => {
            Ok(items.iter().filter_map(Value::as_f64).collect())
        }
        Value::Array(items) if items.len() > MAX_VALUES => {
            Err(format!("the metric \"{name}\" has {} values; at most {MAX_VALUES}", items.len()))
        }
        other => Err(format!("the metric \"{name}\" must be a number or a list of numbers, not {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"_aws": {"Timestamp": 1795780803123, "CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [["Service"], ["Service", "Region"]], "Metrics": [{"Name": "OrdersProcessed", "Unit": "Count"}, {"Name": "OrderValue"}]}]}, "Service": "orders", "Region": "eu", "OrdersProcessed": 1, "OrderValue": [12.5, 3], "requestId": "x"}"#;

    #[test]
    fn each_definition_gives_a_metric_per_dimension_set() {
        let found = extract([GOOD]);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert_eq!(found.metrics.len(), 4);
        let processed = found.named("OrdersProcessed");
        assert_eq!(processed[0].dimensions, [("Service".to_string(), "orders".to_string())]);
        assert_eq!(processed[1].dimensions.len(), 2);
        assert_eq!((processed[0].unit.as_str(), processed[0].values.as_slice()), ("Count", &[1.0][..]));
        let value = found.named("OrderValue");
        assert_eq!((value[0].unit.as_str(), value[0].values.as_slice()), ("None", &[12.5, 3.0][..]));
        assert_eq!(value[0].timestamp_ms, 1_795_780_803_123);
        assert_eq!(value[0].storage_resolution, 60);
    }

    #[test]
    fn ordinary_lines_are_not_emf_and_lambda_prefixes_are_allowed() {
        let prefixed = format!("[INFO]\t2026-11-27T12:00:03.123Z\tid\t{GOOD}");
        let found = extract(["plain print", "{\"a\": 1}", "{\"note\": \"the _aws key\"}", prefixed.as_str()]);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert_eq!(found.metrics.len(), 4);
    }

    fn problem(line: &str) -> String {
        let found = extract([line]);
        assert!(found.metrics.is_empty());
        found.problems.first().map(|p| p.reason.clone()).unwrap_or_default()
    }

    #[test]
    fn what_cloudwatch_rejects_is_explained() {
        assert!(problem(r#"{"_aws": {"CloudWatchMetrics": []}}"#).contains("no \"Timestamp\""));
        assert!(
            problem(r#"{"_aws": {"Timestamp": "now", "CloudWatchMetrics": []}}"#)
                .contains("whole number of milliseconds")
        );
        assert!(problem(r#"{"_aws": {"Timestamp": 1}}"#).contains("no \"CloudWatchMetrics\""));
        let base = |directive: &str, rest: &str| {
            format!(r#"{{"_aws": {{"Timestamp": 1, "CloudWatchMetrics": [{directive}]}}{rest}}}"#)
        };
        assert!(problem(&base(r#"{"Dimensions": [[]], "Metrics": []}"#, "")).contains("has no \"Namespace\""));
        assert!(problem(&base(r#"{"Namespace": "N", "Dimensions": [], "Metrics": []}"#, "")).contains("use [[]]"));
        assert!(
            problem(&base(r#"{"Namespace": "N", "Dimensions": [["Service"]], "Metrics": []}"#, ""))
                .contains("the dimension \"Service\" has no value")
        );
        assert!(
            problem(&base(r#"{"Namespace": "N", "Dimensions": [["Service"]], "Metrics": []}"#, r#", "Service": 3"#))
                .contains("must have a string value")
        );
        assert!(
            problem(&base(r#"{"Namespace": "N", "Dimensions": [[]], "Metrics": [{"Name": "M"}]}"#, ""))
                .contains("the metric \"M\" has no value")
        );
        assert!(
            problem(&base(r#"{"Namespace": "N", "Dimensions": [[]], "Metrics": [{"Name": "M"}]}"#, r#", "M": "1""#))
                .contains("must be a number or a list of numbers")
        );
        assert!(
            problem(&base(
                r#"{"Namespace": "N", "Dimensions": [[]], "Metrics": [{"Name": "M", "Unit": "count"}]}"#,
                r#", "M": 1"#
            ))
            .contains("case matters")
        );
        assert!(
            problem(&base(
                r#"{"Namespace": "N", "Dimensions": [[]], "Metrics": [{"Name": "M", "StorageResolution": 5}]}"#,
                r#", "M": 1"#
            ))
            .contains("1 or 60")
        );
        assert!(problem(r#"{"_aws": {"Timestamp": 1, "CloudWatchMetrics": [}"#).contains("not one valid JSON object"));
    }

    #[test]
    fn a_metric_without_dimensions_uses_an_empty_set() {
        let line = r#"{"_aws": {"Timestamp": 1, "CloudWatchMetrics": [{"Namespace": "N", "Dimensions": [[]], "Metrics": [{"Name": "M", "Unit": "Milliseconds", "StorageResolution": 1}]}]}, "M": 5}"#;
        let found = extract([line]);
        assert_eq!(found.metrics.len(), 1);
        assert!(found.metrics[0].dimensions.is_empty());
        assert_eq!(found.metrics[0].storage_resolution, 1);
    }
}
