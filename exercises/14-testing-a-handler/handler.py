"""Exercise 14: the handler your tests test. It is given: do not edit it.
Write your tests in test_handler.py.

Invoked with {"orderId": "o-1"}, it archives that order:
  1. it reads the item whose key orderId is "o-1" from the DynamoDB table
     named by ORDERS_TABLE (by default "orders");
  2. it writes the whole item as JSON to the S3 bucket named by
     ARCHIVE_BUCKET (by default "order-archive"), under the key
     orders/o-1.json, with DynamoDB's numbers written as JSON numbers;
  3. it returns {"archived": "orders/o-1.json"}.
An order that is not in the table is not an error: nothing is written, and
it returns {"archived": None, "error": "order o-1 not found"}.
"""

import json
import os
from decimal import Decimal

import boto3

TABLE_NAME = os.environ.get("ORDERS_TABLE", "orders")
BUCKET_NAME = os.environ.get("ARCHIVE_BUCKET", "order-archive")

# Made once per execution environment, when Lambda imports this file.
table = boto3.resource("dynamodb").Table(TABLE_NAME)
s3 = boto3.client("s3")


def plain_number(value):
    """What json.dumps calls for a value it cannot write: DynamoDB's Decimals."""
    if isinstance(value, Decimal):
        return int(value) if value % 1 == 0 else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def lambda_handler(event, context):
    order_id = event["orderId"]
    item = table.get_item(Key={"orderId": order_id}).get("Item")
    if item is None:
        return {"archived": None, "error": f"order {order_id} not found"}
    key = f"orders/{order_id}.json"
    body = json.dumps(item, default=plain_number)
    s3.put_object(Bucket=BUCKET_NAME, Key=key, Body=body, ContentType="application/json")
    return {"archived": key}
