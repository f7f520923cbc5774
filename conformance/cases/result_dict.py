def handler(event, context):
    return {"statusCode": 200, "body": "hello", "zeta": 1, "alpha": {"b": 1, "a": [1, 2.5, True, False, None]},
            "echo": event}
