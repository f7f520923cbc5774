# Wrong: passes the dict to logger.info as it is. The text format writes
# str(dict), Python's repr with single quotes: not JSON.
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info({
            "event": "order_processed",
            "orderId": order["orderId"],
            "amount": order["amount"],
            "requestId": context.aws_request_id,
        })
    return {"processed": len(orders)}
