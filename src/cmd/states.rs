//! `cargo lab states`: validate a state machine as Step Functions would, or
//! run it over local Python functions and show what happened.

use super::invoke::DEFAULT_FUNCTION;
use crate::error::CliError;
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
        _ => (target, DEFAULT_FUNCTION),
    };
    Ok((name.to_string(), PathBuf::from(file), handler.to_string()))
}

pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
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

fn run_command(args: &RunArgs) -> Result<ExitCode, CliError> {
    let definition = load(&args.machine)
        .map_err(CliError::Usage)?
        .map_err(|problem| CliError::Usage(validate::report(&[problem])))?;
    let problems = validate::validate(&definition);
    if !problems.is_empty() {
        return Err(CliError::Usage(validate::report(&problems)));
    }
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
    for name in runner::function_names(&definition) {
        if !functions.contains_key(&name) {
            return Err(CliError::Usage(format!(
                "the state machine calls the Lambda function '{name}', but no --function {name}=FILE was given"
            )));
        }
    }
    let machine_name = args.machine.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let options = Options { state_machine_name: machine_name, ..Options::default() };
    let execution = runner::execute(&definition, &input, &functions, &options)
        .map_err(|problems| CliError::Usage(validate::report(&problems)))?;
    if args.json {
        println!("{}", execution.to_json());
    } else {
        print_trace(&execution);
    }
    Ok(if execution.status == Status::Succeeded { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The history as a readable trace.
fn print_trace(execution: &Execution) {
    for line in step_functions::trace::lines(execution) {
        println!("{line}");
    }
}
