//! Exercise 11: working against the clock. Each test sends your handler.py a
//! list of work items and checks how many it does before it stops, and where
//! it says the next invocation should carry on.
//!
//! The function runs on the test's own clock (`Clock::Virtual`): a
//! `time.sleep(3)` moves that clock 3 seconds forward at once, and
//! `context.get_remaining_time_in_millis()` follows it. So a 20-second batch
//! takes no real time, and the time left before each item is exact. A sleep
//! that would reach the deadline ends the invocation as a timeout, as on
//! Lambda.

use harness::check::{Call, Lab};
use harness::{Clock, Value, json};
use std::time::Duration;

/// A function with a timeout of `timeout_s` seconds, on the test's clock.
fn function(timeout_s: u64) -> Lab {
    Lab::configured(|config| {
        config.timeout = Duration::from_secs(timeout_s);
        config.clock = Clock::virtual_default();
    })
}

/// Work items named "a", "b", "c"... taking these many seconds each.
fn items(seconds: &[f64]) -> Value {
    let list: Vec<Value> = seconds
        .iter()
        .enumerate()
        .map(|(at, s)| {
            let id = char::from(b'a' + (at % 26) as u8).to_string();
            // Whole seconds are written as whole numbers, 3 rather than 3.0.
            let seconds = if s.fract() == 0.0 { json!(*s as i64) } else { json!(s) };
            json!({"id": id, "seconds": seconds})
        })
        .collect();
    Value::Array(list)
}

/// The handler answered `expected`; a timeout fails the check with an
/// explanation instead of a bare error.
fn expect_answer(call: &Call, check: &str, expected: Value) {
    if let Some(error) = call.invocation.error()
        && error.error_type == "Sandbox.Timedout"
    {
        call.expect(
            check,
            false,
            &format!(
                "The function ran out of time: Lambda stopped it in the middle of an item, and the caller \
                     got no answer at all, only the error\n    {}: {}\n  \
                     Before starting an item, check that it fits: \
                     context.get_remaining_time_in_millis() - item[\"seconds\"] * 1000 must not be below \
                     safetyMarginMs.",
                error.error_type, error.error_message
            ),
        );
    }
    call.expect_result(check, expected);
}

/// The test's clock, in milliseconds since 1970.
fn clock(lab: &Lab) -> u64 {
    lab.function().clock_now_ms().unwrap_or(0)
}

/// The invocation moved the test's clock by exactly `expected_ms`: each item
/// done was slept for its full time, and nothing else was.
fn expect_time_spent(call: &Call, check: &str, expected_ms: u64, moved_ms: u64) {
    call.expect_value(
        check,
        "the time the handler spent, on the test's clock, in milliseconds",
        json!(expected_ms),
        json!(moved_ms),
    );
}

#[test]
fn does_every_item_of_a_batch_that_fits() {
    // 10 s timeout, margin 2 s: before each item 10000, 8500, 6500 ms are left.
    let lab = function(10);
    let started = clock(&lab);
    let call = lab.invoke(json!({"items": items(&[1.5, 2.0, 1.0]), "startIndex": 0, "safetyMarginMs": 2000}));
    expect_answer(
        &call,
        "does all three items when they fit in the time, and says the next index is 3, the end of the list",
        json!({"processed": 3, "nextIndex": 3}),
    );
    expect_time_spent(
        &call,
        "works on each item for its full time (time.sleep), 4.5 s in all",
        4500,
        clock(&lab) - started,
    );
}

#[test]
fn a_batch_without_a_start_index_starts_at_the_first_item() {
    let lab = function(10);
    let call = lab.invoke(json!({"items": items(&[1.0, 1.0]), "safetyMarginMs": 2000}));
    expect_answer(&call, "starts at item 0 when the event has no startIndex", json!({"processed": 2, "nextIndex": 2}));
}

#[test]
fn stops_before_an_item_that_would_cut_into_the_margin() {
    // Left before each item: 10000, 7000, then 4000; 4000 - 3000 = 1000 < 2000.
    let lab = function(10);
    let started = clock(&lab);
    let call = lab.invoke(json!({"items": items(&[3.0, 3.0, 3.0, 3.0]), "startIndex": 0, "safetyMarginMs": 2000}));
    expect_answer(
        &call,
        "does items 0 and 1, then stops before item 2, which would leave only 1000 ms of the 2000 ms margin",
        json!({"processed": 2, "nextIndex": 2}),
    );
    expect_time_spent(
        &call,
        "does not start item 2: the invocation took the 6 s of items 0 and 1",
        6000,
        clock(&lab) - started,
    );
}

#[test]
fn continues_from_the_start_index() {
    let lab = function(10);
    let started = clock(&lab);
    let call = lab.invoke(json!({"items": items(&[3.0, 3.0, 3.0, 3.0]), "startIndex": 2, "safetyMarginMs": 2000}));
    expect_answer(
        &call,
        "with startIndex 2, does items 2 and 3 only: processed counts this invocation's items, nextIndex is the end",
        json!({"processed": 2, "nextIndex": 4}),
    );
    expect_time_spent(
        &call,
        "skips the items before startIndex: the invocation took the 6 s of items 2 and 3",
        6000,
        clock(&lab) - started,
    );
}

#[test]
fn a_second_invocation_finishes_what_the_first_left() {
    // Five items of 2.5 s: left before each, 10000, 7500, 5000, then 2500,
    // and 2500 - 2500 = 0 < 2000. A minute later, the next invocation is sent
    // the same items with the nextIndex of the first answer.
    let lab = function(10);
    let batch = items(&[2.5, 2.5, 2.5, 2.5, 2.5]);
    let first = lab.invoke(json!({"items": batch, "safetyMarginMs": 2000}));
    expect_answer(
        &first,
        "the first invocation does items 0, 1 and 2 and says to carry on at 3",
        json!({"processed": 3, "nextIndex": 3}),
    );
    lab.function().advance_clock(Duration::from_secs(60));
    let second = lab.invoke(json!({"items": batch, "startIndex": 3, "safetyMarginMs": 2000}));
    second.expect(
        "the second invocation reuses the environment",
        !second.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    expect_answer(
        &second,
        "the next invocation, a minute later with startIndex 3, has its own full 10 s: it does items 3 and 4 and finishes",
        json!({"processed": 2, "nextIndex": 5}),
    );
}

#[test]
fn may_start_an_item_that_leaves_exactly_the_margin() {
    // Left before item 1: 6000; 6000 - 4000 = 2000, exactly the margin: allowed.
    let lab = function(10);
    let call = lab.invoke(json!({"items": items(&[4.0, 4.0, 1.0]), "startIndex": 0, "safetyMarginMs": 2000}));
    expect_answer(
        &call,
        "starts an item that leaves exactly the margin (6000 - 4000 = 2000, not below 2000), then stops",
        json!({"processed": 2, "nextIndex": 2}),
    );
}

#[test]
fn stops_when_an_item_would_leave_one_millisecond_too_little() {
    // The same items with a margin of 2001 ms: 6000 - 4000 = 2000 < 2001.
    let lab = function(10);
    let call = lab.invoke(json!({"items": items(&[4.0, 4.0, 1.0]), "startIndex": 0, "safetyMarginMs": 2001}));
    expect_answer(
        &call,
        "stops before an item that would leave one millisecond less than the margin (2000 < 2001)",
        json!({"processed": 1, "nextIndex": 1}),
    );
}

#[test]
fn does_not_start_an_item_longer_than_the_time_there_is() {
    // 12 s does not fit in a 10 s timeout at all. Item 1 would fit, but the
    // items are done in order: stopping means stopping.
    let lab = function(10);
    let started = clock(&lab);
    let call = lab.invoke(json!({"items": items(&[12.0, 1.0]), "startIndex": 0, "safetyMarginMs": 2000}));
    expect_answer(
        &call,
        "does not start a 12 s item in a 10 s invocation, nor skip it for a later one: nothing done, carry on at 0",
        json!({"processed": 0, "nextIndex": 0}),
    );
    expect_time_spent(&call, "returns at once when the first item does not fit", 0, clock(&lab) - started);
}

#[test]
fn a_finished_list_has_nothing_left_to_do() {
    let lab = function(10);
    let call = lab.invoke(json!({"items": items(&[1.0, 1.0]), "startIndex": 2, "safetyMarginMs": 2000}));
    expect_answer(
        &call,
        "when startIndex is already the end of the list, does nothing and says so: processed 0, nextIndex 2",
        json!({"processed": 0, "nextIndex": 2}),
    );
}

#[test]
fn never_runs_out_of_time_on_a_long_batch() {
    // Eight items of 2 s in a 15 s timeout, margin 2500 ms: before item 5,
    // 5000 ms are left (5000 - 2000 = 3000, fine); before item 6, 3000
    // (3000 - 2000 = 1000 < 2500).
    let lab = function(15);
    let call = lab.invoke(json!({"items": items(&[2.0; 8]), "startIndex": 0, "safetyMarginMs": 2500}));
    expect_answer(
        &call,
        "with a 15 s timeout, does 6 of 8 two-second items and returns in time, 3 s before the deadline",
        json!({"processed": 6, "nextIndex": 6}),
    );
}
