//! The hardest timeout: a handler spinning inside C code that never lets go
//! of Python's lock (`sum` over a huge range). The invocation must still end,
//! as Sandbox.Timedout, and later invocations must fail at once with an
//! explanation instead of hanging. Alone in its test binary: after this, no
//! Python can run in the process.

mod common;

use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn a_handler_stuck_in_c_code_ends_and_later_invokes_explain() {
    let f = common::configured("def handler(event, context):\n    return sum(range(10**13))\n", "handler", |c| {
        c.timeout = Duration::from_secs(1)
    });
    let started = Instant::now();
    let call = f.invoke(&json!({}));
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    assert_eq!(call.error().unwrap().error_type, "Sandbox.Timedout");

    let started = Instant::now();
    let other = common::function("def handler(e, c):\n    return 1\n", "handler");
    let next = other.invoke(&json!({}));
    assert!(started.elapsed() < Duration::from_millis(500));
    let error = next.error().unwrap();
    assert_eq!(error.error_type, "Harness.Unavailable");
    assert!(error.error_message.contains("still stuck"), "{}", error.error_message);
}
