//! What the Java service does with values, where its results show it:
//! `String.valueOf` renders values in `States.Format`, `States.Hash` and
//! `States.ArrayContains` (`{a=1, b=[x, y]}`, `1.0E7`), `Object.equals`
//! decides which items `States.ArrayUnique` keeps, and `java.util.Random`
//! gives a seeded `States.MathRandom` its number.

use serde_json::Value;

/// `String.valueOf` of the Java object the value deserializes to:
/// strings bare, `null`, numbers as Integer/Long/Double print, lists as
/// `[a, b]`, objects (LinkedHashMap) as `{k=v, k2=v2}`.
pub(super) fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::String(text) => out.push_str(text),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(int), _, _) => out.push_str(&int.to_string()),
            (None, Some(int), _) => out.push_str(&int.to_string()),
            (_, _, Some(float)) => out.push_str(&double_to_string(float)),
            _ => out.push_str(&number.to_string()),
        },
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push('=');
                write(item, out);
            }
            out.push('}');
        }
    }
}

/// `Double.toString`: plain decimals with at least one fraction digit
/// from 10^-3 up to 10^7, else `1.5E10` notation.
pub(super) fn double_to_string(float: f64) -> String {
    let magnitude = float.abs();
    if float == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let plain = format!("{float}");
        return if plain.contains('.') { plain } else { format!("{plain}.0") };
    }
    let scientific = format!("{float:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    format!("{mantissa}E{exponent}")
}

/// The kinds of number Jackson makes of JSON numbers.
pub(super) enum Num {
    Int(i32),
    Long(i64),
    Double(f64),
}

pub(super) fn num(number: &serde_json::Number) -> Num {
    match number.as_i64() {
        Some(int) => i32::try_from(int).map(Num::Int).unwrap_or(Num::Long(int)),
        // Beyond i64 Jackson makes a BigInteger; a Long stands in for it here.
        None => match number.as_u64() {
            Some(int) => Num::Long(int as i64),
            None => Num::Double(number.as_f64().unwrap_or(0.0)),
        },
    }
}

/// `Object.equals` between the Java objects: numbers of different kinds
/// differ (1 and 1.0), maps compare without regard to key order.
pub(super) fn equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => match (num(x), num(y)) {
            (Num::Int(x), Num::Int(y)) => x == y,
            (Num::Long(x), Num::Long(y)) => x == y,
            (Num::Double(x), Num::Double(y)) => x.to_bits() == y.to_bits(),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| equals(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(key, value)| y.get(key).is_some_and(|other| equals(value, other)))
        }
        _ => false,
    }
}

/// `java.util.Random`, for a seeded States.MathRandom: AWS gives -5 for
/// `States.MathRandom(-5, 5, 42)`, which is `new Random(42).nextInt(10) - 5`.
pub(super) struct Random {
    seed: u64,
}

const MULTIPLIER: u64 = 0x5_DEEC_E66D;
const MASK: u64 = (1 << 48) - 1;

impl Random {
    pub(super) fn new(seed: i64) -> Random {
        Random { seed: (seed as u64 ^ MULTIPLIER) & MASK }
    }

    fn next(&mut self, bits: u32) -> i32 {
        self.seed = (self.seed.wrapping_mul(MULTIPLIER).wrapping_add(0xB)) & MASK;
        (self.seed >> (48 - bits)) as i32
    }

    /// `nextDouble()`: 53 random bits, in [0, 1).
    pub(super) fn next_double(&mut self) -> f64 {
        let high = i64::from(self.next(26)) << 27;
        let low = i64::from(self.next(27));
        (high + low) as f64 / (1u64 << 53) as f64
    }

    /// `nextInt(bound)`, for bound > 0.
    pub(super) fn next_int(&mut self, bound: i32) -> i32 {
        let mut r = self.next(31);
        let m = bound - 1;
        if bound & m == 0 {
            return ((i64::from(bound) * i64::from(r)) >> 31) as i32;
        }
        let mut u = r;
        loop {
            r = u % bound;
            if i64::from(u) - i64::from(r) + i64::from(m) <= i64::from(i32::MAX) {
                return r;
            }
            u = self.next(31);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn doubles_print_as_java_prints_them() {
        for (float, text) in [
            (1.1, "1.1"),
            (100.0, "100.0"),
            (0.001, "0.001"),
            (1e7, "1.0E7"),
            (1.5e10, "1.5E10"),
            (1.5e-5, "1.5E-5"),
            (-3.5, "-3.5"),
            (0.0, "0.0"),
        ] {
            assert_eq!(double_to_string(float), text);
        }
        assert_eq!(
            to_string(&json!({"a": [1, "x", null, {"b": true}], "c": 2.0})),
            "{a=[1, x, null, {b=true}], c=2.0}"
        );
    }

    #[test]
    fn java_random_matches_its_definition() {
        // new Random(42).nextInt(10) is 0 (see math_random_with_a_seed_is_java_random).
        assert_eq!(Random::new(42).next_int(10), 0);
        // Power-of-two bounds take the high bits.
        let value = Random::new(7).next_int(16);
        assert!((0..16).contains(&value));
    }
}
