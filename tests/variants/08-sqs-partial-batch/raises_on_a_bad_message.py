# Wrong: raises on the first bad message, so Lambda counts the whole batch as
# failed and SQS delivers every message again, the good ones included.
import json


def lambda_handler(event, context):
    for record in event["Records"]:
        order = json.loads(record["body"])
        if order["amount"] <= 0:
            raise ValueError(f"bad amount in message {record['messageId']}")
        print(f"Processed order {order['orderId']} for {order['amount']:.2f}")
    return {"batchItemFailures": []}
