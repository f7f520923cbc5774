# Wrong: checks every item's sku first and every qty afterwards, so a later
# item's unknown sku is reported before an earlier item's bad qty.

# Prices in cents, by SKU.
PRICES = {"BOOK-1": 1250, "MUG-2": 899, "PEN-3": 175}

# Discount in percent, by coupon code.
COUPONS = {"TENOFF": 10, "WELCOME25": 25}


class InvalidOrder(Exception):
    """The order itself is malformed: the caller has to fix it."""


class UnknownCoupon(Exception):
    """The coupon code is not one we know."""


def is_positive_integer(value):
    # bool is a subclass of int in Python, so True would pass as 1.
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def validate(event):
    """Raise for the first problem in the order; return its items."""
    items = event.get("items") if isinstance(event, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidOrder("items must be a non-empty list")
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InvalidOrder(f"item {n} must be an object")
        if "sku" not in item:
            raise InvalidOrder(f"item {n}: sku is missing")
        sku = item["sku"]
        if not isinstance(sku, str) or sku not in PRICES:
            raise InvalidOrder(f"item {n}: unknown sku '{sku}'")
    for n, item in enumerate(items, start=1):
        if not is_positive_integer(item.get("qty")):
            raise InvalidOrder(f"item {n}: qty must be a positive integer")
    coupon = event.get("coupon")
    if coupon is not None and (not isinstance(coupon, str) or coupon not in COUPONS):
        raise UnknownCoupon(f"unknown coupon '{coupon}'")
    return items


def lambda_handler(event, context):
    items = validate(event)

    subtotal = 0
    for item in items:
        subtotal += PRICES[item["sku"]] * item["qty"]

    percent = COUPONS.get(event.get("coupon"), 0)
    discount = subtotal * percent // 100
    return {
        "subtotalCents": subtotal,
        "discountCents": discount,
        "totalCents": subtotal - discount,
    }
