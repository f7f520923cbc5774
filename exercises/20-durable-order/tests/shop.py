"""The pretend shop the order workflow calls: a warehouse, a card service
and a mailer. The checks give your function this module as `shop`, and
record every call it makes, so they can tell what happened and how often.

    shop.reserve_stock(order_id, items) -> str
        Holds the items for the order; answers a reservation id. Each call
        holds the items again: calling it twice holds them twice.

    shop.charge_card(order_id, amount, idempotency_key) -> str
        Charges the customer; answers a payment id. A second call with an
        idempotency key it has seen charges nothing and answers the first
        payment's id. It can fail for a while:
        - shop.CardServiceBusy: nothing was charged; try again later.
        - shop.CardServiceTimeout: the answer was lost on the way back, so
          you cannot tell whether the card was charged; try again later
          (with the same key, the card service makes sure it is charged
          once).

    shop.send_confirmation(order_id, payment_id, accepted_at) -> None
        E-mails the customer. Each call sends one more e-mail.
"""


class CardServiceBusy(Exception):
    """The card service is busy: nothing was charged. Try again later."""


class CardServiceTimeout(Exception):
    """The card service's answer was lost: the card may have been charged."""


# What the checks set and read. Not for your function.
calls = []
charges = {}
_trouble = []


def _reset(trouble):
    """Start a new run: forget every call; `trouble` lists what the card
    service does on each call ("busy", "timeout"), then it works."""
    calls.clear()
    charges.clear()
    _trouble[:] = list(trouble)


def reserve_stock(order_id, items):
    calls.append({"call": "reserve_stock", "order_id": order_id, "items": items})
    return f"r-{order_id}-{sum(1 for c in calls if c['call'] == 'reserve_stock')}"


def charge_card(order_id, amount, idempotency_key):
    trouble = _trouble.pop(0) if _trouble else None
    calls.append({"call": "charge_card", "order_id": order_id, "amount": amount,
                  "idempotency_key": idempotency_key, "trouble": trouble})
    if trouble == "busy":
        raise CardServiceBusy("the card service is busy, try again later")
    if idempotency_key not in charges:
        charges[idempotency_key] = {"payment_id": f"p-{order_id}-{len(charges) + 1}",
                                    "amount": amount}
    if trouble == "timeout":
        raise CardServiceTimeout("no answer from the card service (the card may have been charged)")
    return charges[idempotency_key]["payment_id"]


def send_confirmation(order_id, payment_id, accepted_at):
    calls.append({"call": "send_confirmation", "order_id": order_id,
                  "payment_id": payment_id, "accepted_at": accepted_at})
