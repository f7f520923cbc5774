# Wrong: passes memory_limit_in_mb on as it comes, the string "256".
import time


def lambda_handler(event, context):
    time.sleep(event.get("workSeconds", 0))
    return {
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "memoryMb": context.memory_limit_in_mb,
        "remainingMs": context.get_remaining_time_in_millis(),
    }
