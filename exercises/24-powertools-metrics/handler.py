"""Exercise 24: metrics with Powertools for AWS Lambda (Python).

The same batch as in exercises 15 and 16: event["orders"] is a list
(possibly empty) of objects like {"orderId": "o-1001", "amount": 12.5}. The
code below is exercise 16's answer: an EMF line built by hand for each order.
Powertools' Metrics writes the EMF for you, and puts every value of an
invocation into one line.

The function has the Powertools layer (see exercise 23).

The task:
  - Record the metrics through one aws_lambda_powertools.Metrics made at
    module level, with nothing in the code about its namespace or service:
    the checks run the function with POWERTOOLS_METRICS_NAMESPACE=Shop and
    POWERTOOLS_SERVICE_NAME=orders in its configuration. Metrics adds the
    service as the dimension "service".
  - For each order, in the order of the batch, add two metrics:
      OrdersProcessed  unit Count  value 1
      OrderValue       unit None   value the order's amount
  - Write them as Powertools does at the end of the invocation: decorate the
    handler with @metrics.log_metrics(capture_cold_start_metric=True). The
    log then holds one EMF line with every value of the invocation, and on
    a cold start one more line with a ColdStart metric.
  - Print nothing yourself.
  - Return {"processed": N}, N the number of orders in the batch.

For the three orders of events/three-orders.json, the line is (on one line):
  {"_aws": {"Timestamp": 1796506988225,
            "CloudWatchMetrics": [{"Namespace": "Shop", "Dimensions": [["service"]],
                                   "Metrics": [{"Name": "OrdersProcessed", "Unit": "Count"},
                                               {"Name": "OrderValue", "Unit": "None"}]}]},
   "service": "orders", "OrdersProcessed": [1.0, 1.0, 1.0], "OrderValue": [12.5, 80.0, 3.99]}

Try it:    cargo lab invoke exercises/24-powertools-metrics/handler.py --event exercises/24-powertools-metrics/events/three-orders.json --env POWERTOOLS_METRICS_NAMESPACE=Shop --env POWERTOOLS_SERVICE_NAME=orders
Check your work with:  cargo test -p exercise-24
"""

import json
import time


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        print(json.dumps({
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [{
                    "Namespace": "Shop",
                    "Dimensions": [["Service"]],
                    "Metrics": [
                        {"Name": "OrdersProcessed", "Unit": "Count"},
                        {"Name": "OrderValue", "Unit": "None"},
                    ],
                }],
            },
            "Service": "orders",
            "OrdersProcessed": 1,
            "OrderValue": order["amount"],
            "orderId": order["orderId"],
            "requestId": context.aws_request_id,
        }))
    return {"processed": len(orders)}
