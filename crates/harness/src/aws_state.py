"""The administrator of the local AWS: sets up and reads the functions' accounts.

One process serves a whole test run (or `cargo lab invoke`): it reads one JSON
request per line on standard input and answers one JSON line on standard
output. Importing boto3 and loading the service models happens once, here,
instead of in a new interpreter for each state to set up or read.

A request is {"op": "seed", "world" or "items", "account": {credentials, endpoint,
region}, "state": ...}; the answer is {"ok": result} or {"error": "Type:
message"}. The clients are made for each request with that account's
credentials (the gateway tells accounts apart by their access keys), from
one botocore session, which keeps the loaded models.
"""

import json
import sys
from decimal import Decimal

import boto3

SESSION = boto3.session.Session()


def clients(account):
    settings = {
        "region_name": account["region"],
        "endpoint_url": account["endpoint"],
        "aws_access_key_id": account["access_key_id"],
        "aws_secret_access_key": account["secret_access_key"],
        "aws_session_token": account["session_token"],
    }
    return (SESSION.client(service, **settings) for service in ("s3", "dynamodb", "sqs"))


def seed(account, state):
    """Create the buckets, tables and queues `state` declares, with their contents."""
    s3, dynamodb, sqs = clients(account)
    for bucket, objects in state.get("s3", {}).items():
        s3.create_bucket(Bucket=bucket)
        for key, body in objects.items():
            data = body if isinstance(body, str) else json.dumps(body)
            s3.put_object(Bucket=bucket, Key=key, Body=data.encode("utf-8"))
    for table, spec in state.get("dynamodb", {}).items():
        key = spec["key"]
        dynamodb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": name, "KeyType": kind} for name, kind in zip(key, ["HASH", "RANGE"])],
            AttributeDefinitions=[{"AttributeName": name, "AttributeType": type_} for name, type_ in key.items()],
            BillingMode="PAY_PER_REQUEST",
        )
        for item in spec.get("items", []):
            dynamodb.put_item(TableName=table, Item=item)
    for queue, messages in state.get("sqs", {}).items():
        fifo = queue.endswith(".fifo")
        attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "true"} if fifo else {}
        url = sqs.create_queue(QueueName=queue, Attributes=attributes)["QueueUrl"]
        for body in messages:
            extra = {"MessageGroupId": "seed"} if fifo else {}
            sqs.send_message(QueueUrl=url, MessageBody=body if isinstance(body, str) else json.dumps(body), **extra)
    return None


def canonical(number):
    """A number as DynamoDB returns it: no leading or trailing zeros, no exponent.

    moto keeps the text it was sent ("1.50", "1E+2"); DynamoDB stores the
    number and answers "1.5" and "100".
    """
    value = Decimal(number)
    return "0" if value == 0 else format(value.normalize(), "f")


def typed(value):
    ((kind, inner),) = value.items()
    if kind == "N":
        return {kind: canonical(inner)}
    if kind == "NS":
        return {kind: [canonical(n) for n in inner]}
    if kind == "M":
        return {kind: item(inner)}
    if kind == "L":
        return {kind: [typed(v) for v in inner]}
    return value


def item(attributes):
    return {name: typed(value) for name, value in attributes.items()}


def world(account, _state):
    """Everything in the account: objects as text, items, messages waiting.

    A queue's messages are received with a visibility timeout of zero, so
    they stay in the queue (their receive count goes up, as any reader's
    would).
    """
    s3, dynamodb, sqs = clients(account)
    found = {"s3": {}, "dynamodb": {}, "sqs": {}}
    for bucket in s3.list_buckets().get("Buckets", []):
        objects = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket["Name"]):
            for entry in page.get("Contents", []):
                body = s3.get_object(Bucket=bucket["Name"], Key=entry["Key"])["Body"].read()
                objects[entry["Key"]] = body.decode("utf-8", "replace")
        found["s3"][bucket["Name"]] = objects
    for table in dynamodb.list_tables().get("TableNames", []):
        items = []
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            items.extend(item(one) for one in page.get("Items", []))
        found["dynamodb"][table] = items
    for url in sqs.list_queues().get("QueueUrls", []):
        bodies, seen = [], set()
        while True:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", [])
            fresh = [m for m in got if m["MessageId"] not in seen]
            if not fresh:
                break
            for message in fresh:
                seen.add(message["MessageId"])
                bodies.append(message["Body"])
        found["sqs"][url.rsplit("/", 1)[-1]] = bodies
    return found


def items(account, table):
    """The items of one table, as `world` reads them (for checks on a few
    items, which need not read every bucket and queue)."""
    _, dynamodb, _ = clients(account)
    found = []
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        found.extend(item(one) for one in page.get("Items", []))
    return found


OPERATIONS = {"seed": seed, "world": world, "items": items}

for line in sys.stdin:
    request = json.loads(line)
    try:
        answer = {"ok": OPERATIONS[request["op"]](request["account"], request.get("state"))}
    except Exception as error:  # told to the caller, who words it for the learner
        answer = {"error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
