import logging

# The classic trap: the runtime already put a handler on the root logger,
# so basicConfig does nothing and INFO stays hidden.
logging.basicConfig(level=logging.INFO, format="%(message)s")
logger = logging.getLogger(__name__)


def handler(event, context):
    logger.info("you will not see this on Lambda")
    logger.warning("but this one")
    return logging.getLevelName(logging.getLogger().level)
