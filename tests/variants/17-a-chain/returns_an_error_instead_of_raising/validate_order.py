"""Wrong: returns an error object instead of raising, so Step Functions sees a success."""


def lambda_handler(event, context):
    items = event.get("items") or []
    if not items:
        return {"error": "an order needs at least one item"}
    return {**event, "itemCount": sum(item["qty"] for item in items)}
