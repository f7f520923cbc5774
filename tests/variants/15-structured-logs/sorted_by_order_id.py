# Wrong: sorts the batch by order id "to make the log tidy", so the log no
# longer says in which order the orders were handled.
import json
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in sorted(orders, key=lambda o: o["orderId"]):
        logger.info(json.dumps({
            "event": "order_processed",
            "orderId": order["orderId"],
            "amount": order["amount"],
            "requestId": context.aws_request_id,
        }))
    return {"processed": len(orders)}
