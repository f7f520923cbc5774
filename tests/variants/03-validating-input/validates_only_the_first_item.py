# Wrong: checks items[0] thoroughly and trusts the rest, so a bad second or
# third item slips through (or crashes with a KeyError instead of InvalidOrder).
PRICES = {"BOOK-1": 1250, "MUG-2": 899, "PEN-3": 175}
COUPONS = {"TENOFF": 10, "WELCOME25": 25}


class InvalidOrder(Exception):
    pass


class UnknownCoupon(Exception):
    pass


def lambda_handler(event, context):
    items = event.get("items") if isinstance(event, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidOrder("items must be a non-empty list")
    first = items[0]
    if not isinstance(first, dict):
        raise InvalidOrder("item 1 must be an object")
    if "sku" not in first:
        raise InvalidOrder("item 1: sku is missing")
    if not isinstance(first["sku"], str) or first["sku"] not in PRICES:
        raise InvalidOrder(f"item 1: unknown sku '{first['sku']}'")
    qty = first.get("qty")
    if not (isinstance(qty, int) and not isinstance(qty, bool) and qty >= 1):
        raise InvalidOrder("item 1: qty must be a positive integer")
    coupon = event.get("coupon")
    if coupon is not None and (not isinstance(coupon, str) or coupon not in COUPONS):
        raise UnknownCoupon(f"unknown coupon '{coupon}'")

    subtotal = 0
    for item in items:
        subtotal += PRICES[item["sku"]] * item["qty"]
    percent = COUPONS.get(coupon, 0)
    discount = subtotal * percent // 100
    return {"subtotalCents": subtotal, "discountCents": discount, "totalCents": subtotal - discount}
