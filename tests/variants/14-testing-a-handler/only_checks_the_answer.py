# Wrong: every test checks what the handler answers and none reads S3 back, so a handler that writes the wrong thing, or to the wrong place, passes.
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
    assert handler.lambda_handler({"orderId": "o-1"}, None) == {"archived": "orders/o-1.json"}


def test_archives_the_second_order(table, s3):
    table.put_item(Item=ORDER)
    table.put_item(Item={"orderId": "o-2", "customer": "Grace", "total": Decimal("7")})
    assert handler.lambda_handler({"orderId": "o-2"}, None) == {"archived": "orders/o-2.json"}


def test_a_missing_order_is_not_found(table, s3):
    answer = handler.lambda_handler({"orderId": "o-404"}, None)
    assert answer == {"archived": None, "error": "order o-404 not found"}
