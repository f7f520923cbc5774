class OrderRejected(Exception):
    pass


def validate(order):
    if order.get("quantity", 0) <= 0:
        raise OrderRejected("quantity must be positive, got %r" % order.get("quantity"))


def handler(event, context):
    validate(event)
    return "accepted"
