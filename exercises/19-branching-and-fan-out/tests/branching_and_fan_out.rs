//! Exercise 19: branching and fan-out. Each test runs your machine.json over
//! your handlers, as Step Functions would, and checks one thing: the output,
//! how many times the Map ran its processor, which branch each item took, or
//! how an order that cannot be priced ends.

use harness::{Value, json};
use step_functions::check::{Workflow, WorkflowRun};

fn mixed_order() -> Value {
    json!({"orderId": "o-3001", "items": [
        {"sku": "BOOK-1", "type": "book", "priceCents": 1250, "qty": 2},
        {"sku": "TEA-4", "type": "food", "priceCents": 450, "qty": 3},
        {"sku": "BOOK-2", "type": "book", "priceCents": 899, "qty": 1}]})
}

fn order_with_an_unknown_type() -> Value {
    json!({"orderId": "o-3002", "items": [
        {"sku": "BOOK-1", "type": "book", "priceCents": 1250, "qty": 1},
        {"sku": "GIFT-9", "type": "gift-card", "priceCents": 2000, "qty": 1}]})
}

/// `value[key]`, or null when it is not there.
fn field(value: &Value, key: &str) -> Value {
    value.get(key).cloned().unwrap_or(Value::Null)
}

/// How many Map iterations the execution started.
fn iterations(run: &WorkflowRun<'_>) -> usize {
    run.execution.history.events.iter().filter(|e| e.kind == "MapIterationStarted").count()
}

/// The states entered whose names the task fixes (the Choice's name is yours).
fn named_states_entered(run: &WorkflowRun<'_>) -> Vec<String> {
    let named = ["PriceItems", "PriceBook", "PriceFood", "UnknownItemType", "SumTotals"];
    run.states_entered().into_iter().filter(|name| named.contains(&name.as_str())).collect()
}

#[test]
fn prices_a_mixed_order_line_by_line_and_adds_up() {
    let workflow = Workflow::exercise();
    workflow.run(mixed_order()).expect_output(
        "the output is the order, one priced line per item under \"lines\", and the sum under \"total\"",
        json!({"orderId": "o-3001", "items": [
                   {"sku": "BOOK-1", "type": "book", "priceCents": 1250, "qty": 2},
                   {"sku": "TEA-4", "type": "food", "priceCents": 450, "qty": 3},
                   {"sku": "BOOK-2", "type": "book", "priceCents": 899, "qty": 1}],
               "lines": [{"sku": "BOOK-1", "totalCents": 2500},
                         {"sku": "TEA-4", "totalCents": 1417},
                         {"sku": "BOOK-2", "totalCents": 899}],
               "total": {"totalCents": 4816}}),
    );
}

#[test]
fn the_map_runs_once_per_item() {
    let workflow = Workflow::exercise();
    let run = workflow.run(mixed_order());
    run.expect_value(
        "the Map runs its processor once for each of the three items",
        "the number of Map iterations started",
        json!(3),
        json!(iterations(&run)),
    );
}

#[test]
fn each_item_takes_the_branch_of_its_type() {
    let workflow = Workflow::exercise();
    let run = workflow.run(mixed_order());
    run.succeeded_output("the mixed order is priced");
    run.expect_value(
        "PriceItems runs first; inside it book, food, book go to PriceBook, PriceFood, PriceBook; SumTotals runs last",
        "the states entered (leaving out the Choice, whose name is yours)",
        json!(["PriceItems", "PriceBook", "PriceFood", "PriceBook", "SumTotals"]),
        json!(named_states_entered(&run)),
    );
    run.expect_value(
        "each pricing function is called once per item of its type, and SumTotals once",
        "the calls of each function",
        json!({"PriceBook": 2, "PriceFood": 1, "SumTotals": 1}),
        json!({"PriceBook": run.calls_of("PriceBook"), "PriceFood": run.calls_of("PriceFood"),
               "SumTotals": run.calls_of("SumTotals")}),
    );
}

#[test]
fn food_carries_a_five_percent_tax_rounded_down() {
    let workflow = Workflow::exercise();
    let run = workflow.run(json!({"orderId": "o-3004", "items": [
        {"sku": "JAM-2", "type": "food", "priceCents": 199, "qty": 3}]}));
    let output = run.succeeded_output("a one-item food order is priced");
    run.expect_value(
        "3 × 199 = 597 cents, plus 5% tax rounded down (29.85 → 29): 626",
        "the lines and total of the output",
        json!({"lines": [{"sku": "JAM-2", "totalCents": 626}], "total": {"totalCents": 626}}),
        json!({"lines": field(&output, "lines"), "total": field(&output, "total")}),
    );
}

#[test]
fn an_unknown_item_type_fails_the_order_with_unknown_item_type() {
    let workflow = Workflow::exercise();
    let run = workflow.run(order_with_an_unknown_type());
    run.expect_failure(
        "an item whose type is neither book nor food fails the execution with the error UnknownItemType",
        "UnknownItemType",
    );
    run.expect(
        "the unknown item goes to the Fail state UnknownItemType",
        run.states_entered().iter().any(|name| name == "UnknownItemType"),
        "The state UnknownItemType was never entered. The Choice's Default should lead to it.",
    );
    run.expect(
        "an order that cannot be priced is not added up: SumTotals is not called",
        run.calls_of("SumTotals") == 0,
        "SumTotals was called for an order with an item of unknown type.",
    );
}

#[test]
fn an_empty_order_has_no_lines_and_totals_zero() {
    let workflow = Workflow::exercise();
    let run = workflow.run(json!({"orderId": "o-3003", "items": []}));
    run.expect_output(
        "an order without items has no lines and a total of 0",
        json!({"orderId": "o-3003", "items": [], "lines": [], "total": {"totalCents": 0}}),
    );
    run.expect_value(
        "the Map runs no iteration for an empty list",
        "the number of Map iterations started",
        json!(0),
        json!(iterations(&run)),
    );
}
