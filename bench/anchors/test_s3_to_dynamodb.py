"""The anchor for exercise 12's warm verdict: the same kinds of checks as
exercises/12-s3-to-dynamodb/tests/s3_to_dynamodb.rs, written as Python teams
write them, with moto's in-process mock_aws and pytest. bench/sdk-verdict.sh
runs it against the exercise's solution and times it beside
`cargo test -p exercise-12`.

It cannot check what only the workshop sees (the order of the AWS calls, the
connection a warm call came on), so it holds six of the eight checks.
"""

import importlib
import os
import sys
from urllib.parse import quote_plus

import boto3
import pytest
from moto import mock_aws

HANDLER_DIR = os.environ["HANDLER_DIR"]
FILES = {
    "exports/2026-12-01.csv": "order_id,amount\no-1001,25.50\no-1002,9.99\no-1003,0.10\n",
    "exports/2026-12-04.csv": "order_id,amount\no-4001,0.10\no-4002,0.20\no-4003,0.05\n",
    "exports/2026-12-25.csv": "order_id,amount\n",
    "exports/store 7/2026-12-01 (late).csv": "order_id,amount\no-2001,0.20\no-2002,0.05\n",
}


@pytest.fixture(autouse=True)
def aws(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="sales-exports")
        for key, text in FILES.items():
            s3.put_object(Bucket="sales-exports", Key=key, Body=text.encode())
        boto3.client("dynamodb").create_table(
            TableName="daily-totals",
            KeySchema=[{"AttributeName": "file", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "file", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield


@pytest.fixture
def handler():
    sys.path.insert(0, HANDLER_DIR)
    try:
        sys.modules.pop("handler", None)
        yield importlib.import_module("handler")
    finally:
        sys.path.remove(HANDLER_DIR)


def event(*keys):
    return {"Records": [{"s3": {"bucket": {"name": "sales-exports"}, "object": {"key": quote_plus(k, safe="/")}}} for k in keys]}


def item(key):
    return boto3.resource("dynamodb").Table("daily-totals").get_item(Key={"file": key}).get("Item")


def test_one_upload_becomes_one_item(handler):
    key = "exports/2026-12-01.csv"
    assert handler.lambda_handler(event(key), None) == {"recorded": [key], "missing": []}
    found = item(key)
    assert (found["orders"], str(found["total"])) == (3, "35.59")


def test_every_record_is_read(handler):
    keys = ["exports/2026-12-01.csv", "exports/2026-12-04.csv", "exports/2026-12-25.csv"]
    assert handler.lambda_handler(event(*keys), None)["recorded"] == keys
    assert all(item(k) for k in keys)


def test_keys_are_decoded(handler):
    key = "exports/store 7/2026-12-01 (late).csv"
    assert handler.lambda_handler(event(key), None)["recorded"] == [key]
    assert str(item(key)["total"]) == "0.25"


def test_totals_are_exact(handler):
    key = "exports/2026-12-04.csv"
    handler.lambda_handler(event(key), None)
    assert str(item(key)["total"]) == "0.35"


def test_header_only(handler):
    key = "exports/2026-12-25.csv"
    handler.lambda_handler(event(key), None)
    assert item(key)["orders"] == 0


def test_deleted_file_is_skipped(handler):
    gone, kept = "exports/2026-12-08.csv", "exports/2026-12-01.csv"
    assert handler.lambda_handler(event(gone, kept), None) == {"recorded": [kept], "missing": [gone]}
    assert item(gone) is None
