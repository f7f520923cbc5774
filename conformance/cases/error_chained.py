def parse(text):
    return int(text)


def handler(event, context):
    try:
        parse("abc")
    except ValueError as exc:
        raise LookupError("could not parse") from exc
