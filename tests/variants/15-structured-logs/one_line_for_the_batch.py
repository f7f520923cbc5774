# Wrong: writes one line for the whole batch, so no line can be found by a
# single order id, and a big batch makes one enormous line.
import json
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    logger.info(json.dumps({
        "event": "orders_processed",
        "orders": [{"orderId": o["orderId"], "amount": o["amount"]} for o in orders],
        "requestId": context.aws_request_id,
    }))
    return {"processed": len(orders)}
