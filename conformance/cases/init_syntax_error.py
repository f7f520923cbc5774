import os


def handler(event, context)
    return "unreachable"
