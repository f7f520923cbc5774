# Wrong: builds the "JSON" with an f-string. It looks right, but the quotes
# and the number formatting are left to chance: here the id is not quoted.
import logging

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info(
            f'{{"event": "order_processed", "orderId": {order["orderId"]}, '
            f'"amount": {order["amount"]}, "requestId": "{context.aws_request_id}"}}'
        )
    return {"processed": len(orders)}
