# Wrong: adds the request id as a dimension. Every invocation then creates
# new metrics (one per request id), each billed, each with one data point.
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
                    "Dimensions": [["Service", "requestId"]],
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

