import collections
import enum


class Color(enum.IntEnum):
    RED = 1


class Label(str):
    def __str__(self):
        return "custom str"


class Ratio(float):
    def __repr__(self):
        return "custom repr"


def handler(event, context):
    return {"enum": Color.RED, "label": Label("plain"), "ratio": Ratio(0.5),
            "ordered": collections.OrderedDict([("z", 1), ("a", 2)]),
            "default": collections.defaultdict(list, {"k": [1]}),
            Color.RED: "enum key"}
