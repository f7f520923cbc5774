# Wrong: passes over an item that does not fit and goes on with later,
# shorter ones, so "every item before nextIndex is done" is no longer true.
import time


def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    processed = 0
    next_index = start
    for i in range(start, len(items)):
        if context.get_remaining_time_in_millis() - items[i]["seconds"] * 1000 < event["safetyMarginMs"]:
            continue
        time.sleep(items[i]["seconds"])
        processed += 1
        next_index = i + 1
    return {"processed": processed, "nextIndex": next_index}
