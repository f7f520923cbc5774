//! Exercise 03: validating input. Each test sends your handler.py an order,
//! good or bad, the way a caller would, and checks what the caller gets back:
//! the prices for a good order, and for a bad one the error Lambda returns,
//! with its errorType (your exception's class name) and its errorMessage.

use harness::check::Lab;
use harness::{Value, json};

/// Send `event` to a fresh function and check that the caller receives the
/// error `error_type` with exactly `message`.
fn expect_refused(check: &str, event: Value, error_type: &str, message: &str) {
    let lab = Lab::exercise();
    lab.invoke(event).expect_error(check, error_type, Some(message));
}

#[test]
fn prices_a_good_order() {
    let lab = Lab::exercise();
    lab.invoke(json!({"items": [{"sku": "BOOK-1", "qty": 2}]})).expect_result(
        "prices two books at 1250 cents each, with no coupon and so no discount",
        json!({"subtotalCents": 2500, "discountCents": 0, "totalCents": 2500}),
    );
}

#[test]
fn applies_a_known_coupon() {
    let lab = Lab::exercise();
    lab.invoke(json!({
        "items": [{"sku": "BOOK-1", "qty": 2}, {"sku": "PEN-3", "qty": 3}],
        "coupon": "TENOFF"
    }))
    .expect_result(
        "adds up every item and takes 10% off with TENOFF, rounded down to whole cents",
        json!({"subtotalCents": 3025, "discountCents": 302, "totalCents": 2723}),
    );
}

#[test]
fn a_null_coupon_means_no_coupon() {
    let lab = Lab::exercise();
    lab.invoke(json!({"items": [{"sku": "MUG-2", "qty": 1}], "coupon": null})).expect_result(
        "treats \"coupon\": null like no coupon at all, and prices the order",
        json!({"subtotalCents": 899, "discountCents": 0, "totalCents": 899}),
    );
}

#[test]
fn refuses_an_order_without_items() {
    let message = "items must be a non-empty list";
    expect_refused(
        "an order with no \"items\" key is refused with InvalidOrder",
        json!({"coupon": "TENOFF"}),
        "InvalidOrder",
        message,
    );
    expect_refused(
        "an order whose items list is empty is refused with InvalidOrder",
        json!({"items": []}),
        "InvalidOrder",
        message,
    );
    expect_refused(
        "an order whose \"items\" is a string, not a list, is refused with InvalidOrder",
        json!({"items": "BOOK-1"}),
        "InvalidOrder",
        message,
    );
    expect_refused(
        "an event that is a bare list instead of an object is refused with InvalidOrder",
        json!([{"sku": "BOOK-1", "qty": 1}]),
        "InvalidOrder",
        message,
    );
}

#[test]
fn refuses_an_item_that_is_not_an_object() {
    expect_refused(
        "an item that is a plain string instead of {\"sku\": ..., \"qty\": ...} is refused, naming the item",
        json!({"items": [{"sku": "MUG-2", "qty": 1}, "BOOK-1"]}),
        "InvalidOrder",
        "item 2 must be an object",
    );
}

#[test]
fn refuses_an_item_without_a_sku() {
    expect_refused(
        "an item with no sku is refused, naming the item",
        json!({"items": [{"qty": 1}]}),
        "InvalidOrder",
        "item 1: sku is missing",
    );
}

#[test]
fn refuses_an_unknown_sku() {
    expect_refused(
        "a product code that is not in the price list is refused, naming the item and the code",
        json!({"items": [{"sku": "BOOK-1", "qty": 1}, {"sku": "BOOK-9", "qty": 1}]}),
        "InvalidOrder",
        "item 2: unknown sku 'BOOK-9'",
    );
    expect_refused(
        "product codes are case-sensitive: book-1 is not BOOK-1",
        json!({"items": [{"sku": "book-1", "qty": 1}]}),
        "InvalidOrder",
        "item 1: unknown sku 'book-1'",
    );
}

#[test]
fn refuses_a_qty_that_is_not_a_positive_integer() {
    let message = "item 1: qty must be a positive integer";
    let cases = [
        ("a qty of 0 is refused: nobody orders zero books", json!(0)),
        ("a negative qty is refused", json!(-1)),
        ("a qty written as text, \"2\", is refused", json!("2")),
        ("a fractional qty, 2.5, is refused", json!(2.5)),
        ("a qty of null is refused", json!(null)),
    ];
    for (check, qty) in cases {
        expect_refused(check, json!({"items": [{"sku": "BOOK-1", "qty": qty}]}), "InvalidOrder", message);
    }
    expect_refused(
        "an item with no qty at all is refused",
        json!({"items": [{"sku": "BOOK-1"}]}),
        "InvalidOrder",
        message,
    );
}

#[test]
fn refuses_2_point_0_and_true_as_a_qty() {
    // JSON's 2.0 arrives in Python as the float 2.0, and true as True, which
    // Python counts as an int equal to 1. Neither is an integer in the contract.
    let message = "item 1: qty must be a positive integer";
    expect_refused(
        "a qty written 2.0 is refused: the contract asks for a number without a decimal point",
        json!({"items": [{"sku": "PEN-3", "qty": 2.0}]}),
        "InvalidOrder",
        message,
    );
    expect_refused(
        "a qty of true is refused, although Python counts True as the integer 1",
        json!({"items": [{"sku": "PEN-3", "qty": true}]}),
        "InvalidOrder",
        message,
    );
}

#[test]
fn checks_every_item_not_only_the_first() {
    expect_refused(
        "a bad third item is found, after two good ones, and named by its position",
        json!({"items": [
            {"sku": "BOOK-1", "qty": 1},
            {"sku": "MUG-2", "qty": 2},
            {"sku": "PEN-3", "qty": 0}
        ]}),
        "InvalidOrder",
        "item 3: qty must be a positive integer",
    );
}

#[test]
fn refuses_an_unknown_coupon_with_its_own_error() {
    expect_refused(
        "an unknown coupon is refused with UnknownCoupon, not InvalidOrder, naming the code",
        json!({"items": [{"sku": "MUG-2", "qty": 1}], "coupon": "SAVE50"}),
        "UnknownCoupon",
        "unknown coupon 'SAVE50'",
    );
}

#[test]
fn reports_the_items_before_the_coupon() {
    expect_refused(
        "when an item and the coupon are both wrong, the item's problem is the one reported",
        json!({"items": [{"sku": "MUG-2", "qty": -3}], "coupon": "SAVE50"}),
        "InvalidOrder",
        "item 1: qty must be a positive integer",
    );
}

#[test]
fn keeps_working_after_refusing_an_order() {
    // An exception ends one invocation, not the environment: the next order
    // lands in the same, warm environment and must be priced normally.
    let lab = Lab::exercise();
    lab.invoke(json!({"items": [{"sku": "BOOK-9", "qty": 1}]})).expect_error(
        "the first order, with an unknown sku, is refused",
        "InvalidOrder",
        Some("item 1: unknown sku 'BOOK-9'"),
    );
    let next = lab.invoke(json!({"items": [{"sku": "BOOK-1", "qty": 1}], "coupon": "WELCOME25"}));
    next.expect(
        "the second order reuses the environment",
        !next.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    next.expect_result(
        "after refusing one order, the same environment prices the next one: 25% off 1250 cents",
        json!({"subtotalCents": 1250, "discountCents": 312, "totalCents": 938}),
    );
}
