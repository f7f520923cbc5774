"""Exercise 15: structured logs.

This function receives a batch of orders, event["orders"], a list (possibly
empty) of objects like {"orderId": "o-1001", "amount": 12.5}. For each order
it should write one log line that a machine can read: a JSON object that says
which order it was and which invocation handled it.

The code below is the usual first attempt. It calls logging.basicConfig to
switch INFO on, and on Lambda that call does nothing: the runtime has already
given the root logger its own handler, and the level stays WARNING unless the
function's configuration sets AWS_LAMBDA_LOG_LEVEL. Its lines are also plain
sentences, with no request id in them.

The task:
  - For each order, in the order of the batch, log one record through the
    logging module at level INFO. Its message is a JSON object written with
    json.dumps, with exactly these four members:
        {"event": "order_processed", "orderId": ORDER_ID,
         "amount": AMOUNT, "requestId": REQUEST_ID}
    ORDER_ID and AMOUNT as the order gives them (the amount stays a number),
    REQUEST_ID this invocation's context.aws_request_id.
  - Write nothing else to the log: no print(), no other records at INFO or
    above.
  - Leave the level to Lambda: no logging.basicConfig, no setLevel. At
    Lambda's default level (WARNING) your INFO lines must not appear; with
    AWS_LAMBDA_LOG_LEVEL=INFO they must.
  - Return {"processed": N}, N the number of orders in the batch.

For {"orders": [{"orderId": "o-1001", "amount": 12.5}]}, with
AWS_LAMBDA_LOG_LEVEL=INFO, the log holds one line from your code:
  [INFO]  <time>  <request id>  {"event": "order_processed", "orderId": "o-1001", "amount": 12.5, "requestId": "<request id>"}
(Lambda writes the first three fields, separated by tabs), and the handler
returns {"processed": 1}. With the default level the log holds nothing from
your code.

Try it:    cargo lab invoke exercises/15-structured-logs/handler.py --event exercises/15-structured-logs/events/three-orders.json --env AWS_LAMBDA_LOG_LEVEL=INFO
Check your work with:  cargo test -p exercise-15
"""

import logging

logging.basicConfig(level=logging.INFO)
logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info(f"Processed order {order['orderId']} for {order['amount']}")
    return {"processed": len(orders)}
