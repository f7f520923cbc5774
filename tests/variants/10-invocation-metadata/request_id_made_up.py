# Wrong: makes up a request id of its own; it looks right, but no log line,
# trace or caller knows it.
import time
import uuid


def lambda_handler(event, context):
    time.sleep(event.get("workSeconds", 0))
    return {
        "requestId": str(uuid.uuid4()),
        "functionName": context.function_name,
        "memoryMb": int(context.memory_limit_in_mb),
        "remainingMs": context.get_remaining_time_in_millis(),
    }
