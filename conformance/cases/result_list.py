def handler(event, context):
    return [1, "two", 3.5, None, True, [], {}, [{"k": "v"}], -0.0, 1e16, 12345678901234567]
