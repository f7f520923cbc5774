# Wrong: uses the key as it arrives, still URL-encoded ("my+photo+%281%29.jpg").
def lambda_handler(event, context):
    objects = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = record["s3"]["object"]["key"]
        size = record["s3"]["object"]["size"]
        print(f"Received s3://{bucket}/{key} ({size} bytes)")
        objects.append({"bucket": bucket, "key": key, "size": size})
    return {"statusCode": 200, "objects": objects}
