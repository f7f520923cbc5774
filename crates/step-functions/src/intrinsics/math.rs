//! The math functions: `States.MathAdd` and `States.MathRandom`. Each
//! answers `None` for arguments AWS rejects
//! (`Invalid arguments in States.<Name>`).

use super::eval::truncate;
use super::java;
use serde_json::Value;

/// States.MathAdd: both operands rounded as Java's `Math.round` rounds, the
/// sum within a Java int.
pub(super) fn add(a: &Value, b: &Value) -> Option<Value> {
    let int32 = |value: &Value| round_half_up(value).and_then(|n| i32::try_from(n).ok());
    let (a, b) = (int32(a)?, int32(b)?);
    a.checked_add(b).map(Value::from)
}

/// States.MathRandom: an integer in [start, end), bounds truncated. With a
/// seed the pick is `java.util.Random`'s, as on AWS (the same seed gives the
/// same number); without one it comes from the harness's random source.
pub(super) fn random(start: &Value, end: &Value, seed: Option<&Value>) -> Option<Value> {
    let start = i32::try_from(truncate(start)?).ok()?;
    let end = i32::try_from(truncate(end)?).ok()?;
    if start >= end {
        return None;
    }
    let bound = i32::try_from(i64::from(end) - i64::from(start)).ok()?;
    let offset = match seed {
        Some(seed) => java::Random::new(truncate(seed)?).next_int(bound),
        // random_unit is below 1, so the product is below `bound`; `min` only
        // guards the float rounding.
        None => ((harness::ids::random_unit() * f64::from(bound)) as i32).min(bound - 1),
    };
    Some(Value::from(i64::from(start) + i64::from(offset)))
}

/// A number argument rounded as Java's `Math.round` does (halves go up:
/// 2.5 → 3, -2.5 → -2), as AWS does for MathAdd.
fn round_half_up(value: &Value) -> Option<i64> {
    let number = value.as_number()?;
    if let Some(int) = number.as_i64() {
        return Some(int);
    }
    let float = number.as_f64()?;
    let floor = float.floor();
    let rounded = if float - floor >= 0.5 { floor + 1.0 } else { floor };
    (rounded.is_finite() && rounded.abs() < 9.2e18).then_some(rounded as i64)
}

#[cfg(test)]
mod tests {
    use crate::intrinsics::testing::{eval, failure, invalid_in};
    use serde_json::json;

    // -- States.MathAdd -----------------------------------------------------

    #[test]
    fn math_add_rounds_each_operand_half_up() {
        // test_math_operations.snapshot.json test_math_add, the 21 bindings in order.
        for (a, b, sum) in [
            ("-9", "3", -6),
            ("1.49", "1.5", 3),
            ("1.5", "1.51", 4),
            ("-1.49", "-1.5", -2),
            ("-1.5", "-1.51", -3),
            ("1.49", "0", 1),
            ("1.49", "-1.49", 0),
            ("1.5", "0", 2),
            ("1.51", "0", 2),
            ("-1.49", "0", -1),
            ("-1.5", "0", -1),
            ("-1.51", "0", -2),
            ("0.5", "0", 1),
            ("1.5", "0", 2),
            ("2.5", "0", 3),
            ("3.5", "0", 4),
            ("-0.5", "0.5", 1),
            ("-0.5", "0", 0),
            ("-1.5", "0", -1),
            ("-2.5", "0", -2),
            ("-3.5", "0", -3),
        ] {
            let result = eval(&format!("States.MathAdd({a}, {b})"));
            assert_eq!(result, json!(sum), "MathAdd({a}, {b})");
            assert!(result.is_i64());
        }
    }

    #[test]
    fn math_add_stays_in_int32_and_wants_numbers() {
        // conformance.
        assert_eq!(eval("States.MathAdd(2147483646, 1)"), json!(2147483647));
        assert_eq!(eval("States.MathAdd(-2147483647, -1)"), json!(-2147483648i64));
        for bad in ["2147483647, 1", "-2147483648, -1", "3000000000, 1", "'a', 1", "1, '1'", "null, 1", "true, 1", "1"]
        {
            assert_eq!(failure(&format!("States.MathAdd({bad})")), invalid_in("MathAdd"));
        }
    }

    // -- States.MathRandom --------------------------------------------------

    #[test]
    fn math_random_stays_in_its_range() {
        for _ in 0..200 {
            let value = eval("States.MathRandom(1, 10)").as_i64().unwrap_or(-1);
            assert!((1..10).contains(&value), "{value}");
            // conformance: (1.6, 5.4) acts as [1, 5) on AWS.
            let value = eval("States.MathRandom(1.6, 5.4)").as_i64().unwrap_or(-1);
            assert!((1..5).contains(&value), "{value}");
        }
        // test_math_operations.py test_math_random bounds.
        let value = eval("States.MathRandom(-99999, -9999)").as_i64().unwrap_or(0);
        assert!((-99999..-9999).contains(&value));
    }

    #[test]
    fn math_random_with_a_seed_is_java_random() {
        // conformance: AWS gives -5 for seed 42 over [-5, 5).
        assert_eq!(eval("States.MathRandom(-5, 5, 42)"), json!(-5));
        assert_eq!(eval("States.MathRandom(1, 100, 42)"), eval("States.MathRandom(1, 100, 42)"));
        let seeded = eval("States.MathRandom(0, 999, 3)").as_i64().unwrap_or(-1);
        assert!((0..999).contains(&seeded));
        for bad in ["1, 1", "10, 5", "1.4, 1.6", "1.49, 1.49", "'a', 10", "1, 'b'", "1, 10, 'seed'", "1, 10, null", "1"]
        {
            assert_eq!(failure(&format!("States.MathRandom({bad})")), invalid_in("MathRandom"));
        }
    }
}
