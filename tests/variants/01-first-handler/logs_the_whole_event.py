# Wrong: still prints the whole event as well as the greeting line.
def lambda_handler(event, context):
    print("Received event: " + str(event))
    name = event.get("name", "world")
    print(f"Saying hello to {name}")
    return {"statusCode": 200, "body": f"Hello, {name}!"}
