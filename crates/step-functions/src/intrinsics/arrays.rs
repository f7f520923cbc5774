//! The array functions: `States.ArrayPartition`, `ArrayContains`,
//! `ArrayRange`, `ArrayGetItem`, `ArrayLength` and `ArrayUnique`
//! (`States.Array` itself is one line of `eval`). Each answers `None` for
//! arguments AWS rejects (`Invalid arguments in States.<Name>`).

use super::eval::truncate;
use super::{java, java_hash};
use serde_json::Value;

/// Most items States.ArrayRange may produce.
const RANGE_LIMIT: i64 = 1000;

/// States.ArrayPartition: chunks of `size` items (the last one shorter).
pub(super) fn partition(items: &Value, size: &Value) -> Option<Value> {
    let items = items.as_array()?;
    let size = truncate(size).filter(|size| *size > 0)?;
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Some(Value::Array(items.chunks(size).map(|chunk| Value::Array(chunk.to_vec())).collect()))
}

/// States.ArrayContains: items compare as the Java service prints them.
pub(super) fn contains(items: &Value, wanted: &Value) -> Option<Value> {
    let items = items.as_array()?;
    let wanted = java::to_string(wanted);
    Some(Value::Bool(items.iter().any(|item| java::to_string(item) == wanted)))
}

/// States.ArrayRange: from `first` to `last` inclusive by `step`, at most
/// [`RANGE_LIMIT`] items.
pub(super) fn range(first: &Value, last: &Value, step: &Value) -> Option<Value> {
    let (first, last, step) = (truncate(first)?, truncate(last)?, truncate(step)?);
    if step == 0 {
        return None;
    }
    let count = if (step > 0 && first > last) || (step < 0 && first < last) {
        0
    } else {
        (i128::from(last) - i128::from(first)) / i128::from(step) + 1
    };
    if count > i128::from(RANGE_LIMIT) {
        return None;
    }
    Some(Value::Array((0..count as i64).map(|i| Value::from(first + i * step)).collect()))
}

/// States.ArrayGetItem.
pub(super) fn get_item(items: &Value, index: &Value) -> Option<Value> {
    let items = items.as_array()?;
    let index = truncate(index)?;
    if items.is_empty() {
        // Seen on AWS: any index into an empty array gives null.
        return Some(Value::Null);
    }
    let index = usize::try_from(index).ok()?;
    items.get(index).cloned()
}

/// States.ArrayLength.
pub(super) fn length(items: &Value) -> Option<Value> {
    Some(Value::from(items.as_array()?.len()))
}

/// States.ArrayUnique, in the order of the Java service's `HashSet`.
pub(super) fn unique(items: &Value) -> Option<Value> {
    Some(Value::Array(java_hash::hash_set(items.as_array()?)))
}

#[cfg(test)]
mod tests {
    use crate::intrinsics::testing::{eval, failure, invalid_in};
    use serde_json::json;

    // -- States.ArrayPartition ----------------------------------------------

    #[test]
    fn array_partition_cuts_chunks() {
        // test_array.snapshot.json test_array_partition.
        assert_eq!(eval("States.ArrayPartition(States.Array(), 1)"), json!([]));
        assert_eq!(eval("States.ArrayPartition(States.Array(), 2)"), json!([]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 1)"), json!([[0], [1], [2], [3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 2)"), json!([[0, 1], [2, 3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 3)"), json!([[0, 1, 2], [3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 4)"), json!([[0, 1, 2, 3]]));
        assert_eq!(eval("States.ArrayPartition(States.Array(0, 1, 2, 3), 5)"), json!([[0, 1, 2, 3]]));
    }

    #[test]
    fn array_partition_truncates_the_size_and_wants_it_positive() {
        // conformance: 2.6 acts as 2 on AWS; 0.49, -0.4, 0, -1, '2' and null fail.
        assert_eq!(eval("States.ArrayPartition(States.Array(1, 2, 3, 4, 5), 2.6)"), json!([[1, 2], [3, 4], [5]]));
        for size in ["0.49", "-0.4", "0.6", "0", "-1", "'2'", "null"] {
            assert_eq!(
                failure(&format!("States.ArrayPartition(States.Array(1, 2, 3), {size})")),
                invalid_in("ArrayPartition")
            );
        }
        assert_eq!(failure("States.ArrayPartition('not-array', 2)"), invalid_in("ArrayPartition"));
        assert_eq!(failure("States.ArrayPartition(States.Array(1))"), invalid_in("ArrayPartition"));
    }

    // -- States.ArrayContains -----------------------------------------------

    #[test]
    fn array_contains_finds_equal_values() {
        // test_array.snapshot.json test_array_contains, the nine bindings in order.
        assert_eq!(eval("States.ArrayContains(States.Array(), null)"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(), States.Array())"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(), 1)"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(States.Array(1, 2, 3), 2), null)"), json!(false));
        assert_eq!(
            eval("States.ArrayContains(States.Array(States.Array(1, 2, 3), 2), States.Array(1, 2, 3))"),
            json!(true)
        );
        let object = "States.StringToJson('{\"1\": 2, \"2\": []}')";
        assert_eq!(eval(&format!("States.ArrayContains(States.Array({object}), States.Array())")), json!(false));
        assert_eq!(eval(&format!("States.ArrayContains(States.Array({object}), {object})")), json!(true));
        assert_eq!(eval("States.ArrayContains(States.Array(true, false), true)"), json!(true));
        assert_eq!(eval("States.ArrayContains(States.Array(true, false), false)"), json!(true));
    }

    #[test]
    fn array_contains_compares_as_the_java_service_prints() {
        // conformance: on AWS reordered keys do not match, and true matches 'true'.
        let reordered = "States.ArrayContains(States.Array(States.StringToJson('{\"a\": 1, \"b\": 2}')), States.StringToJson('{\"b\": 2, \"a\": 1}'))";
        assert_eq!(eval(reordered), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array('true', 'false', 'maybe'), true)"), json!(true));
        assert_eq!(eval("States.ArrayContains(States.Array(0, 1, -1, -1.5), false)"), json!(false));
        assert_eq!(eval("States.ArrayContains(States.Array(1, null, 3), null)"), json!(true));
        assert_eq!(failure("States.ArrayContains('not-array', 'x')"), invalid_in("ArrayContains"));
        assert_eq!(failure("States.ArrayContains(States.Array(1), 1, 2)"), invalid_in("ArrayContains"));
    }

    // -- States.ArrayRange --------------------------------------------------

    #[test]
    fn array_range_counts_to_the_last_value_inclusive() {
        // test_array.snapshot.json test_array_range.
        assert_eq!(eval("States.ArrayRange(0, 9, 3)"), json!([0, 3, 6, 9]));
        assert_eq!(eval("States.ArrayRange(0, 10, 3)"), json!([0, 3, 6, 9]));
        assert_eq!(eval("States.ArrayRange(1, 9, 9)"), json!([1]));
        assert_eq!(eval("States.ArrayRange(1, 9, 2)"), json!([1, 3, 5, 7, 9]));
    }

    #[test]
    fn array_range_goes_down_truncates_and_stops_at_a_thousand_items() {
        // conformance (observed on AWS).
        assert_eq!(eval("States.ArrayRange(5, 1, -2)"), json!([5, 3, 1]));
        assert_eq!(eval("States.ArrayRange(5, 1, 1)"), json!([]));
        assert_eq!(eval("States.ArrayRange(1, 5, -1)"), json!([]));
        assert_eq!(eval("States.ArrayRange(3, 3, -1)"), json!([3]));
        assert_eq!(eval("States.ArrayRange(1.6, 1.4, 1)"), json!([1]));
        assert_eq!(eval("States.ArrayRange(5.4, -0.6, -2.4)"), json!([5, 3, 1]));
        assert_eq!(eval("States.ArrayRange(1, 1000, 1)").as_array().map(Vec::len), Some(1000));
        assert_eq!(eval("States.ArrayRange(1000, 1, -1)").as_array().map(Vec::len), Some(1000));
        for bad in ["1, 1001, 1", "1001, 1, -1", "1, 10, 0", "1, 10, 0.49", "'a', 5, 1", "1, 5"] {
            assert_eq!(failure(&format!("States.ArrayRange({bad})")), invalid_in("ArrayRange"));
        }
    }

    // -- States.ArrayGetItem / ArrayLength ----------------------------------

    #[test]
    fn array_get_item_and_length() {
        // test_array.snapshot.json test_array_get_item and test_array_length.
        assert_eq!(eval("States.ArrayGetItem(States.Array(1, 2, 3, 4, 5, 6, 7, 8, 9), 5)"), json!(6));
        assert_eq!(eval("States.ArrayLength(States.Array(1, 2, 3, 4, 5, 6, 7, 8, 9))"), json!(9));
        // test_generic nested_calls_1 and nested_calls_2 (name "a-b-c" stands in for $$.StateMachine.Name).
        assert_eq!(eval("States.ArrayGetItem(States.StringSplit('first-second-last', '-'), 0)"), json!("first"));
        assert_eq!(
            eval(
                "States.ArrayGetItem(States.StringSplit('first-second-last', '-'), States.MathAdd(States.ArrayLength(States.StringSplit('first-second-last', '-')), -1))"
            ),
            json!("last")
        );
    }

    #[test]
    fn array_get_item_edges_as_observed_on_aws() {
        // conformance: 1.2 reads index 1, an empty array gives null, out of range fails.
        assert_eq!(eval("States.ArrayGetItem(States.Array(10, 20, 30), 1.2)"), json!(20));
        assert_eq!(eval("States.ArrayGetItem(States.Array(), 999)"), json!(null));
        for bad in [
            "States.Array(10, 20, 30), 3",
            "States.Array(10, 20, 30), -1",
            "States.Array(10, 20, 30), '1'",
            "'not-array', 0",
        ] {
            assert_eq!(failure(&format!("States.ArrayGetItem({bad})")), invalid_in("ArrayGetItem"));
        }
        assert_eq!(failure("States.ArrayLength('not-array')"), invalid_in("ArrayLength"));
    }

    // -- States.ArrayUnique -------------------------------------------------

    #[test]
    fn array_unique_keeps_one_of_each_in_hash_set_order() {
        // conformance (AWS results, including its HashSet order).
        assert_eq!(eval("States.ArrayUnique(States.Array(1, 2, 3, 3, 3, 4))"), json!([1, 2, 3, 4]));
        assert_eq!(eval("States.ArrayUnique(States.Array('a', 'b', 'a', 'c', 'b'))"), json!(["a", "b", "c"]));
        assert_eq!(eval("States.ArrayUnique(States.Array(true, false, true, false))"), json!([false, true]));
        assert_eq!(eval("States.ArrayUnique(States.Array(null, null, 1, null))"), json!([null, 1]));
        assert_eq!(eval("States.ArrayUnique(States.Array(1, '1', 1, '01'))"), json!([1, "1", "01"]));
        assert_eq!(
            eval("States.ArrayUnique(States.Array(States.Array(1, 2), States.Array(1, 2), States.Array(2, 1)))"),
            json!([[2, 1], [1, 2]])
        );
        assert_eq!(
            eval(
                "States.ArrayUnique(States.Array(States.StringToJson('{\"a\": 1, \"b\": 2}'), States.StringToJson('{\"b\": 2, \"a\": 1}')))"
            ),
            json!([{"a": 1, "b": 2}])
        );
        assert_eq!(eval("States.ArrayUnique(States.Array())"), json!([]));
        assert_eq!(failure("States.ArrayUnique('not-array')"), invalid_in("ArrayUnique"));
    }
}
