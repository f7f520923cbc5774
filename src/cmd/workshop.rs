//! `cargo lab` with no arguments: the workshop. It serves the book (pages
//! reload when their sources change), shows where the learner is, and
//! watches the exercises: saving a file of an exercise runs its checks and
//! prints the verdict. Keys, each followed by Enter: n (next exercise),
//! h (hint), l (list), c (check now), q (quit). The keys are read while the
//! checks run too: q stops a run and quits at once, and a run that goes on
//! past its deadline is stopped (`checks::Running`), so nothing a handler
//! does can take the terminal away from the learner.

use super::{IdArgs, hint, list, setup};
use crate::error::CliError;
use crate::progress::shown;
use crate::workspace::number;
use crate::{book, checks, progress, workspace};
use harness::exercise::Exercise;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// How often the exercises' files are looked at, and how long a file must
/// stay unchanged before its checks run (editors often write a file twice).
const POLL: Duration = Duration::from_millis(20);
const SETTLE: Duration = Duration::from_millis(25);

const KEYS: &str = "Keys (type one, then Enter): n next exercise · h hint · l list · c check now · q quit";

pub(crate) fn run(port: u16) -> Result<(), CliError> {
    let (root, exercises) = workspace::workspace()?;
    harness::python::start()
        .map_err(|error| CliError::Usage(format!("{error} (run `cargo lab doctor` for what to fix)")))?;
    setup::prepare_for_workshop(&root);
    setup::prepare_pyodide(&root);
    let served = book::serve_live(&root, port, "cargo lab", |rebuilt| match rebuilt {
        Ok(took) => println!("  (book rebuilt in {:.1} s; open pages reload)", took.as_secs_f64()),
        Err(message) => println!("  (the book did not rebuild: {message})"),
    });
    let (server, took) = served.map_err(CliError::Usage)?;
    println!("Python on AWS Lambda, the hands-on book\n");
    println!("  The book: {}  (built in {:.1} s; pages reload when you edit them)\n", server.url(), took.as_secs_f64());
    let book = server.url();
    print_table(&root, &exercises, &book);
    let mut current = first_unfinished(&root, &exercises);
    announce(&root, &exercises[current], &book);
    println!("\n{KEYS}");

    let keys = read_keys();
    let mut stamps = stamps_of(&exercises);
    let mut pending: HashMap<usize, Instant> = HashMap::new();
    loop {
        match keys.recv_timeout(POLL) {
            Ok(key) => match key.trim() {
                "q" | "quit" => return Ok(()),
                "n" | "next" => {
                    current = (current + 1) % exercises.len();
                    announce(&root, &exercises[current], &book);
                }
                "h" | "hint" => {
                    if let Err(error) = hint::run(IdArgs { id: exercises[current].slug.clone() }) {
                        error.report();
                    }
                }
                "l" | "list" => print_table(&root, &exercises, &book),
                "c" | "check" => {
                    if verdict(&root, &exercises[current], &keys) == Verdict::Quit {
                        return Ok(());
                    }
                }
                "" => {}
                other => println!("Unknown key '{other}'. {KEYS}"),
            },
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // No terminal input (stdin closed): keep watching until Ctrl-C.
                std::thread::sleep(POLL);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        // A changed file marks its exercise; once quiet for SETTLE, check it.
        let now = stamps_of(&exercises);
        for (index, (old, new)) in stamps.iter().zip(&now).enumerate() {
            if old != new {
                pending.insert(index, Instant::now());
            }
        }
        stamps = now;
        let ready: Vec<usize> = pending.iter().filter(|(_, at)| at.elapsed() >= SETTLE).map(|(i, _)| *i).collect();
        for index in ready {
            pending.remove(&index);
            current = index;
            if verdict(&root, &exercises[index], &keys) == Verdict::Quit {
                return Ok(());
            }
        }
    }
}

/// The progress table, each exercise's page given by its address on the
/// book the workshop serves at `book`.
fn print_table(root: &Path, exercises: &[Exercise], book: &str) {
    let (progress, _) = progress::Progress::load(root);
    println!("{}", list::table(exercises, &progress, &|e| list::page_address(book, &e.chapter)));
}

/// The first exercise not passed yet (or the first one).
fn first_unfinished(root: &Path, exercises: &[Exercise]) -> usize {
    let (progress, _) = progress::Progress::load(root);
    exercises.iter().position(|e| progress.status(&e.slug) != progress::Status::Passed).unwrap_or(0)
}

fn announce(root: &Path, exercise: &Exercise, book: &str) {
    let files: Vec<String> = exercise.files.iter().map(|f| shown(&exercise.dir.join(f), root)).collect();
    println!(
        "\nNow: exercise {}, {} ({}). Read {}, edit {}, save: the checks run here.",
        number(exercise),
        exercise.title,
        exercise.slug,
        list::page_address(book, &exercise.chapter),
        files.join(", ")
    );
}

/// Whether the learner asked to quit while the checks ran.
#[derive(PartialEq)]
enum Verdict {
    Shown,
    Quit,
}

/// Run an exercise's checks and print what they found, reading the keys
/// meanwhile: q stops the run and quits.
fn verdict(root: &Path, exercise: &Exercise, keys: &mpsc::Receiver<String>) -> Verdict {
    println!("\n── Checking exercise {} ({}) …", number(exercise), exercise.slug);
    let mut running = checks::Running::start(root, exercise);
    let outcome = loop {
        if let Some(outcome) = running.poll() {
            break outcome;
        }
        match keys.recv_timeout(POLL) {
            Ok(key) if matches!(key.trim(), "q" | "quit") => {
                running.cancel();
                println!("Stopped the checks of exercise {}. Bye.", number(exercise));
                return Verdict::Quit;
            }
            Ok(key) if key.trim().is_empty() => {}
            Ok(_) => println!("  (the checks are still running: wait for the verdict, or type q and Enter to quit)"),
            Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(POLL),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    };
    for note in &outcome.notes {
        println!("  note: {note}");
    }
    if outcome.passed {
        println!(
            "✓ Exercise {} passes every check ({} ms). Type n and Enter for the next one.",
            number(exercise),
            outcome.took.as_millis()
        );
    } else {
        println!("{}", checks::report(&outcome));
        let what = if outcome.did_not_compile() {
            format!("{} does not compile, the compiler's messages above say where", exercise.file)
        } else {
            format!("{} check(s) failing", outcome.failed_checks.len().max(1))
        };
        println!(
            "✗ Exercise {}: {what} ({} ms). Save again to re-check; h for a hint.",
            number(exercise),
            outcome.took.as_millis()
        );
    }
    Verdict::Shown
}

/// The modification times of every exercise's files, in exercise order.
fn stamps_of(exercises: &[Exercise]) -> Vec<Vec<Option<SystemTime>>> {
    exercises
        .iter()
        .map(|e| e.files.iter().map(|f| std::fs::metadata(e.dir.join(f)).and_then(|m| m.modified()).ok()).collect())
        .collect()
}

/// Lines typed at the terminal, as they come.
fn read_keys() -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("keys".into())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        })
        .expect("a thread can be started");
    rx
}
