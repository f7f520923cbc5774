import logging

logger = logging.getLogger()
named = logging.getLogger("app.orders")


def handler(event, context):
    logger.debug("debug from root")
    logger.info("info from root")
    logger.warning("warning from root")
    logger.error("error from root %s %d", "with", 2)
    logger.critical("critical from root")
    named.info("info from named")
    named.warning("warning from named")
    logging.warning("module-level warning")
    logger.log(25, "custom level 25")
    return {"rootLevel": logging.getLevelName(logger.level), "handlers": len(logger.handlers)}
