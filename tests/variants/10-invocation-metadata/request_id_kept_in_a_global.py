# Wrong: remembers the first invocation's request id in a module-level
# variable, so every warm invocation answers with that old id.
import time

REQUEST_ID = None


def lambda_handler(event, context):
    global REQUEST_ID
    time.sleep(event.get("workSeconds", 0))
    if REQUEST_ID is None:
        REQUEST_ID = context.aws_request_id
    return {
        "requestId": REQUEST_ID,
        "functionName": context.function_name,
        "memoryMb": int(context.memory_limit_in_mb),
        "remainingMs": context.get_remaining_time_in_millis(),
    }
