"""Exercise 16: metrics with the Embedded Metric Format (EMF).

The same batch of orders as in exercise 15: event["orders"] is a list
(possibly empty) of objects like {"orderId": "o-1001", "amount": 12.5}.
This time the business wants graphs and alarms: how many orders go through,
and what they are worth. CloudWatch can turn log lines into metrics when
they are written in the Embedded Metric Format: one JSON object per line,
with an "_aws" member that says which of its members are metrics.

The code below only logs the amounts as sentences, which no graph can use.

The task:
  - For each order, in the order of the batch, print one EMF line
    (print(json.dumps(...)), one JSON object on one line) that gives
    CloudWatch two metrics:
      OrdersProcessed  unit "Count"  value 1
      OrderValue       unit "None"   value the order's amount
    both in the namespace "Shop", with one dimension set, [["Service"]],
    and the dimension's value "Service": "orders".
  - "_aws"."Timestamp" is the time the line is written, in milliseconds
    since 1970, as a whole number.
  - You may add other members (the order id, the request id) as plain
    properties: they are searchable in the log, and they are not dimensions.
  - Return {"processed": N}, N the number of orders in the batch.

For the order {"orderId": "o-1001", "amount": 12.5} the line is:
  {"_aws": {"Timestamp": 1795780800123,
            "CloudWatchMetrics": [{"Namespace": "Shop",
                                   "Dimensions": [["Service"]],
                                   "Metrics": [{"Name": "OrdersProcessed", "Unit": "Count"},
                                               {"Name": "OrderValue", "Unit": "None"}]}]},
   "Service": "orders", "OrdersProcessed": 1, "OrderValue": 12.5,
   "orderId": "o-1001"}
(on one line, with the time of your invocation in place of 1795780800123).

The checks read your log the way CloudWatch would and compare the metrics it
extracts; a line CloudWatch would reject is reported with the reason.

Try it:    cargo lab invoke exercises/16-emf-metrics/handler.py --event exercises/16-emf-metrics/events/three-orders.json
Check your work with:  cargo test -p exercise-16
"""


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        print(f"Order {order['orderId']} is worth {order['amount']}")
    return {"processed": len(orders)}
