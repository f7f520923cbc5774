# Wrong: works out how many items would fit, but never does them (no sleep).
def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    left_ms = context.get_remaining_time_in_millis()
    next_index = start
    for i in range(start, len(items)):
        item_ms = items[i]["seconds"] * 1000
        if left_ms - item_ms < event["safetyMarginMs"]:
            break
        left_ms -= item_ms
        next_index = i + 1
    return {"processed": next_index - start, "nextIndex": next_index}
