//! `cargo lab events`: the catalog of recorded AWS events, and one event
//! printed with the common fields changed (like `sam local generate-event`).

use crate::error::CliError;
use harness::events::{self, CATALOG};

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Command>,
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
    /// API Gateway events: the request path.
    #[arg(long)]
    path: Option<String>,
}

pub(crate) fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        None | Some(Command::List) => list(),
        Some(Command::Show(show)) => {
            let event = build(&show).map_err(CliError::Usage)?;
            println!("{}", serde_json::to_string_pretty(&event).unwrap_or_default());
        }
    }
    Ok(())
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
}

/// The named event with the requested changes, or why they do not apply.
fn build(args: &ShowArgs) -> Result<serde_json::Value, String> {
    let entry = events::find(&args.name).ok_or_else(|| unknown(&args.name))?;
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
    Ok(match family {
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
    })
}

/// An API Gateway event of the same payload version, with the changes applied.
fn api_request(name: &str, event: &serde_json::Value, args: &ShowArgs) -> serde_json::Value {
    let v2 = name.starts_with("apigw-http");
    let method = args.method.clone().unwrap_or_else(|| {
        let field = if v2 { &event["requestContext"]["http"]["method"] } else { &event["httpMethod"] };
        field.as_str().unwrap_or("GET").to_string()
    });
    let path = args.path.clone().unwrap_or_else(|| {
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

fn original_body(event: &serde_json::Value) -> Option<String> {
    if event["isBase64Encoded"].as_bool().unwrap_or(false) {
        return None; // a changed request keeps its body only when given again
    }
    event["body"].as_str().map(String::from)
}

/// The message for a name that is neither a catalog event nor a file.
pub(crate) fn unknown(name: &str) -> String {
    format!("there is no event called '{name}' in the catalog; `cargo lab events` lists them")
}
