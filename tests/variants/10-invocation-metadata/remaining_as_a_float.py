# Wrong: goes through seconds for a log line and back, so the time left is the
# float 7500.0, not the int 7500.
import time


def lambda_handler(event, context):
    time.sleep(event.get("workSeconds", 0))
    seconds_left = context.get_remaining_time_in_millis() / 1000
    print(f"{seconds_left:.1f} s left")
    return {
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "memoryMb": int(context.memory_limit_in_mb),
        "remainingMs": seconds_left * 1000,
    }
