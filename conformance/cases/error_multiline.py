def handler(event, context):
    raise ValueError("first line\nsecond line\n    indented third\r\nafter crlf")
