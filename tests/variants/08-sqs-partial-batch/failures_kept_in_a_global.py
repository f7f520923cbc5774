# Wrong: the list of failures lives at module level, so on a warm start it
# still holds the previous batch's failures.
import json

failures = []


def lambda_handler(event, context):
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])
            amount = order["amount"]
            order_id = order["orderId"]
            if not isinstance(amount, (int, float)) or amount <= 0:
                raise ValueError("bad amount")
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        print(f"Processed order {order_id} for {amount:.2f}")
    return {"batchItemFailures": failures}
