def handler(event, context):
    raise Exception("first", 2, None)
