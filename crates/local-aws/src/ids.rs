//! The identifiers the gateway hands out: access keys, secrets, session
//! tokens, account ids and request ids.
//!
//! They look like AWS's (an `ASIA` key is a role's temporary key, which is
//! what Lambda gives a function) but only need to be distinct, not secret:
//! the gateway tells functions apart by them, and they are worth nothing
//! outside this machine. So std's randomly seeded hasher is the source, not
//! a cryptographic generator.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// moto's account for requests that name none: never handed out, so that a
/// function's resources can never be mixed with those.
const MOTO_DEFAULT_ACCOUNT: &str = "123456789012";

/// A fresh pseudo-random number: a randomly seeded SipHash of a counter and
/// the clock.
fn random() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    hasher.finish()
}

fn random_chars(alphabet: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut bits = random();
        // 8 characters per number keeps the draw unbiased enough for ids.
        for _ in 0..8 {
            if out.len() == len {
                break;
            }
            out.push(alphabet[(bits % alphabet.len() as u64) as usize] as char);
            bits /= alphabet.len() as u64;
        }
    }
    out
}

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A registration's credentials, in the form of a role's temporary ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// `ASIA` and 16 upper-case letters and digits, as AWS's.
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
}

pub(crate) fn credentials() -> Credentials {
    Credentials {
        access_key_id: format!("ASIA{}", random_chars(UPPER_ALNUM, 16)),
        secret_access_key: random_chars(BASE64, 40),
        session_token: format!("IQoJb3JpZ2luX2VjELocalAws{}", random_chars(BASE64, 120)),
    }
}

/// A 12-digit account id not in `used` and not moto's default.
pub(crate) fn account_id(used: &[String]) -> String {
    loop {
        let id = format!("{:012}", random() % 1_000_000_000_000);
        if id != MOTO_DEFAULT_ACCOUNT && !used.contains(&id) {
            return id;
        }
    }
}

/// A request id in AWS's upper-case hexadecimal style.
pub(crate) fn request_id() -> String {
    format!("{:016X}", random())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_look_like_a_roles_temporary_keys_and_differ() {
        let a = credentials();
        let b = credentials();
        assert_ne!(a.access_key_id, b.access_key_id);
        assert_eq!(a.access_key_id.len(), 20);
        assert!(a.access_key_id.starts_with("ASIA"));
        assert!(a.access_key_id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        assert_eq!(a.secret_access_key.len(), 40);
    }

    #[test]
    fn account_ids_are_twelve_digits_and_never_repeat() {
        let mut used = Vec::new();
        for _ in 0..1000 {
            let id = account_id(&used);
            assert_eq!(id.len(), 12);
            assert!(id.chars().all(|c| c.is_ascii_digit()));
            assert!(!used.contains(&id));
            used.push(id);
        }
    }
}
