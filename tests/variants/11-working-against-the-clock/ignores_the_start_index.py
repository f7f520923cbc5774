# Wrong: always starts from the first item, so a continuation redoes the
# items an earlier invocation already did.
import time


def lambda_handler(event, context):
    items = event["items"]
    next_index = 0
    for i in range(len(items)):
        if context.get_remaining_time_in_millis() - items[i]["seconds"] * 1000 < event["safetyMarginMs"]:
            break
        time.sleep(items[i]["seconds"])
        next_index = i + 1
    return {"processed": next_index, "nextIndex": next_index}
