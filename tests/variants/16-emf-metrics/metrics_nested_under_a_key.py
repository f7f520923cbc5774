# Wrong: tidies the metric values into a "metrics" object. CloudWatch looks
# for each metric's value at the top level of the line, finds none, and
# rejects the line.
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
            "metrics": {"OrdersProcessed": 1, "OrderValue": order["amount"]},
            "orderId": order["orderId"],
        }))
    return {"processed": len(orders)}
