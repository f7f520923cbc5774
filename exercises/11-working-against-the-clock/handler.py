"""Exercise 11: working against the clock.

Every invocation has a deadline: the function's timeout. A handler that
starts more work than fits is stopped halfway (Sandbox.Timedout), and the
caller learns nothing about what was done. Your task: do as many work items
as fit, stop in time, and say where the next invocation should carry on.

The event:
  {"items": [{"id": "a", "seconds": 1.5}, ...],
   "startIndex": 0,
   "safetyMarginMs": 2000}
  - items: the whole list, every time. An item takes item["seconds"] seconds
    (a number above 0); the time.sleep line below stands in for that work.
  - startIndex: the index of the first item to look at. Missing means 0.
  - safetyMarginMs: how many milliseconds must still be left after an item
    (above 0), kept in hand for saving progress and answering.

The rule, before STARTING item i (from startIndex on, in order):
    left = context.get_remaining_time_in_millis()
    if left - item["seconds"] * 1000 < safetyMarginMs: stop, without
        starting item i; it and the items after it wait for the next
        invocation. Otherwise do it: time.sleep(item["seconds"]).
  Leaving exactly safetyMarginMs is allowed (the test is <, not <=). Stop at
  the first item that does not fit; never skip it to do a later one.

Return {"processed": N, "nextIndex": NEXT}:
  - N: how many items THIS invocation did;
  - NEXT: the index of the first item not done, startIndex + N, so the next
    invocation can be sent the same items with "startIndex": NEXT. When the
    list is finished, NEXT is len(items).

With a 10-second timeout, four items of 3 s each and a margin of 2000 ms:
10000 ms are left before item 0 and 7000 before item 1, both fine; before
item 2 only 4000 are left, and 4000 - 3000 = 1000 < 2000, so it stops:
{"processed": 2, "nextIndex": 2}. Sent again with "startIndex": 2, it does
items 2 and 3 and returns {"processed": 2, "nextIndex": 4}.

Try it:              cargo lab invoke exercises/11-working-against-the-clock/handler.py --event exercises/11-working-against-the-clock/events/thumbnails.json
Check your work with:  cargo test -p exercise-11
"""

import time


def lambda_handler(event, context):
    items = event["items"]

    for item in items:
        print(f"working on {item['id']}")
        time.sleep(item["seconds"])  # stands in for the real work

    return {"processed": len(items), "nextIndex": len(items)}
