# Wrong: the level is written in the code. Lambda's own level still wins,
# and Powertools warns about the mismatch in the log at every cold start.
"""Exercise 23: structured logs with Powertools for AWS Lambda (solution)."""

from aws_lambda_powertools import Logger

logger = Logger(level="INFO")


@logger.inject_lambda_context
def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info("order processed", order_id=order["orderId"], amount=order["amount"])
    return {"processed": len(orders)}
