//! Exercise 07: an HTTP API. Each test sends your handler.py requests the way
//! API Gateway would, as payload version 1.0 (a REST API) and 2.0 (an HTTP
//! API), either recorded (`cargo lab events` lists them) or built for the
//! test, and checks the response: its status code, its body, read as JSON
//! (so spacing and key order do not matter), and its Content-Type header.

use harness::check::{Call, Lab};
use harness::events::{self, api_v1, api_v2, on_stage};
use harness::{Value, json};

/// The response has this status code, this body once parsed as JSON, and the
/// header Content-Type: application/json.
fn expect_json_response(call: &Call, check: &str, status: u16, body: Value) {
    let response = call.result_for(check);
    expect_status(call, check, &response, status);
    call.expect_value(check, "the body (read as JSON)", body, parsed_body(call, check, &response));
    expect_json_content_type(call, check, &response);
}

/// The response has this status code, a body that is a JSON object with an
/// "error" message, and the header Content-Type: application/json.
fn expect_error_response(call: &Call, check: &str, status: u16) {
    let response = call.result_for(check);
    expect_status(call, check, &response, status);
    let body = parsed_body(call, check, &response);
    let message = body.get("error").and_then(Value::as_str).unwrap_or("");
    call.expect(
        check,
        !message.trim().is_empty(),
        &format!(
            "The body should be a JSON object whose \"error\" is a message saying what went wrong,\n  \
             like {{\"error\": \"...\"}}. Read as JSON, the body is:\n    {}\n\n  \
             The whole response:\n    {}",
            indented(&body),
            indented(&response)
        ),
    );
    expect_json_content_type(call, check, &response);
}

fn expect_status(call: &Call, check: &str, response: &Value, status: u16) {
    let got = response.get("statusCode").cloned().unwrap_or(Value::Null);
    call.expect_value(check, "the status code (\"statusCode\")", json!(status), got);
}

/// The body, parsed as JSON; the check fails when it is not a string of JSON.
fn parsed_body(call: &Call, check: &str, response: &Value) -> Value {
    let problem = match response.get("body") {
        Some(Value::String(text)) => match text.parse::<Value>() {
            Ok(parsed) => return parsed,
            Err(error) => format!(
                "The body should be a string of JSON text, but it is {text:?}, which is not JSON ({error}).\n  \
                 json.dumps(...) turns a dict into JSON text."
            ),
        },
        Some(other) => format!(
            "The body should be a string of JSON text, but it is {}: {other}\n  \
             API Gateway sends the body to the client as it is, so it must be text already:\n  \
             turn the dict into JSON text with json.dumps(...).",
            kind_of(other)
        ),
        None => "The response has no \"body\".".to_string(),
    };
    call.expect(check, false, &format!("{problem}\n\n  The whole response:\n    {}", indented(response)));
    Value::Null // not reached: a failed expect ends the test
}

/// A JSON value pretty-printed, its lines indented to sit under a report's heading.
fn indented(value: &Value) -> String {
    format!("{value:#}").replace('\n', "\n    ")
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "a JSON object (a dict)",
        Value::Array(_) => "a JSON array (a list)",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null (None)",
        Value::String(_) => "a string",
    }
}

/// HTTP header names ignore case, so "content-type" counts too.
fn expect_json_content_type(call: &Call, check: &str, response: &Value) {
    let got = response
        .get("headers")
        .and_then(Value::as_object)
        .and_then(|headers| headers.iter().find(|(name, _)| name.eq_ignore_ascii_case("content-type")))
        .map_or(Value::Null, |(_, value)| value.clone());
    call.expect_value(
        check,
        "the Content-Type header (response[\"headers\"][\"Content-Type\"])",
        json!("application/json"),
        got,
    );
}

// --- GET /hello -------------------------------------------------------------------

#[test]
fn hello_greets_the_name_in_the_query_v1() {
    let lab = Lab::exercise();
    let call = lab.invoke(events::recorded("apigw-rest-get"));
    expect_json_response(
        &call,
        "GET /hello?name=Ada from a REST API (v1) greets Ada",
        200,
        json!({"message": "Hello, Ada!"}),
    );
}

#[test]
fn hello_without_a_query_greets_the_world_v1() {
    // A REST API sends "queryStringParameters": null when there is no query string.
    let lab = Lab::exercise();
    let call = lab.invoke(events::recorded("apigw-rest-get-no-query"));
    expect_json_response(
        &call,
        "GET /hello with no query string from a REST API (v1), where the query is null, greets the world",
        200,
        json!({"message": "Hello, world!"}),
    );
}

#[test]
fn hello_greets_the_name_in_the_query_v2() {
    let lab = Lab::exercise();
    let call = lab.invoke(events::recorded("apigw-http-get"));
    expect_json_response(
        &call,
        "GET /hello?name=Ada from an HTTP API (v2) greets Ada",
        200,
        json!({"message": "Hello, Ada!"}),
    );
}

#[test]
fn hello_without_a_query_greets_the_world_v2() {
    // An HTTP API leaves "queryStringParameters" out when there is no query string.
    let lab = Lab::exercise();
    let call = lab.invoke(api_v2("GET", "/hello", &[], None, false));
    expect_json_response(
        &call,
        "GET /hello with no query string from an HTTP API (v2), where the query is missing, greets the world",
        200,
        json!({"message": "Hello, world!"}),
    );
}

#[test]
fn hello_greets_whoever_is_named() {
    let lab = Lab::exercise();
    let call = lab.invoke(api_v1("GET", "/hello", &[("name", "Grace Hopper")], None));
    expect_json_response(
        &call,
        "GET /hello?name=Grace+Hopper (v1) greets Grace Hopper",
        200,
        json!({"message": "Hello, Grace Hopper!"}),
    );
    let call = lab.invoke(api_v2("GET", "/hello", &[("lang", "de"), ("name", "Zoë")], None, false));
    expect_json_response(
        &call,
        "GET /hello?lang=de&name=Zo%C3%AB (v2) greets Zoë",
        200,
        json!({"message": "Hello, Zoë!"}),
    );
}

// --- POST /echo --------------------------------------------------------------------

#[test]
fn echo_returns_the_parsed_body_v1() {
    let lab = Lab::exercise();
    let call = lab.invoke(events::recorded("apigw-rest-post"));
    expect_json_response(
        &call,
        "POST /echo from a REST API (v1) answers with the JSON body it was sent, under \"echo\"",
        200,
        json!({"echo": {"message": "hi", "count": 2}}),
    );
}

#[test]
fn echo_decodes_a_base64_body_v2() {
    // The body arrives as "eyJtZXNzYWdlIjogImhpIiwgImNvdW50IjogMn0=" with isBase64Encoded: true.
    let lab = Lab::exercise();
    let call = lab.invoke(events::recorded("apigw-http-post-base64"));
    expect_json_response(
        &call,
        "POST /echo from an HTTP API (v2) decodes the base64 body before reading it as JSON",
        200,
        json!({"echo": {"message": "hi", "count": 2}}),
    );
}

#[test]
fn echo_returns_any_json_it_is_sent() {
    let lab = Lab::exercise();
    let list = r#"[1, "two", {"three": 3.5}, null, true]"#;
    let call = lab.invoke(api_v1("POST", "/echo", &[], Some(list)));
    expect_json_response(
        &call,
        "POST /echo (v1) echoes a JSON list too",
        200,
        json!({"echo": [1, "two", {"three": 3.5}, null, true]}),
    );
    let order = r#"{"order": {"id": 1042, "items": ["Brötchen", "Kaffee"]}}"#;
    let call = lab.invoke(api_v2("POST", "/echo", &[], Some(order), false));
    expect_json_response(
        &call,
        "POST /echo (v2, plain text body) echoes the order",
        200,
        json!({"echo": {"order": {"id": 1042, "items": ["Brötchen", "Kaffee"]}}}),
    );
    let call = lab.invoke(api_v2("POST", "/echo", &[], Some(order), true));
    expect_json_response(
        &call,
        "POST /echo (v2, base64 body, with non-ASCII text) echoes the order",
        200,
        json!({"echo": {"order": {"id": 1042, "items": ["Brötchen", "Kaffee"]}}}),
    );
}

#[test]
fn echo_answers_400_to_a_body_that_is_not_json() {
    let lab = Lab::exercise();
    let call = lab.invoke(api_v1("POST", "/echo", &[], Some("hello there")));
    expect_error_response(
        &call,
        "POST /echo (v1) with the body `hello there`, which is not JSON, gets a 400 and an error",
        400,
    );
    let call = lab.invoke(api_v2("POST", "/echo", &[], Some("name=Ada&age=36"), true));
    expect_error_response(
        &call,
        "POST /echo (v2) with a base64 form body, which is not JSON, gets a 400 and an error",
        400,
    );
    let call = lab.invoke(api_v1("POST", "/echo", &[], None));
    expect_error_response(&call, "POST /echo (v1) with no body at all gets a 400 and an error", 400);
}

#[test]
fn echo_answers_400_to_values_json_does_not_have() {
    // Python's json.loads accepts NaN, Infinity and -Infinity, which are not
    // JSON; echoed back with json.dumps they would make a response body that
    // is not JSON either.
    let lab = Lab::exercise();
    for body in [r#"{"total": NaN}"#, "[Infinity]", r#"{"low": -Infinity}"#] {
        let call = lab.invoke(api_v1("POST", "/echo", &[], Some(body)));
        expect_error_response(
            &call,
            &format!(
                "POST /echo (v1) with the body `{body}`, which is not JSON (JSON has no NaN or Infinity), gets a 400 and an error"
            ),
            400,
        );
    }
    let call = lab.invoke(api_v2("POST", "/echo", &[], Some(r#"{"big": 1e400}"#), false));
    expect_error_response(
        &call,
        "POST /echo (v2) with {\"big\": 1e400}, a number Python reads as inf and cannot write back as JSON, gets a 400 and an error",
        400,
    );
}

#[test]
fn echo_answers_400_to_a_body_nested_too_deeply_to_read() {
    // Valid JSON, but json.loads raises RecursionError on it, which is not a
    // ValueError: it escapes an `except ValueError`, and the client gets a
    // 502 from API Gateway instead of an answer.
    let lab = Lab::exercise();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let call = lab.invoke(api_v2("POST", "/echo", &[], Some(&deep), true));
    expect_error_response(
        &call,
        "POST /echo (v2) with a body nested 100,000 levels deep (json.loads raises RecursionError on it) gets a 400 and an error",
        400,
    );
}

#[test]
fn routes_work_on_a_named_stage_too() {
    // An HTTP API on a stage other than $default puts the stage's name in
    // front of rawPath: POST /echo on the stage prod arrives with rawPath
    // /prod/echo. A REST API keeps it out of "path".
    let lab = Lab::exercise();
    let call = lab.invoke(on_stage(api_v2("POST", "/echo", &[], Some(r#"{"a": 1}"#), false), "prod"));
    expect_json_response(
        &call,
        "POST /echo on the HTTP API stage prod (v2, rawPath /prod/echo, requestContext.stage prod) echoes the body",
        200,
        json!({"echo": {"a": 1}}),
    );
    let call = lab.invoke(on_stage(api_v2("GET", "/hello", &[("name", "Ada")], None, false), "dev"));
    expect_json_response(
        &call,
        "GET /hello?name=Ada on the HTTP API stage dev (v2, rawPath /dev/hello) greets Ada",
        200,
        json!({"message": "Hello, Ada!"}),
    );
    let call = lab.invoke(on_stage(api_v1("GET", "/hello", &[], None), "prod"));
    expect_json_response(
        &call,
        "GET /hello on the REST API stage prod (v1, path /hello, requestContext.path /prod/hello) greets the world",
        200,
        json!({"message": "Hello, world!"}),
    );
    // Only the leading stage goes: on a stage called hello, GET /hello
    // arrives as /hello/hello.
    let call = lab.invoke(on_stage(api_v2("GET", "/hello", &[], None, false), "hello"));
    expect_json_response(
        &call,
        "GET /hello on an HTTP API stage named hello (v2, rawPath /hello/hello) greets the world: only the stage in front is taken off",
        200,
        json!({"message": "Hello, world!"}),
    );
    // Through a custom domain whose API mapping names the stage, the
    // request's path holds no stage: rawPath is /echo on the stage prod
    // (an API mapping names the API and the stage: API Gateway Developer
    // Guide, "Map API stages to a custom domain name for HTTP APIs").
    let mut event = api_v2("POST", "/echo", &[], Some(r#"{"b": 2}"#), false);
    event["requestContext"]["stage"] = json!("prod");
    event["requestContext"]["domainName"] = json!("api.example.com");
    let call = lab.invoke(event);
    expect_json_response(
        &call,
        "POST /echo on the stage prod through a custom domain (rawPath /echo, no stage in it) echoes the body: \
         take the stage off only when rawPath begins with it",
        200,
        json!({"echo": {"b": 2}}),
    );
}

// --- everything else -----------------------------------------------------------------

#[test]
fn other_methods_and_paths_get_404() {
    let lab = Lab::exercise();
    let requests = [
        ("GET /echo (v1)", api_v1("GET", "/echo", &[], None)),
        ("POST /hello (v2)", api_v2("POST", "/hello", &[], Some("{}"), false)),
        ("DELETE /hello (v1)", api_v1("DELETE", "/hello", &[("name", "Ada")], None)),
        ("GET /goodbye (v2)", api_v2("GET", "/goodbye", &[("name", "Ada")], None, false)),
        ("PUT /echo (v1)", api_v1("PUT", "/echo", &[], Some(r#"{"a": 1}"#))),
        // Paths that only begin like a route are other paths.
        ("GET /hellox (v2)", api_v2("GET", "/hellox", &[], None, false)),
        ("GET /hello/ada (v1)", api_v1("GET", "/hello/ada", &[], None)),
        ("POST /echo/more (v2)", api_v2("POST", "/echo/more", &[], Some("{}"), false)),
        ("POST /ech (v1)", api_v1("POST", "/ech", &[], Some("{}"))),
    ];
    for (request, event) in requests {
        let call = lab.invoke(event);
        expect_error_response(
            &call,
            &format!("{request}, a route the API does not have, gets a 404 and an error"),
            404,
        );
    }
}
