# Wrong: the timestamp is in seconds (time.time()), not milliseconds, so
# CloudWatch files the metrics under a moment in January 1970.
import json
import time


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        print(json.dumps({
            "_aws": {
                "Timestamp": int(time.time()),
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
        }))
    return {"processed": len(orders)}

