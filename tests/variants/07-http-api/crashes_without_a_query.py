# Wrong: .get("queryStringParameters", {}) gives {} only when the key is
# missing (v2). A REST API (v1) sends the key with the value null, so the
# handler gets None and None.get(...) raises AttributeError.
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
        name = event.get("queryStringParameters", {}).get("name", "world")
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
