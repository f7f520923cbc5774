# Wrong: decodes %XX first and only then turns "+" into spaces, so a real "+"
# in the key (sent as %2B) becomes a space too ("a+b.txt" -> "a b.txt").
from urllib.parse import unquote


def lambda_handler(event, context):
    objects = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote(record["s3"]["object"]["key"]).replace("+", " ")
        size = record["s3"]["object"]["size"]
        print(f"Received s3://{bucket}/{key} ({size} bytes)")
        objects.append({"bucket": bucket, "key": key, "size": size})
    return {"statusCode": 200, "objects": objects}
