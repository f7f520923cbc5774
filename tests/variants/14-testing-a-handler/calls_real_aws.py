# Wrong: no mock_aws: the fixtures make the table and the bucket with plain boto3, and the tests run against whatever AWS boto3 reaches.
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

import handler  # noqa: E402


@pytest.fixture
def aws():
    """Whatever AWS the credentials reach."""
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


def test_archives_the_whole_order_as_json(table, s3):
    table.put_item(Item=ORDER)

    answer = handler.lambda_handler({"orderId": "o-1"}, None)

    assert answer == {"archived": "orders/o-1.json"}
    # What it did, not only what it said: the object, read back from S3.
    body = s3.get_object(Bucket="order-archive", Key="orders/o-1.json")["Body"].read()
    assert json.loads(body) == {
        "orderId": "o-1",
        "customer": "Ada",
        "total": 25.5,
        "lines": [{"sku": "book-42", "quantity": 2}],
    }


def test_archives_the_order_asked_for_among_several(table, s3):
    table.put_item(Item=ORDER)
    table.put_item(Item={"orderId": "o-2", "customer": "Grace", "total": Decimal("7")})

    for order_id, customer in [("o-1", "Ada"), ("o-2", "Grace")]:
        handler.lambda_handler({"orderId": order_id}, None)
        body = s3.get_object(Bucket="order-archive", Key=f"orders/{order_id}.json")["Body"].read()
        assert json.loads(body)["customer"] == customer


def test_a_missing_order_is_answered_and_nothing_is_written(table, s3):
    table.put_item(Item=ORDER)

    answer = handler.lambda_handler({"orderId": "o-404"}, None)

    assert answer == {"archived": None, "error": "order o-404 not found"}
    assert s3.list_objects_v2(Bucket="order-archive")["KeyCount"] == 0


def test_writes_to_the_bucket_it_is_configured_with(table, s3, monkeypatch):
    # BUCKET_NAME is read from ARCHIVE_BUCKET when the handler is imported;
    # setting the module's variable stands for another setting of it.
    s3.create_bucket(Bucket="archive-elsewhere")
    monkeypatch.setattr(handler, "BUCKET_NAME", "archive-elsewhere")
    table.put_item(Item=ORDER)

    handler.lambda_handler({"orderId": "o-1"}, None)

    listed = s3.list_objects_v2(Bucket="archive-elsewhere")
    assert [entry["Key"] for entry in listed.get("Contents", [])] == ["orders/o-1.json"]
