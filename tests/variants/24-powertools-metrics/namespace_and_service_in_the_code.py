# Wrong: the namespace and the service are written in the code, so the
# same code deployed for another team still reports to Shop/orders.
"""Exercise 24: metrics with Powertools for AWS Lambda (solution)."""

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

metrics = Metrics(namespace="Shop", service="orders")


@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        metrics.add_metric(name="OrdersProcessed", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="OrderValue", unit=MetricUnit.NoUnit, value=order["amount"])
    return {"processed": len(orders)}
