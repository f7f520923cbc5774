"""Wrong: rounds the food tax to the nearest cent (round), not down (//)."""


def price_book(event, context):
    """PriceBook: one book item, no tax."""
    return {"sku": event["sku"], "totalCents": event["priceCents"] * event["qty"]}


def price_food(event, context):
    """PriceFood: one food item, with a 5% tax rounded down to a whole cent."""
    subtotal = event["priceCents"] * event["qty"]
    return {"sku": event["sku"], "totalCents": subtotal + round(subtotal * 0.05)}
