# Wrong: reads the time left at the start, before the work, so it still says
# the whole timeout is left.
import time


def lambda_handler(event, context):
    remaining = context.get_remaining_time_in_millis()
    time.sleep(event.get("workSeconds", 0))
    return {
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "memoryMb": int(context.memory_limit_in_mb),
        "remainingMs": remaining,
    }
