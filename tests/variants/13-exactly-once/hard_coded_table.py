"""Wrong: the table's name is written in the code, so TABLE_NAME in the function's
configuration is ignored and every stage writes to the same table."""

import json
import logging
import os
from decimal import Decimal

import boto3
from botocore.exceptions import BotoCoreError, ClientError

logger = logging.getLogger()
logger.setLevel(logging.INFO)

TABLE_NAME = "orders"

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
            # One call that writes only if no item has this key: two copies
            # of a message, even in two environments at once, record one order.
            table.put_item(Item=item, ConditionExpression="attribute_not_exists(orderId)")
            logger.info("Recorded order %s", item["orderId"])
        except AlreadyRecorded:
            logger.info("Skipped duplicate order %s", item["orderId"])
        except (ClientError, BotoCoreError):
            logger.exception("Order %s was not recorded", item["orderId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
