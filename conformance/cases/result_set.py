def handler(event, context):
    return {"items": {1, 2, 3}}
