def handler(event, context):
    context.log("x")
    context.log("y\n")
    context.log(12345)
    context.log("\nafter newline\n")
    context.log({"a": 1})
    return None
