# Wrong: names Service as a dimension but never gives it a value at the top
# level of the line, so CloudWatch rejects the line.
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
            "OrdersProcessed": 1,
            "OrderValue": order["amount"],
            "orderId": order["orderId"],
        }))
    return {"processed": len(orders)}

