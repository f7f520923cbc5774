# Wrong: remembers the first name in a module-level variable, so a warm start
# greets the previous caller.
NAME = None


def lambda_handler(event, context):
    global NAME
    if NAME is None:
        NAME = event.get("name", "world")
    print(f"Saying hello to {NAME}")
    return {"statusCode": 200, "body": f"Hello, {NAME}!"}
