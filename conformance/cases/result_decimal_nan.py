from decimal import Decimal


def handler(event, context):
    return {"nan": Decimal("NaN"), "negnan": Decimal("-NaN"), "snan": Decimal("sNaN"), "inf": Decimal("Infinity"),
            "ok": Decimal("2.50")}
