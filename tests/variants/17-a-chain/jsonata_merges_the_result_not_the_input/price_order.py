"""Exercise 17 (solution): PriceOrder."""

PRICES_CENTS = {"BOOK-1": 1250, "MUG-2": 899, "PEN-3": 175}


def lambda_handler(event, context):
    total = sum(PRICES_CENTS[item["sku"]] * item["qty"] for item in event["items"])
    return {"totalCents": total}
