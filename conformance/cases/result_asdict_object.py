# simplejson encodes ANY object with a callable _asdict() as a JSON object
# (namedtuple_as_object=True), not only namedtuples.
class Record:
    def __init__(self, name):
        self.name = name

    def _asdict(self):
        return {"name": self.name, "kind": "record"}


def handler(event, context):
    return {"record": Record("r1"), "many": [Record("r2")]}
