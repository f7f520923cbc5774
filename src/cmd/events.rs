//! `cargo lab events`: the catalog of recorded AWS events, and one event
//! printed with the common fields changed (like `sam local generate-event`).
//!
//! SAM CLI's two words work too: `cargo lab events s3 put` is
//! `sam local generate-event s3 put`, answered with this catalog's `s3-put`
//! (a note on standard error names it), and `cargo lab events s3` lists what
//! SAM has for S3 and which of it the catalog has. `SAM_EVENTS` maps the names.

use crate::error::CliError;
use harness::events::{self, CATALOG};
use serde_json::Value;

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// SAM CLI's service, as in `sam local generate-event SERVICE EVENT`:
    /// s3, sqs, apigateway, dynamodb, sns, cloudwatch, kinesis. Alone, it
    /// lists SAM's events of that service and the catalog's names for them.
    #[arg(value_name = "SERVICE")]
    service: Option<String>,
    /// SAM CLI's event of SERVICE (s3 put, sqs receive-message, apigateway
    /// http-api-proxy, dynamodb update): printed from the catalog's event for it.
    #[arg(value_name = "EVENT", requires = "service")]
    event: Option<String>,
    #[command(flatten)]
    changes: Changes,
}

#[derive(clap::Subcommand)]
enum Command {
    /// List the recorded events.
    List,
    /// Print one recorded event as JSON, optionally with fields changed.
    Show(ShowArgs),
}

#[derive(clap::Args)]
struct ShowArgs {
    /// The event's name, as `cargo lab events` lists it (e.g. s3-put).
    name: String,
    #[command(flatten)]
    changes: Changes,
}

/// The fields `show` and SAM's two-word form can change (the flags of
/// `sam local generate-event` that have a counterpart here).
#[derive(clap::Args)]
struct Changes {
    /// S3 events: the bucket of every record.
    #[arg(long)]
    bucket: Option<String>,
    /// S3 events: the object key of every record, as you would name it
    /// (it is URL-encoded the way S3 sends it).
    #[arg(long)]
    key: Option<String>,
    /// SQS events: the body of every message. API Gateway events: the request body.
    #[arg(long)]
    body: Option<String>,
    /// API Gateway events: the HTTP method.
    #[arg(long)]
    method: Option<String>,
    /// API Gateway events: the request path (a leading / is added when
    /// missing, as SAM CLI adds it).
    #[arg(long)]
    path: Option<String>,
    /// The region, like eu-west-1, everywhere the event names one (awsRegion,
    /// region, the region in its ARNs and service addresses).
    #[arg(long)]
    region: Option<String>,
}

impl Changes {
    fn any(&self) -> bool {
        self.bucket.is_some()
            || self.key.is_some()
            || self.body.is_some()
            || self.method.is_some()
            || self.path.is_some()
            || self.region.is_some()
    }
}

/// SAM CLI's events, by service, with the catalog's counterpart if it has
/// one and what differs. The service and event names are SAM CLI's own, from
/// aws/aws-sam-cli, `samcli/lib/generated_sample_events/event-mapping.json`
/// (read at commit fe8f8dbb1160abce8ae13e0a4c5f8b456658afd3): every event
/// of the services the catalog covers, so a missing one is named as missing.
const SAM_EVENTS: &[(&str, &str, Option<&str>, &str)] = &[
    ("s3", "put", Some("s3-put"), ""),
    ("s3", "delete", Some("s3-delete"), ""),
    ("s3", "batch-invocation", None, ""),
    ("sqs", "receive-message", Some("sqs-batch"), "three messages, where SAM's sample has one"),
    ("apigateway", "aws-proxy", Some("apigw-rest-post"), "a REST API (payload v1) POST with a JSON body"),
    (
        "apigateway",
        "http-api-proxy",
        Some("apigw-http-get"),
        "an HTTP API (payload v2) GET, where SAM's sample is a POST: add --method POST --body TEXT for one",
    ),
    ("apigateway", "authorizer", None, ""),
    ("apigateway", "request-authorizer", None, ""),
    ("dynamodb", "update", Some("dynamodb-stream"), ""),
    ("sns", "notification", Some("sns"), ""),
    ("cloudwatch", "scheduled-event", Some("eventbridge-scheduled"), ""),
    ("cloudwatch", "logs", None, ""),
    ("kinesis", "get-records", Some("kinesis"), ""),
    ("kinesis", "kinesis-firehose", None, ""),
    ("kinesis", "analytics", None, ""),
    ("kinesis", "analytics-compressed", None, ""),
    ("kinesis", "analytics-dynamodb", None, ""),
    ("kinesis", "analytics-kpl", None, ""),
    ("kinesis", "apachelog", None, ""),
    ("kinesis", "cloudwatch-logs-processor", None, ""),
    ("kinesis", "streams-as-source", None, ""),
    ("kinesis", "syslog", None, ""),
];

/// SAM CLI's other services (same file), none of which the catalog has events from.
const SAM_OTHER_SERVICES: &[&str] = &[
    "alexa-skills-kit",
    "alexa-smart-home",
    "alb",
    "appsync",
    "batch",
    "cloudformation",
    "cloudfront",
    "codecommit",
    "codepipeline",
    "cognito",
    "config",
    "connect",
    "lex",
    "lex-v2",
    "rekognition",
    "sagemaker",
    "ses",
    "stepfunctions",
    "workmail",
];

/// The catalog's names for a SAM service's events start with this.
fn catalog_prefix(service: &str) -> &str {
    match service {
        "apigateway" => "apigw-",
        "cloudwatch" => "eventbridge-",
        other => other,
    }
}

pub(crate) fn run(args: Args) -> Result<(), CliError> {
    match (args.command, args.service) {
        (Some(Command::List), _) => list(),
        (Some(Command::Show(show)), _) => print(&build(&show.name, &show.changes).map_err(CliError::Usage)?),
        (None, None) => {
            if args.changes.any() {
                return Err(CliError::usage(
                    "say which event to change: cargo lab events show NAME [--bucket ...], or SAM CLI's \
                     cargo lab events SERVICE EVENT [--bucket ...]",
                ));
            }
            list()
        }
        (None, Some(service)) => {
            let name = sam_event(&service, args.event.as_deref()).map_err(CliError::Usage)?;
            match name {
                Some(name) => print(&build(name, &args.changes).map_err(CliError::Usage)?),
                None => sam_service(&service),
            }
        }
    }
    Ok(())
}

fn print(event: &Value) {
    println!("{}", serde_json::to_string_pretty(event).unwrap_or_default());
}

fn list() {
    println!("Recorded AWS events (cargo lab events show NAME prints one):\n");
    let mut source = "";
    for entry in CATALOG {
        if entry.source != source {
            source = entry.source;
            println!("{source}");
        }
        println!("  {:<26} {}", entry.name, entry.description);
    }
    println!("\nUse one with: cargo lab invoke FILE --event NAME");
    println!("SAM CLI's names work too: cargo lab events s3 put (cargo lab events s3 lists SAM's S3 events)");
}

/// The catalog's event for SAM's `SERVICE EVENT`, or None for `SERVICE`
/// alone (list its events); a catalog name given as one word is taken too.
fn sam_event(service: &str, event: Option<&str>) -> Result<Option<&'static str>, String> {
    let Some(event) = event else {
        if let Some(entry) = events::find(service) {
            return Ok(Some(entry.name)); // `cargo lab events s3-put`
        }
        if SAM_EVENTS.iter().any(|(s, ..)| *s == service) {
            return Ok(None);
        }
        return Err(unknown_service(service));
    };
    if let Some((_, _, ours, note)) = SAM_EVENTS.iter().find(|(s, e, ..)| *s == service && *e == event) {
        let Some(ours) = ours else {
            return Err(format!(
                "the catalog has no counterpart of SAM CLI's {service} {event}. What it has for {service}: {}",
                what_we_have(service)
            ));
        };
        let note = if note.is_empty() { String::new() } else { format!(": {note}") };
        eprintln!("note: SAM CLI's {service} {event} is {ours} in this catalog{note}");
        return Ok(Some(ours));
    }
    // `cargo lab events apigw rest-get`: the catalog's own name in two words.
    let joined = format!("{service}-{event}");
    if let Some(entry) = events::find(&joined) {
        return Ok(Some(entry.name));
    }
    if SAM_EVENTS.iter().any(|(s, ..)| *s == service) {
        return Err(format!(
            "SAM CLI has no event {service} {event}. What the catalog has for {service}: {}",
            what_we_have(service)
        ));
    }
    Err(unknown_service(service))
}

/// For an error: SAM's events of `service` the catalog has, under their
/// names here, then the catalog's own events of that service.
fn what_we_have(service: &str) -> String {
    let mut said: Vec<String> = SAM_EVENTS
        .iter()
        .filter(|(s, ..)| *s == service)
        .filter_map(|(_, event, ours, _)| ours.map(|ours| format!("{service} {event} ({ours})")))
        .collect();
    let mapped: Vec<&str> = SAM_EVENTS.iter().filter_map(|(_, _, ours, _)| *ours).collect();
    let prefix = catalog_prefix(service);
    said.extend(
        CATALOG.iter().filter(|e| e.name.starts_with(prefix) && !mapped.contains(&e.name)).map(|e| e.name.to_string()),
    );
    format!("{}; `cargo lab events` lists every event", said.join(", "))
}

fn unknown_service(service: &str) -> String {
    let mut ours: Vec<&str> = SAM_EVENTS.iter().map(|(s, ..)| *s).collect();
    ours.dedup();
    if SAM_OTHER_SERVICES.contains(&service) {
        format!(
            "the catalog has no {service} events (SAM CLI has some); it has events of {}: `cargo lab events` lists them",
            ours.join(", ")
        )
    } else {
        format!(
            "'{service}' is neither an event of the catalog nor a service of SAM CLI's generate-event; \
             the catalog has events of {}: `cargo lab events` lists them",
            ours.join(", ")
        )
    }
}

/// `cargo lab events SERVICE`: SAM's events of the service, each with the
/// catalog's name for it, then the catalog's other events of that service.
fn sam_service(service: &str) {
    println!("SAM CLI's {service} events (cargo lab events {service} EVENT prints one):\n");
    for (_, event, ours, note) in SAM_EVENTS.iter().filter(|(s, ..)| *s == service) {
        let here = match ours {
            Some(ours) if note.is_empty() => ours.to_string(),
            Some(ours) => format!("{ours}: {note}"),
            None => "not in the catalog".to_string(),
        };
        println!("  {event:<26} {here}");
    }
    let mapped: Vec<&str> = SAM_EVENTS.iter().filter_map(|(_, _, ours, _)| *ours).collect();
    let prefix = catalog_prefix(service);
    let own: Vec<_> = CATALOG.iter().filter(|e| e.name.starts_with(prefix) && !mapped.contains(&e.name)).collect();
    if !own.is_empty() {
        println!("\nThe catalog's other {service} events (cargo lab events show NAME):");
        for entry in own {
            println!("  {:<26} {}", entry.name, entry.description);
        }
    }
}

/// The named event with the requested changes, or why they do not apply.
fn build(name: &str, args: &Changes) -> Result<Value, String> {
    let entry = events::find(name).ok_or_else(|| unknown(name))?;
    let event = events::load(entry.name)?;
    let family = entry.name.split('-').next().unwrap_or_default();
    let refuse = |flag: &str, applies: &str| -> Result<(), String> {
        Err(format!("--{flag} applies to {applies} events, not to {}", entry.name))
    };
    if (args.bucket.is_some() || args.key.is_some()) && family != "s3" {
        refuse(if args.bucket.is_some() { "bucket" } else { "key" }, "S3")?;
    }
    if (args.method.is_some() || args.path.is_some()) && family != "apigw" {
        refuse(if args.method.is_some() { "method" } else { "path" }, "API Gateway")?;
    }
    if args.body.is_some() && !matches!(family, "sqs" | "apigw") {
        refuse("body", "SQS and API Gateway")?;
    }
    let event = match family {
        "s3" => events::with_s3_object(event, args.bucket.as_deref(), args.key.as_deref()),
        "sqs" => match &args.body {
            Some(body) => {
                let count = event["Records"].as_array().map_or(1, Vec::len);
                events::sqs_batch(&vec![body.as_str(); count])
            }
            None => event,
        },
        "apigw" if args.body.is_some() || args.method.is_some() || args.path.is_some() => {
            api_request(entry.name, &event, args)
        }
        _ => event,
    };
    match &args.region {
        Some(region) => with_region(event, region).map_err(|e| format!("{e} ({})", entry.name)),
        None => Ok(event),
    }
}

/// An API Gateway event of the same payload version, with the changes applied.
fn api_request(name: &str, event: &Value, args: &Changes) -> Value {
    let v2 = name.starts_with("apigw-http");
    let method = args.method.clone().unwrap_or_else(|| {
        let field = if v2 { &event["requestContext"]["http"]["method"] } else { &event["httpMethod"] };
        field.as_str().unwrap_or("GET").to_string()
    });
    let path =
        args.path.as_deref().map(|path| if path.starts_with('/') { path.to_string() } else { format!("/{path}") });
    let path = path.unwrap_or_else(|| {
        let field = if v2 { &event["rawPath"] } else { &event["path"] };
        field.as_str().unwrap_or("/").to_string()
    });
    let body = args.body.clone().or_else(|| original_body(event));
    if v2 {
        let base64 = event["isBase64Encoded"].as_bool().unwrap_or(false);
        events::api_v2(&method, &path, &[], body.as_deref(), base64)
    } else {
        events::api_v1(&method, &path, &[], body.as_deref())
    }
}

fn original_body(event: &Value) -> Option<String> {
    if event["isBase64Encoded"].as_bool().unwrap_or(false) {
        return None; // a changed request keeps its body only when given again
    }
    event["body"].as_str().map(String::from)
}

/// `--region`: the region everywhere the event names one: the `awsRegion`
/// and `region` fields, the region field of its ARNs (an S3 bucket's ARN has
/// none), and service addresses such as sns.us-east-1.amazonaws.com.
fn with_region(mut event: Value, region: &str) -> Result<Value, String> {
    let well_formed = region.split('-').count() >= 3
        && region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        return Err(format!("--region takes a region's code, like eu-west-1, not '{region}'"));
    }
    let mut old = Vec::new();
    collect_regions(&event, &mut old);
    if old.is_empty() {
        return Err("--region changes nothing in this event: it names no region".to_string());
    }
    replace_regions(&mut event, &old, region);
    Ok(event)
}

fn collect_regions(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if let (true, Some(region)) = (key == "awsRegion" || key == "region", inner.as_str()) {
                    if !region.is_empty() && !found.iter().any(|r| r == region) {
                        found.push(region.to_string());
                    }
                }
                collect_regions(inner, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_regions(item, found)),
        Value::String(text) => {
            if let Some(region) = arn_region(text) {
                if !found.iter().any(|r| r == region) {
                    found.push(region.to_string());
                }
            }
        }
        _ => {}
    }
}

/// The region field of an ARN (`arn:partition:service:region:account:...`), if not empty.
fn arn_region(text: &str) -> Option<&str> {
    let mut fields = text.strip_prefix("arn:")?.splitn(4, ':');
    let (_partition, _service, region) = (fields.next()?, fields.next()?, fields.next()?);
    fields.next()?;
    (!region.is_empty()).then_some(region)
}

fn replace_regions(value: &mut Value, old: &[String], region: &str) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if (key == "awsRegion" || key == "region") && inner.is_string() {
                    *inner = Value::String(region.to_string());
                } else {
                    replace_regions(inner, old, region);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| replace_regions(item, old, region)),
        Value::String(text) => {
            let mut changed = text.clone();
            if let Some(was) = arn_region(text) {
                let at = "arn:".len() + text["arn:".len()..].match_indices(':').nth(1).map_or(0, |(i, _)| i + 1);
                changed = format!("{}{region}{}", &text[..at], &text[at + was.len()..]);
            }
            for was in old {
                changed = changed.replace(&format!(".{was}.amazonaws.com"), &format!(".{region}.amazonaws.com"));
            }
            *text = changed;
        }
        _ => {}
    }
}

/// The message for a name that is neither a catalog event nor a file.
pub(crate) fn unknown(name: &str) -> String {
    format!("there is no event called '{name}' in the catalog; `cargo lab events` lists them")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mapped_name_is_in_the_catalog() {
        for (service, event, ours, _) in SAM_EVENTS {
            if let Some(ours) = ours {
                assert!(events::find(ours).is_some(), "{service} {event} maps to {ours}, not in the catalog");
            }
        }
    }

    #[test]
    fn region_changes_arns_fields_and_addresses() {
        let event = serde_json::json!({
            "awsRegion": "us-east-1",
            "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:orders",
            "bucket": "arn:aws:s3:::photos",
            "url": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"
        });
        let changed = with_region(event, "eu-west-1").unwrap();
        assert_eq!(
            changed,
            serde_json::json!({
                "awsRegion": "eu-west-1",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:orders",
                "bucket": "arn:aws:s3:::photos",
                "url": "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe"
            })
        );
        assert!(with_region(serde_json::json!({"a": 1}), "eu-west-1").unwrap_err().contains("names no region"));
        assert!(with_region(serde_json::json!({"region": "x"}), "Europe").unwrap_err().contains("like eu-west-1"));
    }
}
