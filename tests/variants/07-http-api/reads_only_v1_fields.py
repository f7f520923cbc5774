# Wrong: reads the method and path where payload v1 keeps them. A v2 event has
# no httpMethod or path, so every v2 request looks like an unknown route.
import base64
import json


def respond(status, payload):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(payload)}


def lambda_handler(event, context):
    method, path = event.get("httpMethod"), event.get("path")
    if method == "GET" and path == "/hello":
        name = (event.get("queryStringParameters") or {}).get("name", "world")
        return respond(200, {"message": f"Hello, {name}!"})
    if method == "POST" and path == "/echo":
        body = event.get("body") or ""
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body)
        try:
            return respond(200, {"echo": json.loads(body)})
        except ValueError:
            return respond(400, {"error": "the body is not JSON"})
    return respond(404, {"error": "not found"})
