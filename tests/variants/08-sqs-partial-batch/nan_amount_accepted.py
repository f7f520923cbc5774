# Wrong: NaN and Infinity pass `amount <= 0` (every comparison with NaN is
# False), so "amount": NaN is processed and logged as "for nan", and an
# integer too big for a float crashes the :.2f format and the whole batch.

import json
import math


def reject_constant(name):
    """json.loads calls this for NaN, Infinity and -Infinity, which JSON does not have."""
    raise ValueError(f"{name} is not JSON")


def parse_order(body):
    """The order in a message body, or None when the body is not a valid order."""
    try:
        order = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        return None
    if not isinstance(order, dict) or "orderId" not in order:
        return None
    amount = order.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return None
    if amount <= 0:
        return None
    return order


def is_fifo(record):
    """A FIFO queue's name, the end of its ARN, always ends in .fifo."""
    return record["eventSourceARN"].endswith(".fifo")


def lambda_handler(event, context):
    failures = []
    records = event["Records"]
    for position, record in enumerate(records):
        order = parse_order(record["body"])
        if order is None:
            if is_fifo(record):
                # Keep the queue's order: this message and every one after it
                # go back to the queue, unprocessed.
                failures.extend({"itemIdentifier": r["messageId"]} for r in records[position:])
                break
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        print(f"Processed order {order['orderId']} for {order['amount']:.2f}")
    return {"batchItemFailures": failures}
