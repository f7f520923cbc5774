# Wrong: tidies the list by sorting it on the key, so the objects are no longer
# in the order of the records.
from urllib.parse import unquote_plus


def lambda_handler(event, context):
    objects = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        size = record["s3"]["object"]["size"]
        objects.append({"bucket": bucket, "key": key, "size": size})
    objects.sort(key=lambda o: o["key"])
    for o in objects:
        print(f"Received s3://{o['bucket']}/{o['key']} ({o['size']} bytes)")
    return {"statusCode": 200, "objects": objects}
