# Wrong: reads and parses rates.json inside the handler, so every invocation,
# warm or cold, pays for building the table again.
import json
import os

RATES_FILE = os.path.join(os.path.dirname(__file__), "rates.json")


class UnknownCurrency(Exception):
    pass


def lambda_handler(event, context):
    with open(RATES_FILE, encoding="utf-8") as file:
        rates = json.load(file)["rates"]
    print(f"Loaded {len(rates)} rates")

    currency = event["currency"]
    if currency not in rates:
        raise UnknownCurrency(f"no rate for currency '{currency}'")
    rate = rates[currency]
    return {"currency": currency, "rate": rate, "amount": round(event["eur"] * rate, 2)}
