"""Exercise 06: S3 notifications, done right.

When objects are uploaded to a bucket, S3 invokes your function with an event
holding a list, event["Records"], with one record per object. The bucket is in
record["s3"]["bucket"]["name"]; the key and the size (in bytes, a number) are
in record["s3"]["object"]["key"] and record["s3"]["object"]["size"]. S3 writes
the key URL-encoded, as in a web form: the object "my photo (1).jpg" arrives
as "my+photo+%281%29.jpg". urllib.parse.unquote_plus turns it back.

The code below is the usual first example. It reads only the first record and
uses the key as it arrives. Your task: report every object, with its real key.
  - Return {"statusCode": 200, "objects": [...]} with one entry per record,
    in the order of the records. Each entry is
    {"bucket": BUCKET, "key": KEY, "size": SIZE}: KEY decoded with
    urllib.parse.unquote_plus, SIZE the number from the record.
  - Print exactly one line per object, in the same order, and nothing else:
    Received s3://BUCKET/KEY (SIZE bytes)
  - The function is subscribed to ObjectCreated events only (uploads, copies,
    multipart uploads), so every record has a size.

For one record with bucket "photos", key "my+photo+%281%29.jpg" and size 2048,
it prints `Received s3://photos/my photo (1).jpg (2048 bytes)` and returns
{"statusCode": 200,
 "objects": [{"bucket": "photos", "key": "my photo (1).jpg", "size": 2048}]}.

Try it:              cargo lab invoke exercises/06-s3-events/handler.py --event s3-special-keys
Check your work with:  cargo test -p exercise-06
"""


def lambda_handler(event, context):
    # get the bucket name
    bucket = event['Records'][0]['s3']['bucket']['name']

    # get the object key
    key = event['Records'][0]['s3']['object']['key']

    # print the bucket name and object key
    print(f'Bucket: {bucket}, Key: {key}')

    return {
        'statusCode': 200,
        'body': f'Bucket: {bucket}, Key: {key}'
    }
