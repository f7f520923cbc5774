# Wrong: sets its logger's level to INFO in code, so the INFO lines show
# whatever level the function's configuration asks for.
import json
import logging

logger = logging.getLogger(__name__)
logger.setLevel(logging.INFO)


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
