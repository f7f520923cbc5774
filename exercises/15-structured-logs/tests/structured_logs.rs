//! Exercise 15: structured logs. Each test sends your handler.py a batch of
//! orders and reads the log the way CloudWatch Logs would receive it. Some
//! tests run the function with Lambda's default log level (WARNING), the
//! others with AWS_LAMBDA_LOG_LEVEL=INFO in its configuration.

use harness::check::{Call, Lab};
use harness::{Value, json};

/// The function with AWS_LAMBDA_LOG_LEVEL=INFO in its configuration, which
/// is how Lambda tells the runtime to let INFO records through.
fn lab_at_info() -> Lab {
    Lab::configured(|config| config.environment.push(("AWS_LAMBDA_LOG_LEVEL".into(), "INFO".into())))
}

fn batch(orders: &[(&str, Value)]) -> Value {
    let orders: Vec<Value> = orders.iter().map(|(id, amount)| json!({"orderId": id, "amount": amount})).collect();
    json!({ "orders": orders })
}

/// One line your function wrote, as the tests read it. Lambda's text format
/// writes a logging record as "[LEVEL]\t<time>\t<request id>\t<message>";
/// a print() line has no such prefix, and its level is shown as
/// "none (a print line)". The message is parsed as JSON when it is JSON, and
/// kept as text when it is not.
struct Line {
    level: String,
    message: Value,
}

fn read_line(line: &str) -> Line {
    let parts: Vec<&str> = line.splitn(4, '\t').collect();
    let (level, text) = match parts.as_slice() {
        [tag, _time, _request_id, message] if tag.starts_with('[') && tag.ends_with(']') && tag.len() > 2 => {
            (tag[1..tag.len() - 1].to_string(), *message)
        }
        _ => ("none (a print line)".to_string(), line),
    };
    let message = text.trim().parse::<Value>().unwrap_or_else(|_| Value::String(text.to_string()));
    Line { level, message }
}

/// The lines the function wrote (START, END and REPORT aside), read. Asks for
/// the response first, so a handler that raised is reported as such.
fn lines_of(call: &Call, check: &str) -> Vec<Line> {
    call.result_for(check);
    call.invocation.function_logs().iter().map(|line| read_line(line)).collect()
}

fn levels(lines: &[Line]) -> Value {
    lines.iter().map(|line| Value::String(line.level.clone())).collect()
}

fn messages(lines: &[Line]) -> Value {
    lines.iter().map(|line| line.message.clone()).collect()
}

/// The requestId member of each line's message; null when there is none.
fn request_ids(lines: &[Line]) -> Value {
    lines.iter().map(|line| line.message.get("requestId").cloned().unwrap_or(Value::Null)).collect()
}

fn order_line(request_id: &str, order_id: &str, amount: Value) -> Value {
    json!({"event": "order_processed", "orderId": order_id, "amount": amount, "requestId": request_id})
}

#[test]
fn returns_how_many_orders_it_processed() {
    let lab = Lab::exercise();
    lab.invoke(batch(&[("o-1001", json!(12.5)), ("o-1002", json!(80)), ("o-1003", json!(3.99))]))
        .expect_result("returns the number of orders in the batch", json!({"processed": 3}));
}

#[test]
fn logs_nothing_at_lambdas_default_level() {
    let check = "writes nothing to the log at Lambda's default level, WARNING: order lines are INFO records";
    let lab = Lab::exercise();
    let call = lab.invoke(batch(&[("o-2001", json!(19.99)), ("o-2002", json!(5))]));
    call.result_for(check);
    let written = call.invocation.function_logs().len();
    call.expect(
        check,
        written == 0,
        &format!(
            "Your function wrote {written} line(s) although this function runs at Lambda's default level. \
             On Lambda the root logger stays at WARNING unless the function's configuration sets \
             AWS_LAMBDA_LOG_LEVEL, so an INFO record is dropped, while a print() line or a WARNING \
             record always shows. Log each order with logger.info(...), and do not change the level in \
             your code (no basicConfig(force=True), no setLevel)."
        ),
    );
}

#[test]
fn logs_one_info_line_per_order() {
    let check = "with AWS_LAMBDA_LOG_LEVEL=INFO, writes exactly one INFO record per order, through the logging module";
    let lab = lab_at_info();
    let call = lab.invoke(batch(&[("o-3001", json!(12.5)), ("o-3002", json!(80)), ("o-3003", json!(3.99))]));
    let lines = lines_of(&call, check);
    call.expect_value(check, "the level of each line in the log", json!(["INFO", "INFO", "INFO"]), levels(&lines));
}

#[test]
fn each_line_is_a_json_object_naming_the_order_and_the_request() {
    let check = "each order's line is a JSON object: event, orderId, amount and this invocation's requestId";
    let lab = lab_at_info();
    let call = lab.invoke(batch(&[("o-4001", json!(12.5)), ("o-4002", json!(80)), ("o-4003", json!(3.99))]));
    let id = call.invocation.request_id.clone();
    let lines = lines_of(&call, check);
    call.expect_value(
        check,
        "the message of each line, read as JSON",
        json!([
            order_line(&id, "o-4001", json!(12.5)),
            order_line(&id, "o-4002", json!(80)),
            order_line(&id, "o-4003", json!(3.99)),
        ]),
        messages(&lines),
    );
}

#[test]
fn logs_the_orders_in_the_batchs_order_a_repeated_one_twice() {
    // Order ids arrive in any order, and a redelivered order can sit in a
    // batch twice: a handler that sorts the batch, or keeps its orders in a
    // dict keyed by id, loses what happened.
    let check = "logs the orders in the order of the batch, not sorted, and an order listed twice gets two lines";
    let lab = lab_at_info();
    let call = lab.invoke(batch(&[("o-7003", json!(41)), ("o-7001", json!(9.5)), ("o-7003", json!(41))]));
    let id = call.invocation.request_id.clone();
    let lines = lines_of(&call, check);
    call.expect_value(
        check,
        "the message of each line, read as JSON",
        json!([
            order_line(&id, "o-7003", json!(41)),
            order_line(&id, "o-7001", json!(9.5)),
            order_line(&id, "o-7003", json!(41)),
        ]),
        messages(&lines),
    );
}

#[test]
fn logs_a_single_order_exactly() {
    let check = "logs a batch of one order as one INFO line holding exactly the four members";
    let lab = lab_at_info();
    let call = lab.invoke(batch(&[("o-5001", json!(249))]));
    let id = call.invocation.request_id.clone();
    let lines = lines_of(&call, check);
    let got: Vec<Value> = lines.iter().map(|line| json!({"level": line.level, "message": line.message})).collect();
    call.expect_value(
        check,
        "the lines in the log (level and message)",
        json!([{"level": "INFO", "message": order_line(&id, "o-5001", json!(249))}]),
        Value::Array(got),
    );
}

#[test]
fn a_warm_invocation_logs_its_own_request_id() {
    // One environment, two invocations: anything kept at module level
    // survives from the first into the second.
    let check = "on a warm start, each line carries the request id of the invocation that wrote it";
    let lab = lab_at_info();
    let cold = lab.invoke(batch(&[("o-6001", json!(10))]));
    let cold_id = cold.invocation.request_id.clone();
    let cold_lines = lines_of(&cold, check);
    cold.expect_value(check, "the requestId of each line (cold start)", json!([cold_id]), request_ids(&cold_lines));
    let warm = lab.invoke(batch(&[("o-6002", json!(20)), ("o-6003", json!(30))]));
    warm.expect(
        "the second invocation reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    let warm_id = warm.invocation.request_id.clone();
    let warm_lines = lines_of(&warm, check);
    warm.expect_value(
        check,
        "the requestId of each line (warm start)",
        json!([warm_id, warm_id]),
        request_ids(&warm_lines),
    );
}

#[test]
fn an_empty_batch_logs_nothing() {
    let check = "an empty batch returns {\"processed\": 0} and logs nothing, even at INFO";
    let lab = lab_at_info();
    let call = lab.invoke(json!({"orders": []}));
    call.expect_result(check, json!({"processed": 0}));
    let lines = lines_of(&call, check);
    call.expect_value(check, "the messages in the log", json!([]), messages(&lines));
}
