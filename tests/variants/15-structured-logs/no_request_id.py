# Wrong: the JSON object has no requestId (Lambda's text prefix has one, but
# the object alone no longer says which invocation wrote it).
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
        }))
    return {"processed": len(orders)}
