def handler(event, context):
    return b'{"already": "json",  "spacing":[1,2]}'
