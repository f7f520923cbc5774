"""Exercise 08: an SQS batch with partial failures.

SQS hands your function a batch: event["Records"] is a list of messages, each
with its own "messageId" and a "body" (always a string). Here every body should
be a JSON order such as {"orderId": "o-1001", "amount": 25.5}.

If the handler raises, the whole batch counts as failed and SQS delivers every
message again, the good ones included. Instead, judge each message on its own
and tell Lambda which ones failed (a "partial batch response"; on AWS it needs
ReportBatchItemFailures turned on for the event source mapping).

The task:
  - A message is GOOD when its body is a JSON object with an "orderId" key and
    an "amount" key whose value is a finite number (int or float, not bool)
    greater than 0.
  - Every other message is BAD: a body that is not JSON; JSON that is not an
    object (like "[1, 2]", "42" or "null"); a missing key; an amount that is 0,
    negative, or not a number (like the string "25.50"); an amount that is not
    finite: NaN, Infinity and -Infinity (json.loads accepts them though JSON
    has no such values), 1e400 (which Python reads as inf), or an integer too
    big to be a float (math.isfinite raises OverflowError on it). A body nested
    so deeply that json.loads raises RecursionError is BAD too.
  - For each good message, print exactly one log line, with the amount written
    with two decimals:  Processed order <orderId> for <amount>
    for example:        Processed order o-1001 for 25.50
    Print nothing starting with "Processed order" for a bad message.
  - Never raise because of a bad message. Return
        {"batchItemFailures": [{"itemIdentifier": <messageId>}, ...]}
    with one entry per bad message, in the order the messages arrived, and
    {"batchItemFailures": []} when every message is good.
  - A FIFO queue keeps its messages in order, and its name ends in ".fifo"
    (so does record["eventSourceARN"]). On a FIFO queue, stop at the first
    bad message: report it and every message after it, good or bad, and
    process none of those after it. (A MessageGroupId alone does not make a
    FIFO queue: standard queues use message groups too.)

For a batch of three messages with the bodies
    {"orderId": "o-1001", "amount": 25.5}
    not json
    {"orderId": "o-1003", "amount": 0}
it prints `Processed order o-1001 for 25.50` and returns
    {"batchItemFailures": [{"itemIdentifier": "<messageId of the 2nd>"},
                           {"itemIdentifier": "<messageId of the 3rd>"}]}

Try it:              cargo lab invoke exercises/08-sqs-partial-batch/handler.py --event sqs-batch
Try a mixed batch:   cargo lab invoke exercises/08-sqs-partial-batch/handler.py --event exercises/08-sqs-partial-batch/events/mixed-batch.json
Try a FIFO batch:    cargo lab invoke exercises/08-sqs-partial-batch/handler.py --event sqs-fifo-batch
Check your work with:  cargo test -p exercise-08
"""

import json


def lambda_handler(event, context):
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])
            print(f"Processing order {order['orderId']}")
        except Exception as error:
            print(f"Skipping a bad message: {error}")

    return {"statusCode": 200}
