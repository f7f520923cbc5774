"""Exercise 04: init once (solution)."""

import json
import os

RATES_FILE = os.path.join(os.path.dirname(__file__), "rates.json")


class UnknownCurrency(Exception):
    """The table has no rate for the currency asked for."""


def load_rates():
    """Read rates.json and return its table: {currency code: units per euro}."""
    with open(RATES_FILE, encoding="utf-8") as file:
        rates = json.load(file)["rates"]
    print(f"Loaded {len(rates)} rates")
    return rates


# Runs once per execution environment, while Lambda imports this module.
RATES = load_rates()


def lambda_handler(event, context):
    currency = event["currency"]
    if currency not in RATES:
        raise UnknownCurrency(f"no rate for currency '{currency}'")
    rate = RATES[currency]
    return {"currency": currency, "rate": rate, "amount": round(event["eur"] * rate, 2)}
