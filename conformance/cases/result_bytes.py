def handler(event, context):
    return b"plain bytes, not JSON: caf\xc3\xa9"
