"""Exercise 23: structured logs with Powertools for AWS Lambda (Python).

The same batch as in exercise 15: event["orders"] is a list (possibly
empty) of objects like {"orderId": "o-1001", "amount": 12.5}. The code below
is exercise 15's answer: a JSON message built by hand inside Lambda's own
log line. Powertools' Logger writes the whole line as one JSON object
instead, with the invocation's details added for you, which CloudWatch Logs
Insights can query field by field.

Powertools is not in Lambda's Python runtime: it comes as a layer, which
Lambda unpacks into /opt. This function has it (exercise.toml says
layers = ["powertools"], and `cargo lab setup` installed it into
.lab/layers/powertools/python, which stands for /opt/python).

The task:
  - Log through one aws_lambda_powertools.Logger made at module level,
    with nothing in the code about its service or its level: the checks run
    the function with POWERTOOLS_SERVICE_NAME=orders in its configuration,
    and Lambda's log level decides what is written.
  - For each order, in the order of the batch, log one INFO line whose
    message is "order processed", with two extra keys: order_id (the
    order's orderId) and amount (the order's amount, still a number).
  - Every line carries this invocation's details: decorate the handler with
    @logger.inject_lambda_context, which adds function_request_id,
    cold_start, function_name and the rest.
  - Write nothing else: no print(), no other lines, no warnings.
  - At Lambda's log level WARN (AWS_LAMBDA_LOG_LEVEL=WARN), no order line
    is written.
  - Return {"processed": N}, N the number of orders in the batch.

For {"orders": [{"orderId": "o-1001", "amount": 12.5}]} the log holds one
line from your code, a JSON object such as (on one line):
  {"level": "INFO", "location": "lambda_handler:12", "message": "order processed",
   "timestamp": "2026-12-05 09:30:01,123+0000", "service": "orders",
   "cold_start": true, "function_name": "handler-function", ...,
   "function_request_id": "<request id>", "order_id": "o-1001", "amount": 12.5}

Try it:    cargo lab invoke exercises/23-powertools-logger/handler.py --event exercises/23-powertools-logger/events/three-orders.json --env POWERTOOLS_SERVICE_NAME=orders
Check your work with:  cargo test -p exercise-23
"""

import json
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info(json.dumps({
            "event": "order_processed",
            "orderId": order["orderId"],
            "amount": order["amount"],
            "requestId": context.aws_request_id,
        }))
    return {"processed": len(orders)}
