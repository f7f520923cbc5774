# Wrong: stops only when less than the margin is left now, without counting
# the time the next item itself will take.
import time


def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    next_index = start
    for i in range(start, len(items)):
        if context.get_remaining_time_in_millis() < event["safetyMarginMs"]:
            break
        time.sleep(items[i]["seconds"])
        next_index = i + 1
    return {"processed": next_index - start, "nextIndex": next_index}
