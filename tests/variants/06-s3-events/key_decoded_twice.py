"""Exercise 06, wrong: the key is decoded twice, so a real "%2B" in a key's name becomes "+"."""

from urllib.parse import unquote, unquote_plus


def lambda_handler(event, context):
    objects = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote(unquote_plus(record["s3"]["object"]["key"]))
        size = record["s3"]["object"]["size"]
        print(f"Received s3://{bucket}/{key} ({size} bytes)")
        objects.append({"bucket": bucket, "key": key, "size": size})
    return {"statusCode": 200, "objects": objects}
