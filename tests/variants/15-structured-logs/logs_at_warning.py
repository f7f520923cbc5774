# Wrong: logs each order at WARNING "so that it shows up": routine progress
# is not a warning, and the line can no longer be switched off.
import json
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.warning(json.dumps({
            "event": "order_processed",
            "orderId": order["orderId"],
            "amount": order["amount"],
            "requestId": context.aws_request_id,
        }))
    return {"processed": len(orders)}
