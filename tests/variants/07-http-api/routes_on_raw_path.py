# Wrong: routes on rawPath as it arrives. On a named stage an HTTP API puts
# the stage in front of it (/prod/echo), so every request gets a 404.

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
    """The HTTP method and the route's path, from either payload version."""
    if event.get("version") == "2.0":
        method = event["requestContext"]["http"]["method"]
        return method, event["rawPath"]
    return event["httpMethod"], event["path"]


def reject_constant(name):
    """json.loads calls this for NaN, Infinity and -Infinity, which JSON does not have."""
    raise ValueError(f"{name} is not allowed in JSON")


def json_body(event):
    """The request body parsed as JSON; ValueError when it is not JSON."""
    body = event.get("body")
    if body is None:
        raise ValueError("the request has no body")
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body)  # json.loads reads the UTF-8 bytes
    try:
        return json.loads(body, parse_constant=reject_constant)
    except RecursionError:
        raise ValueError("it is nested too deeply") from None


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
        try:
            # allow_nan=False: a number Python read as inf (1e400) cannot be
            # written back as JSON, so it is refused rather than echoed.
            echo = json.dumps({"echo": data}, allow_nan=False)
        except (ValueError, RecursionError) as error:
            return respond(400, {"error": f"the body cannot be echoed as JSON: {error}"})
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": echo}

    return respond(404, {"error": f"no route for {method} {path}"})
