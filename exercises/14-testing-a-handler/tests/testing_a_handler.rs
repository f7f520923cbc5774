//! Exercise 14: testing a handler. This time you write the tests: your
//! test_handler.py holds pytest tests for the given handler.py, which
//! archives an order from DynamoDB to S3. The checks run your file with
//! pytest (from the workshop's Python environment, .lab/python), each time
//! in a folder of its own where the handler under test is handler.py:
//!
//! - once with the given handler.py, which is correct: every test must pass;
//! - once with each wrong handler of tests/wrong/ (the first line of each
//!   file says its mistake): at least one test must fail on each.
//!
//! All the runs happen at the first check, in parallel; each check then
//! reads its own. Your tests never reach AWS: the runs have fake credentials
//! and a proxy that goes nowhere, so a call that escapes moto's mock fails.

use harness::check::report::{Failure, Kind};
use harness::check::{display_path, find_exercise};
use harness::exercise::Exercise;
use harness::pytest::{self, Case, Report, RunError, Status};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A wrong handler: its file in tests/wrong/ (without .py), the check that
/// it is caught, and what a test needs to catch it.
struct Wrong {
    file: &'static str,
    check: &'static str,
    hint: &'static str,
}

const WRONG: [Wrong; 7] = [
    Wrong {
        file: "archives_at_the_wrong_key",
        check: "your tests catch a handler that writes the archive under another key than the one it answers",
        hint: "Check what the handler did, not only what it said: read the object back with \
               s3.get_object(Bucket=\"order-archive\", Key=\"orders/o-1.json\"). When it is not there, \
               get_object raises NoSuchKey and the test fails.",
    },
    Wrong {
        file: "raises_for_a_missing_order",
        check: "your tests catch a handler that raises for an order that is not in the table",
        hint: "Ask for an order that is not in the table ({\"orderId\": \"o-404\"}) and compare the answer with \
               the one handler.py's docstring promises.",
    },
    Wrong {
        file: "archives_null_for_a_missing_order",
        check: "your tests catch a handler that archives null for an order that is not in the table",
        hint: "Ask for an order that is not in the table, then check the answer, and that nothing was \
               written: s3.list_objects_v2(Bucket=\"order-archive\")[\"KeyCount\"] == 0.",
    },
    Wrong {
        file: "writes_numbers_as_strings",
        check: "your tests catch a handler that writes the order's numbers as strings",
        hint: "Give the order a number (\"total\": Decimal(\"25.50\")), read the archive back, and compare \
               json.loads(body) with the whole order as JSON: {\"total\": 25.5, ...} is not {\"total\": \"25.50\", ...}.",
    },
    Wrong {
        file: "drops_fields",
        check: "your tests catch a handler that leaves some of the order's fields out of the archive",
        hint: "Put an order with more fields than orderId, customer and total (its lines, say), read the \
               archive back, and compare json.loads(body) with the whole order, not with a field or two.",
    },
    Wrong {
        file: "ignores_the_bucket_setting",
        check: "your tests catch a handler that writes to its default bucket whatever ARCHIVE_BUCKET says",
        hint: "Give the handler another bucket: create it, then monkeypatch.setattr(handler, \"BUCKET_NAME\", \
               \"another-bucket\") (the handler reads ARCHIVE_BUCKET once, at import), and check that the \
               archive is there.",
    },
    Wrong {
        file: "reads_the_first_order_in_the_table",
        check: "your tests catch a handler that archives whichever order comes first in the table",
        hint: "Put two orders or more in the table, archive each in turn, and check that each archive holds \
               the order asked for.",
    },
];

/// Your file must hold at least this many tests.
const MIN_TESTS: usize = 3;

/// The check on the correct handler, named by the others that depend on it.
const PASS_CHECK: &str = "your tests pass on the correct handler (handler.py)";

/// Words in a failure that mean a call went past moto to "AWS": the checks'
/// proxy refused it, or, run by hand, AWS or the network did.
const REAL_AWS_SIGNS: [&str; 7] = [
    "ProxyConnectionError",
    "EndpointConnectionError",
    "NoCredentialsError",
    "UnrecognizedClientException",
    "InvalidAccessKeyId",
    "InvalidClientTokenId",
    "security token included in the request is invalid",
];

const USE_MOCK_AWS: &str = "Use mock_aws in every test (a fixture that runs `with mock_aws(): yield`, as the \
                            starter's does), and import moto before the handler (`from moto import mock_aws` above \
                            `import handler`): the handler makes its clients when it is imported, and moto can only \
                            reach clients made after moto itself was imported.";

/// Your file's runs: on the correct handler, and on each wrong one (in the
/// order of [`WRONG`]).
struct Runs {
    exercise: Exercise,
    handler: PathBuf,
    correct: Result<Report, RunError>,
    wrong: Vec<(PathBuf, Result<Report, RunError>)>,
}

/// Run your file on every handler, once for all the checks.
fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    let exercise = find_exercise();
    let tests = exercise.handler_path();
    if !tests.is_file() {
        Failure::new(Kind::Setup, "your test file is there", Some(&exercise))
            .line(format!("There is no file at {}.", tests.display()))
            .line("The checks run your tests from this file. If you renamed or moved it, move it back;")
            .line("to start over, restore it with")
            .line(format!("    git checkout -- {}", display_path(&tests)))
            .fail();
    }
    expect_the_given_handler(&exercise);
    RUNS.get_or_init(|| {
        let handler = exercise.dir.join("handler.py");
        let wrong: Vec<PathBuf> =
            WRONG.iter().map(|w| exercise.dir.join("tests/wrong").join(format!("{}.py", w.file))).collect();
        let mut all = vec![handler.clone()];
        all.extend(wrong.iter().cloned());
        let mut reports = pytest::run_each(&tests, &all).into_iter();
        let correct = reports.next().expect("one report per handler");
        Runs { exercise, handler, correct, wrong: wrong.into_iter().zip(reports).collect() }
    })
}

/// handler.py is the correct handler the checks hold your tests to: an
/// edited copy would make them measure your tests against your edit. It is
/// compared with the copy kept in solutions/, which is the same file.
fn expect_the_given_handler(exercise: &Exercise) {
    let handler = exercise.dir.join("handler.py");
    let kept = harness::exercise::workspace_root(&exercise.dir)
        .map(|root| root.join("solutions").join(exercise.dir.file_name().unwrap_or_default()).join("handler.py"));
    let (Some(kept), Ok(given)) = (kept, std::fs::read(&handler)) else { return };
    let Ok(kept_text) = std::fs::read(&kept) else { return };
    if given != kept_text {
        Failure::new(Kind::Setup, "handler.py is the given one", Some(exercise))
            .line(format!("{} has been changed.", display_path(&handler)))
            .line("It is the correct handler your tests are held to, so it stays as it was given;")
            .line("your work goes in test_handler.py. To put it back:")
            .line(format!("    git checkout -- {}", display_path(&handler)))
            .fail();
    }
}

impl Runs {
    fn failure(&self, kind: Kind, check: &str) -> Failure {
        Failure::new(kind, check, Some(&self.exercise))
    }

    /// The report of a run, or the check failed with why there is none, or
    /// why your file could not be loaded.
    fn report<'a>(&self, check: &str, run: &'a Result<Report, RunError>, handler: &Path) -> &'a Report {
        let handler = display_path(handler);
        let report = match run {
            Ok(report) => report,
            Err(RunError::NotSetUp(line)) => self.failure(Kind::Setup, check).line(line).fail(),
            Err(RunError::TimedOut(limit)) => self
                .failure(Kind::LoadError, check)
                .line(format!("Your tests ran for more than {} s with {handler} and were stopped.", limit.as_secs()))
                .with_hint("A test waits for something that never comes: look for a loop, a sleep or an input().")
                .hint()
                .fail(),
            Err(error @ RunError::NoReport { .. }) => self
                .failure(Kind::LoadError, check)
                .line(format!("pytest stopped, with {handler}, without saying how your tests went:"))
                .line(error.to_string())
                .hint()
                .fail(),
            Err(RunError::Io(message)) => self.failure(Kind::Setup, check).line(message).fail(),
        };
        if let Some(error) = report.collection_errors().first() {
            self.failure(Kind::LoadError, check)
                .line("pytest could not load your test file, so none of your tests ran:")
                .block("", &error.explanation(12).join("\n"))
                .with_hint(
                    "Look at the line shown: a syntax error, or the import of something that is not there \
                     (the tests have pytest, moto, boto3 and Python's standard library).",
                )
                .hint()
                .fail();
        }
        report
    }

    /// The report on the correct handler, failing the check when it holds
    /// no test.
    fn correct_report(&self, check: &str) -> &Report {
        let report = self.report(check, &self.correct, &self.handler);
        if report.tests().is_empty() {
            self.failure(Kind::Assertion, check)
                .line("pytest found no test in your file.")
                .with_hint(
                    "pytest runs the functions whose names start with test_ (def test_archives(...):), \
                     written at the top level of the file, not inside another function.",
                )
                .hint()
                .fail();
        }
        report
    }
}

/// How a failed test ended, in words.
fn how(case: &Case) -> &'static str {
    match case.status {
        Status::Error => "failed in a fixture, before or after the test itself",
        _ => "failed",
    }
}

/// The failed tests, each with pytest's lines that say why (a few at most).
fn failed_tests(failures: &[&Case]) -> String {
    let mut text = String::new();
    for case in failures.iter().take(3) {
        text.push_str(&format!("{} {}:\n", case.display_name(), how(case)));
        for line in case.explanation(7) {
            text.push_str(&format!("    {line}\n"));
        }
    }
    if failures.len() > 3 {
        text.push_str(&format!("(and {} more)\n", failures.len() - 3));
    }
    text
}

fn reached_real_aws(case: &Case) -> bool {
    REAL_AWS_SIGNS.iter().any(|sign| case.message.contains(sign) || case.details.contains(sign))
}

#[test]
fn your_tests_pass_on_the_correct_handler() {
    let runs = runs();
    let report = runs.correct_report(PASS_CHECK);
    let failures = report.failures();
    if failures.is_empty() {
        return;
    }
    let mut failure = runs
        .failure(Kind::Assertion, PASS_CHECK)
        .line(format!("The handler: {}, the given one, which is correct.", display_path(&runs.handler)))
        .line(format!("{} of your {} tests failed on it.", failures.len(), report.tests().len()))
        .block("", &failed_tests(&failures));
    if failures.iter().any(|case| reached_real_aws(case)) {
        failure = failure
            .line("Your tests called AWS for real: a call left moto's mock. (The checks give your tests a")
            .line("proxy that goes nowhere, so it was refused: botocore's ProxyConnectionError.)")
            .with_hint(USE_MOCK_AWS);
    } else {
        failure = failure.with_hint(
            "A test that fails on the correct handler expects something handler.py does not promise: compare \
             your assertion with its docstring. Does the fixture make the table and the bucket it reads?",
        );
    }
    failure.hint().fail();
}

#[test]
fn your_file_has_at_least_three_tests() {
    let check = "your file has at least three tests";
    let runs = runs();
    let report = runs.report(check, &runs.correct, &runs.handler);
    let tests = report.tests();
    if tests.len() < MIN_TESTS {
        let plural = if tests.len() == 1 { "" } else { "s" };
        runs.failure(Kind::Assertion, check)
            .line(format!("Your file has {} test{plural}; write {MIN_TESTS} or more.", tests.len()))
            .list("Your tests:", tests.iter().map(|case| case.display_name()))
            .with_hint(
                "One test per thing the handler promises: what it writes and where, what it answers for a \
                 missing order, which order it archives when the table holds several.",
            )
            .hint()
            .fail();
    }
}

/// The check that your tests catch the wrong handler `file`: one of them
/// passes on the correct handler and fails on this one. A test that fails on
/// both tells them apart no more than a test that passes on both.
fn expect_caught(file: &str) {
    let runs = runs();
    let at = WRONG.iter().position(|w| w.file == file).expect("a wrong handler of the list");
    let wrong = &WRONG[at];
    let correct = runs.correct_report(wrong.check);
    let passing: Vec<&Case> = correct.tests().into_iter().filter(|case| !case.is_failure()).collect();
    if passing.is_empty() {
        runs.failure(Kind::Assertion, wrong.check)
            .line(format!("None of your tests passes on the correct handler yet: see the check `{PASS_CHECK}`."))
            .line("A test catches a wrong handler when it passes on handler.py and fails on the wrong one.")
            .with_hint("Make your tests pass on handler.py first: each then has a chance to catch a mistake.")
            .hint()
            .fail();
    }
    let (path, run) = &runs.wrong[at];
    if !path.is_file() {
        runs.failure(Kind::Setup, wrong.check).line(format!("The wrong handler {} is missing.", path.display())).fail();
    }
    let report = match run {
        // A file that loads with the correct handler and not with this one
        // noticed something too.
        Ok(report) if !report.collection_errors().is_empty() => return,
        _ => runs.report(wrong.check, run, path),
    };
    let fails_here = |case: &Case| {
        report
            .cases
            .iter()
            .any(|other| other.name == case.name && other.classname == case.classname && other.is_failure())
    };
    if passing.iter().any(|case| fails_here(case)) {
        return;
    }
    let mistake = std::fs::read_to_string(path).unwrap_or_default();
    let mistake = mistake.lines().next().unwrap_or_default().trim_start_matches('#').trim();
    let mistake = mistake.strip_prefix("Wrong:").unwrap_or(mistake).trim();
    let verdict = match (passing.len(), correct.tests().len() - passing.len()) {
        (1, 0) => "Your one test passed on it, so it did not notice.".to_string(),
        (all, 0) => format!("All {all} of your tests passed on it, so none of them noticed."),
        (count, failing) => {
            let passing = match count {
                1 => "The one test of yours that passes".to_string(),
                _ => format!("The {count} tests of yours that pass"),
            };
            let failing = match failing {
                1 => "the one that fails".to_string(),
                _ => format!("the {failing} that fail"),
            };
            format!(
                "{passing} on the correct handler passed on this one too, so none noticed ({failing} on \
                 handler.py cannot count: see the check `{PASS_CHECK}`)."
            )
        }
    };
    runs.failure(Kind::Assertion, wrong.check)
        .line(format!("The wrong handler: {}", display_path(path)))
        .line(format!("Its mistake: {mistake}"))
        .line(verdict)
        .with_hint(wrong.hint)
        .hint()
        .fail();
}

#[test]
fn catches_archives_at_the_wrong_key() {
    expect_caught("archives_at_the_wrong_key");
}

#[test]
fn catches_raises_for_a_missing_order() {
    expect_caught("raises_for_a_missing_order");
}

#[test]
fn catches_archives_null_for_a_missing_order() {
    expect_caught("archives_null_for_a_missing_order");
}

#[test]
fn catches_writes_numbers_as_strings() {
    expect_caught("writes_numbers_as_strings");
}

#[test]
fn catches_drops_fields() {
    expect_caught("drops_fields");
}

#[test]
fn catches_ignores_the_bucket_setting() {
    expect_caught("ignores_the_bucket_setting");
}

#[test]
fn catches_reads_the_first_order_in_the_table() {
    expect_caught("reads_the_first_order_in_the_table");
}
