def handler(event, context):
    return {"data": b"\xff\xfe"}
