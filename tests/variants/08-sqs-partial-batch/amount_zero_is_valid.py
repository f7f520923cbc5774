# Wrong: only rejects negative amounts, so an order for 0 is processed.
import json


def lambda_handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])
            amount = order["amount"]
            order_id = order["orderId"]
            if not isinstance(amount, (int, float)) or amount < 0:
                raise ValueError("bad amount")
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        print(f"Processed order {order_id} for {amount:.2f}")
    return {"batchItemFailures": failures}
