from collections import namedtuple

Point = namedtuple("Point", ["x", "y"])


def handler(event, context):
    return {"point": Point(1, 2), "points": [Point(3, 4)], "top": Point(x="a", y=None)._replace(y=[Point(5, 6)])}
