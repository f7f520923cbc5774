"""Exercise 01: a first handler (solution)."""


def lambda_handler(event, context):
    name = event.get("name", "world")
    print(f"Saying hello to {name}")
    return {"statusCode": 200, "body": f"Hello, {name}!"}
