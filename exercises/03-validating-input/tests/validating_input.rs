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

#[test]
fn checks_each_item_completely_before_the_next() {
    // Step 2 takes the items one at a time and runs 2a to 2d on each before
    // moving on: an earlier item's problem is reported before a later one's,
    // whatever kinds of problem they are.
    expect_refused(
        "item 1's qty is wrong and item 2's sku is unknown: item 1 is reported, not every sku checked first",
        json!({"items": [{"sku": "BOOK-1", "qty": 0}, {"sku": "BOOK-9", "qty": 1}]}),
        "InvalidOrder",
        "item 1: qty must be a positive integer",
    );
    expect_refused(
        "item 1's qty is text and item 2 has no sku: item 1 is reported",
        json!({"items": [{"sku": "PEN-3", "qty": "2"}, {"qty": 1}]}),
        "InvalidOrder",
        "item 1: qty must be a positive integer",
    );
    expect_refused(
        "item 1's sku is unknown and item 2 is not an object: item 1 is reported",
        json!({"items": [{"sku": "BOOK-9", "qty": 1}, "PEN-3"]}),
        "InvalidOrder",
        "item 1: unknown sku 'BOOK-9'",
    );
}

#[test]
fn checks_an_items_sku_before_its_qty() {
    expect_refused(
        "an item with an unknown sku and a qty of 0 is refused for its sku (2c comes before 2d)",
        json!({"items": [{"sku": "BOOK-9", "qty": 0}]}),
        "InvalidOrder",
        "item 1: unknown sku 'BOOK-9'",
    );
    expect_refused(
        "an item with no sku and a qty of 0 is refused for the missing sku (2b comes before 2d)",
        json!({"items": [{"qty": 0}]}),
        "InvalidOrder",
        "item 1: sku is missing",
    );
}

#[test]
fn refuses_a_sku_that_is_not_text() {
    // JSON lets a caller send any value as the sku. A list or an object cannot
    // be looked up in a dict at all (`sku in PRICES` raises TypeError), so
    // check that the sku is a str first.
    expect_refused(
        "a sku written as the number 7 is an unknown sku",
        json!({"items": [{"sku": 7, "qty": 1}]}),
        "InvalidOrder",
        "item 1: unknown sku '7'",
    );
    for (check, sku) in [
        ("a sku that is a list, [\"BOOK-1\"], is refused with InvalidOrder, not a TypeError", json!(["BOOK-1"])),
        ("a sku that is an object is refused with InvalidOrder, not a TypeError", json!({"code": "BOOK-1"})),
    ] {
        Lab::exercise().invoke(json!({"items": [{"sku": sku, "qty": 1}]})).expect_error(check, "InvalidOrder", None);
    }
}

#[test]
fn adds_up_an_item_that_appears_twice() {
    let lab = Lab::exercise();
    lab.invoke(json!({"items": [{"sku": "PEN-3", "qty": 1}, {"sku": "PEN-3", "qty": 2}]})).expect_result(
        "two lines for the same pen are both counted: 3 pens at 175 cents, not only the last line's 2",
        json!({"subtotalCents": 525, "discountCents": 0, "totalCents": 525}),
    );
}

#[test]
fn rounds_the_discount_down_to_whole_cents() {
    // 10% of 899 cents is 89.9: rounded down, as the task says, it is 89;
    // round() would give 90. 25% of 899 is 224.75: 224.
    let lab = Lab::exercise();
    lab.invoke(json!({"items": [{"sku": "MUG-2", "qty": 1}], "coupon": "TENOFF"})).expect_result(
        "10% off 899 cents is a discount of 89 cents (89.9 rounded down, with // 100)",
        json!({"subtotalCents": 899, "discountCents": 89, "totalCents": 810}),
    );
    lab.invoke(json!({"items": [{"sku": "MUG-2", "qty": 1}], "coupon": "WELCOME25"})).expect_result(
        "25% off 899 cents is a discount of 224 cents (224.75 rounded down)",
        json!({"subtotalCents": 899, "discountCents": 224, "totalCents": 675}),
    );
}

#[test]
fn refuses_a_coupon_that_is_empty_not_text_or_in_the_wrong_case() {
    // Only a missing or null coupon means "no coupon": an empty string or
    // false is a coupon the caller sent, and it is not one we know.
    let order = |coupon: Value| json!({"items": [{"sku": "MUG-2", "qty": 1}], "coupon": coupon});
    let cases = [
        ("an empty coupon, \"\", is refused, not taken for no coupon", json!(""), "unknown coupon ''"),
        ("a coupon of false is refused, not taken for no coupon", json!(false), "unknown coupon 'False'"),
        ("a coupon written as the number 10 is refused", json!(10), "unknown coupon '10'"),
        ("coupon codes are case-sensitive: tenoff is not TENOFF", json!("tenoff"), "unknown coupon 'tenoff'"),
    ];
    for (check, coupon, message) in cases {
        expect_refused(check, order(coupon), "UnknownCoupon", message);
    }
    Lab::exercise().invoke(order(json!(["TENOFF"]))).expect_error(
        "a coupon that is a list is refused with UnknownCoupon, not a TypeError",
        "UnknownCoupon",
        None,
    );
}

#[test]
fn refuses_items_that_are_an_object_or_null() {
    let message = "items must be a non-empty list";
    expect_refused(
        "\"items\" holding one item as an object, not a list of items, is refused",
        json!({"items": {"sku": "BOOK-1", "qty": 1}}),
        "InvalidOrder",
        message,
    );
    expect_refused("\"items\": null is refused", json!({"items": null}), "InvalidOrder", message);
}
