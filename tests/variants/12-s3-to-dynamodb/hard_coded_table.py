"""Wrong: the table's name is written in the code, so TABLE_NAME in the function's
configuration is ignored and every stage writes to the same table."""

import csv
import io
import logging
import os
from decimal import Decimal
from urllib.parse import unquote_plus

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

TABLE_NAME = "daily-totals"

# Made once per execution environment, at init: every warm invocation reuses
# the clients and their open connections.
s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(TABLE_NAME)


def lambda_handler(event, context):
    recorded, missing = [], []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        try:
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
        except s3.exceptions.NoSuchKey:
            # Deleted between the upload and now: nothing to read, and
            # retrying will not bring it back.
            logger.warning("Skipped s3://%s/%s: it was deleted before it could be read", bucket, key)
            missing.append(key)
            continue
        rows = list(csv.DictReader(io.StringIO(body)))
        total = sum((Decimal(row["amount"]) for row in rows), Decimal("0"))
        table.put_item(Item={"file": key, "orders": len(rows), "total": total})
        recorded.append(key)
    return {"recorded": recorded, "missing": missing}
