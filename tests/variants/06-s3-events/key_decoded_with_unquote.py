# Wrong: unquote decodes %XX but leaves "+" alone, so a space in the key stays
# a "+" ("my+photo+(1).jpg").
from urllib.parse import unquote


def lambda_handler(event, context):
    objects = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote(record["s3"]["object"]["key"])
        size = record["s3"]["object"]["size"]
        print(f"Received s3://{bucket}/{key} ({size} bytes)")
        objects.append({"bucket": bucket, "key": key, "size": size})
    return {"statusCode": 200, "objects": objects}
