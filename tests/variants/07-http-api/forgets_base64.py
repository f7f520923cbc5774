# Wrong: parses the body as it arrives, even when isBase64Encoded is true, so
# a base64-encoded JSON body is taken for text that is not JSON (400).
import json


def respond(status, payload):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(payload)}


def lambda_handler(event, context):
    if event.get("version") == "2.0":
        method, path = event["requestContext"]["http"]["method"], event["rawPath"]
    else:
        method, path = event["httpMethod"], event["path"]
    if method == "GET" and path == "/hello":
        name = (event.get("queryStringParameters") or {}).get("name", "world")
        return respond(200, {"message": f"Hello, {name}!"})
    if method == "POST" and path == "/echo":
        try:
            return respond(200, {"echo": json.loads(event.get("body") or "")})
        except ValueError:
            return respond(400, {"error": "the body is not JSON"})
    return respond(404, {"error": "not found"})
