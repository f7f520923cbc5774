# Wrong: the tests call the handler and assert nothing about it, so every handler passes.
import json
import os
from decimal import Decimal

# Fake credentials and a region, before anything makes a client: the handler
# makes its clients when it is imported, and they must never find real ones.
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"

import boto3  # noqa: E402 (the imports come after the variables on purpose)
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402

# After moto: moto can only reach clients made after it was imported.
import handler  # noqa: E402


@pytest.fixture
def aws():
    """A pretend AWS, empty, for the length of one test."""
    with mock_aws():
        yield


@pytest.fixture
def table(aws):
    """The orders table, empty, with the key the handler reads: orderId."""
    return boto3.resource("dynamodb").create_table(
        TableName="orders",
        KeySchema=[{"AttributeName": "orderId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "orderId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture
def s3(aws):
    """An S3 client, and the archive bucket, empty."""
    client = boto3.client("s3")
    client.create_bucket(Bucket="order-archive")
    return client


# An order as the table holds it: DynamoDB takes numbers as Decimal, never float.
ORDER = {
    "orderId": "o-1",
    "customer": "Ada",
    "total": Decimal("25.50"),
    "lines": [{"sku": "book-42", "quantity": 2}],
}


def test_archives_an_order(table, s3):
    table.put_item(Item=ORDER)
    handler.lambda_handler({"orderId": "o-1"}, None)
    assert True


def test_archives_another_order(table, s3):
    table.put_item(Item={"orderId": "o-2", "customer": "Grace", "total": Decimal("7")})
    handler.lambda_handler({"orderId": "o-2"}, None)
    assert True


def test_handles_a_missing_order(table, s3):
    try:
        handler.lambda_handler({"orderId": "o-404"}, None)
    except Exception:
        pass
    assert True
