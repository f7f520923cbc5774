# Wrong: answers with the index of the last item it did, one less than the
# index of the first item left to do, so a continuation would redo an item.
import time


def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    processed = 0
    last_done = start
    for i in range(start, len(items)):
        if context.get_remaining_time_in_millis() - items[i]["seconds"] * 1000 < event["safetyMarginMs"]:
            break
        time.sleep(items[i]["seconds"])
        processed += 1
        last_done = i
    return {"processed": processed, "nextIndex": last_done}
