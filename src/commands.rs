//! The workshop subcommands: `check`, `hint`, `reset`, `solution`, `report`
//! and `doctor` (and the helpers `list` shares: finding the workspace and an
//! exercise by its number or id).
//!
//! Every message a learner reads is written for someone new to Rust and to
//! Lambda; the ones used in more than one place are named constants. A
//! mistake in the command itself (an unknown exercise, no workspace) is one
//! line on standard error and exit status 2.

use crate::checks;
use crate::progress::{self, Progress, Status, shown};
use harness::exercise::{self, Exercise};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// The exercise (its number like 06, or its id like s3-events); all when omitted.
    pub id: Option<String>,
}

#[derive(clap::Args)]
pub(crate) struct IdArgs {
    /// The exercise: its number (06) or its id (s3-events).
    pub id: String,
}

#[derive(clap::Args)]
pub(crate) struct SolutionArgs {
    /// The exercise: its number (06) or its id (s3-events).
    pub id: String,
    /// Show it without asking first.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub(crate) const NOT_IN_WORKSPACE: &str = "this is not inside the workshop's folder (the one holding exercises/ and crates/); cd into your clone of the book's repository and run the command again";
const NO_GIT: &str = "git is not installed (or not on your PATH), and `cargo lab reset` needs it to find the starter as it was committed; nothing was changed";
const NO_TERMINAL_TO_ASK: &str = "`cargo lab solution` asks before it shows a solution, and there is no terminal here to ask in; add --yes to show it without asking";
/// The port `cargo lab` serves the book on unless told otherwise.
const BOOK_PORT: u16 = 3000;

/// The workspace root and its exercises, found from the current folder; or
/// the exit status after saying, in one line, why not.
pub(crate) fn workspace() -> Result<(PathBuf, Vec<Exercise>), ExitCode> {
    let here = std::env::current_dir().unwrap_or_default();
    let Some(root) = exercise::workspace_root(&here) else {
        return Err(crate::usage_error(NOT_IN_WORKSPACE));
    };
    match Exercise::discover(&root) {
        Ok(found) if found.is_empty() => Err(crate::usage_error(format!(
            "found the workshop's folder {} but no exercises in its exercises/ folder",
            root.display()
        ))),
        Ok(found) => Ok((root, found)),
        Err(message) => Err(crate::usage_error(message)),
    }
}

/// The exercise a learner named: by number (`06`, `6`), id (`s3-events`),
/// folder (`06-s3-events`) or package (`exercise-06`).
/// The workspace and the exercise `id` names, or the exit code after saying
/// what is wrong (outside the workspace, an unknown id).
pub(crate) fn named(id: &str) -> Result<(PathBuf, Exercise), ExitCode> {
    let (root, exercises) = workspace()?;
    match find(&exercises, id) {
        Ok(exercise) => Ok((root, exercise.clone())),
        Err(message) => Err(crate::usage_error(message)),
    }
}

pub(crate) fn find<'a>(exercises: &'a [Exercise], id: &str) -> Result<&'a Exercise, String> {
    let wanted = id.trim().trim_end_matches('/');
    let wanted = wanted.rsplit('/').next().unwrap_or(wanted);
    let wanted = wanted.strip_prefix("exercise-").unwrap_or(wanted);
    let found = if !wanted.is_empty() && wanted.chars().all(|c| c.is_ascii_digit()) {
        wanted.parse::<u32>().ok().and_then(|n| exercises.iter().find(|e| e.number == n))
    } else {
        exercises.iter().find(|e| {
            e.slug.eq_ignore_ascii_case(wanted) || format!("{:02}-{}", e.number, e.slug).eq_ignore_ascii_case(wanted)
        })
    };
    found.ok_or_else(|| {
        let valid: Vec<String> = exercises.iter().map(|e| format!("{:02} {}", e.number, e.slug)).collect();
        format!("there is no exercise '{id}'; name one by its number or its id: {}", valid.join(", "))
    })
}

/// `01`: how the commands show an exercise's number.
pub(crate) fn number(exercise: &Exercise) -> String {
    format!("{:02}", exercise.number)
}

/// Print the progress notices (a damaged file set aside) on standard error.
fn notify(notices: impl IntoIterator<Item = String>) {
    for notice in notices {
        eprintln!("{notice}");
    }
}

// ---------------------------------------------------------------- check

pub(crate) fn check(args: CheckArgs) -> ExitCode {
    let (root, exercises) = match workspace() {
        Ok(found) => found,
        Err(code) => return code,
    };
    let chosen: Vec<&Exercise> = match &args.id {
        Some(id) => match find(&exercises, id) {
            Ok(exercise) => vec![exercise],
            Err(message) => return crate::usage_error(message),
        },
        None => exercises.iter().collect(),
    };
    let all = args.id.is_none();
    let (progress, notice) = Progress::load(&root);
    notify(notice);
    if all {
        println!("Checking every exercise you have started (one whose files are still the starter is skipped).\n");
    }
    let (mut passed, mut failing, mut not_started) = (0, 0, 0);
    let mut first_failing: Option<&Exercise> = None;
    for exercise in chosen {
        let label = format!("{} {}", number(exercise), exercise.slug);
        if all && progress.get(&exercise.slug).attempts == 0 && still_the_starter(&root, exercise) == Some(true) {
            println!("· {label}: not started (your files are still the starter)");
            not_started += 1;
            continue;
        }
        if std::io::stderr().is_terminal() {
            eprintln!("Running the checks of exercise {label}...");
        }
        let outcome = checks::run(&root, exercise);
        notify(outcome.notes.clone());
        let took = format!("{:.1} s", outcome.took.as_secs_f64());
        if outcome.passed {
            println!("✓ {label}: passed, every check is green ({took})");
            passed += 1;
            continue;
        }
        failing += 1;
        first_failing.get_or_insert(exercise);
        let why = match outcome.failed_checks.len() {
            // A Rust exercise whose file does not compile never reaches a check.
            0 if outcome.did_not_compile() => {
                format!("your {} does not compile; the compiler's messages below say where", exercise.file)
            }
            0 => "the checks could not run to the end; what cargo said is below".to_string(),
            1 => "1 check failed".to_string(),
            n => format!("{n} checks failed"),
        };
        println!("✗ {label}: failing, {why} ({took})");
        println!("\n{}\n", checks::report(&outcome).trim_matches('\n'));
    }
    println!("{passed} passed, {failing} failing, {not_started} not started");
    if let Some(exercise) = first_failing {
        println!(
            "Next: fix {} as the report above says, then run `cargo lab check {}` again. Stuck? `cargo lab hint {}` gives a hint.",
            learner_files(&root, exercise),
            number(exercise),
            number(exercise)
        );
        return ExitCode::FAILURE;
    }
    if all && passed == 0 {
        if let Some(first) = exercises.first() {
            println!(
                "Nothing to check yet. Start with exercise {}: edit {}, then run `cargo lab check {}`.",
                number(first),
                learner_files(&root, first),
                number(first)
            );
        }
    }
    ExitCode::SUCCESS
}

/// The files a learner edits, for a sentence: `exercises/01-first-handler/handler.py`,
/// or `machine.json, validate.py in exercises/14-a-chain/`.
pub(crate) fn learner_files(root: &Path, exercise: &Exercise) -> String {
    match exercise.files.as_slice() {
        [one] => shown(&exercise.dir.join(one), root),
        many => format!("{} in {}/", many.join(", "), shown(&exercise.dir, root)),
    }
}

/// Whether every file the learner edits is still exactly the committed
/// starter; None when that cannot be told (no git, not a clone).
fn still_the_starter(root: &Path, exercise: &Exercise) -> Option<bool> {
    for file in &exercise.files {
        let starter = committed(root, &exercise.dir.join(file)).ok()?;
        if std::fs::read(exercise.dir.join(file)).ok().as_deref() != Some(starter.as_slice()) {
            return Some(false);
        }
    }
    Some(true)
}

/// Why the committed version of a file cannot be had.
enum GitError {
    /// git itself is missing.
    Missing,
    /// git ran and refused (not a clone, or the file is not committed).
    Refused(String),
}

/// The file as committed in HEAD, read with `git show HEAD:./path` from the root.
fn committed(root: &Path, path: &Path) -> Result<Vec<u8>, GitError> {
    let relative = shown(path, root);
    let output = Command::new("git")
        .args(["show", &format!("HEAD:./{relative}")])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|_| GitError::Missing)?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let said = String::from_utf8_lossy(&output.stderr);
    Err(GitError::Refused(said.lines().next().unwrap_or("").trim().to_string()))
}

// ---------------------------------------------------------------- hint

pub(crate) fn hint(args: IdArgs) -> ExitCode {
    let (root, exercise) = match named(&args.id) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let exercise = &exercise;
    let (mut progress, notice) = Progress::load(&root);
    notify(notice);
    let shown_so_far = progress.get(&exercise.slug).hints_shown as usize;
    let total = exercise.hints.len();
    let id = number(exercise);
    let Some(next) = exercise.hints.get(shown_so_far) else {
        let seen = match total {
            0 => "This exercise has no hints".to_string(),
            1 => "You have seen its only hint".to_string(),
            n => format!("You have seen all {n} of its hints"),
        };
        println!("No more hints for exercise {id} ({}). {seen}.", exercise.title);
        println!("Its page in the book explains the idea step by step: book/{}", exercise.chapter);
        println!("To compare your file with a worked answer: cargo lab solution {id}");
        return ExitCode::SUCCESS;
    };
    println!("Hint {} of {total} for exercise {id} ({}):\n", shown_so_far + 1, exercise.title);
    println!("  {next}\n");
    if shown_so_far + 1 < total {
        println!("Still stuck? `cargo lab hint {id}` again shows the next one.");
    } else {
        println!("That was the last hint. The book's page for it is book/{}.", exercise.chapter);
    }
    progress.record_hint(&exercise.slug);
    if let Err(message) = progress.save() {
        eprintln!("note: {message}");
    }
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------- reset

pub(crate) fn reset(args: IdArgs) -> ExitCode {
    let (root, exercise) = match named(&args.id) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let exercise = &exercise;
    let id = number(exercise);
    // The starter of every file first: if one cannot be had, nothing changes.
    let mut starters = Vec::new();
    for file in &exercise.files {
        match committed(&root, &exercise.dir.join(file)) {
            Ok(content) => starters.push((file.clone(), content)),
            Err(GitError::Missing) => {
                eprintln!("error: {NO_GIT}.");
                return ExitCode::FAILURE;
            }
            Err(GitError::Refused(said)) => {
                eprintln!(
                    "error: could not find the committed starter of {} (git said: {said}); is this folder a git clone of the book's repository? Nothing was changed.",
                    shown(&exercise.dir.join(file), &root)
                );
                return ExitCode::FAILURE;
            }
        }
    }
    let current: Vec<Option<Vec<u8>>> =
        exercise.files.iter().map(|f| std::fs::read(exercise.dir.join(f)).ok()).collect();
    if starters.iter().zip(&current).all(|((_, starter), now)| now.as_deref() == Some(starter.as_slice())) {
        println!("Exercise {id} ({}) is already the starter: there is nothing to reset.", exercise.title);
        return ExitCode::SUCCESS;
    }
    // Keep the learner's files before anything is overwritten.
    let backup = match make_backup_folder(&root, exercise) {
        Ok(folder) => folder,
        Err(message) => {
            eprintln!("error: {message}; nothing was changed.");
            return ExitCode::FAILURE;
        }
    };
    let mut kept = Vec::new();
    for (file, now) in exercise.files.iter().zip(&current) {
        let Some(content) = now else { continue };
        let target = backup.join(file);
        let copied = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, content))
            .and_then(|()| std::fs::read(&target))
            .is_ok_and(|back| &back == content);
        if !copied {
            eprintln!("error: could not keep a copy of your {file} in {}; nothing was changed.", shown(&backup, &root));
            return ExitCode::FAILURE;
        }
        kept.push(file.as_str());
    }
    println!("Your files are kept in {}/", shown(&backup, &root));
    for file in &kept {
        println!("  {file}");
    }
    let mut restored = Vec::new();
    for (file, content) in &starters {
        if let Err(e) = std::fs::write(exercise.dir.join(file), content) {
            eprintln!(
                "error: could not write the starter of {}: {e}. Your version is safe in {}/",
                shown(&exercise.dir.join(file), &root),
                shown(&backup, &root)
            );
            return ExitCode::FAILURE;
        }
        restored.push(file.as_str());
    }
    println!("Exercise {id} ({}) is back to its starter: {}", exercise.title, restored.join(", "));
    println!("To get your work back, copy the files from the folder above. Your progress and hints are unchanged.");
    ExitCode::SUCCESS
}

/// A new folder `<state>/backups/<slug>-<YYYYmmdd-HHMMSS>/` (with `-2`, `-3`...
/// when one of that name exists), never an existing one.
fn make_backup_folder(root: &Path, exercise: &Exercise) -> Result<PathBuf, String> {
    let backups = progress::state_dir(root).join("backups");
    std::fs::create_dir_all(&backups)
        .map_err(|e| format!("could not create the backup folder {}: {e}", shown(&backups, root)))?;
    let base = format!("{}-{}", exercise.slug, progress::file_stamp(std::time::SystemTime::now()));
    for attempt in 1..1000 {
        let name = if attempt == 1 { base.clone() } else { format!("{base}-{attempt}") };
        let folder = backups.join(name);
        match std::fs::create_dir(&folder) {
            Ok(()) => return Ok(folder),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("could not create the backup folder {}: {e}", shown(&folder, root))),
        }
    }
    Err(format!("could not find a free name for a backup folder in {}", shown(&backups, root)))
}

// ---------------------------------------------------------------- solution

pub(crate) fn solution(args: SolutionArgs) -> ExitCode {
    let (root, exercise) = match named(&args.id) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let exercise = &exercise;
    let id = number(exercise);
    let folder = root.join("solutions").join(exercise.dir.file_name().unwrap_or_default());
    if !folder.is_dir() {
        eprintln!("error: exercise {id} has no solution yet (there is no folder {}).", shown(&folder, &root));
        return ExitCode::FAILURE;
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return crate::usage_error(NO_TERMINAL_TO_ASK);
        }
        print!("Show the solution of exercise {id}? [y/N] ");
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            println!("The solution stays hidden. `cargo lab hint {id}` gives a smaller nudge.");
            return ExitCode::SUCCESS;
        }
    }
    println!("The solution of exercise {id} ({}), compared with your files.", exercise.title);
    println!("Lines starting with - are yours, lines starting with + are the solution's.\n");
    for file in &exercise.files {
        let mine_path = exercise.dir.join(file);
        let theirs_path = folder.join(file);
        let Ok(theirs) = std::fs::read_to_string(&theirs_path) else {
            println!("{file}: the solution does not change this file.\n");
            continue;
        };
        let mine = std::fs::read_to_string(&mine_path).unwrap_or_default();
        match diff::unified(&mine, &theirs, &shown(&mine_path, &root), &shown(&theirs_path, &root)) {
            Some(text) => println!("{text}"),
            None => println!("{file}: yours is the same as the solution.\n"),
        }
    }
    ExitCode::SUCCESS
}

/// A line diff printed as a unified diff (the `similar` crate's).
pub(crate) mod diff {
    /// Lines of context around each change.
    const CONTEXT: usize = 3;

    /// `old` and `new` as a unified diff (`--- old_name`, `+++ new_name`,
    /// `@@` hunks), or None when they are the same.
    pub(crate) fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> Option<String> {
        if old == new {
            return None;
        }
        let diff = similar::TextDiff::from_lines(old, new);
        Some(diff.unified_diff().context_radius(CONTEXT).header(old_name, new_name).to_string())
    }

    #[cfg(test)]
    mod tests {
        use super::unified;

        #[test]
        fn same_text_has_no_diff() {
            assert_eq!(unified("a\n", "a\n", "x", "y"), None);
        }

        #[test]
        fn a_change_in_the_middle_gets_its_context() {
            let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
            let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
            assert_eq!(
                unified(old, new, "a", "b").unwrap(),
                "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
            );
        }

        #[test]
        fn far_apart_changes_make_two_hunks_and_close_ones_one() {
            let old: String = (1..=20).map(|n| format!("{n}\n")).collect();
            let far = old.replace("2\n", "two\n").replace("19\n", "nineteen\n");
            let text = unified(&old, &far, "a", "b").unwrap();
            assert_eq!(text.matches("@@ -").count(), 2, "{text}");
            assert!(text.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n"), "{text}");
            let close = old.replace("5\n", "five\n").replace("10\n", "ten\n");
            assert_eq!(unified(&old, &close, "a", "b").unwrap().matches("@@ -").count(), 1);
        }

        #[test]
        fn additions_removals_and_a_missing_newline() {
            assert_eq!(unified("", "a\nb\n", "x", "y").unwrap(), "--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n");
            assert_eq!(unified("a\nb\n", "b\n", "x", "y").unwrap(), "--- x\n+++ y\n@@ -1,2 +1 @@\n-a\n b\n");
            assert_eq!(
                unified("a\n", "a", "x", "y").unwrap(),
                "--- x\n+++ y\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"
            );
        }
    }
}

// ---------------------------------------------------------------- report

pub(crate) fn report(args: ReportArgs) -> ExitCode {
    let (root, exercises) = match workspace() {
        Ok(found) => found,
        Err(code) => return code,
    };
    let (progress, notice) = Progress::load(&root);
    notify(notice);
    if args.json {
        let rows: Vec<serde_json::Value> = exercises
            .iter()
            .map(|e| {
                let entry = progress.get(&e.slug);
                serde_json::json!({
                    "number": e.number,
                    "id": e.slug,
                    "title": e.title,
                    "status": entry.status.as_str(),
                    "attempts": entry.attempts,
                    "firstAttempt": entry.first_attempt,
                    "lastAttempt": entry.last_attempt,
                    "hintsShown": entry.hints_shown,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows).expect("plain JSON"));
        return ExitCode::SUCCESS;
    }
    println!("Workshop progress: {}\n", summary(&exercises, &progress));
    let id_width = exercises.iter().map(|e| e.slug.len()).max().unwrap_or(2).max(2);
    let title_width = exercises.iter().map(|e| e.title.chars().count()).max().unwrap_or(5).max(5);
    let header = format!(
        "  {:<4} {:<id_width$}  {:<title_width$}  {:<11}  {:>8}  {:>5}  {:<20}  {}",
        "no.", "id", "title", "status", "attempts", "hints", "first attempt (UTC)", "last attempt (UTC)"
    );
    println!("{}", header.trim_end());
    for e in &exercises {
        let entry = progress.get(&e.slug);
        let row = format!(
            "  {:<4} {:<id_width$}  {:<title_width$}  {:<11}  {:>8}  {:>5}  {:<20}  {}",
            number(e),
            e.slug,
            e.title,
            entry.status.as_str(),
            entry.attempts,
            entry.hints_shown,
            entry.first_attempt.as_deref().unwrap_or("-"),
            entry.last_attempt.as_deref().unwrap_or("-")
        );
        println!("{}", row.trim_end());
    }
    println!("\nFor a spreadsheet or a script: cargo lab report --json");
    ExitCode::SUCCESS
}

/// `3 passed, 2 failing, 10 not started`.
pub(crate) fn summary(exercises: &[Exercise], progress: &Progress) -> String {
    let count = |status: Status| exercises.iter().filter(|e| progress.status(&e.slug) == status).count();
    format!(
        "{} passed, {} failing, {} not started",
        count(Status::Passed),
        count(Status::Failing),
        count(Status::NotStarted)
    )
}

// ---------------------------------------------------------------- doctor

/// One line of the doctor's findings.
struct Finding {
    what: &'static str,
    ok: bool,
    said: String,
    fix: String,
}

impl Finding {
    fn pass(what: &'static str, said: impl Into<String>) -> Finding {
        Finding { what, ok: true, said: said.into(), fix: String::new() }
    }

    fn fail(what: &'static str, said: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding { what, ok: false, said: said.into(), fix: fix.into() }
    }
}

const RUST_NEEDED: (u32, u32) = (1, 85);
const PYTHON_NEEDED: (u32, u32) = (3, 9);
const INSTALL_RUST: &str = "install Rust with rustup (https://rustup.rs), then open a new terminal";
const INSTALL_PYTHON: &str = "install Python 3.9 or newer: `sudo apt install python3 python3-dev` (Debian, Ubuntu), `sudo dnf install python3 python3-devel` (Fedora) or `brew install python` (macOS); or point PYO3_PYTHON at one";
const SHARED_PYTHON: &str = "use a Python built with a shared libpython: on Debian or Ubuntu `sudo apt install python3-dev` (it brings libpython3.X), `brew install python` on macOS, or with pyenv `env PYTHON_CONFIGURE_OPTS=\"--enable-shared\" pyenv install 3.12`; then point PYO3_PYTHON at it and rebuild (`cargo clean -p harness`)";

pub(crate) fn doctor() -> ExitCode {
    println!("Checking that this machine can run the workshop:\n");
    let mut findings = vec![check_rust()];
    let python = python_facts();
    findings.push(check_python(&python));
    findings.push(check_shared_libpython(&python));
    findings.push(match harness::python::start() {
        Ok(()) => Finding::pass(
            "Python inside the workshop",
            "the harness started Python in-process and loaded its Lambda runtime client",
        ),
        Err(e) => Finding::fail(
            "Python inside the workshop",
            format!("the harness could not start Python in-process: {e}"),
            format!(
                "check the two Python lines above; then rebuild so the harness links the right Python: {SHARED_PYTHON}"
            ),
        ),
    });
    findings.push(check_port(BOOK_PORT));
    findings.push(check_workspace());
    let mut problems = 0;
    for finding in &findings {
        let mark = if finding.ok { '✓' } else { '✗' };
        println!("  {mark} {}: {}", finding.what, finding.said);
        if !finding.ok {
            problems += 1;
            println!("      Fix: {}", finding.fix);
        }
    }
    println!();
    match problems {
        0 => {
            println!("Everything is ready for the workshop. Run `cargo lab` to begin.");
            ExitCode::SUCCESS
        }
        1 => {
            println!("1 problem found. Fix it as shown, then run `cargo lab doctor` again.");
            ExitCode::FAILURE
        }
        n => {
            println!("{n} problems found. Fix them as shown, then run `cargo lab doctor` again.");
            ExitCode::FAILURE
        }
    }
}

/// `1.85.0` from `rustc 1.85.0 (4d91de4e4 2025-02-17)`: (major, minor, the text).
fn tool_version(program: &std::ffi::OsStr) -> Option<(u32, u32, String)> {
    let output = Command::new(program).arg("--version").stdin(std::process::Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let version = text.split_whitespace().nth(1)?.to_string();
    let mut parts = version.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor, version))
}

fn check_rust() -> Finding {
    const WHAT: &str = "Rust";
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Some((rmajor, rminor, rustc_version)) = tool_version(&rustc) else {
        return Finding::fail(WHAT, "could not run `rustc --version`", INSTALL_RUST);
    };
    let Some((_, _, cargo_version)) = tool_version(&cargo) else {
        return Finding::fail(WHAT, "could not run `cargo --version`", INSTALL_RUST);
    };
    let said = format!("rustc {rustc_version}, cargo {cargo_version}");
    if (rmajor, rminor) < RUST_NEEDED {
        return Finding::fail(
            WHAT,
            format!("{said}, but the workshop needs {}.{} or newer", RUST_NEEDED.0, RUST_NEEDED.1),
            "update it with `rustup update stable`",
        );
    }
    Finding::pass(WHAT, said)
}

/// What the Python the build uses says about itself.
struct PythonFacts {
    /// `python3`, or `PYO3_PYTHON=/path/python3` when that is set.
    name: String,
    /// Its answer, or why there was none.
    answer: Result<serde_json::Value, String>,
}

const PYTHON_QUESTIONS: &str = "import json, sys, sysconfig\n\
print(json.dumps({'version': '%d.%d.%d' % sys.version_info[:3], 'major': sys.version_info[0], \
'minor': sys.version_info[1], 'platform': sys.platform, \
'shared': sysconfig.get_config_var('Py_ENABLE_SHARED'), \
'framework': sysconfig.get_config_var('PYTHONFRAMEWORK'), \
'library': sysconfig.get_config_var('LDLIBRARY')}))";

fn python_facts() -> PythonFacts {
    let (program, name) = match std::env::var_os("PYO3_PYTHON") {
        Some(path) if !path.is_empty() => (path.clone(), format!("PYO3_PYTHON ({})", path.to_string_lossy())),
        _ => ("python3".into(), "python3".to_string()),
    };
    let answer = match Command::new(&program).args(["-c", PYTHON_QUESTIONS]).stdin(std::process::Stdio::null()).output()
    {
        Err(_) => Err(format!("{name} was not found on your PATH")),
        Ok(output) if !output.status.success() => Err(format!(
            "{name} did not run: {}",
            String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("").trim()
        )),
        Ok(output) => {
            serde_json::from_slice(&output.stdout).map_err(|_| format!("{name} did not say which version it is"))
        }
    };
    PythonFacts { name, answer }
}

fn check_python(python: &PythonFacts) -> Finding {
    const WHAT: &str = "Python";
    let facts = match &python.answer {
        Ok(facts) => facts,
        Err(message) => return Finding::fail(WHAT, message.clone(), INSTALL_PYTHON),
    };
    let version = facts["version"].as_str().unwrap_or("?");
    let found = (facts["major"].as_u64().unwrap_or(0) as u32, facts["minor"].as_u64().unwrap_or(0) as u32);
    if found < PYTHON_NEEDED {
        return Finding::fail(
            WHAT,
            format!("{} is Python {version}, older than the 3.9 the workshop needs", python.name),
            INSTALL_PYTHON,
        );
    }
    Finding::pass(WHAT, format!("{} is Python {version}", python.name))
}

fn check_shared_libpython(python: &PythonFacts) -> Finding {
    const WHAT: &str = "Shared libpython";
    let Ok(facts) = &python.answer else {
        return Finding::fail(WHAT, "cannot tell without a working Python", INSTALL_PYTHON);
    };
    let platform = facts["platform"].as_str().unwrap_or("");
    let library = facts["library"].as_str().unwrap_or("").to_string();
    if platform == "win32" {
        return Finding::pass(WHAT, "Windows Pythons always come with their DLL");
    }
    if facts["shared"].as_u64() == Some(1) {
        return Finding::pass(WHAT, format!("{} has {library}", python.name));
    }
    if platform == "darwin" && facts["framework"].as_str().is_some_and(|f| !f.is_empty()) {
        return Finding::pass(WHAT, format!("{} is a framework build", python.name));
    }
    Finding::fail(
        WHAT,
        format!("{} was built without a shared libpython, which the harness needs to embed it", python.name),
        SHARED_PYTHON,
    )
}

fn check_port(port: u16) -> Finding {
    const WHAT: &str = "Book port";
    match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(_) => Finding::pass(WHAT, format!("127.0.0.1:{port} is free for the book")),
        Err(e) => Finding::fail(
            WHAT,
            if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("127.0.0.1:{port} is already in use by another program")
            } else {
                format!("cannot listen on 127.0.0.1:{port}: {e}")
            },
            format!(
                "stop the program using it (another `cargo lab`, or `mdbook serve`?), or serve the book on another port: cargo lab book --port {}",
                port + 1
            ),
        ),
    }
}

fn check_workspace() -> Finding {
    const WHAT: &str = "Workshop folder";
    let here = std::env::current_dir().unwrap_or_default();
    match exercise::workspace_root(&here).map(|root| (Exercise::discover(&root), root)) {
        Some((Ok(found), root)) if !found.is_empty() => {
            Finding::pass(WHAT, format!("{} exercises in {}", found.len(), root.display()))
        }
        Some((Ok(_), root)) => Finding::fail(
            WHAT,
            format!("found {} but no exercises in it", root.display()),
            "clone the book's repository again, or restore its exercises/ folder",
        ),
        Some((Err(message), _)) => {
            Finding::fail(WHAT, message, "restore the exercise's files from git: git checkout -- exercises/")
        }
        None => Finding::fail(
            WHAT,
            "this is not inside the workshop's folder",
            "cd into your clone of the book's repository (the folder holding exercises/ and crates/)",
        ),
    }
}
