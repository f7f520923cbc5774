import logging

# The other classic fix: force=True replaces the runtime's handler.
logging.basicConfig(level=logging.INFO, force=True)
logger = logging.getLogger("orders")


def handler(event, context):
    logger.info("visible now, in basicConfig's format, on stderr")
    return len(logging.getLogger().handlers)
