print("module imported")


def other_function(event, context):
    return "not the handler"
