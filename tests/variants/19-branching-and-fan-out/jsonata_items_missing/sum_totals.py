"""Exercise 19 (solution): SumTotals."""


def lambda_handler(event, context):
    return {"totalCents": sum(line["totalCents"] for line in event["lines"])}
