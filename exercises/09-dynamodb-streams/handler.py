"""Exercise 09: DynamoDB Streams, from typed images to plain values.

A DynamoDB stream invokes your function with event["Records"], one record per
change to an item. record["eventName"] is "INSERT", "MODIFY" or "REMOVE", and
record["dynamodb"] holds "Keys" and, depending on the change and the stream's
settings, "NewImage" (the item after) and "OldImage" (the item before).
Keys and images are in DynamoDB's typed format: every attribute value is a
dict with one key naming its type, like {"S": "o-1001"} or {"N": "19.99"}.

The task: return a list with one summary per record, in the order of the
records:
    {"eventName": <eventName>,
     "keys": <Keys as plain values>,
     "new": <NewImage as plain values, or None when the record has none>,
     "old": <OldImage as plain values, or None when the record has none>}

Plain values, type by type:
    S     the string itself
    N     an int when written as an integer (only digits, with an optional
          leading minus: "42", "-7", "100"); otherwise decimal.Decimal(text),
          which keeps every digit ("19.99", "12345678901234567890.5").
          DynamoDB sends numbers normalised: never "1E+2" (it sends "100"),
          never "0.10" (it sends "0.1"), so the text decides.
    BOOL  True or False
    NULL  None
    L     a list, each element converted
    M     a dict, each value converted
    SS    a sorted list of the strings
    NS    a sorted list of the numbers, each converted like N
    B     the bytes decoded from base64 (base64.b64decode). A Lambda response
          cannot carry arbitrary bytes, so in the summary write each bytes
          value as hex text: value.hex()
    BS    a list of the values, each decoded like B, sorted by their bytes
          (not by their base64 text), each written as hex

For an INSERT whose Keys are {"orderId": {"S": "o-1001"}} and whose NewImage is
    {"orderId": {"S": "o-1001"}, "total": {"N": "19.99"}, "qty": {"N": "2"},
     "tags": {"SS": ["priority", "gift"]}, "note": {"NULL": true},
     "logo": {"B": "aGVsbG8="}}
the summary is
    {"eventName": "INSERT", "keys": {"orderId": "o-1001"},
     "new": {"orderId": "o-1001", "total": Decimal("19.99"), "qty": 2,
             "tags": ["gift", "priority"], "note": None, "logo": "68656c6c6f"},
     "old": None}

Try it:              cargo lab invoke exercises/09-dynamodb-streams/handler.py --event dynamodb-stream
Check your work with:  cargo test -p exercise-09
"""


def lambda_handler(event, context):
    summaries = []
    for record in event["Records"]:
        change = record["dynamodb"]
        summaries.append({
            "eventName": record["eventName"],
            "keys": change["Keys"],
            "new": change.get("NewImage"),
            "old": change.get("OldImage"),
        })
    return summaries
