def handler(event, context):
    return {10: "int", 2.5: "float", True: "true", False: "false", None: "none", "s": "str",
            1e16: "big float", float("nan"): "nan key", -7: "negative"}
