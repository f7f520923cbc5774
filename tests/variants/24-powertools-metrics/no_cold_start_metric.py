# Wrong: no capture_cold_start_metric, so cold starts are not counted.
"""Exercise 24: metrics with Powertools for AWS Lambda (solution)."""

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit

metrics = Metrics()


@metrics.log_metrics
def lambda_handler(event, context):
    orders = event["orders"]
    for order in orders:
        metrics.add_metric(name="OrdersProcessed", unit=MetricUnit.Count, value=1)
        metrics.add_metric(name="OrderValue", unit=MetricUnit.NoUnit, value=order["amount"])
    return {"processed": len(orders)}
