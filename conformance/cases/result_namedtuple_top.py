from typing import NamedTuple


class Pair(NamedTuple):
    left: int
    right: str


def handler(event, context):
    return Pair(1, "r")
