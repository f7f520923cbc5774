# Wrong: writes the configuration into the code; it is right for one function
# and wrong as soon as the name or the memory setting changes.
import time


def lambda_handler(event, context):
    time.sleep(event.get("workSeconds", 0))
    return {
        "requestId": context.aws_request_id,
        "functionName": "thumbnail-maker",
        "memoryMb": 256,
        "remainingMs": context.get_remaining_time_in_millis(),
    }
