# Wrong: adds the invocation's details once, on the first call, and keeps
# them: every warm call logs the first request id and cold_start true.
"""Exercise 23: structured logs with Powertools for AWS Lambda (solution)."""

from aws_lambda_powertools import Logger

logger = Logger()


def lambda_handler(event, context):
    global done
    if not globals().get("done"):
        logger.append_keys(function_request_id=context.aws_request_id, cold_start=True, function_name=context.function_name)
        done = True
    orders = event["orders"]
    for order in orders:
        logger.info("order processed", order_id=order["orderId"], amount=order["amount"])
    return {"processed": len(orders)}
