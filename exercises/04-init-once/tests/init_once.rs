//! Exercise 04: init once. Each test invokes your handler.py one or more
//! times, in warm environments and in fresh ones, and checks the answers and
//! WHEN the table of rates was built, by looking for the line "Loaded 30 rates"
//! in each invocation's log: before the START line, it was printed while Lambda
//! imported your module (init); after START, while the handler ran.

use harness::check::{Call, Lab};
use harness::{ErrorSource, Value, json};

/// The line load_rates() prints each time it builds the table.
const LOADED: &str = "Loaded 30 rates";
const DURING_INIT: &str = "during init (before START)";
const DURING_INVOCATION: &str = "during the invocation (after START)";

/// When "Loaded 30 rates" was printed in this invocation's log, once per
/// time it appears: `[]` when the table was not built at all.
fn table_builds(call: &Call) -> Value {
    let mut started = false;
    let mut builds = Vec::new();
    for line in &call.invocation.logs {
        if line.starts_with("START RequestId: ") {
            started = true;
        } else if line.trim_end() == LOADED {
            builds.push(json!(if started { DURING_INVOCATION } else { DURING_INIT }));
        }
    }
    Value::Array(builds)
}

/// When Lambda could not import the module at all, say that (with the
/// harness's own explanation) rather than anything about cold or warm.
fn expect_no_init_error(call: &Call, check: &str) {
    if call.invocation.error().is_some_and(|error| error.source == ErrorSource::Init) {
        call.result_for(check);
    }
}

/// The invocation started a new environment, and its REPORT line says how
/// long the init phase took.
fn expect_cold(call: &Call, check: &str) {
    expect_no_init_error(call, check);
    call.expect(
        check,
        call.invocation.cold_start() && call.invocation.report.init_duration_ms.is_some(),
        "This invocation should have been a cold start, with an Init Duration on its REPORT line.",
    );
}

/// The invocation reused the environment: no init phase, no Init Duration.
fn expect_warm(call: &Call, check: &str) {
    expect_no_init_error(call, check);
    call.expect(
        check,
        !call.invocation.cold_start() && call.invocation.report.init_duration_ms.is_none(),
        "This invocation should have been a warm start, without an Init Duration on its REPORT line.",
    );
}

const WHEN: &str = "when \"Loaded 30 rates\" appears in this invocation's log";

#[test]
fn converts_euros_with_the_table() {
    let lab = Lab::exercise();
    lab.invoke(json!({"currency": "USD", "eur": 250})).expect_result(
        "converts 250 euros into dollars with the table's USD rate",
        json!({"currency": "USD", "rate": 1.0842, "amount": 271.05}),
    );
    lab.invoke(json!({"currency": "JPY", "eur": 19.99})).expect_result(
        "converts 19.99 euros into yen, rounded to two decimals",
        json!({"currency": "JPY", "rate": 162.37, "amount": 3245.78}),
    );
}

#[test]
fn refuses_a_currency_the_table_does_not_have() {
    let lab = Lab::exercise();
    lab.invoke(json!({"currency": "XAU", "eur": 1000})).expect_error(
        "a currency that is not in rates.json is refused with UnknownCurrency",
        "UnknownCurrency",
        Some("no rate for currency 'XAU'"),
    );
}

#[test]
fn builds_the_table_during_init() {
    let lab = Lab::exercise();
    let cold = lab.invoke(json!({"currency": "GBP", "eur": 12.5}));
    expect_cold(&cold, "the first invocation of a new environment is a cold start, with an Init Duration");
    cold.expect_value(
        "the table is built once, while Lambda imports the module: the line comes before START",
        WHEN,
        json!([DURING_INIT]),
        table_builds(&cold),
    );
    cold.expect_result(
        "the cold start answers from the table it just built",
        json!({"currency": "GBP", "rate": 0.8571, "amount": 10.71}),
    );
}

#[test]
fn warm_invocations_reuse_the_table() {
    let lab = Lab::exercise();
    lab.invoke(json!({"currency": "USD", "eur": 250}));
    let warm_calls = [
        (json!({"currency": "CHF", "eur": 100}), json!({"currency": "CHF", "rate": 0.9413, "amount": 94.13})),
        (json!({"currency": "ISK", "eur": 3.5}), json!({"currency": "ISK", "rate": 149.9, "amount": 524.65})),
        (json!({"currency": "USD", "eur": 250}), json!({"currency": "USD", "rate": 1.0842, "amount": 271.05})),
    ];
    for (round, (event, expected)) in warm_calls.into_iter().enumerate() {
        let warm = lab.invoke(event);
        let nth = ["second", "third", "fourth"][round];
        expect_warm(&warm, &format!("the {nth} invocation reuses the environment, so it has no Init Duration"));
        warm.expect_value(
            &format!(
                "the {nth} invocation, a warm start, uses the table already in memory and does not build it again"
            ),
            WHEN,
            json!([]),
            table_builds(&warm),
        );
        warm.expect_result(&format!("the {nth} invocation answers from the table"), expected);
    }
}

#[test]
fn a_new_environment_builds_its_own_table() {
    let lab = Lab::exercise();
    lab.invoke(json!({"currency": "USD", "eur": 250}));
    // Lambda throws environments away (idle, scaled in, replaced): the next
    // invocation then starts a fresh one and imports the module again.
    lab.cold_start();
    let fresh = lab.invoke(json!({"currency": "USD", "eur": 250}));
    expect_cold(&fresh, "after the old environment is thrown away, the next invocation is a cold start again");
    fresh.expect_value(
        "the new environment builds its own table, once, during its init",
        WHEN,
        json!([DURING_INIT]),
        table_builds(&fresh),
    );
}

#[test]
fn an_unknown_currency_does_not_rebuild_the_table() {
    let lab = Lab::exercise();
    lab.invoke(json!({"currency": "USD", "eur": 250}));
    let miss = lab.invoke(json!({"currency": "XAU", "eur": 1000}));
    miss.expect_error(
        "a currency the table does not have is refused with UnknownCurrency, also on a warm start",
        "UnknownCurrency",
        Some("no rate for currency 'XAU'"),
    );
    miss.expect_value(
        "a currency the table does not have is not a reason to read rates.json again",
        WHEN,
        json!([]),
        table_builds(&miss),
    );
    let after = lab.invoke(json!({"currency": "CAD", "eur": 40}));
    expect_warm(&after, "the environment survives the error: the next invocation is still warm");
    after.expect_value(
        "after the error, the next warm invocation still uses the same table",
        WHEN,
        json!([]),
        table_builds(&after),
    );
    after.expect_result(
        "after the error, the table still answers",
        json!({"currency": "CAD", "rate": 1.4967, "amount": 59.87}),
    );
}
