# Wrong: keeps the first invocation's request id in a module-level variable,
# so every warm invocation logs the id of a request that is long over.
import json
import logging

logger = logging.getLogger(__name__)
REQUEST_ID = None


def lambda_handler(event, context):
    global REQUEST_ID
    if REQUEST_ID is None:
        REQUEST_ID = context.aws_request_id
    orders = event["orders"]
    for order in orders:
        logger.info(json.dumps({
            "event": "order_processed",
            "orderId": order["orderId"],
            "amount": order["amount"],
            "requestId": REQUEST_ID,
        }))
    return {"processed": len(orders)}
