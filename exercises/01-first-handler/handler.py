"""Exercise 01: a first handler.

Lambda calls `lambda_handler(event, context)` each time your function is
invoked. `event` is the JSON the caller sent, already turned into Python
(here a dict); `context` tells you about the invocation (you will meet it in
a later chapter). Whatever you return is turned back into JSON for the caller.

The task: make this handler greet someone by name.
  - Read `name` from the event. If the event has no `name`, use "world".
  - Print exactly one line to the log: Saying hello to <name>
  - Return {"statusCode": 200, "body": "Hello, <name>!"}

For the event {"name": "Ada"} it prints `Saying hello to Ada` and returns
{"statusCode": 200, "body": "Hello, Ada!"}.

Check your work with:  cargo test -p exercise-01
"""


def lambda_handler(event, context):
    # print the event details
    print('Received event: ' + str(event))

    # return a response
    return {
        'statusCode': 200,
        'body': 'Hello from Lambda!'
    }
