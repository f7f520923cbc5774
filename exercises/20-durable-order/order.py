"""Exercise 20: a durable order.

A Lambda durable function that takes an order through its operations,
each checkpointed, so that when the function is invoked again (after a
wait, a retry or a failure) it replays from the checkpoints instead of
doing the work again. This draft works the first time through, and goes
wrong as soon as it is replayed. Make it:

1. a step named "accept-order" that reads the clock once: the time the
   order was accepted, as an ISO 8601 string;
2. a step named "reserve-stock": shop.reserve_stock(order_id, items);
3. a step named "charge-card": shop.charge_card(order_id, amount,
   idempotency_key), retried when it fails: 3 attempts in all, 2 seconds
   before the second and 4 before the third, no jitter. The card service
   answers a key it has seen with the first payment, so the key must be
   the same on every attempt and every replay;
4. a wait named "cooling-off" of 30 minutes (the customer may still
   cancel) that costs nothing while it lasts;
5. a step named "send-confirmation": shop.send_confirmation(order_id,
   payment_id, accepted_at).

The event: {"order_id": "o-1001", "items": ["book", "lamp"], "amount": 42.5}
The result: {"order_id": "o-1001", "status": "confirmed",
             "reservation_id": ..., "payment_id": ..., "accepted_at": ...}
(the ids as the shop answered them). The shop is described in
tests/shop.py; the checks give your function that module.

Check your work with: cargo test -p exercise-20
"""

import time
import uuid
from datetime import datetime, timezone

from aws_durable_execution_sdk_python import DurableContext, StepContext, durable_execution

import shop

COOLING_OFF_SECONDS = 30 * 60


@durable_execution
def lambda_handler(event, context: DurableContext):
    order_id = event["order_id"]
    accepted_at = datetime.now(timezone.utc).isoformat()
    reservation_id = shop.reserve_stock(order_id, event["items"])

    def charge(step_context: StepContext):
        return shop.charge_card(order_id, event["amount"], idempotency_key=str(uuid.uuid4()))

    payment_id = context.step(charge, name="charge-card")

    time.sleep(COOLING_OFF_SECONDS)

    context.step(
        lambda _: shop.send_confirmation(order_id, payment_id, accepted_at),
        name="send-confirmation",
    )
    return {
        "order_id": order_id,
        "status": "confirmed",
        "reservation_id": reservation_id,
        "payment_id": payment_id,
        "accepted_at": accepted_at,
    }
