//! Exercise 09: DynamoDB Streams. Each test sends your handler.py stream
//! records, the way Lambda's event source mapping would, and checks the
//! summaries it returns. Some checks read the response as Lambda's runtime
//! wrote it, character by character, because that is where an int, a float
//! and a Decimal differ.

use harness::check::Lab;
use harness::{Value, events, json};

const STREAM_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-11-01T00:00:00.000";

/// A stream record shaped like those of the catalog's `dynamodb-stream`.
/// With no image at all it is a record of a KEYS_ONLY stream.
fn record(sequence: u64, event_name: &str, keys: Value, new: Option<Value>, old: Option<Value>) -> Value {
    let view = if new.is_none() && old.is_none() { "KEYS_ONLY" } else { "NEW_AND_OLD_IMAGES" };
    let mut change = json!({"ApproximateCreationDateTime": 1793719325 + sequence, "Keys": keys});
    if let Some(image) = new {
        change["NewImage"] = image;
    }
    if let Some(image) = old {
        change["OldImage"] = image;
    }
    change["SequenceNumber"] = json!(format!("44215845000000000174{sequence:08}"));
    change["SizeBytes"] = json!(120);
    change["StreamViewType"] = json!(view);
    json!({
        "eventID": format!("{:032x}", 0x5eed_0000 + sequence),
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": change,
        "eventSourceARN": STREAM_ARN,
    })
}

fn stream(records: Vec<Value>) -> Value {
    json!({ "Records": records })
}

/// The order item of the catalog's records, as plain values.
fn catalog_order(status: &str, express: bool, coupon: Value, tracking: Option<&str>) -> Value {
    let mut order = json!({
        "orderId": "o-1001",
        "status": status,
        "customerId": "c-42",
        "loyaltyPoints": 42,
        "total": 19.99,
        "express": express,
        "couponCode": coupon,
        "items": [{"sku": "BOOK-1", "qty": 2, "price": 9.995}, "gift-wrap", 1, true, null],
        "shipping": {
            "street": "12 Analytical Row",
            "city": "London",
            "postcode": "N1 9GU",
            "geo": {"lat": 51.5362, "lon": -0.1031},
        },
        "tags": ["gift", "priority"],
        "ratings": [4, 4.5, 5],
        // "JVBERi0xLjcKJeLjz9MK" is the start of a PDF file: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        "receiptPdf": "255044462d312e370a25e2e3cfd30a",
    });
    if let Some(number) = tracking {
        order["trackingNumbers"] = json!([number]);
    }
    order
}

#[test]
fn the_recorded_stream_gives_one_summary_per_record() {
    let lab = Lab::exercise();
    let event = events::recorded("dynamodb-stream");
    let placed = catalog_order("PLACED", false, Value::Null, None);
    let shipped = catalog_order("SHIPPED", true, json!("AUTUMN26"), Some("1Z999AA10123456784"));
    let call = lab.invoke(event);
    call.expect_result(
        "turns a recorded INSERT, MODIFY and REMOVE into one summary each, with plain values",
        json!([
            {"eventName": "INSERT", "keys": {"orderId": "o-1001"}, "new": placed, "old": null},
            {"eventName": "MODIFY", "keys": {"orderId": "o-1001"}, "new": shipped, "old": placed},
            {"eventName": "REMOVE", "keys": {"orderId": "o-1001"}, "new": null, "old": shipped},
        ]),
    );
    call.expect_value(
        "writes the number set ratings as sorted whole numbers and decimals, as DynamoDB sent them",
        "the attribute ratings, as the runtime wrote it into the response",
        json!("[4, 4.5, 5]"),
        call.written_text("ratings"),
    );
}

#[test]
fn an_insert_has_a_new_image_and_no_old_one() {
    let lab = Lab::exercise();
    let keys = json!({"userId": {"S": "u-7"}, "version": {"N": "1"}});
    let new = json!({
        "userId": {"S": "u-7"},
        "version": {"N": "1"},
        "name": {"S": "Ada"},
        "admin": {"BOOL": true},
    });
    let event = stream(vec![record(1, "INSERT", keys, Some(new), None)]);
    lab.invoke(event).expect_result(
        "an INSERT gives its keys and new image as plain values, and null for the old image",
        json!([{
            "eventName": "INSERT",
            "keys": {"userId": "u-7", "version": 1},
            "new": {"userId": "u-7", "version": 1, "name": "Ada", "admin": true},
            "old": null,
        }]),
    );
}

#[test]
fn a_modify_has_both_images() {
    let lab = Lab::exercise();
    let keys = json!({"userId": {"S": "u-7"}});
    let old = json!({"userId": {"S": "u-7"}, "name": {"S": "Ada"}, "logins": {"N": "3"}});
    let new = json!({"userId": {"S": "u-7"}, "name": {"S": "Ada Lovelace"}, "logins": {"N": "4"}});
    let event = stream(vec![record(2, "MODIFY", keys, Some(new), Some(old))]);
    lab.invoke(event).expect_result(
        "a MODIFY gives both images: the item after the change as new, before it as old",
        json!([{
            "eventName": "MODIFY",
            "keys": {"userId": "u-7"},
            "new": {"userId": "u-7", "name": "Ada Lovelace", "logins": 4},
            "old": {"userId": "u-7", "name": "Ada", "logins": 3},
        }]),
    );
}

#[test]
fn a_remove_has_only_the_old_image() {
    let lab = Lab::exercise();
    let keys = json!({"userId": {"S": "u-7"}});
    let old = json!({"userId": {"S": "u-7"}, "name": {"S": "Ada"}});
    let event = stream(vec![record(3, "REMOVE", keys, None, Some(old))]);
    lab.invoke(event).expect_result(
        "a REMOVE gives null for the new image and the deleted item as old",
        json!([{
            "eventName": "REMOVE",
            "keys": {"userId": "u-7"},
            "new": null,
            "old": {"userId": "u-7", "name": "Ada"},
        }]),
    );
}

#[test]
fn a_record_without_images_gives_null_for_both() {
    // A stream configured as KEYS_ONLY sends no images at all.
    let lab = Lab::exercise();
    let event = stream(vec![
        record(4, "INSERT", json!({"userId": {"S": "u-8"}}), None, None),
        record(5, "REMOVE", json!({"userId": {"S": "u-9"}}), None, None),
    ]);
    lab.invoke(event).expect_result(
        "records with keys only (a KEYS_ONLY stream) give null for both images, one summary per record in order",
        json!([
            {"eventName": "INSERT", "keys": {"userId": "u-8"}, "new": null, "old": null},
            {"eventName": "REMOVE", "keys": {"userId": "u-9"}, "new": null, "old": null},
        ]),
    );
}

#[test]
fn numbers_become_int_or_decimal_as_written() {
    // DynamoDB sends numbers normalised: no exponent, no trailing zeros after
    // the point ("100", not "1E+2"; "0.1", not "0.10"), up to 38 digits.
    let lab = Lab::exercise();
    let new = json!({
        "id": {"S": "n-1"},
        "numbers": {"L": [
            {"N": "42"}, {"N": "-7"}, {"N": "0"}, {"N": "19.99"}, {"N": "0.1"}, {"N": "100"},
            {"N": "12345678901234567890.5"}, {"N": "0.1000000000000000055511151231257827"},
            {"N": "12345678901234567890123456789012345678"},
        ]},
        "ratings": {"NS": ["10", "9", "1.5", "-3"]},
    });
    let event = stream(vec![record(6, "INSERT", json!({"id": {"S": "n-1"}}), Some(new), None)]);
    // Compared as text: once parsed, 42 and 42.0 (or 0.1000000000000000055511151231257827
    // and the float 0.1) are the same number.
    let call = lab.invoke(event);
    let check = "keeps every digit DynamoDB sent: integers stay integers (42, not 42.0), the rest become Decimal (12345678901234567890.5, not 1.2345678901234567e+19)";
    call.result_for(check);
    call.expect_value(
        check,
        "the list numbers, as the runtime wrote it into the response",
        json!(
            "[42, -7, 0, 19.99, 0.1, 100, 12345678901234567890.5, 0.1000000000000000055511151231257827, 12345678901234567890123456789012345678]"
        ),
        call.written_text("numbers"),
    );
    call.expect_value(
        "converts the elements of a number set like any N, then sorts them by value",
        "the number set ratings, as the runtime wrote it into the response",
        json!("[-3, 1.5, 9, 10]"),
        call.written_text("ratings"),
    );
}

#[test]
fn sets_become_sorted_lists() {
    let lab = Lab::exercise();
    let new = json!({
        "id": {"S": "s-1"},
        "fruit": {"SS": ["pear", "apple", "fig"]},
        "sizes": {"NS": ["10", "9", "100", "2.5"]},
    });
    let event = stream(vec![record(7, "INSERT", json!({"id": {"S": "s-1"}}), Some(new), None)]);
    lab.invoke(event).expect_result(
        "turns a string set and a number set into sorted lists (numbers sorted by value, so 9 before 10)",
        json!([{
            "eventName": "INSERT",
            "keys": {"id": "s-1"},
            "new": {"id": "s-1", "fruit": ["apple", "fig", "pear"], "sizes": [2.5, 9, 10, 100]},
            "old": null,
        }]),
    );
}

#[test]
fn null_false_and_empty_values_are_kept() {
    let lab = Lab::exercise();
    let new = json!({
        "id": {"S": "e-1"},
        "nothing": {"NULL": true},
        "no": {"BOOL": false},
        "blank": {"S": ""},
        "zero": {"N": "0"},
        "none": {"L": []},
        "empty": {"M": {}},
    });
    let event = stream(vec![record(8, "INSERT", json!({"id": {"S": "e-1"}}), Some(new), None)]);
    lab.invoke(event).expect_result(
        "turns NULL into null, and keeps false, the empty string, 0, the empty list and the empty map",
        json!([{
            "eventName": "INSERT",
            "keys": {"id": "e-1"},
            "new": {"id": "e-1", "nothing": null, "no": false, "blank": "", "zero": 0, "none": [], "empty": {}},
            "old": null,
        }]),
    );
}

#[test]
fn lists_and_maps_are_converted_all_the_way_down() {
    let lab = Lab::exercise();
    let new = json!({
        "id": {"S": "c-1"},
        "cart": {"M": {
            "lines": {"L": [
                {"M": {"sku": {"S": "A-1"}, "qty": {"N": "2"}, "tags": {"SS": ["sale", "new"]}}},
                {"M": {"sku": {"S": "B-2"}, "qty": {"N": "1"}, "options": {"M": {"gift": {"BOOL": true}}}}},
            ]},
            "history": {"L": [{"L": [{"N": "1"}, {"NULL": true}]}, {"S": "done"}]},
        }},
    });
    let event = stream(vec![record(9, "INSERT", json!({"id": {"S": "c-1"}}), Some(new), None)]);
    lab.invoke(event).expect_result(
        "converts maps inside lists inside maps, at every depth",
        json!([{
            "eventName": "INSERT",
            "keys": {"id": "c-1"},
            "new": {
                "id": "c-1",
                "cart": {
                    "lines": [
                        {"sku": "A-1", "qty": 2, "tags": ["new", "sale"]},
                        {"sku": "B-2", "qty": 1, "options": {"gift": true}},
                    ],
                    "history": [[1, null], "done"],
                },
            },
            "old": null,
        }]),
    );
}

#[test]
fn binary_is_decoded_from_base64_and_shown_as_hex() {
    let lab = Lab::exercise();
    let new = json!({
        "id": {"S": "b-1"},
        "greeting": {"B": "aGVsbG8="},
        "header": {"B": "JVBERi0xLjcKJeLjz9MK"},
        "chunks": {"L": [{"B": "AAEC/w=="}]},
    });
    let event = stream(vec![record(10, "INSERT", json!({"id": {"S": "b-1"}}), Some(new), None)]);
    lab.invoke(event).expect_result(
        "decodes each B from base64 and writes its bytes as hex (b\"hello\" is 68656c6c6f)",
        json!([{
            "eventName": "INSERT",
            "keys": {"id": "b-1"},
            "new": {
                "id": "b-1",
                "greeting": "68656c6c6f",
                "header": "255044462d312e370a25e2e3cfd30a",
                "chunks": ["000102ff"],
            },
            "old": null,
        }]),
    );
}

#[test]
fn a_binary_set_becomes_a_sorted_list_of_hex() {
    // A BS is a set of binary values: each is base64, like a B. Sorted by
    // their bytes, 00 01 < 80 < ff; sorted by their base64 text, "/w==" (ff)
    // would come first.
    let lab = Lab::exercise();
    let call = lab.invoke(events::recorded("dynamodb-stream-binary-set"));
    call.expect_result(
        "turns a binary set (BS) into a list of its values, each decoded from base64 and written as hex, sorted by their bytes",
        json!([{
            "eventName": "MODIFY",
            "keys": {"fileId": "f-77"},
            "new": {"fileId": "f-77", "name": "scan.pdf", "chunkHashes": ["0001", "80", "ff"], "thumbnail": "89504e470d0a1a0a"},
            "old": {"fileId": "f-77", "name": "scan.pdf", "chunkHashes": ["0001", "80"]},
        }]),
    );
}
