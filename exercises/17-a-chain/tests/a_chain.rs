//! Exercise 17: a chain of two functions. Each test runs your machine.json
//! over your two handlers, as Step Functions would, and checks one thing.

use harness::{Value, json};
use step_functions::check::Workflow;

fn order() -> Value {
    json!({"orderId": "o-1001", "items": [{"sku": "BOOK-1", "qty": 2}, {"sku": "PEN-3", "qty": 1}]})
}

#[test]
fn validates_then_prices_and_keeps_the_order() {
    let workflow = Workflow::exercise();
    workflow.run(order()).expect_output(
        "the output is the validated order with the price under \"price\"",
        json!({"orderId": "o-1001", "items": [{"sku": "BOOK-1", "qty": 2}, {"sku": "PEN-3", "qty": 1}],
               "itemCount": 3, "price": {"totalCents": 2675}}),
    );
}

#[test]
fn calls_validate_then_price_once_each() {
    let workflow = Workflow::exercise();
    let run = workflow.run(order());
    run.expect_value(
        "the states run in order: Validate, then Price",
        "the states entered",
        json!(["Validate", "Price"]),
        json!(run.states_entered()),
    );
    run.expect_value(
        "each function is called once",
        "the calls of ValidateOrder and PriceOrder",
        json!({"ValidateOrder": 1, "PriceOrder": 1}),
        json!({"ValidateOrder": run.calls_of("ValidateOrder"), "PriceOrder": run.calls_of("PriceOrder")}),
    );
}

#[test]
fn price_order_receives_what_validate_order_returned() {
    let workflow = Workflow::exercise();
    let run = workflow.run(json!({"orderId": "o-7", "items": [{"sku": "MUG-2", "qty": 4}]}));
    let output = run.succeeded_output("a one-item order goes through");
    run.expect_value(
        "PriceOrder's result is kept under \"price\", next to ValidateOrder's itemCount",
        "the itemCount and price of the output",
        json!({"itemCount": 4, "price": {"totalCents": 3596}}),
        json!({"itemCount": output.get("itemCount").cloned().unwrap_or(Value::Null),
               "price": output.get("price").cloned().unwrap_or(Value::Null)}),
    );
}

#[test]
fn price_order_returns_only_the_price_and_the_machine_keeps_the_order() {
    // Keeping the order is the machine's job (ResultPath), not PriceOrder's.
    let workflow = Workflow::exercise();
    workflow.expect_function_result(
        "PriceOrder, called on its own, returns just {\"totalCents\": ...}",
        "PriceOrder",
        json!({"orderId": "o-9", "items": [{"sku": "BOOK-1", "qty": 1}], "itemCount": 1}),
        json!({"totalCents": 1250}),
    );
}

#[test]
fn an_order_without_items_fails_with_invalid_order() {
    let workflow = Workflow::exercise();
    let run = workflow.run(json!({"orderId": "o-1002", "items": []}));
    run.expect_failure("an order without items stops the execution with the error InvalidOrder", "InvalidOrder");
    run.expect(
        "PriceOrder is never called for an invalid order",
        run.calls_of("PriceOrder") == 0,
        "PriceOrder was called although ValidateOrder refused the order.",
    );
}

#[test]
fn an_invalid_order_fails_with_the_message_from_the_task() {
    // The execution's cause is ValidateOrder's error as Lambda reports it,
    // {"errorType": ..., "errorMessage": ...}: the message tells the caller
    // what was wrong with the order.
    let workflow = Workflow::exercise();
    let run = workflow.run(json!({"orderId": "o-1003"}));
    run.expect_failure("an order with no \"items\" key fails with InvalidOrder too", "InvalidOrder");
    let cause = run.execution.cause.as_deref().and_then(|text| harness::serde_json::from_str::<Value>(text).ok());
    let message = cause.as_ref().and_then(|c| c.get("errorMessage")).cloned().unwrap_or(Value::Null);
    run.expect_value(
        "the execution's cause carries the message InvalidOrder(\"an order needs at least one item\")",
        "the errorMessage in the execution's cause",
        json!("an order needs at least one item"),
        message,
    );
}
