# Wrong: measures the time spent with time.time() against a timeout written
# into the code (10 s). Right for one configuration, wrong for any other.
import time

TIMEOUT_MS = 10_000


def lambda_handler(event, context):
    started = time.time()
    items = event["items"]
    start = event.get("startIndex", 0)
    next_index = start
    for i in range(start, len(items)):
        left_ms = TIMEOUT_MS - (time.time() - started) * 1000
        if left_ms - items[i]["seconds"] * 1000 < event["safetyMarginMs"]:
            break
        time.sleep(items[i]["seconds"])
        next_index = i + 1
    return {"processed": next_index - start, "nextIndex": next_index}
