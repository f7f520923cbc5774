class Thing:
    def __init__(self):
        self.value = 1


def handler(event, context):
    return {"thing": Thing()}
