//! The virtual clock: time-budget tests that are exact and instant.

mod common;

use harness::Clock;
use serde_json::json;
use std::time::{Duration, Instant};

const START_MS: u64 = 1_795_780_800_000; // 2026-11-27T12:00:00Z

fn on_virtual_clock(source: &str, timeout_s: u64) -> harness::Function {
    common::configured(source, "handler", |c| {
        c.clock = Clock::Virtual { start_ms: START_MS };
        c.timeout = Duration::from_secs(timeout_s);
    })
}

#[test]
fn sleeping_moves_the_clock_instantly_and_exactly() {
    let f = on_virtual_clock(
        "import time\ndef handler(e, c):\n    t0, m0, r0 = time.time(), time.monotonic(), c.get_remaining_time_in_millis()\n    time.sleep(2.5)\n    return [t0, time.time(), time.monotonic() - m0, r0, c.get_remaining_time_in_millis()]\n",
        10,
    );
    let started = Instant::now();
    let call = f.invoke(&json!({}));
    assert!(started.elapsed() < Duration::from_millis(500), "no real sleeping: {:?}", started.elapsed());
    let r = call.result().unwrap();
    assert_eq!(r[0], json!(START_MS as f64 / 1000.0));
    assert_eq!(r[1], json!(START_MS as f64 / 1000.0 + 2.5));
    assert_eq!(r[2], json!(2.5));
    assert_eq!((r[3].as_i64(), r[4].as_i64()), (Some(10_000), Some(7_500)));
    assert_eq!(call.report.duration_ms, 2500.0);
    assert!(call.logs.last().unwrap().contains("\tDuration: 2500.00 ms\t"));
}

#[test]
fn a_sleep_past_the_deadline_times_out_at_once() {
    let f = on_virtual_clock("import time\ndef handler(e, c):\n    print('working')\n    time.sleep(60)\n", 3);
    let started = Instant::now();
    let call = f.invoke(&json!({}));
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(call.error().unwrap().error_type, "Sandbox.Timedout");
    assert_eq!(call.function_logs()[0], "working");
    assert_eq!(call.report.duration_ms, 3000.0);
    let line = format!("2026-11-27T12:00:03.000Z {} Task timed out after 3.00 seconds", call.request_id);
    assert!(call.logs.contains(&line), "{:?}", call.logs);
    // The clock stopped at the deadline, and the next invoke is a cold start.
    assert_eq!(f.clock_now_ms(), Some(START_MS + 3000));
    assert!(f.invoke(&json!({"quick": 1})).cold_start());
}

#[test]
fn the_test_moves_the_clock_between_invocations_and_it_outlives_environments() {
    let f = on_virtual_clock("import time\ndef handler(e, c):\n    return time.time()\n", 3);
    assert_eq!(f.invoke(&json!({})).result(), Some(json!(1_795_780_800.0)));
    assert!(f.advance_clock(Duration::from_secs(60)));
    assert_eq!(f.invoke(&json!({})).result(), Some(json!(1_795_780_860.0)));
    f.reset();
    assert_eq!(f.invoke(&json!({})).result(), Some(json!(1_795_780_860.0)));
    assert_eq!(f.clock_now_ms(), Some(START_MS + 60_000));
}

#[test]
fn log_timestamps_follow_the_virtual_clock() {
    let f = on_virtual_clock(
        "import logging, time\ndef handler(e, c):\n    time.sleep(1.5)\n    logging.warning('late')\n",
        3,
    );
    let call = f.invoke(&json!({}));
    let line = call.function_logs()[0].to_string();
    assert!(line.starts_with("[WARNING]\t2026-11-27T12:00:01.500Z\t"), "{line}");
}

#[test]
fn functions_on_the_real_clock_are_not_affected() {
    let real = common::function("import time\ndef handler(e, c):\n    return time.time()\n", "handler");
    let virtual_one =
        on_virtual_clock("import time\ndef handler(e, c):\n    time.sleep(5)\n    return time.time()\n", 10);
    virtual_one.invoke(&json!({}));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    let seen = real.invoke(&json!({})).result().unwrap().as_f64().unwrap();
    assert!((seen - now).abs() < 5.0, "real clock: {seen} vs {now}");
    assert!(!real.advance_clock(Duration::from_secs(1)));
    assert_eq!(real.clock_now_ms(), None);
}
