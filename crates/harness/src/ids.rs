//! Identifiers the Lambda platform hands out: request ids (UUID v4), log stream
//! names and X-Ray trace headers. Only their form matters, so a small
//! process-local generator is enough; every call gives a fresh value.

use crate::time::since_epoch as now;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 64 unpredictable bits: SipHash with a random key over a counter and the clock.
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(now().as_nanos());
    hasher.finish()
}

/// A uniform random number in [0, 1), for retry jitter.
pub fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn random_hex(digits: usize) -> String {
    let mut out = String::with_capacity(digits + 16);
    while out.len() < digits {
        out.push_str(&format!("{:016x}", random_u64()));
    }
    out.truncate(digits);
    out
}

/// A request id as Lambda gives one: a random (version 4) UUID.
pub fn request_id() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random_u64().to_be_bytes());
    bytes[8..].copy_from_slice(&random_u64().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The log stream of a new execution environment: `2026/11/27/[$LATEST]` and
/// 32 hex digits.
pub fn log_stream_name(version: &str) -> String {
    format!("{}/[{version}]{}", crate::time::slash_date(now()), random_hex(32))
}

/// An X-Ray trace header as Lambda sets `_X_AMZN_TRACE_ID`:
/// `Root=1-<8 hex seconds>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>`: sampled
/// when the function has active tracing on (off on a new function).
pub fn trace_header(sampled: bool) -> String {
    format!("Root=1-{:08x}-{};Parent={};Sampled={}", now().as_secs(), random_hex(24), random_hex(16), u8::from(sampled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_uuid_v4_and_fresh() {
        let a = request_id();
        let b = request_id();
        assert_ne!(a, b);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'), "version nibble in {a}");
        assert!("89ab".contains(&parts[3][..1]), "variant nibble in {a}");
    }

    #[test]
    fn log_stream_has_lambda_form() {
        let name = log_stream_name("$LATEST");
        let (date, rest) = name.split_at(10);
        assert_eq!(date.matches('/').count(), 2);
        assert!(rest.starts_with("/[$LATEST]"));
        assert_eq!(rest.len() - "/[$LATEST]".len(), 32);
    }
}
