# Wrong: the size is turned into text ("2048"), not kept as the number 2048.
from urllib.parse import unquote_plus


def lambda_handler(event, context):
    objects = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        size = str(record["s3"]["object"]["size"])
        print(f"Received s3://{bucket}/{key} ({size} bytes)")
        objects.append({"bucket": bucket, "key": key, "size": size})
    return {"statusCode": 200, "objects": objects}
