# Wrong: writes the EMF lines with logger.info. At Lambda's default level,
# WARNING, INFO records are never written: no line, so no metric. Metrics
# must not depend on how chatty the logs are set to be.
import json
import logging
import time

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        logger.info(json.dumps({
            "_aws": {
                "Timestamp": int(time.time() * 1000),
                "CloudWatchMetrics": [{
                    "Namespace": "Shop",
                    "Dimensions": [["Service"]],
                    "Metrics": [
                        {"Name": "OrdersProcessed", "Unit": "Count"},
                        {"Name": "OrderValue", "Unit": "None"},
                    ],
                }],
            },
            "Service": "orders",
            "OrdersProcessed": 1,
            "OrderValue": order["amount"],
        }))
    return {"processed": len(orders)}
