//! Exercise 20: a durable order. Your order.py is run with AWS's own testing
//! SDK for durable functions (aws-durable-execution-sdk-python-testing, in
//! the workshop's Python environment), by tests/durable_driver.py, in three
//! situations, each a fresh execution of the same order:
//!
//! - "busy": the card service is busy twice, then charges the card;
//! - "busy-thrice": it is busy three times running;
//! - "lost-answer": it charges the card, but the answer is lost on the way
//!   back, so the step fails although the card was charged.
//!
//! The test runner does what Lambda does: it checkpoints each operation,
//! and after each retry and wait it invokes your function again, which
//! replays from the start. It skips the time waits and retry delays last
//! (its history keeps the times they would have taken), and your function's
//! clock jumps with it. time.sleep is recorded and returns at once. Your
//! function gets the pretend shop of tests/shop.py, which records each call.
//!
//! The runs happen once, at the first check; each check reads its part.

use harness::check::display_path;
use harness::check::find_exercise;
use harness::check::report::{Failure, Kind};
use harness::exercise::Exercise;
use harness::pyenv::{EnvState, PythonEnv, SETUP_COMMAND};
use harness::{Value, json};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The operations of one execution, in order: (type, name).
const OPERATIONS: [(&str, &str); 5] = [
    ("STEP", "accept-order"),
    ("STEP", "reserve-stock"),
    ("STEP", "charge-card"),
    ("WAIT", "cooling-off"),
    ("STEP", "send-confirmation"),
];

/// The cooling-off wait, in seconds.
const COOLING_OFF: f64 = 30.0 * 60.0;

/// How long the driver may take: each situation takes well under a second.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Real seconds a situation may take: the waits and delays are skipped.
const REAL_SECONDS: f64 = 20.0;

struct Runs {
    exercise: Exercise,
    report: Value,
}

/// Run the driver once for all the checks.
fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    let runs = RUNS.get_or_init(|| {
        let exercise = find_exercise();
        let report = drive(&exercise);
        Runs { exercise, report }
    });
    expect_it_ran(runs);
    runs
}

/// The managed environment's interpreter, or a setup verdict.
fn interpreter(exercise: &Exercise) -> PathBuf {
    let version = match harness::python::embedded_version() {
        Ok(version) => version,
        Err(error) => {
            Failure::new(Kind::Setup, "Python can run your function", Some(exercise)).line(error.to_string()).fail()
        }
    };
    let why = match PythonEnv::here_state(version) {
        EnvState::Ready { .. } => return PythonEnv::here().interpreter(),
        EnvState::Missing => "is not set up yet".to_string(),
        EnvState::Stale(why) => format!("is out of date ({why})"),
    };
    Failure::new(Kind::Setup, "the workshop's Python environment is set up", Some(exercise))
        .line(format!(
            "Your function runs under AWS's durable execution SDK, and the workshop's Python environment {why}."
        ))
        .line(format!("Run `{SETUP_COMMAND}` in the workshop's folder once, then run these checks again."))
        .fail()
}

fn drive(exercise: &Exercise) -> Value {
    let python = interpreter(exercise);
    let driver = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/durable_driver.py");
    let task = exercise.handler_path();
    if !task.is_file() {
        Failure::new(Kind::Setup, "your file is there", Some(exercise))
            .line(format!("There is no file at {}.", task.display()))
            .line("If you renamed or moved it, move it back; to start over, restore it with")
            .line(format!("    git checkout -- {}", display_path(&task)))
            .fail();
    }
    let mut child = Command::new(&python)
        .arg("-B")
        .arg(&driver)
        .arg(&task)
        .arg(&exercise.function)
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            Failure::new(Kind::Setup, "Python can run your function", Some(exercise))
                .line(format!("Could not start {}: {e}", python.display()))
                .line(format!("Run `{SETUP_COMMAND}` in the workshop's folder, then run these checks again."))
                .fail()
        });
    let out = read_all(child.stdout.take(), "driver-stdout");
    let err = read_all(child.stderr.take(), "driver-stderr");
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < TIME_LIMIT => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                Failure::new(Kind::HandlerError, "your function finishes", Some(exercise))
                    .line(format!(
                        "The three executions had not ended after {} s, and were stopped.",
                        TIME_LIMIT.as_secs()
                    ))
                    .line("The test runner skips waits and retry delays, so each takes well under a second:")
                    .line("is there a loop that never ends, or something that waits for real?")
                    .hint()
                    .fail()
            }
        }
    }
    let text = out.and_then(|t| t.join().ok()).unwrap_or_default();
    let errors = err.and_then(|t| t.join().ok()).unwrap_or_default();
    harness::serde_json::from_str(text.trim()).unwrap_or_else(|_| {
        Failure::new(Kind::LoadError, "your function can be run", Some(exercise))
            .line("The test driver ended without a report. What Python said:")
            .block("", last_lines(&format!("{text}\n{errors}"), 25).as_str())
            .fail()
    })
}

/// Read a pipe to its end on a thread of its own.
fn read_all(pipe: Option<impl Read + Send + 'static>, name: &str) -> Option<std::thread::JoinHandle<String>> {
    let mut pipe = pipe?;
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
        .ok()
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.trim().lines().collect();
    lines[lines.len().saturating_sub(count)..].join("\n")
}

/// The SDK imported, and your file loaded: else a verdict saying why not.
fn expect_it_ran(runs: &Runs) {
    let (exercise, report) = (&runs.exercise, &runs.report);
    if let Some(why) = report["setup"].as_str() {
        let python = report["python"].as_str().unwrap_or("?");
        let mut failure = Failure::new(Kind::Setup, "the durable execution SDK is installed", Some(exercise))
            .line(format!("The workshop's Python ({python}) could not load AWS's durable execution SDK: {why}."));
        // The SDK's oldest Python, from the manifest (`python = "3.11"`).
        let needs = exercise.min_python.filter(|&needs| version_of(python) < needs);
        failure = if let Some((major, minor)) = needs {
            failure
                .line(format!(
                    "The SDK needs Python {major}.{minor} or newer, so `{SETUP_COMMAND}` leaves it out for Python {python}."
                ))
                .line("The other exercises work as they are. For this one, build the workshop with a newer Python")
                .line("(the README's Requirements say how: PYO3_PYTHON=/path/to/python3.12), run")
                .line(format!("`{SETUP_COMMAND}` again, then these checks."))
        } else {
            failure.line(format!("Run `{SETUP_COMMAND}` in the workshop's folder, then run these checks again."))
        };
        failure.fail()
    }
    if let Some(trace) = report["load_error"].as_str() {
        Failure::new(Kind::LoadError, "your file loads", Some(exercise))
            .line("Python could not load your file (or find its lambda_handler):")
            .block("", &last_lines(trace, 12))
            .line("Fix the line the traceback's last lines point at, then run the checks again.")
            .fail()
    }
}

/// `"3.10.12"` as (3, 10).
fn version_of(version: &str) -> (u32, u32) {
    let mut parts = version.split('.').map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// One situation's report, which must have ended as `status`.
fn situation(name: &str, check: &str, status: &str) -> &'static Value {
    let runs = runs();
    let report = &runs.report["situations"][name];
    let got = report["status"].as_str().unwrap_or("?");
    if got != status {
        let mut failure = Failure::new(Kind::HandlerError, check, Some(&runs.exercise))
            .line(format!("In the \"{name}\" run ({}), the execution ended {got}, not {status}.", describe(name)));
        if let Some(error) = report["error"].as_object() {
            failure = failure.line(format!(
                "Its error: {}: {}",
                error.get("type").and_then(Value::as_str).unwrap_or("?"),
                error.get("message").and_then(Value::as_str).unwrap_or("")
            ));
        }
        if let Some(trace) = report["runner_error"].as_str() {
            failure = failure.block("The test runner stopped with:", &last_lines(trace, 12));
        }
        let log = report["log"].as_str().unwrap_or("");
        if !log.trim().is_empty() {
            failure = failure.block("The SDK's log, last lines:", &last_lines(log, 12));
        }
        failure.line(steps_taken(report)).hint().fail()
    }
    report
}

fn describe(name: &str) -> &'static str {
    match name {
        "busy" => "the card service is busy twice, then charges the card",
        "busy-thrice" => "the card service is busy three times running",
        _ => "the card service charges the card, but its answer is lost on the way back",
    }
}

fn operations(report: &Value) -> &[Value] {
    report["operations"].as_array().map(Vec::as_slice).unwrap_or_default()
}

fn operation<'a>(report: &'a Value, name: &str) -> Option<&'a Value> {
    operations(report).iter().find(|op| op["name"] == name)
}

/// "Operations checkpointed: ...", for a report.
fn steps_taken(report: &Value) -> String {
    let taken: Vec<String> = operations(report)
        .iter()
        .map(|op| {
            format!(
                "{} \"{}\" {}",
                op["type"].as_str().unwrap_or("?"),
                op["name"].as_str().unwrap_or(""),
                op["status"].as_str().unwrap_or("")
            )
        })
        .collect();
    if taken.is_empty() {
        "No operation was checkpointed.".into()
    } else {
        format!("Operations checkpointed: {}.", taken.join(", "))
    }
}

fn calls<'a>(report: &'a Value, service: &str) -> Vec<&'a Value> {
    report["calls"].as_array().into_iter().flatten().filter(|c| c["call"] == service).collect()
}

fn fail(check: &str, lines: &[String], hint: &str) -> ! {
    let runs = runs();
    let mut failure = Failure::new(Kind::Assertion, check, Some(&runs.exercise));
    for line in lines {
        failure = failure.line(line);
    }
    failure.with_hint(hint).hint().fail()
}

#[test]
fn the_order_goes_through_its_operations_in_order() {
    let check = "the order goes through accept-order, reserve-stock, charge-card, the wait cooling-off and send-confirmation, in that order";
    let report = situation("busy", check, "SUCCEEDED");
    let got: Vec<(String, String)> = operations(report)
        .iter()
        .map(|op| (op["type"].as_str().unwrap_or("").to_string(), op["name"].as_str().unwrap_or("").to_string()))
        .collect();
    let expected: Vec<(String, String)> = OPERATIONS.iter().map(|(t, n)| (t.to_string(), n.to_string())).collect();
    if got != expected {
        let show = |ops: &[(String, String)]| {
            if ops.is_empty() {
                "(none)".to_string()
            } else {
                ops.iter().map(|(t, n)| format!("{t} \"{n}\"")).collect::<Vec<_>>().join(", ")
            }
        };
        fail(
            check,
            &[
                "Each durable operation is checkpointed under its name, in the order the function reaches it.".into(),
                format!("Expected: {}", show(&expected)),
                format!("Got:      {}", show(&got)),
                "Only what runs through context.step or context.wait is checkpointed; anything else is plain code run again on each replay.".into(),
            ],
            "Give each operation its name: context.step(func, name=\"reserve-stock\"), context.wait(Duration.from_minutes(30), name=\"cooling-off\").",
        );
    }
}

#[test]
fn the_cooling_off_is_a_durable_wait_of_30_minutes_that_takes_no_real_time() {
    let check = "the cooling-off is a durable wait (context.wait) of 30 minutes, with no time.sleep";
    let report = situation("busy", check, "SUCCEEDED");
    let sleeps = report["sleeps"].as_array().cloned().unwrap_or_default();
    if !sleeps.is_empty() {
        fail(
            check,
            &[
                format!("Your function called time.sleep({}).", sleeps.iter().map(Value::to_string).collect::<Vec<_>>().join("), time.sleep(")),
                "On Lambda, time.sleep keeps the function running, and billed, for the whole time; and an invocation".into(),
                "cannot last more than 15 minutes, so a 30-minute sleep ends in a timeout. (The checks skipped the sleep.)".into(),
                "context.wait checkpoints the wait and ends the invocation: nothing runs, and nothing is billed, until".into(),
                "Lambda invokes the function again when the time is up.".into(),
            ],
            "context.wait(Duration.from_minutes(30), name=\"cooling-off\"), with Duration from aws_durable_execution_sdk_python.config.",
        );
    }
    let Some(wait) = operation(report, "cooling-off").filter(|op| op["type"] == "WAIT") else {
        fail(
            check,
            &["No wait named \"cooling-off\" was checkpointed.".into(), steps_taken(report)],
            "context.wait(Duration.from_minutes(30), name=\"cooling-off\").",
        )
    };
    let seconds = wait["wait_seconds"].as_f64().unwrap_or(-1.0);
    if (seconds - COOLING_OFF).abs() > 0.5 {
        fail(
            check,
            &[format!("The wait \"cooling-off\" lasts {seconds} s; 30 minutes is {COOLING_OFF} s.")],
            "Duration.from_minutes(30), or Duration.from_seconds(1800): a Duration counts whole seconds.",
        );
    }
    let wall = report["wall_seconds"].as_f64().unwrap_or(0.0);
    if wall > REAL_SECONDS {
        fail(
            check,
            &[format!(
                "The execution took {wall} s of real time; the test runner skips waits, so it should take about a second."
            )],
            "Wait only with context.wait: nothing else should make the function wait.",
        );
    }
}

#[test]
fn a_busy_card_service_is_retried_3_times_2_then_4_seconds_apart() {
    let check = "the charge is retried while the card service is busy: 3 attempts in all, 2 s then 4 s apart";
    let report = situation("busy", check, "SUCCEEDED");
    let attempts = calls(report, "charge_card").len();
    let Some(charge) = operation(report, "charge-card") else {
        fail(
            check,
            &["No step named \"charge-card\" was checkpointed.".into(), steps_taken(report)],
            "context.step(charge, name=\"charge-card\", config=StepConfig(retry_strategy=...)).",
        )
    };
    let attempt = charge["attempt"].as_u64().unwrap_or(0);
    let seconds = charge["seconds"].as_f64().unwrap_or(0.0);
    if attempt != 3 || attempts != 3 || !(5.5..=7.5).contains(&seconds) {
        fail(
            check,
            &[
                "The card service was busy on the first two calls, then charged the card.".into(),
                "Expected: attempt 3 succeeded, 2 s after the first failure and 4 s after the second (6 s in all).".into(),
                format!("Got:      charge_card called {attempts} times, the step's last attempt {attempt}, {seconds} s from the first attempt to the last."),
                "Without a retry strategy of your own, the SDK's default retries up to 6 times with random (jittered) delays.".into(),
            ],
            "StepConfig(retry_strategy=create_retry_strategy(RetryStrategyConfig(max_attempts=3, initial_delay=Duration.from_seconds(2), backoff_rate=2, jitter_strategy=JitterStrategy.NONE))).",
        );
    }
    let check_thrice = "the charge gives up after 3 attempts when the card service stays busy, and confirms nothing";
    let report = &runs().report["situations"]["busy-thrice"];
    let status = report["status"].as_str().unwrap_or("?");
    let attempts = calls(report, "charge_card").len();
    let confirmations = calls(report, "send_confirmation").len();
    if status != "FAILED" || attempts != 3 || confirmations != 0 {
        fail(
            check_thrice,
            &[
                "The card service was busy three times running (it would have charged the card at the fourth call).".into(),
                "Expected: 3 calls to charge_card, then the execution FAILED with the step's error, and no confirmation.".into(),
                format!(
                    "Got:      {}, then the execution {status}, and {}.",
                    times(attempts, "call to charge_card", "calls to charge_card"),
                    times(confirmations, "confirmation e-mail", "confirmation e-mails")
                ),
                steps_taken(report),
            ],
            "max_attempts counts every attempt, the first one too: max_attempts=3 is the first call and two retries.",
        );
    }
}

/// "1 call", "3 calls".
fn times(count: usize, one: &str, many: &str) -> String {
    if count == 1 { format!("1 {one}") } else { format!("{count} {many}") }
}

#[test]
fn each_piece_of_work_is_done_once_however_often_the_function_is_replayed() {
    let check = "the stock is reserved once and one confirmation is sent, though the function is invoked again after each retry and wait";
    let report = situation("busy", check, "SUCCEEDED");
    let invocations = report["invocations"].as_u64().unwrap_or(0);
    let reserved = calls(report, "reserve_stock").len();
    let confirmed = calls(report, "send_confirmation").len();
    if reserved != 1 || confirmed != 1 {
        fail(
            check,
            &[
                format!("Your function was invoked {invocations} times for this one order: once at the start, and again after each"),
                "retry delay and after the wait, each time running from the top and replaying the checkpointed steps.".into(),
                "Expected: reserve_stock called once, send_confirmation called once.".into(),
                format!(
                    "Got:      reserve_stock called {}, send_confirmation called {}.",
                    times(reserved, "time", "times"),
                    times(confirmed, "time", "times")
                ),
                "Code outside a step runs again on every replay; a step that has completed returns its checkpointed result instead.".into(),
            ],
            "Put each call to the shop in its own step: context.step(lambda _: shop.reserve_stock(order_id, event[\"items\"]), name=\"reserve-stock\").",
        );
    }
}

#[test]
fn a_replay_after_a_lost_answer_charges_the_card_once() {
    let check = "after the card service's answer is lost, the retried charge uses the same idempotency key, so the card is charged once";
    let report = situation("lost-answer", check, "SUCCEEDED");
    let attempts = calls(report, "charge_card");
    let keys: Vec<String> = attempts.iter().map(|c| c["idempotency_key"].to_string()).collect();
    let charges = report["charges"].as_u64().unwrap_or(0);
    if attempts.len() != 2 || charges != 1 {
        fail(
            check,
            &[
                "The card service charged the card on the first call, but its answer was lost, so the step failed".into(),
                "and was retried in a new invocation of your function.".into(),
                "Expected: 2 calls to charge_card with the same idempotency key, so the card service charges once.".into(),
                format!("Got:      {} calls, with the keys {}; the card was charged {charges} times.", attempts.len(), keys.join(", ")),
                "A key made with uuid4() or the clock, inside the step or outside any step, is new on every attempt and every replay.".into(),
            ],
            "Make the key from what stays the same for this order: idempotency_key=f\"charge-{order_id}\".",
        );
    }
}

#[test]
fn the_order_is_accepted_once_at_the_time_it_arrived() {
    let check = "accepted_at is read once, in the step \"accept-order\": the replays, later, keep the first value";
    let report = situation("busy", check, "SUCCEEDED");
    let result = &report["result"];
    let accepted = &result["accepted_at"];
    let confirmed: Vec<&Value> = calls(report, "send_confirmation").iter().map(|c| &c["accepted_at"]).collect();
    let offset = report["accepted_offset_seconds"].as_f64();
    let step = operation(report, "accept-order");
    let fine = step.is_some_and(|op| op["type"] == "STEP")
        && offset.is_some_and(|s| s.abs() < 1.0)
        && confirmed.iter().all(|c| *c == accepted);
    if !fine {
        let after = offset.map_or("(not a time the checks could read)".to_string(), |s| {
            format!("{s:.1} s after the first invocation")
        });
        fail(
            check,
            &[
                "The order arrived at the first invocation. Every later invocation is a replay, and the one that sends".into(),
                "the confirmation comes after the retries and the 30-minute wait.".into(),
                format!("Your result's accepted_at: {accepted} ({after})."),
                format!("The confirmation's accepted_at: {}.", confirmed.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")),
                "A replay that reads the clock again gets a later time, and the same holds for random numbers and uuids:".into(),
                "read them in a step, and every replay gets the checkpointed value.".into(),
            ],
            "accepted_at = context.step(lambda _: datetime.now(timezone.utc).isoformat(), name=\"accept-order\"), as the first operation.",
        );
    }
}

#[test]
fn the_result_names_the_order_its_reservation_and_its_payment() {
    let check = "the result names the order, its status, and the reservation and payment the shop answered";
    let report = situation("busy", check, "SUCCEEDED");
    let result = &report["result"];
    let expected = json!({
        "order_id": "o-1001",
        "status": "confirmed",
        "reservation_id": "r-o-1001-1",
        "payment_id": "p-o-1001-1",
        "accepted_at": if result["accepted_at"].is_string() { result["accepted_at"].clone() } else { json!("<an ISO 8601 time>") },
    });
    if *result != expected {
        fail(
            check,
            &[
                format!("Expected: {expected}"),
                format!("Got:      {result}"),
                "The ids are the ones reserve_stock and charge_card answered (the step results, from the checkpoints on replay).".into(),
            ],
            "Return {\"order_id\": order_id, \"status\": \"confirmed\", \"reservation_id\": reservation_id, \"payment_id\": payment_id, \"accepted_at\": accepted_at}.",
        );
    }
}
