"""Exercise 11: working against the clock (solution)."""

import time


def lambda_handler(event, context):
    items = event["items"]
    start = event.get("startIndex", 0)
    margin_ms = event["safetyMarginMs"]

    next_index = start
    while next_index < len(items):
        item = items[next_index]
        left_ms = context.get_remaining_time_in_millis()
        if left_ms - item["seconds"] * 1000 < margin_ms:
            print(f"stopping before {item['id']}: {left_ms} ms left")
            break
        print(f"working on {item['id']}")
        time.sleep(item["seconds"])
        next_index += 1

    return {"processed": next_index - start, "nextIndex": next_index}
