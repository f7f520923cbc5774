# Wrong: works out the deadline on the first invocation and keeps it in a
# module-level variable; a warm invocation later on measures against a
# deadline that has already passed.
import time

DEADLINE = None


def lambda_handler(event, context):
    global DEADLINE
    if DEADLINE is None:
        DEADLINE = time.time() + context.get_remaining_time_in_millis() / 1000
    items = event["items"]
    start = event.get("startIndex", 0)
    next_index = start
    for i in range(start, len(items)):
        left_ms = (DEADLINE - time.time()) * 1000
        if left_ms - items[i]["seconds"] * 1000 < event["safetyMarginMs"]:
            break
        time.sleep(items[i]["seconds"])
        next_index = i + 1
    return {"processed": next_index - start, "nextIndex": next_index}
