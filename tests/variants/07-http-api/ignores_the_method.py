# Wrong: routes on the path alone, so DELETE /hello greets and GET /echo tries
# to echo, where both should get a 404.
import base64
import json


def respond(status, payload):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(payload)}


def lambda_handler(event, context):
    path = event["rawPath"] if event.get("version") == "2.0" else event["path"]
    if path == "/hello":
        name = (event.get("queryStringParameters") or {}).get("name", "world")
        return respond(200, {"message": f"Hello, {name}!"})
    if path == "/echo":
        body = event.get("body") or ""
        if event.get("isBase64Encoded"):
            body = base64.b64decode(body)
        try:
            return respond(200, {"echo": json.loads(body)})
        except ValueError:
            return respond(400, {"error": "the body is not JSON"})
    return respond(404, {"error": "not found"})
