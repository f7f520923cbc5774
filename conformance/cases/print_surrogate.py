def handler(event, context):
    print("before")
    print("lone surrogate \ud800 here")
    return "unreachable on Lambda"
