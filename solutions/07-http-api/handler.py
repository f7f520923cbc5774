"""Exercise 07: an HTTP API that speaks both payload versions (solution)."""

import base64
import json


def respond(status, payload):
    """An API Gateway response whose body is `payload` as JSON text."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(payload),
    }


def method_and_path(event):
    """The HTTP method and path, from either payload version."""
    if event.get("version") == "2.0":
        return event["requestContext"]["http"]["method"], event["rawPath"]
    return event["httpMethod"], event["path"]


def json_body(event):
    """The request body parsed as JSON; ValueError when it is not JSON."""
    body = event.get("body")
    if body is None:
        raise ValueError("the request has no body")
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body)  # json.loads reads the UTF-8 bytes
    return json.loads(body)


def lambda_handler(event, context):
    method, path = method_and_path(event)

    if method == "GET" and path == "/hello":
        query = event.get("queryStringParameters") or {}  # v1 sends None
        name = query.get("name", "world")
        return respond(200, {"message": f"Hello, {name}!"})

    if method == "POST" and path == "/echo":
        try:
            data = json_body(event)
        except ValueError as error:  # binascii, Unicode and JSON errors are ValueErrors
            return respond(400, {"error": f"the body is not valid JSON: {error}"})
        return respond(200, {"echo": data})

    return respond(404, {"error": f"no route for {method} {path}"})
