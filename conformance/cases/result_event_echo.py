def handler(event, context):
    return {"event": event, "types": {k: type(v).__name__ for k, v in event.items()}}
