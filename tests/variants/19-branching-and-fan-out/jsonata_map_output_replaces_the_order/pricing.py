"""Exercise 19 (solution): PriceBook and PriceFood, two functions in one file."""


def price_book(event, context):
    """PriceBook: one book item, no tax."""
    return {"sku": event["sku"], "totalCents": event["priceCents"] * event["qty"]}


def price_food(event, context):
    """PriceFood: one food item, with a 5% tax rounded down to a whole cent."""
    subtotal = event["priceCents"] * event["qty"]
    return {"sku": event["sku"], "totalCents": subtotal + subtotal * 5 // 100}
