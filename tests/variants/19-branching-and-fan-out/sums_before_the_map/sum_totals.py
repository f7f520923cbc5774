"""Wrong only with its machine: tolerates a missing "lines", so summing first gives 0."""


def lambda_handler(event, context):
    return {"totalCents": sum(line["totalCents"] for line in event.get("lines", []))}
