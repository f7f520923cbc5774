# Wrong for this contract: builds the table once per environment, but lazily,
# inside the first invocation rather than during init. The line appears after
# START, and the first request of every environment waits for the file.
import json
import os

RATES_FILE = os.path.join(os.path.dirname(__file__), "rates.json")
RATES = None


class UnknownCurrency(Exception):
    pass


def load_rates():
    with open(RATES_FILE, encoding="utf-8") as file:
        rates = json.load(file)["rates"]
    print(f"Loaded {len(rates)} rates")
    return rates


def lambda_handler(event, context):
    global RATES
    if RATES is None:
        RATES = load_rates()

    currency = event["currency"]
    if currency not in RATES:
        raise UnknownCurrency(f"no rate for currency '{currency}'")
    rate = RATES[currency]
    return {"currency": currency, "rate": rate, "amount": round(event["eur"] * rate, 2)}
