"""Wrong: one counter for every order, so the second order is charged on its first attempt."""

# How many times ChargeCard was called, all orders together.
ATTEMPTS = 0


class CardDeclined(Exception):
    """The card was refused: permanent, so retrying cannot help."""


class PaymentGatewayTimeout(Exception):
    """The gateway did not answer: transient, so worth another try."""


def lambda_handler(event, context):
    order_id = event["orderId"]
    global ATTEMPTS
    ATTEMPTS += 1
    attempt = ATTEMPTS

    card = event["cardNumber"]
    if card.endswith("0000"):
        raise CardDeclined("the card ending in 0000 was declined")
    if card.endswith("9999") or attempt <= 2:
        raise PaymentGatewayTimeout("the payment gateway did not answer")
    return {"chargeId": "ch-" + order_id, "amountCents": event["amountCents"], "attempt": attempt}
