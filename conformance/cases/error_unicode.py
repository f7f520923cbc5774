def handler(event, context):
    raise ValueError("caf\u00e9 \u2014 \U0001F600 failed")
