# Wrong: collects the objects in a module-level list, which survives between
# invocations: on a warm start the previous event's objects are reported again.
from urllib.parse import unquote_plus

OBJECTS = []


def lambda_handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        size = record["s3"]["object"]["size"]
        print(f"Received s3://{bucket}/{key} ({size} bytes)")
        OBJECTS.append({"bucket": bucket, "key": key, "size": size})
    return {"statusCode": 200, "objects": OBJECTS}
