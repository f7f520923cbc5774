# Wrong: answers a bad order with an error *response* instead of raising. On
# Lambda a returned dict is a success: no FunctionError, no errorType, no
# retry, no Catch; a caller that reads totalCents finds none, or worse.
PRICES = {"BOOK-1": 1250, "MUG-2": 899, "PEN-3": 175}
COUPONS = {"TENOFF": 10, "WELCOME25": 25}


def problem_with(event):
    """The first problem in the order as text, or None."""
    items = event.get("items") if isinstance(event, dict) else None
    if not isinstance(items, list) or not items:
        return "items must be a non-empty list"
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            return f"item {n} must be an object"
        if "sku" not in item:
            return f"item {n}: sku is missing"
        sku = item["sku"]
        if not isinstance(sku, str) or sku not in PRICES:
            return f"item {n}: unknown sku '{sku}'"
        qty = item.get("qty")
        if not (isinstance(qty, int) and not isinstance(qty, bool) and qty >= 1):
            return f"item {n}: qty must be a positive integer"
    coupon = event.get("coupon")
    if coupon is not None and (not isinstance(coupon, str) or coupon not in COUPONS):
        return f"unknown coupon '{coupon}'"
    return None


def lambda_handler(event, context):
    problem = problem_with(event)
    if problem is not None:
        return {"statusCode": 400, "error": problem}

    subtotal = 0
    for item in event["items"]:
        subtotal += PRICES[item["sku"]] * item["qty"]
    percent = COUPONS.get(event.get("coupon"), 0)
    discount = subtotal * percent // 100
    return {"subtotalCents": subtotal, "discountCents": discount, "totalCents": subtotal - discount}
