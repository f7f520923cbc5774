# Wrong: catches only JSON syntax errors, then calls .get on whatever json.loads
# returned; a body like "[1, 2]" or "42" raises AttributeError and fails the batch.
import json


def lambda_handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])
        except ValueError:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        amount = order.get("amount")
        if "orderId" not in order or not isinstance(amount, (int, float)) or amount <= 0:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        print(f"Processed order {order['orderId']} for {amount:.2f}")
    return {"batchItemFailures": failures}
