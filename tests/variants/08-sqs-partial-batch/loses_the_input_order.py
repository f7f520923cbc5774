# Wrong: checks the batch in two passes (first for JSON, then for the fields),
# so the failures come back grouped by kind instead of in arrival order.
import json


def lambda_handler(event, context):
    failures = []
    parsed = []
    for record in event["Records"]:
        try:
            parsed.append((record, json.loads(record["body"])))
        except ValueError:
            failures.append({"itemIdentifier": record["messageId"]})
    for record, order in parsed:
        amount = order.get("amount") if isinstance(order, dict) else None
        if not isinstance(order, dict) or "orderId" not in order \
                or not isinstance(amount, (int, float)) or amount <= 0:
            failures.append({"itemIdentifier": record["messageId"]})
            continue
        print(f"Processed order {order['orderId']} for {amount:.2f}")
    return {"batchItemFailures": failures}
