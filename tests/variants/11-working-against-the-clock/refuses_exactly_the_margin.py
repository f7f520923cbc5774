# Wrong: stops when an item would leave exactly the margin (<= where the task
# says <), so it does one item fewer than it could.
import time


def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    next_index = start
    for i in range(start, len(items)):
        if context.get_remaining_time_in_millis() - items[i]["seconds"] * 1000 <= event["safetyMarginMs"]:
            break
        time.sleep(items[i]["seconds"])
        next_index = i + 1
    return {"processed": next_index - start, "nextIndex": next_index}
