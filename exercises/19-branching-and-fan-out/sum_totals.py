"""Exercise 19: SumTotals, after the Map (see pricing.py for the task).

It receives the order with the Map's results under "lines":
    {"orderId": "o-3001", "items": [...],
     "lines": [{"sku": "BOOK-1", "totalCents": 2500}, {"sku": "TEA-4", "totalCents": 1417}, ...]}
and returns {"totalCents": <the sum of the lines' totalCents>}: {"totalCents": 0} when
"lines" is empty.
"""


def lambda_handler(event, context):
    # add up the lines
    return {"totalCents": 0}
