"""Exercise 26: exactly once, with the idempotency utility of Powertools.

The orders of exercise 13 again: SQS invokes this function with batches of
messages like {"orderId": "o-3001", "customer": "ada", "amount": 25.50}, and
delivers each at least once, so the same order can arrive again. The code
below is exercise 13's answer: a conditional write does the deduplication,
in the orders table itself. Powertools' idempotency utility does it in a
table of its own, for any function you decorate, and remembers the result:
the orders table gets plain writes, and an order seen before is not
processed again at all.

The function has the Powertools layer (see exercise 23). Its configuration
names two tables: TABLE_NAME (the orders, key orderId) and IDEMPOTENCY_TABLE
(where Powertools keeps a record per order it has handled, key id).

The task:
  - Record one order with a function of its own, record_order(order), that
    writes the item {"orderId", "customer", "amount" (exactly as sent, a
    Decimal), "messageId"} with a plain put_item and prints
        Recorded order <orderId>
    and make it idempotent on the order's id: @idempotent_function, with a
    DynamoDBPersistenceLayer on IDEMPOTENCY_TABLE and an IdempotencyConfig
    whose event_key_jmespath is "orderId" and whose records expire after a
    day (expires_after_seconds=86400). An order recorded before, in this
    batch or an earlier one, is not written again and prints nothing.
  - Register the invocation's context with the config at every invocation
    (config.register_lambda_context(context)).
  - Process the batch with the batch utility (exercise 25): a message whose
    body is not such an order, or whose write fails, fails alone and is
    reported in batchItemFailures. A failed write leaves no record in the
    idempotency table, so SQS's next delivery records the order.
  - Make the tables, the persistence layer, the config and the processor
    once, at module level.

Try it: cargo lab invoke exercises/26-powertools-idempotency/handler.py --event exercises/26-powertools-idempotency/events/redelivered.json
Check it: cargo test -p exercise-26
"""

import json
import logging
import os
from decimal import Decimal

import boto3
from botocore.exceptions import BotoCoreError, ClientError

logger = logging.getLogger()
logger.setLevel(logging.INFO)

TABLE_NAME = os.environ.get("TABLE_NAME", "orders")

table = boto3.resource("dynamodb").Table(TABLE_NAME)
AlreadyRecorded = table.meta.client.exceptions.ConditionalCheckFailedException


def order_item(record):
    """The item for this message's order; ValueError when the body is not an order."""
    try:
        order = json.loads(record["body"], parse_float=Decimal)
        item = {"orderId": order["orderId"], "customer": order["customer"], "amount": order["amount"]}
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"not an order: {error}") from error
    item["messageId"] = record["messageId"]
    return item


def lambda_handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            item = order_item(record)
        except ValueError as error:
            logger.warning("Message %s: %s", record["messageId"], error)
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        try:
            table.put_item(Item=item, ConditionExpression="attribute_not_exists(orderId)")
            logger.info("Recorded order %s", item["orderId"])
        except AlreadyRecorded:
            logger.info("Skipped duplicate order %s", item["orderId"])
        except (ClientError, BotoCoreError):
            logger.exception("Order %s was not recorded", item["orderId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
