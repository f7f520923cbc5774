# Wrong: returns {} when every message is good, instead of an empty list of
# failures under the batchItemFailures key.
import json


def lambda_handler(event, context):
    failures = []
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
    if not failures:
        return {}
    return {"batchItemFailures": failures}
