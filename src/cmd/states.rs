//! `cargo lab states`: validate a state machine as Step Functions would, or
//! run it over local Python functions and show what happened.

use harness::{Function, FunctionConfig};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
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
    /// Run a state machine over local Python handlers.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// The definition, an Amazon States Language JSON file.
    machine: PathBuf,
    /// A JSON file with the execution's input (default: {}).
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// A Lambda function the machine calls: NAME=FILE or NAME=FILE:HANDLER
    /// (the handler defaults to lambda_handler). Repeat for each function.
    #[arg(long = "function", value_name = "NAME=FILE[:HANDLER]", value_parser = parse_function)]
    functions: Vec<(String, PathBuf, String)>,
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
        _ => (target, "lambda_handler"),
    };
    Ok((name.to_string(), PathBuf::from(file), handler.to_string()))
}

pub(crate) fn run(args: Args) -> ExitCode {
    match args.command {
        Command::Validate { machine } => validate_command(&machine),
        Command::Run(run) => run_command(&run),
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

fn validate_command(machine: &Path) -> ExitCode {
    let definition = match load(machine) {
        Ok(definition) => definition,
        Err(message) => return crate::usage_error(message),
    };
    let problems = match definition {
        Ok(definition) => validate::validate(&definition),
        Err(problem) => vec![problem],
    };
    if problems.is_empty() {
        println!("{} is a valid state machine.", machine.display());
        ExitCode::SUCCESS
    } else {
        println!("{}", validate::report(&problems));
        ExitCode::from(1)
    }
}

fn run_command(args: &RunArgs) -> ExitCode {
    let definition = match load(&args.machine) {
        Ok(Ok(definition)) => definition,
        Ok(Err(problem)) => return crate::usage_error(validate::report(&[problem])),
        Err(message) => return crate::usage_error(message),
    };
    let problems = validate::validate(&definition);
    if !problems.is_empty() {
        return crate::usage_error(validate::report(&problems));
    }
    let input = match &args.input {
        None => serde_json::json!({}),
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(value) => value,
            Err(error) => {
                return crate::usage_error(format!("the input file {} is not readable JSON: {error}", path.display()));
            }
        },
    };
    let mut functions = HashMap::new();
    for (name, file, handler) in &args.functions {
        if !file.is_file() {
            return crate::usage_error(format!("no such handler file for the function {name}: {}", file.display()));
        }
        let mut config = FunctionConfig::from_file(file, handler);
        config.function_name = name.clone();
        match Function::new(config) {
            Ok(function) => functions.insert(name.clone(), function),
            Err(error) => return crate::usage_error(error),
        };
    }
    for name in runner::function_names(&definition) {
        if !functions.contains_key(&name) {
            return crate::usage_error(format!(
                "the state machine calls the Lambda function '{name}', but no --function {name}=FILE was given"
            ));
        }
    }
    let machine_name = args.machine.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let options = Options { state_machine_name: machine_name, ..Options::default() };
    let execution = match runner::execute(&definition, &input, &functions, &options) {
        Ok(execution) => execution,
        Err(problems) => return crate::usage_error(validate::report(&problems)),
    };
    if args.json {
        println!("{}", execution.to_json());
    } else {
        print_trace(&execution);
    }
    if execution.status == Status::Succeeded { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// The history as a readable trace.
fn print_trace(execution: &Execution) {
    for line in step_functions::trace::lines(execution) {
        println!("{line}");
    }
}
