# Wrong: json.dumps(item, default=str), the usual quick fix for Decimal, writes numbers as strings.

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
    body = json.dumps(item, default=str)
    s3.put_object(Bucket=BUCKET_NAME, Key=key, Body=body, ContentType="application/json")
    return {"archived": key}
