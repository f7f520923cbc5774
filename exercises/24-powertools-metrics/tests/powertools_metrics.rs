//! Exercise 24: metrics with Powertools' Metrics. Each test sends your
//! handler.py a batch of orders, with POWERTOOLS_METRICS_NAMESPACE=Shop and
//! POWERTOOLS_SERVICE_NAME=orders in the function's configuration (others in
//! one test), reads its log the way CloudWatch would, and checks the metrics
//! CloudWatch would extract: names, units, values, namespace, dimensions,
//! time, and how many EMF lines carried them.

use harness::check::{Call, Lab};
use harness::emf::{Extraction, Metric};
use harness::{Value, json};
use std::time::{SystemTime, UNIX_EPOCH};

/// The function as the checks run it: its namespace and service named in
/// its configuration.
fn lab_for(namespace: &str, service: &str) -> Lab {
    let (namespace, service) = (namespace.to_string(), service.to_string());
    Lab::configured(move |config| {
        config.environment.push(("POWERTOOLS_METRICS_NAMESPACE".into(), namespace));
        config.environment.push(("POWERTOOLS_SERVICE_NAME".into(), service));
    })
}

fn shop() -> Lab {
    lab_for("Shop", "orders")
}

fn batch(orders: &[(&str, Value)]) -> Value {
    let orders: Vec<Value> = orders.iter().map(|(id, amount)| json!({"orderId": id, "amount": amount})).collect();
    json!({ "orders": orders })
}

fn three_orders() -> Value {
    batch(&[("o-1001", json!(12.5)), ("o-1002", json!(80)), ("o-1003", json!(3.99))])
}

/// What CloudWatch would extract from the invocation's log. Asks for the
/// response first, so a handler that raised is reported as such.
fn metrics_of(call: &Call, check: &str) -> Extraction {
    call.result_for(check);
    call.invocation.metrics()
}

/// Every value recorded for the metric `name`, in the order of the log.
fn values(found: &Extraction, name: &str) -> Value {
    found.named(name).iter().flat_map(|metric| metric.values.iter().map(|v| json!(v))).collect()
}

/// The different values `describe` gives for the metric `name`, in the
/// order they first appear.
fn distinct(found: &Extraction, name: &str, describe: impl Fn(&Metric) -> Value) -> Value {
    let mut seen: Vec<Value> = Vec::new();
    for metric in found.named(name) {
        let described = describe(metric);
        if !seen.contains(&described) {
            seen.push(described);
        }
    }
    Value::Array(seen)
}

fn placing(metric: &Metric) -> Value {
    let dimensions: harness::serde_json::Map<String, Value> =
        metric.dimensions.iter().map(|(key, value)| (key.clone(), Value::String(value.clone()))).collect();
    json!({"namespace": metric.namespace, "unit": metric.unit, "dimensions": dimensions})
}

/// How many lines of the log are EMF lines carrying `name`.
fn lines_carrying(call: &Call, name: &str) -> usize {
    call.invocation
        .function_logs()
        .iter()
        .filter(|line| {
            line.trim()
                .parse::<Value>()
                .ok()
                .is_some_and(|object| object.get("_aws").is_some() && object.get(name).is_some())
        })
        .count()
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[test]
fn returns_how_many_orders_it_processed() {
    shop().invoke(three_orders()).expect_result("returns the number of orders in the batch", json!({"processed": 3}));
}

#[test]
fn counts_and_values_every_order_in_the_batchs_order() {
    let check =
        "CloudWatch extracts OrdersProcessed = 1 and OrderValue = the amount for each order, in the order of the batch";
    let lab = shop();
    let call = lab.invoke(batch(&[("o-2001", json!(249)), ("o-2002", json!(0.5)), ("o-2003", json!(18.75))]));
    let found = metrics_of(&call, check);
    call.expect_value(
        check,
        "the values of each metric, in order",
        json!({"OrdersProcessed": [1.0, 1.0, 1.0], "OrderValue": [249.0, 0.5, 18.75]}),
        json!({"OrdersProcessed": values(&found, "OrdersProcessed"), "OrderValue": values(&found, "OrderValue")}),
    );
}

#[test]
fn places_the_metrics_in_the_namespace_and_service_of_the_configuration() {
    let check = "both metrics are in the namespace Shop with the dimension service=orders; OrdersProcessed is a Count, OrderValue has the unit None";
    let lab = shop();
    let call = lab.invoke(three_orders());
    let found = metrics_of(&call, check);
    call.expect_value(
        check,
        "the namespace, unit and dimensions of each metric",
        json!({
            "OrdersProcessed": [{"namespace": "Shop", "unit": "Count", "dimensions": {"service": "orders"}}],
            "OrderValue": [{"namespace": "Shop", "unit": "None", "dimensions": {"service": "orders"}}]
        }),
        json!({
            "OrdersProcessed": distinct(&found, "OrdersProcessed", placing),
            "OrderValue": distinct(&found, "OrderValue", placing)
        }),
    );
}

#[test]
fn another_configuration_places_them_elsewhere() {
    // The same code deployed for another team: nothing about the namespace
    // or the service belongs in the code.
    let check = "with POWERTOOLS_METRICS_NAMESPACE=Billing and POWERTOOLS_SERVICE_NAME=payments, the metrics go there";
    let lab = lab_for("Billing", "payments");
    let call = lab.invoke(batch(&[("o-4001", json!(5))]));
    let found = metrics_of(&call, check);
    let namespace_and_service =
        |metric: &Metric| json!({"namespace": metric.namespace, "dimensions": placing(metric)["dimensions"]});
    call.expect_value(
        check,
        "the namespace and dimensions of OrdersProcessed",
        json!([{"namespace": "Billing", "dimensions": {"service": "payments"}}]),
        distinct(&found, "OrdersProcessed", namespace_and_service),
    );
}

#[test]
fn writes_one_emf_line_for_the_whole_invocation() {
    // Powertools keeps every value until the handler returns and writes
    // them together: one line, a list of values per metric (up to 100),
    // instead of one line per order.
    let check = "the orders' metrics arrive in one EMF line for the whole invocation, written when the handler returns";
    let lab = shop();
    let call = lab.invoke(three_orders());
    metrics_of(&call, check);
    let lines = lines_carrying(&call, "OrdersProcessed");
    call.expect_value(check, "the number of EMF lines carrying OrdersProcessed", json!(1), json!(lines));
}

#[test]
fn counts_a_cold_start_once() {
    let check = "a cold start adds ColdStart = 1 (dimensions function_name and service), and a warm start adds none";
    let lab = shop();
    let cold = lab.invoke(batch(&[("o-6001", json!(10))]));
    let found = metrics_of(&cold, check);
    let name = lab.function().config().function_name.clone();
    let dimensions = |metric: &Metric| placing(metric)["dimensions"].clone();
    cold.expect_value(
        check,
        "the ColdStart metric of the cold invocation: its values and dimensions",
        json!({"values": [1.0], "dimensions": [{"function_name": name, "service": "orders"}]}),
        json!({"values": values(&found, "ColdStart"), "dimensions": distinct(&found, "ColdStart", dimensions)}),
    );
    let warm = lab.invoke(batch(&[("o-6002", json!(20))]));
    warm.expect(
        "the second invocation reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    let found = metrics_of(&warm, check);
    warm.expect_value(check, "the values of ColdStart in the warm invocation", json!([]), values(&found, "ColdStart"));
    warm.expect_value(
        "a warm invocation records its own orders only",
        "the values of OrderValue in the warm invocation",
        json!([20.0]),
        values(&found, "OrderValue"),
    );
}

#[test]
fn stamps_the_metrics_with_the_time_of_the_invocation() {
    let check = "the metrics carry the time of the invocation, in milliseconds since 1970";
    let lab = shop();
    let before = now_ms();
    let call = lab.invoke(three_orders());
    let after = now_ms();
    let found = metrics_of(&call, check);
    let late: Vec<i64> =
        found.metrics.iter().map(|m| m.timestamp_ms).filter(|ms| *ms < before - 1000 || *ms > after + 1000).collect();
    call.expect_value(check, "the timestamps outside the invocation", json!([]), json!(late));
}

#[test]
fn prints_nothing_of_its_own() {
    let check = "every line in the log is an EMF line Powertools wrote: nothing printed by hand";
    let lab = shop();
    let call = lab.invoke(three_orders());
    metrics_of(&call, check);
    let others: Vec<String> = call
        .invocation
        .function_logs()
        .iter()
        .filter(|line| line.trim().parse::<Value>().ok().and_then(|v| v.get("_aws").cloned()).is_none())
        .map(|line| line.to_string())
        .collect();
    call.expect_value(check, "the lines that are not EMF", json!([]), json!(others));
}
