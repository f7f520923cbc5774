# Wrong: decodes the key, but reports only Records[0]; the other objects of a
# batch are silently ignored.
from urllib.parse import unquote_plus


def lambda_handler(event, context):
    record = event["Records"][0]
    bucket = record["s3"]["bucket"]["name"]
    key = unquote_plus(record["s3"]["object"]["key"])
    size = record["s3"]["object"]["size"]
    print(f"Received s3://{bucket}/{key} ({size} bytes)")
    return {"statusCode": 200, "objects": [{"bucket": bucket, "key": key, "size": size}]}
