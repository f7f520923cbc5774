//! `cargo lab states`: validate a state machine as Step Functions would,
//! run it over local Python functions and show what happened, or draw it
//! (with the path of one run, when given its input or functions).

use super::invoke::DEFAULT_FUNCTION;
use crate::error::CliError;
use harness::{Function, FunctionConfig};
use serde_json::Value;
use state_machine_graph::ExecutionPath;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use step_functions::integrations::{self, Account};
use step_functions::runner::{self, Execution, Options, Status};
use step_functions::validate;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Check a state machine definition as Step Functions does when you create it.
    Validate {
        /// The definition, an Amazon States Language JSON file.
        machine: PathBuf,
    },
    /// Run a state machine over local Python handlers (and, for its DynamoDB
    /// and SQS Tasks, the local AWS).
    Run(RunArgs),
    /// Draw a state machine as SVG, as the console does; with --input or
    /// --function, run it first and colour the path it took.
    #[command(long_about = "Draw a state machine as SVG, as the Step Functions console does: Start and End, \
each state, Choice rules, Catch and Retry, Map and Parallel with their inner states.\n\n\
With --input or --function, the machine runs first (as with `states run`) and the picture shows \
that execution: the states entered and the transitions taken, retried states with their count, \
a caught error's arrow and the state that failed.\n\n\
Without -o, the SVG goes to standard output.")]
    Graph(GraphArgs),
}

#[derive(clap::Args)]
struct ExecutionArgs {
    /// A JSON file with the execution's input (default: {}).
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// A Lambda function the machine calls: NAME=FILE or NAME=FILE:HANDLER
    /// (the handler defaults to lambda_handler). Repeat for each function.
    #[arg(long = "function", value_name = "NAME=FILE[:HANDLER]", value_parser = parse_function)]
    functions: Vec<(String, PathBuf, String)>,
    /// The tables, queues and buckets the machine's DynamoDB and SQS Tasks
    /// find at the local AWS, in the form `cargo lab invoke --aws` takes:
    /// {"dynamodb": {"orders": {"key": {"id": "S"}, "items": [...]}},
    /// "sqs": {"shipping": []}}. Without it they find an empty account.
    #[arg(long, value_name = "FILE")]
    aws: Option<PathBuf>,
}

#[derive(clap::Args)]
struct GraphArgs {
    /// The definition, an Amazon States Language JSON file.
    machine: PathBuf,
    /// Write the SVG to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE.svg")]
    output: Option<PathBuf>,
    #[command(flatten)]
    execution: ExecutionArgs,
}

#[derive(clap::Args)]
struct RunArgs {
    /// The definition, an Amazon States Language JSON file.
    machine: PathBuf,
    #[command(flatten)]
    execution: ExecutionArgs,
    /// Print one JSON object: status, output or error and cause, and the history.
    #[arg(long)]
    json: bool,
}

fn parse_function(text: &str) -> Result<(String, PathBuf, String), String> {
    let (name, target) = text
        .split_once('=')
        .filter(|(name, target)| !name.is_empty() && !target.is_empty())
        .ok_or_else(|| format!("expected NAME=FILE or NAME=FILE:HANDLER, got '{text}'"))?;
    let (file, handler) = match target.rsplit_once(':') {
        Some((file, handler)) if file.ends_with(".py") && !handler.is_empty() => (file, handler),
        _ => (target, DEFAULT_FUNCTION),
    };
    Ok((name.to_string(), PathBuf::from(file), handler.to_string()))
}

pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    match args.command {
        Command::Validate { machine } => validate_command(&machine),
        Command::Run(run) => run_command(&run),
        Command::Graph(graph) => graph_command(&graph),
    }
}

/// The definition as JSON; an unreadable file is a mistake in the command,
/// text that is not JSON is an invalid definition.
fn load(machine: &Path) -> Result<Result<Value, validate::Diagnostic>, String> {
    let text = std::fs::read_to_string(machine)
        .map_err(|e| format!("cannot read the state machine {}: {e}", machine.display()))?;
    Ok(serde_json::from_str(&text).map_err(|e| validate::Diagnostic {
        code: "INVALID_JSON_DESCRIPTION".into(),
        message: format!("{} is not valid JSON: {e}", machine.display()),
        pointer: "/".into(),
    }))
}

fn validate_command(machine: &Path) -> Result<ExitCode, CliError> {
    let problems = match load(machine).map_err(CliError::Usage)? {
        Ok(definition) => validate::validate(&definition),
        Err(problem) => vec![problem],
    };
    if problems.is_empty() {
        println!("{} is a valid state machine.", machine.display());
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{}", validate::report(&problems));
        Ok(ExitCode::FAILURE)
    }
}

/// The definition of `machine`, valid: an invalid one is a usage error
/// with the service's report of its problems.
fn load_valid(machine: &Path) -> Result<Value, CliError> {
    let definition =
        load(machine).map_err(CliError::Usage)?.map_err(|problem| CliError::Usage(validate::report(&[problem])))?;
    let problems = validate::validate(&definition);
    if !problems.is_empty() {
        return Err(CliError::Usage(validate::report(&problems)));
    }
    Ok(definition)
}

/// The execution's account at the local AWS, set up from `--aws FILE`,
/// when the machine has a DynamoDB or SQS Task (a machine that calls only
/// Lambda never starts the local AWS), with what it held at the start.
fn service_account(definition: &Value, args: &ExecutionArgs) -> Result<Option<(Arc<Account>, Value)>, CliError> {
    let state = match &args.aws {
        None => serde_json::json!({}),
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| CliError::Usage(format!("cannot read the AWS state file {}: {e}", file.display())))?;
            serde_json::from_str(&text)
                .map_err(|e| CliError::Usage(format!("the AWS state file {} is not valid JSON: {e}", file.display())))?
        }
    };
    if !integrations::calls_services(definition) {
        if let Some(file) = &args.aws {
            eprintln!(
                "note: {} is not used: the machine has no DynamoDB or SQS Task (each --function has an account of \
                 its own at the local AWS, as with `cargo lab invoke`)",
                file.display()
            );
        }
        return Ok(None);
    }
    let account = Account::new(&Options::default().region).map_err(CliError::Failed)?;
    account.seed(&state).map_err(CliError::Usage)?;
    let before = if args.aws.is_some() { account.state().unwrap_or_default() } else { state };
    Ok(Some((Arc::new(account), before)))
}

/// Run the valid `definition` (read from `machine`) on the input and
/// functions the command was given; with what its DynamoDB and SQS Tasks
/// changed at the local AWS, one line each.
fn execute(definition: &Value, machine: &Path, args: &ExecutionArgs) -> Result<(Execution, Vec<String>), CliError> {
    let input = match &args.input {
        None => serde_json::json!({}),
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            .map_err(|error| {
                CliError::Usage(format!("the input file {} is not readable JSON: {error}", path.display()))
            })?,
    };
    let mut functions = HashMap::new();
    for (name, file, handler) in &args.functions {
        if !file.is_file() {
            return Err(CliError::Usage(format!("no such handler file for the function {name}: {}", file.display())));
        }
        let mut config = FunctionConfig::from_file(file, handler);
        config.function_name = name.clone();
        functions.insert(name.clone(), Function::new(config).map_err(CliError::usage)?);
    }
    for name in runner::function_names(definition) {
        if !functions.contains_key(&name) {
            return Err(CliError::Usage(format!(
                "the state machine calls the Lambda function '{name}', but no --function {name}=FILE was given"
            )));
        }
    }
    let account = service_account(definition, args)?;
    let machine_name = machine.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let aws = account.as_ref().map(|(account, _)| account.clone());
    let options = Options { state_machine_name: machine_name, aws, ..Options::default() };
    let execution = runner::execute(definition, &input, &functions, &options)
        .map_err(|problems| CliError::Usage(validate::report(&problems)))?;
    let changed = match &account {
        Some((account, before)) => {
            account.state().map(|after| harness::aws::changes(before, &after)).unwrap_or_default()
        }
        None => Vec::new(),
    };
    Ok((execution, changed))
}

fn run_command(args: &RunArgs) -> Result<ExitCode, CliError> {
    let definition = load_valid(&args.machine)?;
    let (execution, changed) = execute(&definition, &args.machine, &args.execution)?;
    if args.json {
        let mut json = execution.to_json();
        if integrations::calls_services(&definition) {
            json["awsChanges"] = serde_json::json!(changed);
        }
        println!("{json}");
    } else {
        print_trace(&execution);
        if !changed.is_empty() {
            println!("The machine's DynamoDB and SQS Tasks changed, at the local AWS:");
            for line in &changed {
                println!("  {line}");
            }
        }
    }
    Ok(if execution.status == Status::Succeeded { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `states graph`: the picture, of the machine alone or of one execution.
/// It succeeds when the picture was written, whatever the execution did.
/// How long the layout may take. The layout's cost grows steeply with the
/// transitions that cross (a machine of 40 Choice states, each rule pointing
/// back, takes seconds; 100 take minutes), and a picture that large is no
/// longer readable either.
const GRAPH_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

/// The picture, drawn on a thread of its own so that a machine too large to
/// lay out in `deadline` gets a verdict instead of a terminal that hangs
/// (the thread ends with the process).
fn draw_within(
    definition: Value,
    path: Option<ExecutionPath>,
    deadline: std::time::Duration,
) -> Result<Result<String, Vec<validate::Diagnostic>>, CliError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let states = count_states(&definition);
    std::thread::Builder::new()
        .name("graph-layout".into())
        .spawn(move || {
            let _ = sender.send(state_machine_graph::draw(&definition, path.as_ref()));
        })
        .map_err(|e| CliError::Failed(format!("cannot start the drawing: {e}")))?;
    receiver.recv_timeout(deadline).map_err(|_| {
        CliError::Failed(format!(
            "The machine has {states} states and its picture could not be laid out within {} seconds: a machine \
             this large is not readable as one picture either. Draw a part of it instead (a Map's or a Parallel \
             branch's states, saved as a machine of their own).",
            deadline.as_secs()
        ))
    })
}

/// The states of a machine, its Map processors and Parallel branches included.
fn count_states(value: &Value) -> usize {
    match value {
        Value::Object(object) => {
            let own = object.get("States").and_then(Value::as_object).map_or(0, |states| states.len());
            own + object.values().map(count_states).sum::<usize>()
        }
        Value::Array(items) => items.iter().map(count_states).sum(),
        _ => 0,
    }
}

fn graph_command(args: &GraphArgs) -> Result<ExitCode, CliError> {
    let definition = load_valid(&args.machine)?;
    let executes =
        args.execution.input.is_some() || !args.execution.functions.is_empty() || args.execution.aws.is_some();
    // A handler that writes to descriptor 1 itself must not land in the SVG.
    let mut stdout: Box<dyn Write> =
        if executes { Box::new(crate::output::claim_stdout()) } else { Box::new(std::io::stdout().lock()) };
    let path = if executes {
        let (execution, _) = execute(&definition, &args.machine, &args.execution)?;
        Some(ExecutionPath::from_execution(&execution))
    } else {
        None
    };
    let svg = draw_within(definition, path, GRAPH_DEADLINE)?
        .map_err(|problems| CliError::Usage(validate::report(&problems)))?;
    match &args.output {
        Some(file) => {
            std::fs::write(file, svg).map_err(|e| CliError::Failed(format!("cannot write {}: {e}", file.display())))?;
            let _ = writeln!(stdout, "Wrote {}.", file.display());
        }
        None => {
            // A reader that stops early (`| head`) is no error of ours.
            match stdout.write_all(svg.as_bytes()).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(CliError::Failed(format!("cannot write the picture: {e}")));
                }
                _ => {}
            }
        }
    }
    let _ = stdout.flush();
    Ok(ExitCode::SUCCESS)
}

/// The history as a readable trace.
fn print_trace(execution: &Execution) {
    for line in step_functions::trace::lines(execution) {
        println!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A machine of `n` Choice states, each with a rule pointing back into
    /// the machine: the kind whose layout takes long.
    fn tangled(n: usize) -> Value {
        let mut states = serde_json::Map::new();
        for i in 0..n {
            let rule = json!({"Variable": "$.x", "NumericEquals": i, "Next": format!("S{}", (i * 7) % n)});
            states.insert(
                format!("S{i}"),
                json!({"Type": "Choice", "Choices": [rule], "Default": format!("S{}", i + 1)}),
            );
        }
        states.insert(format!("S{n}"), json!({"Type": "Succeed"}));
        json!({"StartAt": "S0", "States": states})
    }

    #[test]
    fn a_picture_that_takes_too_long_gets_a_verdict_not_a_wait() {
        let error = draw_within(tangled(25), None, std::time::Duration::from_millis(1)).unwrap_err();
        let CliError::Failed(message) = error else { panic!("a failure") };
        assert!(message.contains("The machine has 26 states"), "{message}");
        let small = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}});
        assert!(draw_within(small, None, GRAPH_DEADLINE).unwrap().unwrap().starts_with("<svg"));
    }

    #[test]
    fn states_are_counted_inside_maps_and_branches() {
        let machine = json!({"StartAt": "M", "States": {
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
        assert_eq!(count_states(&machine), 2);
    }
}
