"""Exercise 20: a durable order (solution).

A Lambda durable function that takes an order through four operations,
each checkpointed, so that when the function is invoked again (after a
wait, a retry or a failure) it replays from the checkpoints instead of
doing the work again:

1. a step named "accept-order" that reads the clock once: the time the
   order was accepted, as an ISO 8601 string (datetime.now(timezone.utc));
2. a step named "reserve-stock": shop.reserve_stock(order_id, items);
3. a step named "charge-card": shop.charge_card(order_id, amount,
   idempotency_key), retried when it fails: 3 attempts in all, 2 seconds
   before the second and 4 before the third, no jitter. The key must be
   the same on every attempt and every replay;
4. a wait named "cooling-off" of 30 minutes (the customer may still
   cancel), with context.wait: a durable function waits without running;
5. a step named "send-confirmation": shop.send_confirmation(order_id,
   payment_id, accepted_at).

The event: {"order_id": "o-1001", "items": ["book", "lamp"], "amount": 42.5}
The result: {"order_id": "o-1001", "status": "confirmed",
             "reservation_id": ..., "payment_id": ..., "accepted_at": ...}

Check your work with: cargo test -p exercise-20
"""

from datetime import datetime, timezone

from aws_durable_execution_sdk_python import DurableContext, StepContext, durable_execution
from aws_durable_execution_sdk_python.config import Duration, JitterStrategy, StepConfig
from aws_durable_execution_sdk_python.retries import RetryStrategyConfig, create_retry_strategy

import shop

CHARGE_RETRIES = StepConfig(
    retry_strategy=create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=3,
            initial_delay=Duration.from_seconds(2),
            backoff_rate=2,
            jitter_strategy=JitterStrategy.NONE,
        )
    )
)


@durable_execution
def lambda_handler(event, context: DurableContext):
    order_id = event["order_id"]

    accepted_at = context.step(
        lambda _: datetime.now(timezone.utc).isoformat(), name="accept-order"
    )
    reservation_id = context.step(
        lambda _: shop.reserve_stock(order_id, event["items"]), name="reserve-stock"
    )

    def charge(step_context: StepContext):
        return shop.charge_card(order_id, event["amount"], idempotency_key=f"charge-{order_id}")

    payment_id = context.step(charge, name="charge-card", config=CHARGE_RETRIES)

    context.wait(Duration.from_minutes(30), name="cooling-off")

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
