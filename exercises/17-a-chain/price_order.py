"""Exercise 17: PriceOrder, the second function of the chain (see validate_order.py)."""

PRICES_CENTS = {"BOOK-1": 1250, "MUG-2": 899, "PEN-3": 175}


def lambda_handler(event, context):
    # do something with the event
    return {"totalCents": 0}
