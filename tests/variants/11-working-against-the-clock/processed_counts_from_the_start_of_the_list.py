# Wrong: counts the items done by earlier invocations too; processed is only
# this invocation's items.
import time


def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    next_index = start
    for i in range(start, len(items)):
        if context.get_remaining_time_in_millis() - items[i]["seconds"] * 1000 < event["safetyMarginMs"]:
            break
        time.sleep(items[i]["seconds"])
        next_index = i + 1
    return {"processed": next_index, "nextIndex": next_index}
