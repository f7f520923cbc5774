"""Exercise 10: invocation metadata.

Lambda passes every handler a second argument, `context`, that describes this
one invocation and the function it runs in. Your task: answer with four facts
read from it, each in the form the caller can use.

Return exactly this dict, with these four keys and no others:
  {"requestId":    context.aws_request_id, the id of THIS invocation
                   (a new one every time, also on a warm start),
   "functionName": context.function_name,
   "memoryMb":     the function's memory setting as an int: context gives
                   it as a string ("256"), the answer wants the number 256,
   "remainingMs":  context.get_remaining_time_in_millis(), an int, read
                   AFTER the work, just before returning}

The event may hold "workSeconds", how long this function's real work takes;
the time.sleep line at the top of the handler stands in for that work. Keep
it where it is, first in the handler. {} means no work at all.

For a function named "thumbnail-maker" with 256 MB of memory and a 10-second
timeout, the event {"workSeconds": 2.5} gets
  {"requestId": "3f2b8c1e-7d4a-4e6b-9a0c-5d1e2f3a4b5c",
   "functionName": "thumbnail-maker", "memoryMb": 256, "remainingMs": 7500}
(the request id is whatever Lambda gave that invocation). The checks run on
an exact test clock, so remainingMs is exactly 10000 - 2500 there; on a real
clock it would be a few milliseconds less.

Try it:              cargo lab invoke exercises/10-invocation-metadata/handler.py --event exercises/10-invocation-metadata/events/half-a-second-of-work.json
Check your work with:  cargo test -p exercise-10
"""

import time


def lambda_handler(event, context):
    # pretend to do the work this function exists for (keep this line first)
    time.sleep(event.get("workSeconds", 0))

    # print the AWS request ID and memory limit
    print(f"AWS Request ID: {context.aws_request_id}")
    print(f"Memory Limit: {context.memory_limit_in_mb}")

    return {
        "requestId": "00000000-0000-0000-0000-000000000000",
        "functionName": "my-function",
        "memoryMb": context.memory_limit_in_mb,
        "remainingMs": 3000,
    }
