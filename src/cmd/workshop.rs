//! `cargo lab` with no arguments: the workshop. It serves the book (pages
//! reload when their sources change), shows where the learner is, and
//! watches the exercises (`crate::watch`): saving a file of an exercise runs
//! its checks and shows the verdict on a fresh screen: every failed check on
//! a line and the first of them in short, the whole report one key away.
//! Keys (single keys at a terminal, a line each otherwise, see
//! `crate::terminal`): n next exercise, h hint, f the full report, l list,
//! c check now, q quit. The keys are read while the checks run too: q stops
//! a run and quits at once, and a run that goes on past its deadline is
//! stopped (`checks::Running`), so nothing a handler does can take the
//! terminal away from the learner.

use super::{IdArgs, hint, list, setup};
use crate::error::CliError;
use crate::progress::shown;
use crate::terminal::{self, Keys};
use crate::watch::{self, Watcher};
use crate::workspace::{number, remember_current};
use crate::{book, checks, progress, starter, workspace};
use harness::exercise::Exercise;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How often the keys and the files are looked at.
const TICK: Duration = Duration::from_millis(20);

fn keys_line(single: bool) -> String {
    let how = if single { "press one" } else { "type one, then Enter" };
    format!("Keys ({how}): n next exercise · h hint · f full report · l list · c check now · q quit")
}

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
    // Sends the progress to the instructor's class view, once the learner
    // has joined one (`cargo lab join`); silent, and idle until then.
    crate::class::start_sender(&root);
    println!("Python on AWS Lambda, the hands-on book\n");
    println!("  The book: {}  (built in {:.1} s; pages reload when you edit them)\n", server.url(), took.as_secs_f64());
    let book = server.url();
    print_table(&root, &exercises, &book);
    let mut current = first_unfinished(&root, &exercises);
    announce(&root, &exercises[current], &book);
    let keys = Keys::start();
    let mut watcher = Watcher::start(&root, &exercises);
    if let watch::Mode::Polling(why) = watcher.mode() {
        println!("\n(Watching your files by looking at them often: {why}, where change notices do not arrive.)");
    }
    println!("\n{}", keys_line(keys.single));
    // The full report of the last run when it failed, for f (None after a pass).
    let mut last_report: Option<String> = None;
    loop {
        match keys.received.recv_timeout(TICK) {
            Ok(key) => match key.trim() {
                "q" | "quit" => return Ok(()),
                "n" | "next" => {
                    current = (current + 1) % exercises.len();
                    announce(&root, &exercises[current], &book);
                }
                "h" | "hint" => {
                    if let Err(error) = hint::run(IdArgs { id: Some(exercises[current].slug.clone()) }) {
                        error.report();
                    }
                }
                "f" | "full" => match &last_report {
                    Some(report) => println!("\n{report}\n\n{}", keys_line(keys.single)),
                    None => println!("The last run had no failed check: f shows the whole report of a failed run."),
                },
                "l" | "list" => print_table(&root, &exercises, &book),
                "c" | "check" => match verdict(&root, &exercises[current], &keys) {
                    Verdict::Quit => return Ok(()),
                    Verdict::Shown(report) => last_report = report,
                },
                "" => {}
                other => println!("Unknown key '{}'. {}", other.escape_debug(), keys_line(keys.single)),
            },
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // No terminal input (stdin closed): keep watching until Ctrl-C.
                std::thread::sleep(TICK);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        for index in watcher.changed(&exercises) {
            current = index;
            let exercise = &exercises[index];
            if starter::still_the_starter(&root, exercise) == Some(true) {
                // `cargo lab reset` (or an undo) put the starter back: the
                // starter fails by design, and checking it would count an
                // attempt the learner never made.
                println!(
                    "\nExercise {}'s files are the starter again (after `cargo lab reset`?), so they were not \
                     checked and your progress is unchanged. Edit and save to check them.",
                    number(exercise)
                );
                continue;
            }
            match verdict(&root, exercise, &keys) {
                Verdict::Quit => return Ok(()),
                Verdict::Shown(report) => last_report = report,
            }
            // What the run itself wrote (a handler writing into its folder)
            // is not a save of the learner's.
            watcher.forget_changes(&exercises);
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
    remember_current(root, exercise);
    let files: Vec<String> = exercise
        .files
        .iter()
        .map(|f| terminal::file_link(&exercise.dir.join(f), &shown(&exercise.dir.join(f), root)))
        .collect();
    println!(
        "\nNow: exercise {}, {} ({}). Read {}, edit {}, save: the checks run here.",
        number(exercise),
        exercise.title,
        exercise.slug,
        list::page_address(book, &exercise.chapter),
        files.join(", ")
    );
}

/// What came of a verdict: the learner quit while the checks ran, or it
/// was shown (with the full report when checks failed, for f).
enum Verdict {
    Shown(Option<String>),
    Quit,
}

/// Run an exercise's checks and print what they found on a fresh screen,
/// reading the keys meanwhile: q stops the run and quits.
fn verdict(root: &Path, exercise: &Exercise, keys: &Keys) -> Verdict {
    remember_current(root, exercise);
    println!("\n── Checking exercise {} ({}) …", number(exercise), exercise.slug);
    let mut running = checks::Running::start(root, exercise);
    let outcome = loop {
        if let Some(outcome) = running.poll() {
            break outcome;
        }
        match keys.received.recv_timeout(TICK) {
            Ok(key) if matches!(key.trim(), "q" | "quit") => {
                running.cancel();
                println!("Stopped the checks of exercise {}. Bye.", number(exercise));
                return Verdict::Quit;
            }
            Ok(key) if key.trim().is_empty() => {}
            Ok(_) => println!("  (the checks are still running: wait for the verdict, or press q to quit)"),
            Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(TICK),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    };
    terminal::clear_screen();
    println!(
        "── Exercise {} ({}), {}",
        number(exercise),
        exercise.title,
        terminal::file_link(&exercise.handler_path(), &workspace::learner_files(root, exercise))
    );
    for note in &outcome.notes {
        println!("  note: {note}");
    }
    if outcome.passed {
        println!(
            "{} ({} ms). Press n for the next one.",
            terminal::green(&format!("✓ Exercise {} passes every check", number(exercise))),
            outcome.took.as_millis()
        );
        println!("\n{}", keys_line(keys.single));
        return Verdict::Shown(None);
    }
    println!("{}", checks::short_report(&outcome, exercise));
    let what = if outcome.did_not_compile() {
        format!("{} does not compile, the compiler's messages above say where", exercise.file)
    } else {
        match (outcome.totals, outcome.failed_checks.len()) {
            (Some((passed, failed)), _) => format!("{failed} of {} checks failing", passed + failed),
            (None, n) => format!("{} check(s) failing", n.max(1)),
        }
    };
    println!(
        "\n{} ({} ms). Save again to re-check; f shows the full report, h a hint.",
        terminal::red(&format!("✗ Exercise {}: {what}", number(exercise))),
        outcome.took.as_millis()
    );
    println!("{}", keys_line(keys.single));
    Verdict::Shown(Some(checks::report(&outcome)))
}
