//! `cargo lab setup`: make the workshop's managed Python environment
//! (`.lab/python`: the AWS SDK, moto for the local AWS, pytest), from the
//! pinned and hashed `python/requirements.lock`. The bare `cargo lab` runs
//! the same setup the first time; this command runs it on demand, repairs a
//! broken environment, and prepares classrooms with no network:
//! `--download DIR` on a machine with network, then `--from DIR` on each
//! learner's machine.

use crate::error::CliError;
use crate::workspace::workspace;
use harness::pyenv::{EnvState, MIN_PYTHON, PythonEnv, Source};
use std::path::PathBuf;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Download every package into this folder instead (for machines with no network).
    #[arg(long, value_name = "DIR", conflicts_with = "from")]
    download: Option<PathBuf>,
    /// Install from a folder made by --download, with no network.
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Set up again even when the environment is ready.
    #[arg(long)]
    force: bool,
}

pub(crate) fn run(args: Args) -> Result<(), CliError> {
    let (root, _) = workspace()?;
    let env = PythonEnv::of_workspace(&root);
    let python = embedded_python()?;
    if let Some(folder) = &args.download {
        env.download(&python, folder, &mut print_step).map_err(|e| CliError::Failed(e.to_string()))?;
        println!("Done: copy {} to each machine, then run `cargo lab setup --from DIR` there.", folder.display());
        return Ok(());
    }
    let source = match &args.from {
        Some(folder) if !folder.is_dir() => {
            return Err(CliError::usage(format!("{} is not a folder of wheels", folder.display())));
        }
        Some(folder) => Source::Folder(folder.clone()),
        None => Source::Index,
    };
    if !args.force {
        if let EnvState::Ready { .. } = env.state(python_version()?) {
            println!("The workshop's Python environment is ready ({}).", harness::pyenv::ENV_DIR);
            return Ok(());
        }
    }
    ensure(&env, &python, &source, true)
}

/// Set the environment up, saying so on the terminal step by step.
pub(crate) fn ensure(env: &PythonEnv, python: &std::path::Path, source: &Source, force: bool) -> Result<(), CliError> {
    let version = python_version()?;
    match env.state(version) {
        EnvState::Ready { .. } if !force => return Ok(()),
        EnvState::Stale(why) => println!("The workshop's Python environment is out of date: {why}."),
        _ => {}
    }
    if version < MIN_PYTHON {
        return Err(CliError::Failed(format!(
            "the exercises that call AWS need Python {}.{} or newer, and the harness embeds {}.{}; \
             the other exercises work as they are (to use another Python, see the README's Requirements)",
            MIN_PYTHON.0, MIN_PYTHON.1, version.0, version.1
        )));
    }
    println!("Setting up the workshop's Python environment (the AWS SDK, moto, pytest); once, about 20 seconds:");
    let started = std::time::Instant::now();
    env.set_up(python, source, &mut print_step).map_err(|e| CliError::Failed(e.to_string()))?;
    println!("Ready in {:.0} s: {}.", started.elapsed().as_secs_f64(), harness::pyenv::ENV_DIR);
    Ok(())
}

/// What the bare `cargo lab` does first: set the environment up if it is
/// not ready. A failure is a note, not a stop: only the exercises that call
/// AWS need the environment, and the rest of the workshop works without it.
pub(crate) fn prepare_for_workshop(root: &std::path::Path) {
    let env = PythonEnv::of_workspace(root);
    if !env.lock_file().is_file() {
        return; // not a whole clone (the workshop's own tests make such folders)
    }
    let prepared = embedded_python().and_then(|python| ensure(&env, &python, &Source::Index, false));
    if let Err(error) = prepared {
        let message = match error {
            CliError::Usage(message) | CliError::Failed(message) => message,
        };
        println!("note: the workshop's Python environment is not ready: {message}");
        println!("      The exercises that call AWS need it; `cargo lab setup` tries again. Everything else works.\n");
    }
}

fn print_step(step: &str) {
    println!("  {step}");
}

/// The interpreter the harness embeds, which the environment is made from.
pub(crate) fn embedded_python() -> Result<PathBuf, CliError> {
    harness::python::executable().map_err(|e| CliError::Failed(e.to_string()))
}

fn python_version() -> Result<(u32, u32), CliError> {
    harness::python::embedded_version().map_err(|e| CliError::Failed(e.to_string()))
}
