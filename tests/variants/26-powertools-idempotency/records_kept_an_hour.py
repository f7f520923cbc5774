# Wrong: the records expire after Powertools' default hour, where the task
# asks for a day: a redelivery after an hour records the order again.
"""Exercise 26: exactly once, with the idempotency utility of Powertools (a worked answer)."""

import json
import os
from decimal import Decimal

import boto3
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

orders = boto3.resource("dynamodb").Table(os.environ.get("TABLE_NAME", "orders"))
persistence = DynamoDBPersistenceLayer(table_name=os.environ.get("IDEMPOTENCY_TABLE", "idempotency"))
# The key is the order, not the message: a sender that sends an order again
# gives it a new message id. A day covers every redelivery SQS makes here.
config = IdempotencyConfig(event_key_jmespath="orderId")
processor = BatchProcessor(event_type=EventType.SQS)


@idempotent_function(data_keyword_argument="order", config=config, persistence_store=persistence)
def record_order(order):
    orders.put_item(Item=order)
    print(f"Recorded order {order['orderId']}")
    return {"orderId": order["orderId"]}


def record_handler(record):
    body = json.loads(record.body, parse_float=Decimal)
    order = {"orderId": body["orderId"], "customer": body["customer"], "amount": body["amount"]}
    order["messageId"] = record.message_id
    record_order(order=order)


def lambda_handler(event, context):
    config.register_lambda_context(context)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
