"""Exercise 17: a chain of two functions. This is the first of three files.

The state machine in machine.json runs two Lambda functions, one after the
other: ValidateOrder (this file), then PriceOrder (price_order.py).

The task:
  - ValidateOrder receives the order, {"orderId": ..., "items": [{"sku": ..., "qty": ...}, ...]}.
    If "items" is missing or empty, raise InvalidOrder("an order needs at least one item")
    (a class InvalidOrder(Exception) defined in this file). Otherwise return the order
    with one more field, "itemCount": the sum of the quantities.
  - PriceOrder (price_order.py) receives what ValidateOrder returned and returns
    {"totalCents": ...}: the sum of qty × price, with the prices in PRICES_CENTS.
  - machine.json: the Price state keeps the order and puts PriceOrder's result
    under "price". So for {"orderId": "o-1001", "items": [{"sku": "BOOK-1", "qty": 2},
    {"sku": "PEN-3", "qty": 1}]} the execution's output is
    {"orderId": "o-1001", "items": [...the same...], "itemCount": 3, "price": {"totalCents": 2675}}.

Check your work with:  cargo test -p exercise-17
"""


def lambda_handler(event, context):
    # process the event
    return event
