//! `cargo lab invoke`: run a handler file, or a deployment package (.zip),
//! against an event, once or several times in one warm environment, and show
//! what the Lambda console would: the response, then the log lines from START
//! to REPORT. A .zip is checked and unpacked as Lambda does it (see
//! `deployment_package`), into a fresh task root removed when the command ends.
//!
//! The response goes to standard output and everything else (the headings,
//! the log, the AWS calls) to standard error, as `sam local invoke` splits
//! them (AWS SAM CLI, `samcli/local/docker/container.py`, `wait_for_result`:
//! "All logging is re-directed to stderr, so that only the lambda function
//! return will be written to stdout"), so `cargo lab invoke FILE | jq .` reads
//! the response alone while a terminal shows both, in order. `--json` writes
//! its lines to standard output. SAM's `-e/--event` (with `-` for standard
//! input), `--no-event` and `-n/--env-vars` are taken too (see `env_vars`).
//!
//! With `--bin PACKAGE` the function is a Rust binary of this workspace (one
//! built on `lambda_runtime`): it is compiled with cargo, started as its own
//! process against a local Runtime API (`harness::process`), and shown the
//! same way.

use crate::error::CliError;
use deployment_package::{self as package, Package};
use harness::config::{DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, FunctionConfig};
use harness::process::{ProcessConfig, ProcessFunction};
use harness::{ErrorSource, Function, Invocation, InvokeOptions, Outcome};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

mod env_vars;
mod json_text;

/// The function Lambda calls in a Python file unless told otherwise, as a
/// new function in the console has it.
pub(crate) const DEFAULT_FUNCTION: &str = "lambda_handler";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The Python file holding the handler (exercises/01-first-handler/handler.py),
    /// or a deployment package (build/function.zip): the zip is checked against
    /// Lambda's size limits and unpacked into a fresh folder standing for /var/task.
    #[arg(required_unless_present_any = ["handler_string", "bin"])]
    file: Option<PathBuf>,
    /// Invoke a function written in Rust instead: PACKAGE is a package of this
    /// workspace with a binary built on lambda_runtime (exercise-21, say).
    /// It is compiled with cargo, then run as its own process against a local
    /// Lambda Runtime API, as Lambda runs a function on the provided.al2023 runtime.
    #[arg(
        long,
        value_name = "PACKAGE",
        conflicts_with_all = ["file", "handler", "handler_string", "task_root", "runtime", "debug"]
    )]
    bin: Option<String>,
    /// The function in a .py FILE that Lambda calls [default: lambda_handler].
    /// For a .zip, use --handler-string.
    #[arg(long, value_name = "NAME")]
    handler: Option<String>,
    /// The event to send: a JSON file, `-` to read it from standard input (as
    /// `sam local invoke --event -`), or the name of a recorded event from
    /// `cargo lab events` (default: the empty object {}).
    #[arg(short = 'e', long, value_name = "FILE|NAME|-")]
    event: Option<PathBuf>,
    /// Send the empty object {} as the event, as no --event does: SAM CLI's
    /// flag, which it keeps (hidden, deprecated) for scripts that give it.
    #[arg(long, conflicts_with = "event")]
    no_event: bool,
    /// The function's timeout, in whole seconds (1 to 900).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
    /// The function's memory, in MB (128 to 10240).
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_MEMORY_MB)]
    memory: u32,
    /// An environment variable for the function (repeatable). It wins over
    /// the same variable in --env-vars.
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = parse_env)]
    env: Vec<(String, String)>,
    /// Environment variables from a JSON file in `sam local invoke --env-vars`
    /// form: {"Parameters": {"KEY": "value"}} for every function, and
    /// {"FUNCTION": {"KEY": "value"}} for the function FUNCTION, which wins
    /// over Parameters. FUNCTION is the function's logical ID in the
    /// template.yaml beside the handler (Function, in every exercise), its
    /// name (handler-function for handler.py: AWS_LAMBDA_FUNCTION_NAME), the
    /// exercise's function name, or the handler file's name without .py.
    /// Numbers and true/false become text, as SAM makes them.
    #[arg(short = 'n', long, value_name = "FILE")]
    env_vars: Option<PathBuf>,
    /// The execution role's permissions policy (a JSON file, like exercise 02's
    /// permissions.json): each AWS call the handler makes is decided by it, and
    /// one it does not allow gets AccessDenied, as on AWS. Without it every
    /// call is allowed.
    #[arg(long, value_name = "FILE", conflicts_with = "bin")]
    policy: Option<PathBuf>,
    /// The state the function finds at the local AWS, as JSON: buckets with
    /// objects, tables with their key and items, queues with messages, as in
    /// {"s3": {"photo-uploads": {"cat.jpg": "..."}}, "dynamodb": {"orders":
    /// {"key": {"id": "S"}, "items": [...]}}, "sqs": {"shipping": ["..."]}}.
    #[arg(long, value_name = "FILE", conflicts_with = "bin")]
    aws: Option<PathBuf>,
    /// Invoke N times in one warm environment.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Print one JSON object per invocation, one per line.
    #[arg(long)]
    json: bool,
    /// Lambda's whole handler string, MODULE.FUNCTION, the module's path taken
    /// from the top of the package (app.lambda_handler, src/app.lambda_handler).
    /// With a .zip FILE it defaults to lambda_function.lambda_handler, the
    /// console's default for a new Python function; without FILE it needs --task-root.
    #[arg(long, value_name = "MODULE.FUNCTION")]
    handler_string: Option<String>,
    /// With --handler-string and no FILE: the folder the module is imported from (Lambda's /var/task).
    #[arg(long, value_name = "DIR")]
    task_root: Option<PathBuf>,
    /// The Lambda runtime to imitate, like python3.12 (default: the version of
    /// the Python the harness embeds). It sets AWS_EXECUTION_ENV, and from
    /// python3.12 on, responses keep non-ASCII characters unescaped.
    #[arg(long, value_name = "RUNTIME", value_parser = parse_runtime)]
    runtime: Option<String>,
    /// Stop at `breakpoint()` in the handler and debug it with pdb in this
    /// terminal (the timeout is raised to 900 s meanwhile).
    #[arg(long)]
    debug: bool,
    /// Turn on X-Ray active tracing: the trace header in _X_AMZN_TRACE_ID says Sampled=1.
    #[arg(long)]
    active_tracing: bool,
    /// A layer for the function: a folder holding what Lambda would unpack
    /// into /opt (its python/ folder is imported from, after your own
    /// files), such as .lab/layers/powertools (repeatable, in order). An
    /// exercise's handler gets the layers its exercise.toml names.
    #[arg(long = "layer", value_name = "DIR", conflicts_with = "bin")]
    layers: Vec<PathBuf>,
}

fn parse_runtime(text: &str) -> Result<String, String> {
    let minor = text.strip_prefix("python3.").and_then(|m| m.parse::<u32>().ok());
    match minor {
        Some(minor) if (9..=15).contains(&minor) => Ok(text.to_string()),
        _ => Err(format!("expected a Python runtime like python3.12, got '{text}'")),
    }
}

fn parse_env(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
        _ => Err(format!("expected KEY=VALUE, got '{text}'")),
    }
}

pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    if let Some(package) = &args.bin {
        return run_binary(&args, package);
    }
    // A package's unpacked folder lives as long as this value: to the end of the command.
    let mut package = None;
    let mut config = match (&args.file, &args.handler_string, &args.task_root) {
        (Some(file), handler_string, None) if is_zip(file) => {
            if args.handler.is_some() {
                return Err(CliError::Usage(format!(
                    "--handler names a function in a .py file; for a .zip give the whole handler string, \
                     like --handler-string app.lambda_handler (default {})",
                    package::DEFAULT_HANDLER
                )));
            }
            let opened = Package::open(file).map_err(CliError::usage)?;
            let handler = handler_string.as_deref().unwrap_or(package::DEFAULT_HANDLER);
            eprintln!("{}", package_summary(&opened, handler));
            for warning in opened.warnings() {
                eprintln!("warning: {warning}");
            }
            let config = opened.config(handler);
            package = Some((opened, handler.to_string()));
            config
        }
        (Some(file), _, Some(_)) if is_zip(file) => {
            return Err(CliError::usage(
                "--task-root is for a folder; a .zip is unpacked into a fresh task root of its own",
            ));
        }
        (Some(file), None, None) => {
            if file.is_dir() {
                return Err(CliError::Usage(folder_given(file)));
            }
            if !file.is_file() {
                return Err(CliError::Usage(format!("no such handler file: {}", file.display())));
            }
            if file.extension().is_some_and(|ext| ext == "rs") {
                return Err(CliError::Usage(format!(
                    "{} is Rust source, which runs as a compiled program: give its package instead, as in `cargo lab invoke --bin {}`",
                    file.display(),
                    package_of(file).unwrap_or_else(|| "PACKAGE".into())
                )));
            }
            if file.extension().is_none_or(|ext| ext != "py") {
                return Err(CliError::Usage(format!(
                    "{} is not a Python file; give the .py file that holds your handler, or a .zip deployment package",
                    file.display()
                )));
            }
            FunctionConfig::from_file(file, args.handler.as_deref().unwrap_or(DEFAULT_FUNCTION))
        }
        (Some(_), Some(_), _) => {
            return Err(CliError::usage(
                "--handler-string goes with a .zip FILE, or with --task-root in place of FILE; \
                 for a .py FILE name the function with --handler NAME",
            ));
        }
        (Some(_), None, Some(_)) => {
            return Err(CliError::usage("--task-root goes with --handler-string, in place of FILE"));
        }
        (None, Some(handler), Some(root)) => {
            if !root.is_dir() {
                return Err(CliError::Usage(format!("no such folder: {}", root.display())));
            }
            let root = std::path::absolute(root).unwrap_or_else(|_| root.clone());
            FunctionConfig::new(root, handler.clone())
        }
        _ => return Err(CliError::usage("give a handler FILE (.py or .zip), or --handler-string with --task-root")),
    };
    apply_settings(&args, &mut config);
    config.environment = environment(&args, &function_names(&config, args.file.as_deref()))?;
    config.runtime = args.runtime.clone();
    if let Some(file) = &args.policy {
        config.role_policy = Some(role_policy(file, &config.function_name)?);
    }
    if let Some(file) = &args.aws {
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::Usage(format!("cannot read the AWS state file {}: {e}", file.display())))?;
        let state: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| CliError::Usage(format!("the AWS state file {} is not valid JSON: {e}", file.display())))?;
        config.aws_state = Some(state);
    } else if let Some((exercise, state)) = args.file.as_deref().and_then(exercise_aws_state) {
        // An exercise's handler starts from the state its exercise declares,
        // as its checks' functions do.
        eprintln!("note: the local AWS starts as {} declares it (give --aws FILE for another state)", exercise);
        config.aws_state = Some(state);
    }
    for layer in &args.layers {
        if !layer.join("python").is_dir() {
            return Err(CliError::Usage(format!(
                "{} is not a layer: a layer's folder holds a python/ folder (as a layer's zip does)",
                layer.display()
            )));
        }
    }
    if !args.layers.is_empty() {
        config.layers = args.layers.iter().map(|l| std::path::absolute(l).unwrap_or_else(|_| l.clone())).collect();
    } else if let Some(exercise) = args.file.as_deref().and_then(exercise_of) {
        if !exercise.layers.is_empty() {
            eprintln!("note: the function has the layers its exercise.toml names: {}", exercise.layers.join(", "));
            config.layers = exercise.layer_dirs();
        }
    }
    if args.debug && reads_stdin(&args) {
        return Err(CliError::usage(
            "--event - reads the event from standard input, where --debug reads pdb's commands: \
             save the event to a file and give --event FILE",
        ));
    }
    if args.debug {
        config.debug = true;
        config.timeout = harness::config::MAX_TIMEOUT;
        eprintln!(
            "Debug mode: breakpoint() in your handler opens pdb here (n: next line, s: step in, \
             p EXPR: print, c: continue, q: quit). The timeout is 900 s while you debug."
        );
    }

    let payload = read_event(args.event.as_ref()).map_err(CliError::Usage)?;
    let declared_state = config.aws_state.is_some();
    let function = Function::new(config).map_err(CliError::usage)?;
    // What the account held before, to say what each invocation changed: the
    // declared state (read back), or nothing at all.
    let mut state_before = if declared_state { function.aws_state().ok() } else { Some(serde_json::json!({})) };
    Ok(print_invocations(&args, || {
        let invocation = function.invoke_payload(payload.clone(), &InvokeOptions::default());
        if let Some((opened, handler)) = &package {
            explain_init_error(opened, handler, &invocation);
        }
        let mut changed = Vec::new();
        if !invocation.aws_calls.is_empty() {
            if let (Some(before), Ok(after)) = (&state_before, function.aws_state()) {
                changed = harness::aws::changes(before, &after);
                state_before = Some(after);
            }
        }
        (invocation, changed)
    }))
}

/// The AWS state declared by the exercise whose folder holds `file` (its
/// `[aws]` tables), with the manifest's path to name it.
fn exercise_aws_state(file: &Path) -> Option<(String, serde_json::Value)> {
    let exercise = exercise_of(file)?;
    let manifest = harness::check::display_path(&exercise.dir.join("exercise.toml"));
    Some((manifest, exercise.aws_state?))
}

/// The exercise whose folder holds `file`, if any.
fn exercise_of(file: &Path) -> Option<harness::exercise::Exercise> {
    let folder = std::path::absolute(file).ok()?.parent()?.to_path_buf();
    harness::exercise::Exercise::load(&folder).ok()
}

/// `--policy FILE`: the role's permissions, read and checked as IAM would
/// check a policy document (every problem named, in one line each).
fn role_policy(file: &Path, function_name: &str) -> Result<harness::aws::RolePolicy, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::Usage(format!("cannot read the policy file {}: {e}", file.display())))?;
    let policy = iam::Policy::from_text(iam::PolicyKind::Identity, &text).map_err(|problems| {
        let said: Vec<String> =
            problems.iter().map(|p| format!("{} {}", p.pointer, p.message).trim().to_string()).collect();
        CliError::Usage(format!("{} is not a permissions policy IAM would take: {}", file.display(), said.join("; ")))
    })?;
    Ok(iam::enforce::role_policy(policy, &format!("{function_name}-role"), function_name))
}

/// The settings every kind of function takes from the command line.
fn apply_settings(args: &Args, config: &mut FunctionConfig) {
    config.timeout = Duration::from_secs(args.timeout);
    config.memory_mb = args.memory;
    config.active_tracing = args.active_tracing;
}

/// The function's environment variables: those of `--env-vars FILE` for a
/// function that answers to `names`, then `--env KEY=VALUE`, which wins.
fn environment(args: &Args, names: &[String]) -> Result<Vec<(String, String)>, CliError> {
    let mut variables = Vec::new();
    if let Some(file) = &args.env_vars {
        let read = env_vars::read(file, names).map_err(CliError::Usage)?;
        for note in &read.notes {
            eprintln!("note: {note}");
        }
        variables = read.variables;
    }
    for (name, value) in &args.env {
        variables.retain(|(existing, _)| existing != name);
        variables.push((name.clone(), value.clone()));
    }
    Ok(variables)
}

/// The names an `--env-vars` file may give this function's own variables
/// under, in SAM's order (logical ID, then the function's name): the logical
/// ID in the SAM template beside the handler file (the function whose Handler
/// is this one, or the template's only function); the function's name, as
/// AWS_LAMBDA_FUNCTION_NAME gives it; the exercise's function name; and the
/// file's name without its extension.
fn function_names(config: &FunctionConfig, file: Option<&Path>) -> Vec<String> {
    let mut names = Vec::new();
    let folder = file.and_then(|f| std::path::absolute(f).ok()?.parent().map(Path::to_path_buf));
    let folder = folder.unwrap_or_else(|| config.task_root.clone());
    if let Ok(template) = std::fs::read_to_string(folder.join("template.yaml")) {
        let functions = env_vars::template_functions(&template);
        let ours = functions.iter().find(|(_, handler)| handler.as_deref() == Some(config.handler.as_str()));
        if let Some((id, _)) = ours.or(if functions.len() == 1 { functions.first() } else { None }) {
            names.push(id.clone());
        }
    }
    names.push(config.function_name.clone());
    if let Some(exercise) = file.and_then(exercise_of) {
        names.push(exercise.function_name());
    }
    if let Some(stem) = file.and_then(Path::file_stem) {
        names.push(stem.to_string_lossy().into_owned());
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|name| seen.insert(name.clone()));
    names
}

/// `--event -`: the event comes from standard input.
fn reads_stdin(args: &Args) -> bool {
    args.event.as_deref().is_some_and(|event| event == Path::new("-"))
}

/// `--bin PACKAGE`: build the package's binary and invoke it as a process.
fn run_binary(args: &Args, package: &str) -> Result<ExitCode, CliError> {
    let packages = binary_packages().map_err(CliError::Usage)?;
    if !packages.iter().any(|p| p == package) {
        return Err(CliError::Usage(format!(
            "'{package}' is not a package of this workspace with a binary; --bin takes one of: {}",
            packages.join(", ")
        )));
    }
    // The event first: a typo in its name should not wait for a build.
    let payload = read_event(args.event.as_ref()).map_err(CliError::Usage)?;
    let environment = environment(args, &[package.to_string()])?;
    let program = harness::process::build_binary(package).map_err(CliError::usage)?;
    let mut config = ProcessConfig::new(&program);
    apply_settings(args, &mut config.function);
    config.function.environment = environment;
    let function = ProcessFunction::new(config).map_err(CliError::usage)?;
    eprintln!("Function {package}: {}, run as its own process against a local Lambda Runtime API", program.display());
    Ok(print_invocations(args, || (function.invoke_payload(payload.clone()), Vec::new())))
}

/// The workspace's packages that have a binary, the lab itself left out (it
/// is the workshop's command line, not a function), from `cargo metadata`.
fn binary_packages() -> Result<Vec<String>, String> {
    let output = std::process::Command::new(crate::workspace::cargo())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run cargo to list the workspace's packages: {e}"))?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|_| "cargo could not list the workspace's packages (see its message above)".to_string())?;
    let packages = metadata["packages"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut names: Vec<String> = packages
        .iter()
        .filter(|p| p["name"] != env!("CARGO_PKG_NAME"))
        .filter(|p| {
            let targets = p["targets"].as_array().map(Vec::as_slice).unwrap_or_default();
            targets.iter().any(|t| t["kind"].as_array().is_some_and(|kinds| kinds.iter().any(|k| k == "bin")))
        })
        .filter_map(|p| p["name"].as_str().map(String::from))
        .collect();
    names.sort();
    Ok(names)
}

/// Invoke `repeat` times through `invoke` and print each invocation, as
/// text (the response on standard output, the rest on standard error) or as
/// JSON lines (all on standard output); exit 1 if any of them failed.
/// `invoke` gives each invocation with what it changed at the local AWS.
fn print_invocations(args: &Args, mut invoke: impl FnMut() -> (Invocation, Vec<String>)) -> ExitCode {
    let mut out = crate::output::claim_stdout();
    let mut all_returned = true;
    for round in 0..args.repeat {
        let (invocation, changed) = invoke();
        all_returned &= invocation.succeeded();
        let written = if args.json {
            writeln!(out, "{}", json_line(&invocation, &changed))
        } else {
            print_readable(&mut out, &mut Stderr, &invocation, &changed, round, args.repeat)
        };
        if written.and_then(|_| out.flush()).is_err() {
            return ExitCode::from(1); // the reader went away (a closed pipe)
        }
    }
    if all_returned { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// What to say when FILE is a folder: the learner gave the exercise's folder
/// (`cargo lab invoke exercises/01-first-handler`), or a folder stands where
/// the handler file should be. Names a .py file from the folder to give
/// instead: the exercise's own file, then `handler.py`, then the first by name.
fn folder_given(folder: &std::path::Path) -> String {
    let named_py = folder.extension().is_some_and(|ext| ext == "py");
    let mut files: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.path().is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".py"))
        .collect();
    let exercise = harness::exercise::Exercise::load(folder).ok();
    let own = exercise.as_ref().map(|exercise| &exercise.file);
    files.sort_by_key(|name| (Some(name) != own, name != "handler.py", name.clone()));
    let such_as = files.first().map(|name| format!(", such as {}", folder.join(name).display()));
    if named_py {
        return format!(
            "{} is a folder, not a file, though its name ends in .py. Give the .py file that holds your handler{}. \
             If your handler file should be there, rename the folder (so nothing in it is lost), then put the file \
             back (for an exercise: git checkout -- {})",
            folder.display(),
            such_as.unwrap_or_default(),
            folder.display()
        );
    }
    match (such_as, exercise) {
        (Some(such_as), _) => {
            format!("{} is a folder: give the .py file that holds your handler{such_as}", folder.display())
        }
        // An exercise without a handler (policies, a packaging script).
        (None, Some(exercise)) => format!(
            "{} is the folder of exercise {:02}, which has no handler to invoke: `cargo lab check {:02}` runs its checks",
            folder.display(),
            exercise.number,
            exercise.number
        ),
        (None, None) => format!(
            "{} is a folder, with no .py file in it: give the .py file that holds your handler, \
             or a .zip deployment package",
            folder.display()
        ),
    }
}

fn is_zip(file: &std::path::Path) -> bool {
    file.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("zip"))
}

/// One line on standard error saying what is being run.
fn package_summary(package: &Package, handler: &str) -> String {
    format!("Deployment package {}; handler {handler}", package.summary())
}

/// After an import failure, say where the module is in the zip (or that it
/// is not there) and show the zip's layout: the usual cause is a folder.
fn explain_init_error(package: &Package, handler: &str, invocation: &Invocation) {
    let Some(error) = invocation.error() else { return };
    if error.source != ErrorSource::Init {
        return;
    }
    if let Some(note) = package.suggest_handler(handler, &error.error_message) {
        eprintln!("note: {note}");
    } else if let Some(note) = package.explain_missing_module(&error.error_message) {
        eprintln!("note: {note}");
    }
    eprintln!("What the zip holds:\n{}", package.listing_limited(25).trim_end());
}

/// The event as bytes, checked to be JSON so a typo is reported here, naming
/// the file, rather than as an error from inside the function. A name that is
/// not a file but a recorded event is taken from the catalog.
fn read_event(path: Option<&PathBuf>) -> Result<Vec<u8>, String> {
    let Some(path) = path else { return Ok(b"{}".to_vec()) };
    if path.as_path() == Path::new("-") {
        use std::io::{IsTerminal, Read};
        if std::io::stdin().is_terminal() {
            eprintln!(
                "Reading the event from standard input: type or paste it, then press Ctrl-D (Ctrl-Z, Enter on Windows)"
            );
        }
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the event from standard input: {e}"))?;
        return checked_event(bytes, "the event on standard input");
    }
    if !path.exists() {
        let name = path.to_string_lossy();
        if harness::events::find(&name).is_some() {
            return harness::events::load(&name).map(|event| event.to_string().into_bytes());
        }
        if !name.contains(['/', '.']) {
            return Err(super::events::unknown(&name));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the event file {}: {e}", path.display()))?;
    checked_event(bytes, &format!("the event file {}", path.display()))
}

/// The event's bytes, once they are known to be JSON as Lambda reads it;
/// `source` says where they came from ("the event file x.json").
fn checked_event(bytes: Vec<u8>, source: &str) -> Result<Vec<u8>, String> {
    if let Some(encoding) = json_text::foreign_encoding(&bytes) {
        return Err(format!(
            "{source} is {encoding}. Lambda reads an event as UTF-8 (its runtime would fail with \
             Runtime.UnmarshalError before your handler runs). Save the file as UTF-8: in VS Code, click the \
             encoding in the status bar, then \"Save with Encoding\" and \"UTF-8\"; in PowerShell, write it with \
             `Out-File -Encoding utf8`."
        ));
    }
    // A UTF-8 byte order mark is sent as it is: awslambdaric's simplejson skips it.
    let text = std::str::from_utf8(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes)).unwrap_or_default();
    // Checked as Lambda's runtime reads it: any depth of nesting, numbers of
    // any size (simplejson reads 1e400 as inf), only real JSON (no NaN).
    json_text::check(text).map_err(|e| format!("{source} is not valid JSON: {e}"))?;
    Ok(bytes)
}

/// What to try when Lambda refuses a request before running the function.
const REQUEST_REFUSED_ADVICE: &str = "A synchronous invocation carries at most 6 MB (6,291,456 bytes) of event. \
To hand a function more data, put it somewhere the function can read (an S3 object) and send its \
address in the event instead.";

/// A response as the runtime wrote it, laid out with two-space indents but
/// otherwise byte for byte (see `json_text`: parsing would turn a Decimal's
/// digits into a 64-bit float). Bytes that are not JSON (a handler that
/// returned `bytes`) are shown as a JSON string, as before.
fn shown_body(payload: &[u8], invocation: &Invocation) -> String {
    let laid_out = std::str::from_utf8(payload).ok().and_then(|text| json_text::layout(text, Some(2)));
    laid_out
        .unwrap_or_else(|| serde_json::to_string_pretty(&invocation.result().unwrap_or_default()).unwrap_or_default())
}

/// `--json`: one line per invocation, whose `result` is the response as the
/// runtime wrote it (only whitespace removed), so no digit is lost; a response
/// that is not JSON stays a string, as `Invocation::to_json` makes it.
fn json_line(invocation: &Invocation, changed: &[String]) -> String {
    let mut json = invocation.to_json();
    if !changed.is_empty() {
        json["awsChanges"] = serde_json::json!(changed);
    }
    let raw = match &invocation.outcome {
        Outcome::Returned { payload, .. } => std::str::from_utf8(payload)
            .ok()
            .filter(|text| json_text::check(text).is_ok())
            .and_then(|t| json_text::layout(t, None)),
        Outcome::Failed(_) => None,
    };
    let Some(raw) = raw else { return json.to_string() };
    // Serialise with a placeholder in place of the result, then put the
    // runtime's own text where the placeholder's is.
    const PLACEHOLDER: &str = "\u{0}lab-raw-result\u{0}";
    json["result"] = serde_json::Value::String(PLACEHOLDER.into());
    let placeholder = serde_json::Value::String(PLACEHOLDER.into()).to_string();
    json.to_string().replacen(&placeholder, &raw, 1)
}

/// Standard error for the readable output's other lines: written at once (a
/// terminal shows them in order with the response), and dropped quietly once
/// its reader has gone, as `eprintln!` is here (see `crate::output`).
struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::io::stderr().write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(buf.len()),
            written => written,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// One invocation as text: what the caller gets (the response, or the error
/// payload) on `out`, flushed at once; the headings around it, the log, the
/// AWS calls and the changes on `err`.
fn print_readable(
    out: &mut impl Write,
    err: &mut impl Write,
    invocation: &Invocation,
    changed: &[String],
    round: u32,
    rounds: u32,
) -> std::io::Result<()> {
    if rounds > 1 {
        let start = if invocation.cold_start() { "cold start" } else { "warm start" };
        writeln!(err, "=== Invocation {} of {rounds} ({start}) ===", round + 1)?;
    }
    let mut response = |err: &mut dyn Write, heading: &str, body: &str| -> std::io::Result<()> {
        writeln!(err, "{heading}")?;
        err.flush()?;
        writeln!(out, "{body}")?;
        out.flush()
    };
    match &invocation.outcome {
        Outcome::Returned { payload, content_type } => {
            response(err, "Response:", &shown_body(payload, invocation))?;
            if content_type != "application/json" {
                writeln!(err, "(content type: {content_type})")?;
            }
        }
        Outcome::Failed(error) if error.source == ErrorSource::Request => {
            response(
                err,
                "Lambda refused the request, so the function did not run (the caller gets an error, not a response):",
                &serde_json::to_string_pretty(&error.payload).unwrap_or_default(),
            )?;
            writeln!(err, "\n{REQUEST_REFUSED_ADVICE}")?;
            return Ok(());
        }
        Outcome::Failed(error) => {
            let pretty = json_text::layout(&error.text, Some(2));
            response(
                err,
                "Response (an error, so the caller sees FunctionError: Unhandled):",
                &pretty.unwrap_or_else(|| serde_json::to_string_pretty(&error.payload).unwrap_or_default()),
            )?;
        }
    }
    let out = err;
    writeln!(out, "\nFunction logs:")?;
    for line in &invocation.logs {
        // The runtime joins a traceback's lines with carriage returns;
        // CloudWatch shows them on one line, the console on several.
        writeln!(out, "{}", line.replace('\r', "\n"))?;
    }
    if !invocation.aws_calls.is_empty() {
        writeln!(out, "\nAWS calls (what the function did, in order):")?;
        for call in &invocation.aws_calls {
            let outcome = match &call.error_code {
                Some(code) => format!("{} {code}", call.status),
                None => call.status.to_string(),
            };
            let resource = call.resource.as_deref().unwrap_or("-");
            writeln!(out, "  {} {}  {resource}  {outcome}", call.service, call.operation)?;
        }
    }
    if !changed.is_empty() {
        writeln!(out, "\nChanged at the local AWS:")?;
        for line in changed {
            writeln!(out, "  {line}")?;
        }
    }
    if rounds > 1 {
        writeln!(out)?;
    }
    Ok(())
}

/// The name of the Cargo package a source file belongs to: the `name` of the
/// nearest Cargo.toml above it that has a [package].
fn package_of(file: &Path) -> Option<String> {
    let absolute = std::path::absolute(file).ok()?;
    absolute.ancestors().skip(1).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let table: toml::Table = text.parse().ok()?;
        table.get("package")?.get("name")?.as_str().map(str::to_string)
    })
}
