def handler(event, context):
    items = [1, 2]
    items.append(items)
    return items
