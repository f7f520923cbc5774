# Wrong: one line for the whole batch, with OrdersProcessed as the batch's
# size. A list of values for OrderValue is valid EMF, but OrdersProcessed
# becomes one data point of 3 instead of three data points of 1.
import json
import time


def lambda_handler(event, context):
    orders = event["orders"]
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
        "OrdersProcessed": len(orders),
        "OrderValue": [order["amount"] for order in orders],
    }))
    return {"processed": len(orders)}
