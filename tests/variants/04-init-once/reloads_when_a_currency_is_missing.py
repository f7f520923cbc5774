# Wrong: builds the table at import, but reads the file again whenever a
# currency is missing, "in case it was added". The file cannot change inside a
# deployed function, so every request for an unknown currency re-reads it.
import json
import os

RATES_FILE = os.path.join(os.path.dirname(__file__), "rates.json")


class UnknownCurrency(Exception):
    pass


def load_rates():
    with open(RATES_FILE, encoding="utf-8") as file:
        rates = json.load(file)["rates"]
    print(f"Loaded {len(rates)} rates")
    return rates


RATES = load_rates()


def lambda_handler(event, context):
    global RATES
    currency = event["currency"]
    if currency not in RATES:
        RATES = load_rates()
        if currency not in RATES:
            raise UnknownCurrency(f"no rate for currency '{currency}'")
    rate = RATES[currency]
    return {"currency": currency, "rate": rate, "amount": round(event["eur"] * rate, 2)}
