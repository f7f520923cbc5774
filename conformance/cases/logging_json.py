import datetime
import logging
from decimal import Decimal

logger = logging.getLogger()
named = logging.getLogger("app.payments")


def handler(event, context):
    logger.info("info %s", "formatted")
    logger.warning("warning with extra", extra={"orderId": 42, "tags": ["a", "b"], "amount": Decimal("1.10"),
                                                "when": datetime.datetime(2026, 11, 27, 12, 0, 0),
                                                "nested": {"k": "v\u00e9"}})
    logger.warning({"event": "dict message", "count": 3})
    logger.warning({"event": "dict with args %s"}, "x")
    named.error("error from named logger")
    try:
        {}["missing"]
    except KeyError:
        logger.exception("lookup failed")
    logger.debug("debug line")
    return "done"
