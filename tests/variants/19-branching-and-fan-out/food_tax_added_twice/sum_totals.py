"""Wrong: adds the 5% food tax to the whole order again, books included."""


def lambda_handler(event, context):
    total = sum(line["totalCents"] for line in event["lines"])
    return {"totalCents": total + total * 5 // 100}
