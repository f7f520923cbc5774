//! The workshop's promise about every exercise: its solution passes, its
//! starter fails on an assertion about the task (never on an import, syntax
//! or harness error), and each wrong variant kept in tests/variants/ fails.
//!
//! Each case runs the exercise's own tests (`cargo test -p exercise-NN`) with
//! LAB_TASK_ROOT pointing at a copy of the exercise holding the file under
//! test, and LAB_VERDICT_FILE collecting how each check failed.

use harness::exercise::Exercise;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn exercises() -> Vec<Exercise> {
    let mut found = Exercise::discover(&root()).expect("the exercises can be listed");
    assert!(!found.is_empty(), "no exercises found under exercises/");
    // An exercise whose packages need a newer Python than this one (its
    // manifest's `python`) gives its own setup verdict there; leave it out.
    let python = harness::python::embedded_version().expect("the embedded Python starts");
    found.retain(|exercise| match exercise.min_python {
        Some(wanted) if python < wanted => {
            eprintln!(
                "{} needs Python {}.{} and this is {}.{}: not held to its promise here",
                exercise.package(),
                wanted.0,
                wanted.1,
                python.0,
                python.1
            );
            false
        }
        _ => true,
    });
    if found.iter().any(|e| e.aws_state.is_some() || e.file.starts_with("test_")) {
        python_environment_ready();
    }
    found
}

/// The exercises that call AWS (or run pytest) need the managed Python
/// environment: set it up first, as `cargo lab setup` would, so that plain
/// `cargo test` on a fresh clone holds them to their promise too.
fn python_environment_ready() {
    static READY: std::sync::Once = std::sync::Once::new();
    READY.call_once(|| {
        harness::pyenv::PythonEnv::of_workspace(&root())
            .ensure(&harness::pyenv::Source::Index, &mut |line| eprintln!("exercises: {line}"))
            .unwrap_or_else(|error| panic!("the workshop's Python environment cannot be set up: {error}"));
    });
}

struct Outcome {
    passed: bool,
    verdicts: Vec<Value>,
    output: String,
}

/// Run the exercise's tests with its handler file replaced by `handler_source`.
fn run_with(exercise: &Exercise, handler_source: &str, label: &str) -> Outcome {
    run_with_files(exercise, &[(exercise.file.clone(), handler_source.to_string())], label)
}

/// Run the exercise's tests with these files (name, content) in place of its own.
fn run_with_files(exercise: &Exercise, files: &[(String, String)], label: &str) -> Outcome {
    if exercise.is_rust() {
        return run_rust_with_files(exercise, files, label);
    }
    let scratch = std::env::temp_dir().join(format!("lab-check-{}-{}-{label}", std::process::id(), exercise.slug));
    let _ = std::fs::remove_dir_all(&scratch);
    // The files a handler may use (data, modules), without the Rust parts.
    copy_folder(&exercise.dir, &scratch, &["tests", "target", "Cargo.toml", "src"]);
    write_files(&scratch, files);
    let mut cargo = cargo();
    cargo.args(["test", "-q", "-p", &exercise.package()]).current_dir(root()).env("LAB_TASK_ROOT", &scratch);
    let outcome = run_checks(cargo, &scratch.join("verdicts.jsonl"));
    let _ = std::fs::remove_dir_all(&scratch);
    outcome
}

/// A Rust exercise is compiled, so its files cannot be swapped at run time:
/// the exercise is copied, with these files in place, into a crate of its
/// own under target/ (its own workspace, the same Cargo.lock, path
/// dependencies made absolute), and its tests run there. All copies share one
/// target folder, so the dependencies are built once and each copy compiles
/// only its own two crates.
fn run_rust_with_files(exercise: &Exercise, files: &[(String, String)], label: &str) -> Outcome {
    let candidates = root().join("target/lab-rust-candidates");
    let folder = exercise.dir.file_name().unwrap().to_string_lossy().into_owned();
    let scratch = candidates.join(format!("{}-{label}", std::process::id())).join(&folder);
    let _ = std::fs::remove_dir_all(&scratch);
    copy_folder(&exercise.dir, &scratch, &["target"]);
    write_files(&scratch, files);
    let manifest = std::fs::read_to_string(exercise.dir.join("Cargo.toml")).unwrap();
    let root_text = root().display().to_string();
    // The workspace's own crates (`harness.workspace = true`) by absolute path.
    let manifest: String = manifest
        .replace("edition.workspace = true", "edition = \"2024\"")
        .replace("[lints]\nworkspace = true\n", "")
        .lines()
        .map(|line| match line.strip_suffix(".workspace = true") {
            Some(name) if root().join("crates").join(name).is_dir() => {
                format!("{name} = {{ path = {:?} }}\n", format!("{root_text}/crates/{name}"))
            }
            _ => format!("{line}\n"),
        })
        .collect();
    // A package name of its own: cargo names build outputs after the package
    // and its path from the workspace root, which every copy shares, so two
    // copies of one name would overwrite each other's outputs in the shared
    // target folder. The library keeps its name, for the tests' `use`.
    let package = exercise.package();
    let manifest = manifest.replace(&format!("name = \"{package}\""), &format!("name = \"{package}-{label}\""));
    let library = package.replace('-', "_");
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!("{manifest}\n# A copy made by tests/exercises.rs, a workspace of its own.\n[workspace]\n\n[lib]\nname = \"{library}\"\n"),
    )
    .unwrap();
    std::fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    let mut cargo = cargo();
    cargo
        .args(["test", "-q"])
        .current_dir(&scratch)
        .env("CARGO_TARGET_DIR", candidates.join("target"))
        .env_remove("LAB_TASK_ROOT");
    let outcome = run_checks(cargo, &scratch.join("verdicts.jsonl"));
    let _ = std::fs::remove_dir_all(scratch.parent().unwrap());
    outcome
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Run `cargo` (a `cargo test` set up by the caller) with LAB_VERDICT_FILE
/// at `verdict_file`, and collect how it ended and each failed check's verdict.
fn run_checks(mut cargo: Command, verdict_file: &Path) -> Outcome {
    let output = cargo.env("LAB_VERDICT_FILE", verdict_file).output().expect("cargo runs");
    let verdicts = std::fs::read_to_string(verdict_file)
        .unwrap_or_default()
        .lines()
        .map(|line| serde_json::from_str(line).expect("verdict lines are JSON"))
        .collect();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Outcome { passed: output.status.success(), verdicts, output: text }
}

/// The files (name relative to `folder`, content) written into `folder`.
fn write_files(folder: &Path, files: &[(String, String)]) {
    for (name, content) in files {
        std::fs::write(folder.join(name), content).unwrap();
    }
}

/// `from` copied into `to`, leaving out the entries of `from` itself named
/// in `skip` (the exercise's own tests/ or target/; a tests/ folder deeper
/// down, such as the one a vendored library ships, is part of the exercise).
fn copy_folder(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &to.join(&name), &[]);
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

/// The starter's files as committed, even if a learner has edited their copy.
fn pristine_starter(exercise: &Exercise) -> Vec<(String, String)> {
    exercise.files.iter().map(|file| (file.clone(), pristine(exercise, file))).collect()
}

/// Every file in `folder` and its subfolders, as (name relative to
/// `folder` with `/`, content): a Rust solution keeps its file in `src/`.
fn files_in(folder: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display())).flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            files.extend(files_in(&entry.path()).into_iter().map(|(inner, text)| (format!("{name}/{inner}"), text)));
        } else {
            files.push((name, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
    files.sort();
    files
}

fn pristine(exercise: &Exercise, file: &str) -> String {
    let path = exercise.dir.join(file);
    let relative = path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
    let committed = Command::new("git")
        .args(["show", &format!("HEAD:{relative}")])
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    committed.unwrap_or_else(|| std::fs::read_to_string(&path).unwrap())
}

#[test]
fn every_solution_passes_and_every_starter_fails_on_the_task() {
    for exercise in exercises() {
        let solution_folder = root().join("solutions").join(exercise.dir.file_name().unwrap());
        let solution = files_in(&solution_folder);
        assert!(!solution.is_empty(), "{} has no solution in {}", exercise.package(), solution_folder.display());
        let solved = run_with_files(&exercise, &solution, "solution");
        assert!(solved.passed, "the solution of {} fails its tests:\n{}", exercise.package(), solved.output);

        let starter = run_with_files(&exercise, &pristine_starter(&exercise), "starter");
        assert!(!starter.passed, "the starter of {} already passes its tests", exercise.package());
        assert!(
            !starter.verdicts.is_empty(),
            "the starter of {} failed without a check failing:\n{}",
            exercise.package(),
            starter.output
        );
        for verdict in &starter.verdicts {
            assert_eq!(
                verdict["kind"],
                "assertion",
                "the starter of {} fails for the wrong reason in {}: {verdict}\n{}",
                exercise.package(),
                verdict["test"],
                starter.output
            );
        }
    }
}

/// A chaining exercise can be answered in either query language: beside its
/// worked `machine.json`, its solution folder holds the same answer in the
/// other language as `machine.LANGUAGE.json` (`machine.jsonpath.json`,
/// `machine.jsonata.json`). Each one, put in place of `machine.json` with
/// the solution's handlers, passes every check too.
#[test]
fn every_alternative_machine_in_a_solution_passes() {
    let mut found = 0;
    for exercise in exercises() {
        let folder = root().join("solutions").join(exercise.dir.file_name().unwrap());
        let solution = files_in(&folder);
        let alternatives =
            solution.iter().filter(|(name, _)| name.starts_with("machine.") && name.matches('.').count() == 2);
        for (name, machine) in alternatives {
            found += 1;
            let mut files: Vec<(String, String)> =
                solution.iter().filter(|(other, _)| other != name && other != "machine.json").cloned().collect();
            files.push(("machine.json".to_string(), machine.clone()));
            let label = name.trim_end_matches(".json").replace('.', "-");
            let outcome = run_with_files(&exercise, &files, &label);
            assert!(
                outcome.passed,
                "{name} in the solution of {} fails its tests:\n{}",
                exercise.package(),
                outcome.output
            );
        }
    }
    assert!(found >= 3, "exercises 17 to 19 each keep an answer in the other query language; found {found}");
}

#[test]
fn every_wrong_variant_is_rejected() {
    for exercise in exercises() {
        let folder = root().join("tests/variants").join(exercise.dir.file_name().unwrap());
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // A variant is a wrong handler file, or a folder of wrong files
            // (a chaining exercise's machine and handlers).
            let files = if entry.path().is_dir() {
                files_in(&entry.path())
            } else {
                vec![(exercise.file.clone(), std::fs::read_to_string(entry.path()).unwrap())]
            };
            let outcome = run_with_files(&exercise, &files, name.trim_end_matches(".py").trim_end_matches(".rs"));
            assert!(!outcome.passed, "the wrong variant {name} of {} passes its tests", exercise.package());
            // A failed check, not a file that does not load or compile.
            assert!(
                !outcome.verdicts.is_empty(),
                "the variant {name} of {} failed without a check failing:\n{}",
                exercise.package(),
                outcome.output
            );
            assert!(
                outcome.verdicts.iter().all(|v| v["kind"] == "assertion" || v["kind"] == "handler-error"),
                "the variant {name} was rejected for a reason other than the task: {:?}",
                outcome.verdicts
            );
        }
    }
}

#[test]
fn every_exercise_has_a_chapter_page_that_shows_its_command() {
    for exercise in exercises() {
        let page = root().join("book").join(&exercise.chapter);
        let text = std::fs::read_to_string(&page)
            .unwrap_or_else(|_| panic!("{} names the page {}, which is missing", exercise.package(), page.display()));
        assert!(
            text.contains(&format!("cargo test -p {}", exercise.package())),
            "{} does not show how to run {}",
            page.display(),
            exercise.package()
        );
        let summary = std::fs::read_to_string(root().join("book/SUMMARY.md")).unwrap();
        assert!(summary.contains(&exercise.chapter), "SUMMARY.md does not list {}", exercise.chapter);
        // The parts every exercise page has: the file to edit, where the
        // checks are, the hints (collapsed, one callout each) and what
        // passing looks like.
        let folder = exercise.dir.file_name().unwrap().to_string_lossy().into_owned();
        let page_name = page.display();
        assert!(
            (text.contains(&format!("exercises/{folder}/")) && text.contains(&format!("`{}`", exercise.file)))
                || text.contains(&format!("exercises/{folder}/{}", exercise.file)),
            "{page_name} does not name the file to edit ({})",
            exercise.file
        );
        assert!(text.contains(&format!("exercises/{folder}/tests/")), "{page_name} does not say where the checks are");
        assert!(text.contains("## Run the checks"), "{page_name} has no \"Run the checks\" section");
        let hints = text.matches("admonish hint").count();
        assert!(hints >= 2, "{page_name} has {hints} hint callouts");
        assert_eq!(hints, text.matches("admonish hint title=").count(), "{page_name}: every hint has a title");
        for line in text.lines().filter(|l| l.contains("admonish hint")) {
            assert!(line.contains("collapsible=true"), "{page_name}: a hint is not collapsed: {line}");
        }
        assert!(text.contains("## When your checks pass"), "{page_name} does not say what passing looks like");
        // A page that shows the passing summary shows the exercise's own count.
        let checks: usize = std::fs::read_dir(exercise.dir.join("tests"))
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default().matches("#[test]").count())
                    .sum()
            })
            .unwrap_or(0);
        if let Some(shown) = text.split("test result: ok. ").nth(1) {
            let shown: String = shown.chars().take_while(char::is_ascii_digit).collect();
            assert_eq!(
                shown,
                checks.to_string(),
                "{page_name} shows {shown} checks passing; the exercise has {checks}"
            );
        }
    }
}

/// The other way round: every "Exercise NN" entry in SUMMARY.md is the page
/// of exercise NN, so the book never promises an exercise that is not there.
#[test]
fn every_exercise_page_in_the_book_has_its_exercise() {
    let summary = std::fs::read_to_string(root().join("book/SUMMARY.md")).unwrap();
    let exercises = exercises();
    let mut seen = 0;
    for line in summary.lines() {
        let Some(rest) = line.trim_start().strip_prefix("- [Exercise ") else { continue };
        let number: u32 = rest[..2].parse().unwrap_or_else(|_| panic!("SUMMARY.md: {line} has no two-digit number"));
        let page = line.rsplit("](").next().unwrap().trim_end_matches(')');
        let exercise = exercises.iter().find(|e| e.number == number).unwrap_or_else(|| {
            panic!("SUMMARY.md lists Exercise {number:02} ({page}), but exercises/ has no such exercise")
        });
        assert_eq!(
            exercise.chapter, page,
            "SUMMARY.md puts Exercise {number:02} on {page}, its exercise.toml on {}",
            exercise.chapter
        );
        seen += 1;
    }
    assert_eq!(seen, exercises.len(), "SUMMARY.md lists {seen} exercise pages for {} exercises", exercises.len());
}

/// A learner's broken file gets a message about what is broken, naming the
/// file, and the verdict says it is not (yet) about the task.
#[test]
fn a_broken_handler_gets_a_clear_message_naming_the_file() {
    let exercise = exercises().into_iter().next().unwrap();
    let cases = [
        (
            "def lambda_handler(event, context)\n    return 1\n",
            "there is a syntax error in it",
            "a missing colon, bracket or quote",
        ),
        (
            "def handler(event, context):\n    return 1\n",
            "found no function named lambda_handler",
            "Lambda calls the function by its exact name",
        ),
        (
            "import requests\ndef lambda_handler(event, context):\n    return 1\n",
            "Lambda could not import your file",
            "the standard library and boto3",
        ),
        (
            "import sys\ndef lambda_handler(event, context):\n    sys.exit(1)\n",
            "ended the Python process",
            "never by exiting",
        ),
    ];
    for (source, says, hint) in cases {
        let outcome = run_with(&exercise, source, "broken");
        assert!(!outcome.passed);
        assert!(outcome.output.contains(says), "expected {says:?} in:\n{}", outcome.output);
        assert!(outcome.output.contains(hint), "expected the hint {hint:?} in:\n{}", outcome.output);
        assert!(outcome.output.contains(&format!("/{}", exercise.file)), "the file is named:\n{}", outcome.output);
        assert!(!outcome.output.contains("panicked at"), "no Rust panic is shown:\n{}", outcome.output);
        assert!(outcome.verdicts.iter().all(|v| v["kind"] == "load-error"), "{:?}", outcome.verdicts);
    }
}
