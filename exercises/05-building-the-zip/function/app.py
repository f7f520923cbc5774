"""A blog's permalink service: given a post's title and the day it was
published, it answers with the post's slug and its permanent path.

    {"title": "Hello, Lambda!", "published": "2026-11-27"}
    -> {"slug": "hello-lambda", "path": "/2026/11/27/hello-lambda"}

Lambda runs it with the handler string app.lambda_handler: the function
lambda_handler in the module app, that is app.py at the top of the zip."""

from permalinks import permalink


def lambda_handler(event, context):
    return permalink(event["title"], event["published"])
