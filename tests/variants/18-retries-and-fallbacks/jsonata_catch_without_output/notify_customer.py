"""Exercise 18 (solution): NotifyCustomer, the fallback for a declined card."""


def lambda_handler(event, context):
    return {"orderId": event["orderId"], "reason": event["error"]["Error"]}
