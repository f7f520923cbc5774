//! Exercise 01: a first handler. Each test invokes your handler.py the way
//! Lambda would and checks one thing the task asks for.

use harness::check::Lab;
use harness::json;

#[test]
fn greets_the_name_in_the_event() {
    let lab = Lab::exercise();
    lab.invoke(json!({"name": "Ada"}))
        .expect_result("greets the name it finds in the event", json!({"statusCode": 200, "body": "Hello, Ada!"}));
}

#[test]
fn greets_the_world_when_the_event_has_no_name() {
    let lab = Lab::exercise();
    lab.invoke(json!({}))
        .expect_result("greets the world when there is no name", json!({"statusCode": 200, "body": "Hello, world!"}));
}

#[test]
fn logs_who_it_greets() {
    let lab = Lab::exercise();
    lab.invoke(json!({"name": "Grace"}))
        .expect_log_lines("writes exactly one log line, saying who it greets", &["Saying hello to Grace"]);
}

#[test]
fn answers_each_event_on_a_warm_start_too() {
    // One environment, two invocations: module-level state survives between
    // them, so a name kept in a global would leak into the second answer.
    let lab = Lab::exercise();
    lab.invoke(json!({"name": "Ada"}))
        .expect_result("greets Ada on the cold start", json!({"statusCode": 200, "body": "Hello, Ada!"}));
    let warm = lab.invoke(json!({"name": "Linus"}));
    warm.expect(
        "the second invocation reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    warm.expect_result("greets Linus on the warm start", json!({"statusCode": 200, "body": "Hello, Linus!"}));
}
