# Wrong: the service is written in the code, so the same code deployed as
# another service still says "orders".
"""Exercise 23: structured logs with Powertools for AWS Lambda (solution)."""

from aws_lambda_powertools import Logger

logger = Logger(service="orders")


@logger.inject_lambda_context
def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info("order processed", order_id=order["orderId"], amount=order["amount"])
    return {"processed": len(orders)}
