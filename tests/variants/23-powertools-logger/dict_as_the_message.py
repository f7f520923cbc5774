# Wrong: a dict as the message puts the keys under "message" instead of
# beside it, where a query looks for them.
"""Exercise 23: structured logs with Powertools for AWS Lambda (solution)."""

from aws_lambda_powertools import Logger

logger = Logger()


@logger.inject_lambda_context
def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info({"message": "order processed", "order_id": order["orderId"], "amount": order["amount"]})
    return {"processed": len(orders)}
