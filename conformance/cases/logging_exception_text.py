import logging

logger = logging.getLogger()


def handler(event, context):
    try:
        int("not a number")
    except ValueError:
        logger.exception("conversion failed")
    logger.error("multi\nline message")
    return "handled"
