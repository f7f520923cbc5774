"""Exercise 15: structured logs (solution)."""

import json
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info(json.dumps({
            "event": "order_processed",
            "orderId": order["orderId"],
            "amount": order["amount"],
            "requestId": context.aws_request_id,
        }))
    return {"processed": len(orders)}
