"""Exercise 19: branching and fan-out. This is the first of three files.

The state machine in machine.json prices each item of an order on its own
(a Map state), choosing the pricing function by the item's type (a Choice
state inside the Map), then adds the lines up (SumTotals).

The input of the execution is an order:
    {"orderId": "o-3001", "items": [
        {"sku": "BOOK-1", "type": "book", "priceCents": 1250, "qty": 2},
        {"sku": "TEA-4", "type": "food", "priceCents": 450, "qty": 3},
        {"sku": "BOOK-2", "type": "book", "priceCents": 899, "qty": 1}]}
"items" may be empty. Every amount is a whole number of cents.

The task:
  - This file holds two Lambda functions (two handlers, one file):
      * PriceBook (price_book, done): books carry no tax.
        Returns {"sku": ..., "totalCents": priceCents * qty}.
      * PriceFood (price_food, yours): food carries a 5% tax, rounded down to
        a whole cent. With subtotal = priceCents * qty, it returns
        {"sku": ..., "totalCents": subtotal + subtotal * 5 // 100}.
        TEA-4 above: 1350 + 67 = 1417.
  - SumTotals (sum_totals.py) receives the order with its priced lines under
    "lines" and returns {"totalCents": the sum of the lines' totalCents}
    (0 for no lines).
  - machine.json:
      * the Map state PriceItems runs once per element of "items"
        (ItemsPath "$.items") and puts the list of results under "lines"
        (ResultPath "$.lines"), then goes to SumTotals;
      * inside the Map, a Choice state (name it as you like: ours is ByType)
        looks at the item's "type": "book" goes to the Task state PriceBook,
        "food" goes to the Task state PriceFood, and any other type goes to
        a Fail state named UnknownItemType, with "Error": "UnknownItemType"
        (the Cause is up to you). An order with an item of unknown type
        fails as a whole, and SumTotals is never called for it;
      * SumTotals puts its result under "total" (ResultPath "$.total") and ends.

So the order above ends with
    {"orderId": "o-3001", "items": [...the same...],
     "lines": [{"sku": "BOOK-1", "totalCents": 2500},
               {"sku": "TEA-4", "totalCents": 1417},
               {"sku": "BOOK-2", "totalCents": 899}],
     "total": {"totalCents": 4816}}
and {"orderId": "o-3003", "items": []} ends with
    {"orderId": "o-3003", "items": [], "lines": [], "total": {"totalCents": 0}}.

Check your work with:  cargo test -p exercise-19
"""


def price_book(event, context):
    """PriceBook: one book item, no tax."""
    return {"sku": event["sku"], "totalCents": event["priceCents"] * event["qty"]}


def price_food(event, context):
    """PriceFood: one food item, with a 5% tax rounded down to a whole cent."""
    # price the food item
    return {"sku": event["sku"], "totalCents": 0}
