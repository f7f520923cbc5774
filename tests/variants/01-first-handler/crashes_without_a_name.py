# Wrong: indexes the event directly, so an event without "name" raises KeyError.
def lambda_handler(event, context):
    name = event["name"]
    print(f"Saying hello to {name}")
    return {"statusCode": 200, "body": f"Hello, {name}!"}
