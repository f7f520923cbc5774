"""Exercise 08: an SQS batch with partial failures (solution)."""

import json


def parse_order(body):
    """The order in a message body, or None when the body is not a valid order."""
    try:
        order = json.loads(body)
    except ValueError:  # not JSON at all
        return None
    if not isinstance(order, dict) or "orderId" not in order:
        return None
    amount = order.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return None
    if amount <= 0:
        return None
    return order


def lambda_handler(event, context):
    failures = []
    for record in event["Records"]:
        order = parse_order(record["body"])
        if order is None:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        print(f"Processed order {order['orderId']} for {order['amount']:.2f}")
    return {"batchItemFailures": failures}
