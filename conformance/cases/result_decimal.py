from decimal import Decimal


def handler(event, context):
    return {"price": Decimal("1.10"), "big": Decimal("12345678901234567890.50"),
            "exp": Decimal("1E+2"), "neg": Decimal("-0.000"), "int": Decimal("7")}
