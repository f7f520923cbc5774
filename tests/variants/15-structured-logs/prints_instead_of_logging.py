# Wrong: prints the JSON line instead of logging it. A print() line has no
# level, so it shows even when the function's level hides INFO records.
import json


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        print(json.dumps({
            "event": "order_processed",
            "orderId": order["orderId"],
            "amount": order["amount"],
            "requestId": context.aws_request_id,
        }))
    return {"processed": len(orders)}
