# Wrong: looks at the clock after each item instead of before, so it starts
# one item too many, and times out when that item does not fit.
import time


def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    next_index = start
    for i in range(start, len(items)):
        time.sleep(items[i]["seconds"])
        next_index = i + 1
        if context.get_remaining_time_in_millis() < event["safetyMarginMs"]:
            break
    return {"processed": next_index - start, "nextIndex": next_index}
