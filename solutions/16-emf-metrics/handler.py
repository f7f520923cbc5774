"""Exercise 16: metrics with the Embedded Metric Format (solution)."""

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
