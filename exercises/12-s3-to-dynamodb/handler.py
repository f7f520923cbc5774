"""Exercise 12: from S3 to DynamoDB.

A shop's tills upload one CSV file of orders per day to the sales-exports
bucket, and S3 invokes this function for each upload. A file looks like:

    order_id,amount
    o-1001,25.50
    o-1002,9.99

Your task (book/aws/s3-to-dynamodb.md has the whole story):
  1. For EVERY record of the event, read the object from S3, under its real
     (decoded) key.
  2. Count its orders and add up their amounts exactly, to the cent.
  3. Put one item per file into the DynamoDB table named by TABLE_NAME:
         {"file": <the decoded key>, "orders": <count>, "total": <sum>}
  4. A file deleted before you could read it (S3 answers NoSuchKey) is
     skipped, and the others are still recorded. Any other error is raised,
     so that Lambda retries the event.
  5. Return {"recorded": [keys written, in order], "missing": [keys skipped]}.

Create the S3 client and the DynamoDB table once, when Lambda loads this
module, not in every invocation.

Try it: cargo lab invoke exercises/12-s3-to-dynamodb/handler.py --event exercises/12-s3-to-dynamodb/events/daily-exports.json
Check it: cargo test -p exercise-12
"""

import csv
import io
import logging
import os
from decimal import Decimal
from urllib.parse import unquote_plus

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

TABLE_NAME = os.environ.get("TABLE_NAME", "daily-totals")


def lambda_handler(event, context):
    recorded, missing = [], []
    # TODO: for each record, read the file from S3, then write its item.
    return {"recorded": recorded, "missing": missing}
