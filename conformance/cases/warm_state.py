count = 0
print("init ran")


def handler(event, context):
    global count
    count += 1
    if count == 2:
        raise RuntimeError("failing on invoke %d" % count)
    return {"count": count}
