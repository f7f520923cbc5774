"""Exercise 13: exactly once, in practice.

SQS invokes this function with batches of order messages, like

    {"orderId": "o-3001", "customer": "ada", "amount": 25.50}

and, as SQS promises delivery at least once, the same order can arrive more
than once. Your task (book/aws/exactly-once.md has the whole story):
  1. Record each order as one item of the DynamoDB table named by TABLE_NAME:
         {"orderId": ..., "customer": ..., "amount": <exactly as sent>,
          "messageId": <the SQS message id>}
     with ONE conditional write: put the item only if no item has its orderId.
  2. An order already recorded (DynamoDB answers
     ConditionalCheckFailedException) is not a failure: log
     "Skipped duplicate order <orderId>" and go on. The item stays as it was.
  3. A body that is not such an order, or a write that fails for any other
     reason, fails that message alone: report it in batchItemFailures, in
     the order the messages arrived, and go on with the others.
  4. Return {"batchItemFailures": [...]} (an empty list when all went well).

Make the DynamoDB table once, when Lambda loads this module.

Try it: cargo lab invoke exercises/13-exactly-once/handler.py --event exercises/13-exactly-once/events/redelivered.json
Check it: cargo test -p exercise-13
"""

import json
import logging
import os
from decimal import Decimal

import boto3

logger = logging.getLogger()
logger.setLevel(logging.INFO)

TABLE_NAME = os.environ.get("TABLE_NAME", "orders")


def lambda_handler(event, context):
    failures = []
    # TODO: for each record, write its order once, and report the messages that failed.
    return {"batchItemFailures": failures}
