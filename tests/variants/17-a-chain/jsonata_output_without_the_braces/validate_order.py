"""Exercise 17 (solution): ValidateOrder."""


class InvalidOrder(Exception):
    pass


def lambda_handler(event, context):
    items = event.get("items") or []
    if not items:
        raise InvalidOrder("an order needs at least one item")
    return {**event, "itemCount": sum(item["qty"] for item in items)}
