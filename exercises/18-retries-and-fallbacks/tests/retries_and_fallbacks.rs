//! Exercise 18: retries and fallbacks. Each test runs your machine.json over
//! your two handlers, as Step Functions would, and checks one thing: the
//! output, how often ChargeCard was called, how long each retry waited, or
//! where an error went. Retry waits run on a virtual clock: no real waiting.
//! Each test makes its functions afresh, so ChargeCard's ATTEMPTS start empty.

use harness::{Value, json};
use step_functions::check::Workflow;

/// A card that meets the flaky gateway: two timeouts, then a charge.
fn flaky_gateway_order() -> Value {
    json!({"orderId": "o-2001", "cardNumber": "4242424242424242", "amountCents": 2675})
}

/// A card that is declined.
fn declined_card_order() -> Value {
    json!({"orderId": "o-2002", "cardNumber": "4000000000000000", "amountCents": 1299})
}

/// A card that meets a gateway that never answers.
fn gateway_down_order() -> Value {
    json!({"orderId": "o-2009", "cardNumber": "4000000000009999", "amountCents": 500})
}

/// `value[key]`, or null when it is not there.
fn field(value: &Value, key: &str) -> Value {
    value.get(key).cloned().unwrap_or(Value::Null)
}

#[test]
fn a_flaky_gateway_is_retried_until_the_card_is_charged() {
    let workflow = Workflow::exercise();
    workflow.run(flaky_gateway_order()).expect_output(
        "after two timeouts the card is charged, and the output is the order with the charge under \"payment\"",
        json!({"orderId": "o-2001", "cardNumber": "4242424242424242", "amountCents": 2675,
               "payment": {"chargeId": "ch-o-2001", "amountCents": 2675, "attempt": 3}}),
    );
}

#[test]
fn retries_wait_two_seconds_then_four() {
    let workflow = Workflow::exercise();
    let run = workflow.run(flaky_gateway_order());
    run.succeeded_output("the flaky gateway's order is charged in the end");
    run.expect_value(
        "ChargeCard is called three times: the first attempt and two retries",
        "the calls of ChargeCard",
        json!(3),
        json!(run.calls_of("ChargeCard")),
    );
    run.expect_value(
        "the retries wait 2 seconds, then 4 (IntervalSeconds 2, BackoffRate 2)",
        "the seconds waited before each retry",
        json!([2.0, 4.0]),
        json!(run.retry_waits()),
    );
    run.expect_value(
        "retries happen inside the Charge state: it is entered once",
        "the states entered",
        json!(["Charge"]),
        json!(run.states_entered()),
    );
}

#[test]
fn a_gateway_that_stays_down_fails_the_execution_after_three_retries() {
    let workflow = Workflow::exercise();
    let run = workflow.run(gateway_down_order());
    run.expect_failure(
        "when the gateway still times out after the third retry, the execution fails with PaymentGatewayTimeout",
        "PaymentGatewayTimeout",
    );
    run.expect_value(
        "ChargeCard is called four times: the first attempt and three retries (MaxAttempts 3)",
        "the calls of ChargeCard",
        json!(4),
        json!(run.calls_of("ChargeCard")),
    );
    run.expect_value(
        "the three retries wait 2, 4 and 8 seconds",
        "the seconds waited before each retry",
        json!([2.0, 4.0, 8.0]),
        json!(run.retry_waits()),
    );
    run.expect(
        "a gateway that is down is not caught: NotifyCustomer is not called",
        run.calls_of("NotifyCustomer") == 0,
        "NotifyCustomer was called for a gateway timeout. Only CardDeclined goes to the fallback; \
         a gateway that stays down should fail the execution, for a person to look at.",
    );
}

#[test]
fn a_declined_card_is_not_retried_and_goes_to_notify_customer() {
    let workflow = Workflow::exercise();
    let run = workflow.run(declined_card_order());
    run.expect_value(
        "a declined card goes from Charge to NotifyCustomer",
        "the states entered",
        json!(["Charge", "NotifyCustomer"]),
        json!(run.states_entered()),
    );
    run.expect_value(
        "a declined card is not retried: ChargeCard is called once, NotifyCustomer once",
        "the calls of ChargeCard and NotifyCustomer",
        json!({"ChargeCard": 1, "NotifyCustomer": 1}),
        json!({"ChargeCard": run.calls_of("ChargeCard"), "NotifyCustomer": run.calls_of("NotifyCustomer")}),
    );
    run.expect_value(
        "nothing waits for a retry on a declined card",
        "the seconds waited before each retry",
        json!([]),
        json!(run.retry_waits()),
    );
}

#[test]
fn a_declined_card_keeps_the_order_and_puts_the_error_under_error() {
    let workflow = Workflow::exercise();
    let run = workflow.run(declined_card_order());
    let output = run.succeeded_output("a declined card is handled: the execution succeeds");
    let error = field(&output, "error");
    run.expect_value(
        "the output is the order, the caught error's name under \"error\", and NotifyCustomer's result under \"notification\"",
        "the output (leaving out error.Cause, checked next)",
        json!({"orderId": "o-2002", "cardNumber": "4000000000000000", "amountCents": 1299,
               "error": {"Error": "CardDeclined"},
               "notification": {"orderId": "o-2002", "reason": "CardDeclined"}}),
        json!({"orderId": field(&output, "orderId"), "cardNumber": field(&output, "cardNumber"),
               "amountCents": field(&output, "amountCents"),
               "error": {"Error": field(&error, "Error")},
               "notification": field(&output, "notification")}),
    );
    let cause = error
        .get("Cause")
        .and_then(Value::as_str)
        .and_then(|text| harness::serde_json::from_str::<Value>(text).ok())
        .unwrap_or(Value::Null);
    run.expect_value(
        "error.Cause is ChargeCard's error, as a JSON string, with the message from the task",
        "error.Cause, parsed as JSON: its errorType and errorMessage",
        json!({"errorType": "CardDeclined", "errorMessage": "the card ending in 0000 was declined"}),
        json!({"errorType": field(&cause, "errorType"), "errorMessage": field(&cause, "errorMessage")}),
    );
}

#[test]
fn each_order_gets_its_own_count_of_attempts() {
    let workflow = Workflow::exercise();
    // The same functions, still warm, charge a second order: its count starts at 1.
    workflow.run(flaky_gateway_order()).succeeded_output("the first order is charged");
    let run = workflow.run(json!({"orderId": "o-2003", "cardNumber": "5555555555554444", "amountCents": 800}));
    let output = run.succeeded_output("a second order, in the same warm functions, is charged too");
    run.expect_value(
        "the second order meets the flaky gateway too: it is charged on its own third attempt",
        "the calls of ChargeCard for the second order, and its payment",
        json!({"calls": 3, "payment": {"chargeId": "ch-o-2003", "amountCents": 800, "attempt": 3}}),
        json!({"calls": run.calls_of("ChargeCard"), "payment": field(&output, "payment")}),
    );
}

#[test]
fn a_gateway_that_stays_down_fails_with_the_message_from_the_task() {
    // The execution's cause is ChargeCard's last error as Lambda reports it.
    let workflow = Workflow::exercise();
    let run = workflow.run(gateway_down_order());
    run.expect_failure(
        "the gateway stays down: the execution fails with PaymentGatewayTimeout",
        "PaymentGatewayTimeout",
    );
    let cause = run.execution.cause.as_deref().and_then(|text| harness::serde_json::from_str::<Value>(text).ok());
    let cause = cause.unwrap_or(Value::Null);
    run.expect_value(
        "the execution's cause is ChargeCard's error, with the message from the task",
        "the execution's cause, parsed as JSON: its errorType and errorMessage",
        json!({"errorType": "PaymentGatewayTimeout", "errorMessage": "the payment gateway did not answer"}),
        json!({"errorType": field(&cause, "errorType"), "errorMessage": field(&cause, "errorMessage")}),
    );
}
