# Wrong: basicConfig(force=True) does make INFO appear, by removing Lambda's
# own handler: the level is now fixed in code, and the lines lose Lambda's
# format (no time, no request id in front).
import json
import logging

logging.basicConfig(level=logging.INFO, force=True)
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
