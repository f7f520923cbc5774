# Wrong: json.loads raises on a body that is not JSON and nothing catches it,
# so the invocation fails; behind API Gateway the client gets a 502, not a 400.
import base64
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
        body = event.get("body") or ""
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body)
        return respond(200, {"echo": json.loads(body)})
    return respond(404, {"error": "not found"})
