//! `cargo lab setup`: make the workshop's managed Python environment
//! (`.lab/python`: the AWS SDK, moto for the local AWS, pytest), from the
//! pinned and hashed `python/requirements.lock`, and fetch the pinned
//! Pyodide for the book's Run buttons (`.lab/pyodide`). The bare `cargo lab` runs
//! the same setup the first time; this command runs it on demand, repairs a
//! broken environment, and prepares classrooms with no network:
//! `--download DIR` on a machine with network, then `--from DIR` on each
//! learner's machine.

use crate::error::CliError;
use crate::progress::shown;
use crate::workspace::workspace;
use harness::pyenv::{ENV_DIR, PythonEnv, Source};
use std::path::{Path, PathBuf};

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
    if let Some(folder) = &args.download {
        let python = embedded_python()?;
        env.download(&python, folder, &mut print_step).map_err(|e| CliError::Failed(e.to_string()))?;
        crate::pyodide::download_tarball(&root, folder, &mut print_step).map_err(CliError::Failed)?;
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

    let started = std::time::Instant::now();
    let mut worked = false;
    let mut step = |line: &str| {
        worked = true;
        print_step(line);
    };
    if args.force {
        let python = embedded_python()?;
        step(&format!("setting up {ENV_DIR} again (the AWS SDK, moto, pytest)"));
        env.set_up(&python, &source, &mut step).map_err(|e| CliError::Failed(e.to_string()))?;
    } else {
        env.ensure(&source, &mut step).map_err(|e| CliError::Failed(e.to_string()))?;
    }
    if worked {
        println!("Ready in {:.0} s: {ENV_DIR}.", started.elapsed().as_secs_f64());
    } else {
        println!("The workshop's Python environment is ready ({ENV_DIR}).");
    }
    let fetched = crate::pyodide::ready(&root).is_none();
    let tarball = args.from.as_deref().and_then(|folder| offline_tarball(&root, folder));
    let dir = crate::pyodide::ensure_from(&root, tarball.as_deref(), &mut print_step).map_err(CliError::Failed)?;
    if fetched {
        println!("Pyodide is ready for the book's Run buttons ({}).", shown(&dir, &root));
    }
    Ok(())
}

/// With `--from DIR`: the Pyodide tarball `--download` saved there, if any.
fn offline_tarball(root: &Path, folder: &Path) -> Option<PathBuf> {
    let pin = crate::pyodide::Pin::read(root).ok()?;
    let tarball = folder.join(pin.tarball_name());
    tarball.is_file().then_some(tarball)
}

/// Fetch Pyodide for the book's Run buttons if it is not here yet. A
/// failure (no network) is a note: the book works, its Run buttons say
/// what is missing, and `cargo lab invoke` runs every example.
pub(crate) fn prepare_pyodide(root: &Path) {
    if crate::pyodide::ready(root).is_some() || !root.join(crate::pyodide::LOCK_FILE).is_file() {
        return;
    }
    match crate::pyodide::ensure(root, &mut print_step) {
        Ok(_) => println!("  ready.\n"),
        Err(error) => {
            println!("note: {error}");
            println!("      The book's Run buttons need it; `cargo lab setup` tries again. Everything else works.\n");
        }
    }
}

/// What the bare `cargo lab` does first: set the environment up if it is
/// not ready. A failure is a note, not a stop: only the exercises that call
/// AWS need the environment, and the rest of the workshop works without it.
pub(crate) fn prepare_for_workshop(root: &Path) {
    let env = PythonEnv::of_workspace(root);
    if !env.lock_file().is_file() {
        return; // not a whole clone (the workshop's own tests make such folders)
    }
    let mut worked = false;
    let prepared = env.ensure(&Source::Index, &mut |line| {
        worked = true;
        print_step(line);
    });
    match prepared {
        Ok(_) if worked => println!("  ready.\n"),
        Ok(_) => {}
        Err(error) => {
            println!("note: the workshop's Python environment is not ready: {error}");
            println!(
                "      The exercises that call AWS need it; `cargo lab setup` tries again. Everything else works.\n"
            );
        }
    }
}

fn print_step(step: &str) {
    println!("  {step}");
}

/// The interpreter the harness embeds, which the environment is made from.
fn embedded_python() -> Result<PathBuf, CliError> {
    harness::python::executable().map_err(|e| CliError::Failed(e.to_string()))
}
