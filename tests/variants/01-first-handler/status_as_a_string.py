# Wrong: the status code is the string "200", not the number 200.
def lambda_handler(event, context):
    name = event.get("name", "world")
    print(f"Saying hello to {name}")
    return {"statusCode": "200", "body": f"Hello, {name}!"}
