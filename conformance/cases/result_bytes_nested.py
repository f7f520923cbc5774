def handler(event, context):
    return {"data": b"caf\xc3\xa9", b"bytes_key": 1, "list": [b"x", b""]}
