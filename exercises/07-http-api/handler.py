"""Exercise 07: an HTTP API that speaks both payload versions.

API Gateway turns an HTTP request into an event for your function, and your
response into the HTTP response. A REST API sends payload version 1.0; an
HTTP API sends version 2.0 ("version": "2.0") unless told otherwise. The two
put the same things in different places:
  - method:  v1 event["httpMethod"]   v2 event["requestContext"]["http"]["method"]
  - path:    v1 event["path"]         v2 event["rawPath"], less the stage:
             on a stage other than "$default", an HTTP API puts the stage's
             name in front (POST /echo on the stage "prod" arrives with
             rawPath "/prod/echo"; the stage is in
             event["requestContext"]["stage"]). Take off that leading
             "/<stage>" only; v1's "path" never has it.
  - query:   event["queryStringParameters"], but v1 sends None when there is
             no query string, and v2 leaves the key out.
  - body:    event["body"], a string or None; when event["isBase64Encoded"] is
             true, the text is base64 and must be decoded first.

The task: accept both versions and answer these routes.
  - GET /hello  -> 200, body {"message": "Hello, NAME!"}, NAME being the
    `name` query parameter, or "world" when there is none.
  - POST /echo with a JSON body -> 200, body {"echo": <the parsed body>}.
    A body that is missing or is not JSON -> 400, body {"error": "<message>"}.
    "Not JSON" includes what Python's json.loads accepts but JSON does not
    have: NaN, Infinity and -Infinity. A body whose echo cannot be written as
    JSON (1e400, which Python reads as inf) and a body nested so deeply that
    json.loads raises RecursionError get 400 too: every response body is
    valid JSON.
  - Any other method or path -> 404, body {"error": "<message>"}.
Every response is {"statusCode": STATUS,
                   "headers": {"Content-Type": "application/json"},
                   "body": json.dumps(...)}: the body is a string of JSON.

For GET /hello?name=Ada (either version) it returns
{"statusCode": 200, "headers": {"Content-Type": "application/json"},
 "body": "{\"message\": \"Hello, Ada!\"}"}.

Try it:              cargo lab invoke exercises/07-http-api/handler.py --event apigw-rest-get-no-query
Check your work with:  cargo test -p exercise-07
"""

import json


def lambda_handler(event, context):
    # TODO implement
    return {
        'statusCode': 200,
        'body': json.dumps('Hello from Lambda!')
    }
