import logging


def handler(event, context):
    logging.getLogger().warning("about to fail")
    raise ValueError("json formatted failure \u00e9")
