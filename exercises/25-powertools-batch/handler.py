"""Exercise 25: an SQS batch with the batch utility of Powertools.

The same batches as in exercise 08: event["Records"] holds SQS messages whose
bodies should be JSON orders such as {"orderId": "o-1001", "amount": 25.5}.
The code below is exercise 08's answer: the loop, the failure list and the
FIFO rule, all written by hand. Powertools' batch utility runs the loop and
builds the partial batch response: you write what to do with ONE record, and
raise when it is bad.

The function has the Powertools layer (see exercise 23).

The task:
  - The rules of a GOOD message are exercise 08's (the parse_order below
    already follows them): a JSON object with an "orderId" and an "amount"
    that is a finite number (not bool) greater than 0.
  - Write a record handler that takes one record (an SQSRecord: its body is
    record.body), raises an exception for a BAD message, and for a good one
    prints exactly:  Processed order <orderId> for <amount with two decimals>
  - Let the batch utility do the rest: process_partial_response with a
    BatchProcessor(event_type=EventType.SQS) for a standard queue, and a
    SqsFifoPartialProcessor() for a FIFO queue (its eventSourceARN ends in
    ".fifo"), which stops at the first bad message and reports it and every
    message after it. Make the processors once, at module level.
  - Return what process_partial_response returns:
        {"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]}
  - When EVERY message of a batch is bad, the utility raises
    BatchProcessingError instead of returning: Lambda then counts a
    function error and retries the whole batch. Keep that default.

Try it:    cargo lab invoke exercises/25-powertools-batch/handler.py --event exercises/25-powertools-batch/events/mixed-batch.json
Try a FIFO batch:    cargo lab invoke exercises/25-powertools-batch/handler.py --event sqs-fifo-batch
Check your work with:  cargo test -p exercise-25
"""

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
    return record["eventSourceARN"].endswith(".fifo")


def lambda_handler(event, context):
    failures = []
    records = event["Records"]
    for position, record in enumerate(records):
        order = parse_order(record["body"])
        if order is None:
            if is_fifo(record):
                failures.extend({"itemIdentifier": r["messageId"]} for r in records[position:])
                break
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        print(f"Processed order {order['orderId']} for {order['amount']:.2f}")
    return {"batchItemFailures": failures}
