"""Wrong: taxes the unit price and rounds it down before multiplying by the
quantity, so every unit loses its own fraction of a cent."""


def price_book(event, context):
    """PriceBook: one book item, no tax."""
    return {"sku": event["sku"], "totalCents": event["priceCents"] * event["qty"]}


def price_food(event, context):
    """PriceFood: one food item, with a 5% tax on each unit."""
    unit = event["priceCents"] + event["priceCents"] * 5 // 100
    return {"sku": event["sku"], "totalCents": unit * event["qty"]}
