"""Exercise 25: an SQS batch with the batch utility of Powertools (solution)."""

import json
import math

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    SqsFifoPartialProcessor,
    process_partial_response,
)

standard_queue = BatchProcessor(event_type=EventType.SQS)
fifo_queue = SqsFifoPartialProcessor()


def reject_constant(name):
    """json.loads calls this for NaN, Infinity and -Infinity, which JSON does not have."""
    raise ValueError(f"{name} is not JSON")


def parse_order(body):
    """The order in a message body; raises when it is not a valid order.

    Any exception marks the record as failed, so what json.loads raises
    itself (bad JSON, a body nested too deeply to read) can go through."""
    order = json.loads(body, parse_constant=reject_constant)
    if not isinstance(order, dict) or "orderId" not in order:
        raise ValueError("the body is not an order")
    amount = order.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise ValueError("the amount is not a number")
    if not math.isfinite(amount) or amount <= 0:  # OverflowError for a huge int
        raise ValueError("the amount is not a finite number above 0")
    return order


def record_handler(record):
    order = parse_order(record.body)
    print(f"Processed order {order['orderId']} for {order['amount']:.2f}")


def lambda_handler(event, context):
    is_fifo = event["Records"][0]["eventSourceARN"].endswith(".fifo")
    processor = fifo_queue if is_fifo else standard_queue
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
