def handler(event, context):
    print("working on it...", end="")
    raise ValueError("gave up mid-line")
