# Wrong: returns the decoded key, but logs the key as it arrived, URL-encoded.
from urllib.parse import unquote_plus


def lambda_handler(event, context):
    objects = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        raw_key = record["s3"]["object"]["key"]
        size = record["s3"]["object"]["size"]
        print(f"Received s3://{bucket}/{raw_key} ({size} bytes)")
        objects.append({"bucket": bucket, "key": unquote_plus(raw_key), "size": size})
    return {"statusCode": 200, "objects": objects}
