import sys


def handler(event, context):
    return {"version": list(sys.version_info[:3])}
