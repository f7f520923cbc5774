# Wrong: takes any message with a MessageGroupId for a FIFO message. Standard
# queues use message groups too (fair queues), and there the batch must go on
# after a bad message.

import json
import math


def reject_constant(name):
    """json.loads calls this for NaN, Infinity and -Infinity, which JSON does not have."""
    raise ValueError(f"{name} is not JSON")


def parse_order(body):
    """The order in a message body, or None when the body is not a valid order."""
    try:
        order = json.loads(body, parse_constant=reject_constant)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        return None
    if not isinstance(order, dict) or "orderId" not in order:
        return None
    amount = order.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        return None
    try:
        finite = math.isfinite(amount)  # 1e400 is read as inf
    except OverflowError:  # an int too large to be a float
        return None
    if not finite or amount <= 0:
        return None
    return order


def is_fifo(record):
    """A FIFO queue's name, the end of its ARN, always ends in .fifo."""
    return "MessageGroupId" in record["attributes"]


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
