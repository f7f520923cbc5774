# Wrong: adds a second dimension set, [], so each metric is recorded twice:
# once with Service=orders and once without any dimension.
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
                    "Dimensions": [["Service"], []],
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

