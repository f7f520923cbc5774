"""Exercise 18: retries and fallbacks. This is the first of three files.

The state machine in machine.json charges a card with ChargeCard (this file).
The payment gateway behind it is flaky, and some cards are declined. Like a
payment provider's test mode, the card number decides what happens.

The input of the execution (and of ChargeCard) is
    {"orderId": "o-2001", "cardNumber": "4242424242424242", "amountCents": 2675}

The task:
  - ChargeCard (this file). Every call counts as one attempt for its orderId,
    in the module-level dict ATTEMPTS (already done below). Then:
      * a card number ending in "0000" is declined, on every attempt:
        raise CardDeclined("the card ending in 0000 was declined");
      * a card number ending in "9999" meets a gateway that is down, on every
        attempt: raise PaymentGatewayTimeout("the payment gateway did not answer");
      * any other card meets a gateway that fails twice: on the first and second
        attempt for the order, raise PaymentGatewayTimeout("the payment gateway
        did not answer"); from the third attempt on, return
        {"chargeId": "ch-" + orderId, "amountCents": amountCents, "attempt": N},
        N being the attempt that succeeded (3).
    CardDeclined and PaymentGatewayTimeout are two classes of your own, defined
    in this file at module level, each a subclass of Exception. Step Functions
    names an error after its class, and the machine needs the two names.
  - NotifyCustomer (notify_customer.py) receives the order with the caught
    error under "error" and returns {"orderId": ..., "reason": ...}, the
    reason being the error's name: event["error"]["Error"].
  - machine.json. The Charge state (it keeps the order and puts ChargeCard's
    result under "payment") gets:
      * one retrier: ErrorEquals ["PaymentGatewayTimeout"], IntervalSeconds 2,
        MaxAttempts 3, BackoffRate 2, so it waits 2 s, then 4 s (then 8 s);
      * one catcher: ErrorEquals ["CardDeclined"], ResultPath "$.error",
        Next "NotifyCustomer";
    and a new Task state named NotifyCustomer calls the NotifyCustomer function
    and puts its result under "notification" (ResultPath "$.notification"),
    then ends. A declined card is never retried. Nothing else is caught: when
    the gateway still times out after the third retry, the execution fails
    with PaymentGatewayTimeout.

So the order above is charged on the third call, after waits of 2 s and 4 s:
    {"orderId": "o-2001", "cardNumber": "4242424242424242", "amountCents": 2675,
     "payment": {"chargeId": "ch-o-2001", "amountCents": 2675, "attempt": 3}}
and {"orderId": "o-2002", "cardNumber": "4000000000000000", "amountCents": 1299}
calls ChargeCard once and ends with
    {"orderId": "o-2002", "cardNumber": "4000000000000000", "amountCents": 1299,
     "error": {"Error": "CardDeclined", "Cause": "...the error, as a JSON string..."},
     "notification": {"orderId": "o-2002", "reason": "CardDeclined"}}

Check your work with:  cargo test -p exercise-18
"""

# How many times ChargeCard was called for each order, while this
# environment stays warm: {"o-2001": 2, ...}
ATTEMPTS = {}


def lambda_handler(event, context):
    order_id = event["orderId"]
    ATTEMPTS[order_id] = ATTEMPTS.get(order_id, 0) + 1
    attempt = ATTEMPTS[order_id]

    card = event["cardNumber"]
    if card.endswith("0000"):
        raise Exception("the card ending in 0000 was declined")
    if card.endswith("9999") or attempt <= 2:
        raise Exception("the payment gateway did not answer")
    return {"chargeId": "ch-" + order_id, "amountCents": event["amountCents"], "attempt": attempt}
