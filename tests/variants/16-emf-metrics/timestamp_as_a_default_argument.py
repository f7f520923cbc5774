# Wrong: the timestamp is a default argument, and Python evaluates defaults
# once, when the module is imported: every warm invocation reuses the time of
# the cold start.
import json
import time


def emf_line(order, timestamp=int(time.time() * 1000)):
    return json.dumps({
        "_aws": {
            "Timestamp": timestamp,
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
    })


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        print(emf_line(order))
    return {"processed": len(orders)}
