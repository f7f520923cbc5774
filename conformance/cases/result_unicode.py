def handler(event, context):
    return {"greeting": "h\u00e9llo w\u00f6rld", "emoji": "\U0001F600", "cjk": "\u65e5\u672c\u8a9e",
            "caf\u00e9": "key is non-ASCII", "echo": event}
