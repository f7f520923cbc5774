# Wrong: adds fields the contract does not have.
import time


def lambda_handler(event, context):
    time.sleep(event.get("workSeconds", 0))
    return {
        "requestId": context.aws_request_id,
        "functionName": context.function_name,
        "functionVersion": context.function_version,
        "memoryMb": int(context.memory_limit_in_mb),
        "remainingMs": context.get_remaining_time_in_millis(),
    }
