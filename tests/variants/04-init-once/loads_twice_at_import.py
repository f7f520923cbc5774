# Wrong: builds the table at import, then builds it a second time for a list
# of the currency codes, so init reads and parses the file twice.
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
CURRENCIES = sorted(load_rates())


def lambda_handler(event, context):
    currency = event["currency"]
    if currency not in CURRENCIES:
        raise UnknownCurrency(f"no rate for currency '{currency}'")
    rate = RATES[currency]
    return {"currency": currency, "rate": rate, "amount": round(event["eur"] * rate, 2)}
