def handler(event, context):
    d = {"a": 1}
    d["self"] = d
    return {"outer": d}
