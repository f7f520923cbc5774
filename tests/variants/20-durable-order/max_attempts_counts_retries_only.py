"""Exercise 20, a wrong answer: max_attempts is read as the number of retries, so the card is tried 4 times."""


from datetime import datetime, timezone

from aws_durable_execution_sdk_python import DurableContext, StepContext, durable_execution
from aws_durable_execution_sdk_python.config import Duration, JitterStrategy, StepConfig
from aws_durable_execution_sdk_python.retries import RetryStrategyConfig, create_retry_strategy

import shop

CHARGE_RETRIES = StepConfig(
    retry_strategy=create_retry_strategy(
        RetryStrategyConfig(
            max_attempts=4,
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
