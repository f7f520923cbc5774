# Wrong: identifies a failed message by its orderId when the body has one.
# Lambda only knows messages by their messageId.
import json


def lambda_handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            order = json.loads(record["body"])
        except ValueError:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        if not isinstance(order, dict):
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        amount = order.get("amount")
        if "orderId" not in order or not isinstance(amount, (int, float)) or amount <= 0:
            failures.append({"itemIdentifier": order.get("orderId", record["messageId"])})
            continue
        print(f"Processed order {order['orderId']} for {amount:.2f}")
    return {"batchItemFailures": failures}
