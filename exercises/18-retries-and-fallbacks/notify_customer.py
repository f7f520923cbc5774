"""Exercise 18: NotifyCustomer, the fallback (see charge_card.py for the task).

The machine sends here an order whose card was declined, with the error the
Catch caught under "error":
    {"orderId": "o-2002", "cardNumber": "4000000000000000", "amountCents": 1299,
     "error": {"Error": "CardDeclined", "Cause": "..."}}
Return {"orderId": <the order's orderId>, "reason": <the error's name, event["error"]["Error"]>}:
    {"orderId": "o-2002", "reason": "CardDeclined"}
(A real one would send the customer an email; this one only says what it would send.)
"""


def lambda_handler(event, context):
    # tell the customer what went wrong
    return {}
