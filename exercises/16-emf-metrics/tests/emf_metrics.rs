//! Exercise 16: metrics with the Embedded Metric Format. Each test sends your
//! handler.py a batch of orders, reads its log the way CloudWatch would, and
//! checks the metrics CloudWatch would extract from it: their names, units,
//! values, namespace, dimensions and time. A line that CloudWatch would
//! reject is reported with the reason.

use harness::check::{Call, Lab};
use harness::emf::{Extraction, Metric};
use harness::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const ON_TIME: &str = "the time of the invocation, in milliseconds since 1970";

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

/// Every value recorded for the metric `name`, in the order of the log:
/// one line per order, or one line with a list of values, give the same.
fn values(found: &Extraction, name: &str) -> Value {
    found.named(name).iter().flat_map(|metric| metric.values.iter().map(|v| json!(v))).collect()
}

/// The different values `describe` gives for the metric `name`, in the order
/// they first appear.
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

fn dimensions(metric: &Metric) -> Value {
    let mut object = json!({});
    if let Value::Object(map) = &mut object {
        for (key, value) in &metric.dimensions {
            map.insert(key.clone(), Value::String(value.clone()));
        }
    }
    object
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// How each metric's timestamp relates to the invocation, which ran between
/// `before` and `after` (milliseconds since 1970). A timestamp up to a second
/// off is on time: int(time.time()) * 1000, or the time rounded to the
/// second, are fair ways to write it.
fn timestamps(found: &Extraction, before: i64, after: i64) -> Value {
    if found.metrics.is_empty() {
        return json!(["(no metrics: CloudWatch finds no valid EMF line in this log)"]);
    }
    let on_time = |ms: i64| before - 1000 <= ms && ms <= after + 1000;
    let mut seen: Vec<Value> = Vec::new();
    for metric in &found.metrics {
        let ms = metric.timestamp_ms;
        let described = if on_time(ms) {
            json!(ON_TIME)
        } else if ms.checked_mul(1000).is_some_and(on_time) {
            json!(format!(
                "{ms}: that is the time in seconds since 1970, not milliseconds, so CloudWatch reads it as a moment in January 1970"
            ))
        } else {
            json!(format!(
                "{ms}: not the time of the invocation, which ran between {before} and {after} (milliseconds since 1970)"
            ))
        };
        if !seen.contains(&described) {
            seen.push(described);
        }
    }
    Value::Array(seen)
}

#[test]
fn returns_how_many_orders_it_processed() {
    let lab = Lab::exercise();
    lab.invoke(three_orders()).expect_result("returns the number of orders in the batch", json!({"processed": 3}));
}

#[test]
fn writes_emf_that_cloudwatch_accepts() {
    let check = "every line that claims to be EMF (it has an \"_aws\" member) is one CloudWatch accepts";
    let lab = Lab::exercise();
    let call = lab.invoke(three_orders());
    let found = metrics_of(&call, check);
    let problems: Value = found
        .problems
        .iter()
        .map(|problem| {
            json!(format!("line {} of the invocation's log (START included): {}", problem.line, problem.reason))
        })
        .collect();
    call.expect_value(check, "the problems CloudWatch would find in your log", json!([]), problems);
}

#[test]
fn counts_every_order() {
    let check = "CloudWatch extracts OrdersProcessed = 1 for each order of the batch";
    let lab = Lab::exercise();
    let call = lab.invoke(three_orders());
    let found = metrics_of(&call, check);
    call.expect_value(
        check,
        "the values of OrdersProcessed, in order",
        json!([1.0, 1.0, 1.0]),
        values(&found, "OrdersProcessed"),
    );
}

#[test]
fn records_the_value_of_every_order() {
    let check = "CloudWatch extracts OrderValue = the order's amount for each order, in the order of the batch";
    let lab = Lab::exercise();
    let call = lab.invoke(batch(&[
        ("o-2001", json!(249)),
        ("o-2002", json!(0.5)),
        ("o-2003", json!(18.75)),
        ("o-2004", json!(5)),
    ]));
    let found = metrics_of(&call, check);
    call.expect_value(
        check,
        "the values of OrderValue, in order",
        json!([249.0, 0.5, 18.75, 5.0]),
        values(&found, "OrderValue"),
    );
}

#[test]
fn puts_the_metrics_in_the_shop_namespace_with_their_units() {
    let check = "both metrics are in the namespace Shop; OrdersProcessed is a Count, OrderValue has the unit None";
    let lab = Lab::exercise();
    let call = lab.invoke(three_orders());
    let found = metrics_of(&call, check);
    let describe = |metric: &Metric| json!({"namespace": metric.namespace, "unit": metric.unit});
    call.expect_value(
        check,
        "the namespace and unit of each metric",
        json!({
            "OrdersProcessed": [{"namespace": "Shop", "unit": "Count"}],
            "OrderValue": [{"namespace": "Shop", "unit": "None"}]
        }),
        json!({
            "OrdersProcessed": distinct(&found, "OrdersProcessed", describe),
            "OrderValue": distinct(&found, "OrderValue", describe)
        }),
    );
}

#[test]
fn uses_only_the_service_dimension() {
    // Each different set of dimension values is a separate metric, billed on
    // its own: a request id or an order id as a dimension makes a new metric
    // for every invocation or every order.
    let check = "each metric has exactly one dimension set, Service=orders, and nothing else as a dimension";
    let lab = Lab::exercise();
    let call = lab.invoke(three_orders());
    let found = metrics_of(&call, check);
    call.expect_value(
        check,
        "the dimensions of each metric",
        json!({
            "OrdersProcessed": [{"Service": "orders"}],
            "OrderValue": [{"Service": "orders"}]
        }),
        json!({
            "OrdersProcessed": distinct(&found, "OrdersProcessed", dimensions),
            "OrderValue": distinct(&found, "OrderValue", dimensions)
        }),
    );
}

#[test]
fn stamps_the_metrics_with_the_time_of_the_invocation() {
    let check = "_aws.Timestamp is the time of the invocation, in milliseconds since 1970";
    let lab = Lab::exercise();
    let before = now_ms();
    let call = lab.invoke(three_orders());
    let after = now_ms();
    let found = metrics_of(&call, check);
    call.expect_value(check, "when the metrics happened", json!([ON_TIME]), timestamps(&found, before, after));
}

#[test]
fn stamps_a_warm_invocation_with_its_own_time() {
    // One environment, two invocations more than a second apart: a time
    // computed once, when the module was imported, is stale on the second.
    let check = "on a warm start, _aws.Timestamp is the time of that invocation, not of an earlier one";
    let lab = Lab::exercise();
    let cold = lab.invoke(batch(&[("o-3001", json!(10))]));
    metrics_of(&cold, check);
    std::thread::sleep(Duration::from_millis(1100));
    let before = now_ms();
    let warm = lab.invoke(batch(&[("o-3002", json!(20))]));
    let after = now_ms();
    warm.expect(
        "the second invocation reuses the environment",
        !warm.invocation.cold_start(),
        "The second invocation should have been a warm start.",
    );
    let found = metrics_of(&warm, check);
    warm.expect_value(
        check,
        "when the metrics of the warm invocation happened",
        json!([ON_TIME]),
        timestamps(&found, before, after),
    );
}
