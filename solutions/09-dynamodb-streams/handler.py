"""Exercise 09: DynamoDB Streams, from typed images to plain values (solution)."""

import base64
import re
from decimal import Decimal

INTEGER = re.compile(r"-?[0-9]+")


def number(text):
    """A DynamoDB number: an int when written as an integer, else a Decimal.

    DynamoDB sends numbers normalised ("100", never "1E+2"; "0.1", never
    "0.10"), so "written as an integer" means "has no decimal point"."""
    if INTEGER.fullmatch(text):
        return int(text)
    return Decimal(text)


def plain(attribute):
    """One typed attribute value, such as {"N": "42"}, as a plain Python value."""
    (kind, value), = attribute.items()
    if kind in ("S", "BOOL"):
        return value
    if kind == "N":
        return number(value)
    if kind == "NULL":
        return None
    if kind == "L":
        return [plain(item) for item in value]
    if kind == "M":
        return item_of(value)
    if kind == "SS":
        return sorted(value)
    if kind == "NS":
        return sorted(number(item) for item in value)
    if kind == "B":
        return base64.b64decode(value)
    if kind == "BS":
        return sorted(base64.b64decode(item) for item in value)
    raise ValueError(f"unsupported DynamoDB type {kind!r}")


def item_of(attributes):
    """A map of typed attributes (an image, the keys, an M) as a plain dict."""
    return {name: plain(value) for name, value in attributes.items()}


def for_response(value):
    """The value with every bytes object written as hex text, so that the
    runtime can turn it into JSON."""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return [for_response(item) for item in value]
    if isinstance(value, dict):
        return {key: for_response(item) for key, item in value.items()}
    return value


def lambda_handler(event, context):
    summaries = []
    for record in event["Records"]:
        change = record["dynamodb"]
        new, old = change.get("NewImage"), change.get("OldImage")
        summaries.append({
            "eventName": record["eventName"],
            "keys": item_of(change["Keys"]),
            "new": None if new is None else item_of(new),
            "old": None if old is None else item_of(old),
        })
    return for_response(summaries)
