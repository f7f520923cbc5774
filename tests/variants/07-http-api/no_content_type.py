# Wrong: every status and body is right, but the responses carry no headers,
# so clients are not told that the body is JSON.
import base64
import json


def respond(status, payload):
    return {"statusCode": status, "body": json.dumps(payload)}


def lambda_handler(event, context):
    if event.get("version") == "2.0":
        method, path = event["requestContext"]["http"]["method"], event["rawPath"]
    else:
        method, path = event["httpMethod"], event["path"]
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
