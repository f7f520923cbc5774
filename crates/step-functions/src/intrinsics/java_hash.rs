//! The iteration order of Java's `HashMap` and `HashSet`, which AWS's
//! results keep: `States.JsonMerge` returns `new HashMap<>(left)` after
//! `putAll(right)`, `States.ArrayUnique` returns `new ArrayList<>(new
//! HashSet<>(items))`. A `HashMap` iterates bucket by bucket (the spread hash
//! code modulo the table's capacity), and within a bucket in insertion order;
//! so the order follows from Java's `hashCode` of each key or item and from
//! how the table grew, both emulated here.

use super::java::{Num, equals, num};
use serde_json::{Map, Value};

/// `hashCode` of the Java object.
fn hash_code(value: &Value) -> i32 {
    match value {
        Value::Null => 0,
        Value::Bool(b) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        Value::String(text) => string_hash(text),
        Value::Number(number) => match num(number) {
            Num::Int(int) => int,
            Num::Long(long) => (long ^ ((long as u64) >> 32) as i64) as i32,
            Num::Double(float) => {
                let bits = float.to_bits();
                (bits ^ (bits >> 32)) as i32
            }
        },
        Value::Array(items) => items.iter().fold(1i32, |h, item| h.wrapping_mul(31).wrapping_add(hash_code(item))),
        Value::Object(fields) => {
            fields.iter().fold(0i32, |h, (key, item)| h.wrapping_add(string_hash(key) ^ hash_code(item)))
        }
    }
}

fn string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)))
}

/// `HashMap.hash`: the hash code with its high half folded in.
fn spread(hash: i32) -> usize {
    let h = hash as u32;
    (h ^ (h >> 16)) as usize
}

/// `HashMap.tableSizeFor`.
fn table_size_for(wanted: usize) -> usize {
    wanted.max(1).next_power_of_two()
}

/// The capacity and threshold of a `java.util.HashMap` (load factor
/// 0.75) as entries are put into it; iteration goes bucket by bucket
/// (hash & (capacity - 1)), and within a bucket in insertion order.
#[derive(Default)]
struct Table {
    capacity: usize,
    threshold: usize,
    size: usize,
}

impl Table {
    fn resize(&mut self) {
        if self.capacity > 0 {
            let doubled = self.capacity * 2;
            self.threshold = if self.capacity >= 16 { self.threshold * 2 } else { (doubled as f32 * 0.75) as usize };
            self.capacity = doubled;
        } else if self.threshold > 0 {
            self.capacity = self.threshold;
            self.threshold = (self.capacity as f32 * 0.75) as usize;
        } else {
            self.capacity = 16;
            self.threshold = 12;
        }
    }

    /// `putAll` of a map of `size` entries, `new_keys` of them not yet in.
    fn put_all(&mut self, size: usize, new_keys: usize) {
        if size > 0 {
            if self.capacity == 0 {
                let wanted = (size as f32 / 0.75 + 1.0) as usize;
                if wanted > self.threshold {
                    self.threshold = table_size_for(wanted);
                }
            } else if size > self.threshold {
                self.resize();
            }
        }
        for _ in 0..new_keys {
            if self.capacity == 0 {
                self.resize();
            }
            self.size += 1;
            if self.size > self.threshold {
                self.resize();
            }
        }
    }

    fn bucket(&self, hash: i32) -> usize {
        spread(hash) & (self.capacity.max(1) - 1)
    }
}

/// States.JsonMerge (shallow): `new HashMap<>(left)` then
/// `putAll(right)`, so right wins and keys come in HashMap order.
/// test_json_manipulation.snapshot.json shows it: merging
/// {"constant_in_literal"} with {"constant_input_field"} gives
/// constant_input_field first.
pub(super) fn merge(left: &Map<String, Value>, right: &Map<String, Value>) -> Map<String, Value> {
    let mut entries: Vec<(String, Value)> = left.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut new_keys = 0;
    for (key, value) in right {
        match entries.iter_mut().find(|(existing, _)| existing == key) {
            Some(entry) => entry.1 = value.clone(),
            None => {
                entries.push((key.clone(), value.clone()));
                new_keys += 1;
            }
        }
    }
    let mut table = Table::default();
    table.put_all(left.len(), left.len());
    table.put_all(right.len(), new_keys);
    entries.sort_by_key(|(key, _)| table.bucket(string_hash(key)));
    entries.into_iter().collect()
}

/// States.ArrayUnique: `new ArrayList<>(new HashSet<>(items))`: the
/// first of equal items stays, in HashSet order (AWS gives
/// [false, true] for [true, false, true, false]).
pub(super) fn hash_set(items: &[Value]) -> Vec<Value> {
    let mut unique: Vec<&Value> = Vec::new();
    for item in items {
        if !unique.iter().any(|kept| equals(kept, item)) {
            unique.push(item);
        }
    }
    // HashSet(Collection): a HashMap of initial capacity max(n/.75 + 1, 16).
    let table =
        Table { capacity: table_size_for(((items.len() as f32 / 0.75) as usize + 1).max(16)), ..Table::default() };
    unique.sort_by_key(|item| table.bucket(hash_code(item)));
    unique.into_iter().cloned().collect()
}
