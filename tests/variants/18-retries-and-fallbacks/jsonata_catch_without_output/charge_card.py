"""Exercise 18 (solution): ChargeCard, against a flaky payment gateway."""

# How many times ChargeCard was called for each order, while this
# environment stays warm: {"o-2001": 2, ...}
ATTEMPTS = {}


class CardDeclined(Exception):
    """The card was refused: permanent, so retrying cannot help."""


class PaymentGatewayTimeout(Exception):
    """The gateway did not answer: transient, so worth another try."""


def lambda_handler(event, context):
    order_id = event["orderId"]
    ATTEMPTS[order_id] = ATTEMPTS.get(order_id, 0) + 1
    attempt = ATTEMPTS[order_id]

    card = event["cardNumber"]
    if card.endswith("0000"):
        raise CardDeclined("the card ending in 0000 was declined")
    if card.endswith("9999") or attempt <= 2:
        raise PaymentGatewayTimeout("the payment gateway did not answer")
    return {"chargeId": "ch-" + order_id, "amountCents": event["amountCents"], "attempt": attempt}
