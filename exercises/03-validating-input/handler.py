"""Exercise 03: validating input.

This function prices a shopping-cart order. The caller sends the product codes
(SKUs) and quantities; the prices come from PRICES below, never from the
caller. Amounts are whole cents, so no float rounding creeps in.

    event:    {"items": [{"sku": "BOOK-1", "qty": 2}, {"sku": "PEN-3", "qty": 3}],
               "coupon": "TENOFF"}
    returns:  {"subtotalCents": 3025, "discountCents": 302, "totalCents": 2723}

subtotalCents adds price * qty over the items; discountCents is
subtotalCents * percent // 100 (rounded down) for the coupon's percent, 0 when
there is no coupon; totalCents is subtotalCents - discountCents. "coupon" may
be missing or null: no coupon.

The code below already prices a good order correctly. But it trusts its input:
a bad order makes it crash with a KeyError or a TypeError, or, worse, answer
with a price. The task: refuse every bad order by RAISING an exception of your
own, whose class name and message the caller receives as errorType and
errorMessage.
  - Define two exception classes at module level:
        class InvalidOrder(Exception): ...   the order itself is malformed
        class UnknownCoupon(Exception): ...  the coupon code is not one we know
  - Check in this order, and raise for the FIRST problem found. N is the
    item's position in the list, counted from 1.
      1. The event is not an object, or "items" is missing, not a list, or
         an empty list:
             InvalidOrder("items must be a non-empty list")
      2. Then each item in turn, first to last, and for each item:
         a. it is not an object:
             InvalidOrder("item N must be an object")
         b. it has no "sku" key:
             InvalidOrder("item N: sku is missing")
         c. its sku is not a key of PRICES (codes are case-sensitive):
             InvalidOrder("item N: unknown sku 'SKU'")
         d. its "qty" is missing, or is not a positive integer:
             InvalidOrder("item N: qty must be a positive integer")
            A positive integer is a JSON number written without a decimal
            point, 1 or more: 0, -1, 2.5, 2.0, "2", true and null are refused.
            (Careful: in Python, True is an int, and 2.0 is a float.)
      3. "coupon" is present, not null, and not a key of COUPONS:
             UnknownCoupon("unknown coupon 'CODE'")
  - Raise; never return an error. A dict like {"error": ...} is a successful
    response on Lambda: the caller would treat it as a price.

For {"items": [{"sku": "BOOK-1", "qty": 1}, {"sku": "MUG-2", "qty": 0}]} the
caller receives errorType "InvalidOrder" and errorMessage
"item 2: qty must be a positive integer".

Try it:              cargo lab invoke exercises/03-validating-input/handler.py --event exercises/03-validating-input/events/qty-as-text.json
Check your work with:  cargo test -p exercise-03
"""

# Prices in cents, by SKU.
PRICES = {"BOOK-1": 1250, "MUG-2": 899, "PEN-3": 175}

# Discount in percent, by coupon code.
COUPONS = {"TENOFF": 10, "WELCOME25": 25}


def lambda_handler(event, context):
    subtotal = 0
    for item in event["items"]:
        subtotal += PRICES[item["sku"]] * item["qty"]

    percent = COUPONS.get(event.get("coupon"), 0)
    discount = subtotal * percent // 100
    return {
        "subtotalCents": subtotal,
        "discountCents": discount,
        "totalCents": subtotal - discount,
    }
