//! Exercise 23: structured logs with Powertools' Logger. Each test sends your
//! handler.py a batch of orders, with POWERTOOLS_SERVICE_NAME=orders in the
//! function's configuration (another service in one test, Lambda's log level
//! WARN in another), and reads each line your function wrote as CloudWatch
//! Logs would: one JSON object per line.

use harness::check::{Call, Lab};
use harness::{Value, json};

/// The function as the checks run it: its service named in its configuration.
fn lab_for(service: &str) -> Lab {
    let service = service.to_string();
    Lab::configured(move |config| config.environment.push(("POWERTOOLS_SERVICE_NAME".into(), service)))
}

fn batch(orders: &[(&str, Value)]) -> Value {
    let orders: Vec<Value> = orders.iter().map(|(id, amount)| json!({"orderId": id, "amount": amount})).collect();
    json!({ "orders": orders })
}

/// Each line the function wrote (START, END and REPORT aside), read as JSON;
/// a line that is not JSON is kept as a string, so a report shows it.
/// Asks for the response first, so a handler that raised is reported as such.
fn lines_of(call: &Call, check: &str) -> Vec<Value> {
    call.result_for(check);
    call.invocation
        .function_logs()
        .iter()
        .map(|line| line.trim().parse::<Value>().unwrap_or_else(|_| Value::String(line.to_string())))
        .collect()
}

/// The given keys of each line (null where a line lacks one, or is not JSON).
fn fields(lines: &[Value], keys: &[&str]) -> Value {
    lines
        .iter()
        .map(|line| {
            let picked: harness::serde_json::Map<String, Value> =
                keys.iter().map(|key| (key.to_string(), line.get(*key).cloned().unwrap_or(Value::Null))).collect();
            Value::Object(picked)
        })
        .collect()
}

fn order_line(order_id: &str, amount: Value) -> Value {
    json!({"level": "INFO", "message": "order processed", "order_id": order_id, "amount": amount})
}

const ORDER_KEYS: &[&str] = &["level", "message", "order_id", "amount"];

#[test]
fn returns_how_many_orders_it_processed() {
    let lab = lab_for("orders");
    lab.invoke(batch(&[("o-1001", json!(12.5)), ("o-1002", json!(80)), ("o-1003", json!(3.99))]))
        .expect_result("returns the number of orders in the batch", json!({"processed": 3}));
}

#[test]
fn logs_one_json_line_per_order_with_its_keys() {
    let check =
        "writes one JSON line per order: level INFO, message \"order processed\", order_id and amount (a number)";
    let lab = lab_for("orders");
    let call = lab.invoke(batch(&[("o-2001", json!(12.5)), ("o-2002", json!(80)), ("o-2003", json!(3.99))]));
    let lines = lines_of(&call, check);
    call.expect_value(
        check,
        "these keys of each line in the log",
        json!([order_line("o-2001", json!(12.5)), order_line("o-2002", json!(80)), order_line("o-2003", json!(3.99))]),
        fields(&lines, ORDER_KEYS),
    );
}

#[test]
fn logs_the_orders_in_the_batchs_order_a_repeated_one_twice() {
    let check = "logs the orders in the order of the batch, not sorted, and an order listed twice gets two lines";
    let lab = lab_for("orders");
    let call = lab.invoke(batch(&[("o-7003", json!(41)), ("o-7001", json!(9.5)), ("o-7003", json!(41))]));
    let lines = lines_of(&call, check);
    call.expect_value(
        check,
        "these keys of each line in the log",
        json!([order_line("o-7003", json!(41)), order_line("o-7001", json!(9.5)), order_line("o-7003", json!(41))]),
        fields(&lines, ORDER_KEYS),
    );
}

#[test]
fn every_line_carries_the_invocations_details() {
    // What @logger.inject_lambda_context adds: without it, a line knows
    // nothing of the invocation that wrote it.
    let check =
        "each line carries the invocation's details: its request id, the function's name, cold_start, the service";
    let lab = lab_for("orders");
    let call = lab.invoke(batch(&[("o-3001", json!(10)), ("o-3002", json!(20))]));
    let id = call.invocation.request_id.clone();
    let name = lab.function().config().function_name.clone();
    let lines = lines_of(&call, check);
    let expected = json!({"function_request_id": id, "function_name": name, "cold_start": true, "service": "orders"});
    call.expect_value(
        check,
        "these keys of each line in the log",
        json!([expected, expected]),
        fields(&lines, &["function_request_id", "function_name", "cold_start", "service"]),
    );
}

#[test]
fn a_warm_invocation_logs_its_own_request_id_and_no_cold_start() {
    let check = "on a warm start, each line carries the new request id, and cold_start is false";
    let lab = lab_for("orders");
    let cold = lab.invoke(batch(&[("o-6001", json!(10))]));
    lines_of(&cold, check);
    let warm = lab.invoke(batch(&[("o-6002", json!(20)), ("o-6003", json!(30))]));
    warm.expect(
        "the second invocation reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    let id = warm.invocation.request_id.clone();
    let lines = lines_of(&warm, check);
    let expected = json!({"function_request_id": id, "cold_start": false});
    warm.expect_value(
        check,
        "these keys of each line in the log (warm start)",
        json!([expected, expected]),
        fields(&lines, &["function_request_id", "cold_start"]),
    );
}

#[test]
fn the_service_comes_from_the_functions_configuration() {
    // The same code deployed as another service must say so: nothing about
    // the service belongs in the code.
    let check = "the service is the one the configuration names (POWERTOOLS_SERVICE_NAME), here \"payments\"";
    let lab = lab_for("payments");
    let call = lab.invoke(batch(&[("o-4001", json!(5))]));
    let lines = lines_of(&call, check);
    call.expect_value(
        check,
        "the service of each line",
        json!([{"service": "payments"}]),
        fields(&lines, &["service"]),
    );
}

#[test]
fn writes_nothing_at_lambdas_warn_level() {
    // Lambda's log level (AWS_LAMBDA_LOG_LEVEL, set with the JSON log
    // format) wins over the code's: a level written in the code gets a
    // warning in the log, and a print() always shows.
    let check = "with Lambda's log level at WARN (AWS_LAMBDA_LOG_LEVEL=WARN), writes nothing at all";
    let lab = Lab::configured(|config| {
        config.environment.push(("POWERTOOLS_SERVICE_NAME".into(), "orders".into()));
        config.environment.push(("AWS_LAMBDA_LOG_LEVEL".into(), "WARN".into()));
    });
    let call = lab.invoke(batch(&[("o-5001", json!(19.99)), ("o-5002", json!(5))]));
    let lines = lines_of(&call, check);
    call.expect_value(check, "the lines in the log", json!([]), Value::Array(lines));
}

#[test]
fn an_empty_batch_logs_nothing() {
    let check = "an empty batch returns {\"processed\": 0} and logs nothing";
    let lab = lab_for("orders");
    let call = lab.invoke(json!({"orders": []}));
    call.expect_result(check, json!({"processed": 0}));
    let lines = lines_of(&call, check);
    call.expect_value(check, "the lines in the log", json!([]), Value::Array(lines));
}
