# Wrong: the order id as a dimension: every order becomes a metric of its
# own, billed on its own.
"""Exercise 24: metrics with Powertools for AWS Lambda (solution)."""

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

metrics = Metrics()


@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        metrics.add_dimension(name="order_id", value=order["orderId"])
        metrics.add_metric(name="OrdersProcessed", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="OrderValue", unit=MetricUnit.NoUnit, value=order["amount"])
    return {"processed": len(orders)}
