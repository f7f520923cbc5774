//! Exercise 10: invocation metadata. Each test configures a function the way
//! you would in the Lambda console (its name, memory and timeout), invokes
//! your handler.py, and checks one fact it reads from the context object.
//!
//! The function runs on the test's own clock (`Clock::Virtual`): time moves
//! only when the handler sleeps, so the time left is exact, never "about".

use harness::check::{Call, Lab};
use harness::{Clock, Value, json};
use std::time::Duration;

/// A function called `name`, with `memory_mb` of memory and a timeout of
/// `timeout_s` seconds, on the test's exact clock.
fn function(name: &str, memory_mb: u32, timeout_s: u64) -> Lab {
    let name = name.to_string();
    Lab::configured(move |config| {
        config.function_name = name;
        config.memory_mb = memory_mb;
        config.timeout = Duration::from_secs(timeout_s);
        config.clock = Clock::virtual_default();
    })
}

/// The member `key` of the handler's response, or null when it has none.
fn field(call: &Call, check: &str, key: &str) -> Value {
    call.result_for(check).get(key).cloned().unwrap_or(Value::Null)
}

#[test]
fn reports_the_request_id_of_this_invocation() {
    let check = "answers with the request id Lambda gave this invocation (context.aws_request_id)";
    let lab = function("thumbnail-maker", 256, 10);
    let call = lab.invoke(json!({}));
    call.expect_value(check, "requestId", json!(call.invocation.request_id), field(&call, check, "requestId"));
}

#[test]
fn gives_each_invocation_its_own_request_id() {
    // One environment, three invocations: module-level variables survive
    // between them, so an id remembered from the first call would come back.
    let lab = function("thumbnail-maker", 256, 10);
    let first = lab.invoke(json!({}));
    let check = "answers the first invocation with its own request id";
    first.expect_value(check, "requestId", json!(first.invocation.request_id), field(&first, check, "requestId"));
    for round in ["second", "third"] {
        let warm = lab.invoke(json!({}));
        warm.expect(
            &format!("the {round} invocation reuses the environment"),
            !warm.invocation.cold_start(),
            &format!("The {round} invocation should have been a warm start."),
        );
        let check = format!(
            "answers the {round} invocation, a warm start, with its own new request id, not one from an earlier call"
        );
        warm.expect_value(&check, "requestId", json!(warm.invocation.request_id), field(&warm, &check, "requestId"));
    }
}

#[test]
fn reports_the_function_name() {
    let check = "answers with the function's name, as configured (context.function_name)";
    let lab = function("thumbnail-maker", 256, 10);
    let call = lab.invoke(json!({}));
    call.expect_value(check, "functionName", json!("thumbnail-maker"), field(&call, check, "functionName"));
}

#[test]
fn reports_the_memory_as_a_number() {
    let check = "answers with the memory setting as the number 256, not the text \"256\" the context holds";
    let lab = function("thumbnail-maker", 256, 10);
    let call = lab.invoke(json!({}));
    call.expect_value(check, "memoryMb", json!(256), field(&call, check, "memoryMb"));
    call.expect_value(
        "writes the memory setting as a whole number: 256, not 256.0",
        "memoryMb exactly as the runtime wrote it into the response",
        json!("256"),
        call.written_text("memoryMb"),
    );
}

#[test]
fn reports_another_functions_name_and_memory() {
    // Nothing in the code may assume one particular configuration.
    let check = "answers with the name and memory of whichever function runs it (here report-builder, 1769 MB)";
    let lab = function("report-builder", 1769, 10);
    let call = lab.invoke(json!({}));
    let got = json!({
        "functionName": field(&call, check, "functionName"),
        "memoryMb": field(&call, check, "memoryMb"),
    });
    call.expect_value(
        check,
        "functionName and memoryMb",
        json!({"functionName": "report-builder", "memoryMb": 1769}),
        got,
    );
}

#[test]
fn reports_the_whole_timeout_when_there_is_no_work() {
    let check = "with no work to do, answers that the whole 10-second timeout is left: 10000 ms";
    let lab = function("thumbnail-maker", 256, 10);
    let call = lab.invoke(json!({}));
    call.expect_value(check, "remainingMs", json!(10_000), field(&call, check, "remainingMs"));
}

#[test]
fn reports_the_time_left_after_the_work() {
    let check = "reads the time left after 2.5 s of work, so 10000 - 2500 = 7500 ms are left";
    let lab = function("thumbnail-maker", 256, 10);
    let call = lab.invoke(json!({"workSeconds": 2.5}));
    call.expect_value(check, "remainingMs", json!(7_500), field(&call, check, "remainingMs"));
    call.expect_value(
        "writes the time left as whole milliseconds: 7500, not 7500.0 or 7.5",
        "remainingMs exactly as the runtime wrote it into the response",
        json!("7500"),
        call.written_text("remainingMs"),
    );
}

#[test]
fn reports_the_time_left_under_another_timeout() {
    let check = "with a 30-second timeout and 12 s of work, answers that 18000 ms are left";
    let lab = function("report-builder", 1769, 30);
    let call = lab.invoke(json!({"workSeconds": 12}));
    call.expect_value(check, "remainingMs", json!(18_000), field(&call, check, "remainingMs"));
}

#[test]
fn answers_with_exactly_the_four_fields() {
    let lab = function("thumbnail-maker", 256, 10);
    let call = lab.invoke(json!({"workSeconds": 0.5}));
    let expected = json!({
        "requestId": call.invocation.request_id,
        "functionName": "thumbnail-maker",
        "memoryMb": 256,
        "remainingMs": 9_500,
    });
    call.expect_result("answers with the four fields of the task and nothing else", expected);
}
