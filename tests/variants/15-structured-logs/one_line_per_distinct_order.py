# Wrong: keeps the orders in a dict keyed by their id, so an order that
# arrives twice in one batch (a redelivery) is logged once.
import json
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    by_id = {order["orderId"]: order for order in orders}
    for order_id, order in by_id.items():
        logger.info(json.dumps({
            "event": "order_processed",
            "orderId": order_id,
            "amount": order["amount"],
            "requestId": context.aws_request_id,
        }))
    return {"processed": len(orders)}
