//! The live class view (issue 19): the instructor's `cargo lab class` shows
//! every learner's progress on one page as it changes, and a learner opts
//! in with `cargo lab join`. It replaces collecting `cargo lab report
//! --json` by hand, and sends nothing more than that report holds.
//!
//! The parts:
//! - [`protocol`]: what a learner sends (the `report --json` rows, a seat
//!   label and a random learner token) and the strict checks the server
//!   makes on it; escaping for the page.
//! - [`server`]: the instructor's side, an HTTP/1.1 server on the
//!   connection handling of [`crate::serve`] (deadlines, a bounded number of
//!   connections, slow clients evicted), holding the class in memory.
//! - [`sender`]: the learner's side, a plain `TcpStream` HTTP/1.1 client and
//!   the background thread [`start_sender`] that sends the progress each
//!   time it changes.
//! - here: the membership a learner's `cargo lab join` saves in
//!   `.lab/class.json`, and the random codes and tokens.
//!
//! It is plain HTTP, for a classroom's own network: no TLS, so that the
//! learner's build stays lean (no TLS stack). Anyone who can see the
//! network's traffic can read the progress and the class code; nothing
//! personal is in it (see [`protocol`]).
//!
//! Two secrets, both random from the operating system: the class code
//! (six characters, typed by learners, required on every post) and the
//! view key (long, only in the page's address on the instructor's screen).
//! So a learner who has the code can post their own progress but cannot
//! read the others'.

pub(crate) mod protocol;
pub(crate) mod sender;
pub(crate) mod server;

pub(crate) use sender::start_sender;

use crate::progress::state_dir;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The port `cargo lab class` listens on unless told otherwise.
pub(crate) const DEFAULT_PORT: u16 = 3100;
/// The letters of a class code: capitals and digits without the ones that
/// are easily mistaken for each other when read off a screen (0 O, 1 I L).
pub(crate) const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// How long a class code is.
pub(crate) const CODE_LENGTH: usize = 6;
/// The letters of a learner token and of the view key.
const TOKEN_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// How long a learner token and the view key are (about 100 bits).
pub(crate) const TOKEN_LENGTH: usize = 20;
/// The learner's membership, in the state folder (`.lab/`).
const MEMBERSHIP_FILE: &str = "class.json";
/// The instructor's code and view key, in the state folder, so that a
/// restarted `cargo lab class` keeps them and the learners need not join again.
pub(crate) const SERVER_FILE: &str = "class-server.json";

/// `n` characters drawn uniformly from `alphabet` with the operating
/// system's randomness.
pub(crate) fn random_text(alphabet: &[u8], n: usize) -> Result<String, String> {
    // Bytes at or above the largest multiple of the alphabet's size are
    // drawn again, so that every character is equally likely.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(n);
    let mut bytes = [0u8; 64];
    while out.len() < n {
        getrandom::fill(&mut bytes).map_err(|e| format!("the operating system gave no random numbers: {e}"))?;
        for byte in bytes {
            if (byte as usize) < limit && out.len() < n {
                out.push(alphabet[byte as usize % alphabet.len()] as char);
            }
        }
    }
    Ok(out)
}

/// A new class code, such as `K7QW3M`.
pub(crate) fn new_code() -> Result<String, String> {
    random_text(CODE_ALPHABET, CODE_LENGTH)
}

/// A new learner token or view key.
pub(crate) fn new_token() -> Result<String, String> {
    random_text(TOKEN_ALPHABET, TOKEN_LENGTH)
}

/// The code as a learner typed it (`k7qw-3m`, ` K7QW3M `), as the server
/// expects it (`K7QW3M`); `None` when it cannot be a code.
pub(crate) fn normalize_code(typed: &str) -> Option<String> {
    let code: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c.to_ascii_uppercase()).collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// Whether `text` could be a learner token or a view key.
pub(crate) fn is_token(text: &str) -> bool {
    text.len() == TOKEN_LENGTH && text.bytes().all(|b| TOKEN_ALPHABET.contains(&b))
}

/// Equal, in a time that does not depend on where they differ: the server
/// compares codes and keys with it, so that timing answers cannot guess
/// one a character at a time. (Their length is no secret: it is fixed.)
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// A learner's membership of a class, saved by `cargo lab join`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Membership {
    /// The class view's address, `http://HOST:PORT`.
    pub(crate) url: String,
    pub(crate) code: String,
    /// Random, made at the first join: how the server tells learners apart
    /// without knowing who they are.
    pub(crate) learner: String,
    /// The label the instructor sees (chosen, or `seat N` given by the server).
    pub(crate) seat: String,
}

impl Membership {
    /// Where the membership of the workspace at `root` is kept.
    pub(crate) fn file(root: &Path) -> PathBuf {
        state_dir(root).join(MEMBERSHIP_FILE)
    }

    /// The saved membership, if there is one that can be read.
    pub(crate) fn load(root: &Path) -> Option<Membership> {
        let text = std::fs::read(Membership::file(root)).ok()?;
        let value: Value = serde_json::from_slice(&text).ok()?;
        let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
        let membership =
            Membership { url: field("url")?, code: field("code")?, learner: field("learner")?, seat: field("seat")? };
        let valid = sender::ClassUrl::parse(&membership.url).is_ok()
            && normalize_code(&membership.code).as_deref() == Some(membership.code.as_str())
            && is_token(&membership.learner)
            && protocol::valid_seat(&membership.seat);
        valid.then_some(membership)
    }

    /// Save it, whole or not at all (a temporary file renamed over the old).
    pub(crate) fn save(&self, root: &Path) -> Result<(), String> {
        let file = Membership::file(root);
        let folder = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        std::fs::create_dir_all(&folder).map_err(|e| format!("could not create {}: {e}", folder.display()))?;
        let text = serde_json::to_string_pretty(&json!({
            "version": 1,
            "url": self.url,
            "code": self.code,
            "learner": self.learner,
            "seat": self.seat,
        }))
        .expect("plain JSON")
            + "\n";
        let temporary = folder.join(format!(".{MEMBERSHIP_FILE}.{}.tmp", std::process::id()));
        std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, &file)).map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            format!("could not save {}: {e}", file.display())
        })
    }

    /// Forget it; whether there was one.
    pub(crate) fn remove(root: &Path) -> Result<bool, String> {
        let file = Membership::file(root);
        match std::fs::remove_file(&file) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(format!("could not remove {}: {e}", file.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_unambiguous_alphabet_and_are_typed_loosely() {
        for _ in 0..50 {
            let code = new_code().unwrap();
            assert_eq!(code.len(), CODE_LENGTH);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
            assert_eq!(normalize_code(&code.to_lowercase()), Some(code.clone()));
        }
        assert_ne!(new_code().unwrap() + &new_code().unwrap(), new_code().unwrap() + &new_code().unwrap());
        assert_eq!(normalize_code(" k7qw-3m "), Some("K7QW3M".to_string()));
        assert_eq!(normalize_code("K7QW3"), None, "too short");
        assert_eq!(normalize_code("K7QW3O"), None, "O is not in the alphabet");
        assert_eq!(normalize_code("K7QW3M9"), None, "too long");
        let token = new_token().unwrap();
        assert!(is_token(&token), "{token}");
        assert!(!is_token("ABCDEFGHJKMNPQRSTUVW") && !is_token("short"));
    }

    #[test]
    fn comparing_codes_is_plain_equality() {
        assert!(constant_time_eq(b"K7QW3M", b"K7QW3M"));
        assert!(!constant_time_eq(b"K7QW3M", b"K7QW3N"));
        assert!(!constant_time_eq(b"K7QW3M", b"K7QW3"));
        assert!(!constant_time_eq(b"", b"K"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn a_membership_is_saved_loaded_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        // Membership::file goes through LAB_STATE_DIR when set; the unit
        // tests do not set it, so the workspace is `dir`.
        let root = dir.path();
        let membership = Membership {
            url: "http://192.168.1.20:3100".into(),
            code: "K7QW3M".into(),
            learner: new_token().unwrap(),
            seat: "seat 3".into(),
        };
        if std::env::var_os(crate::progress::STATE_DIR_VAR).is_some() {
            return;
        }
        membership.save(root).unwrap();
        assert_eq!(Membership::load(root), Some(membership));
        std::fs::write(Membership::file(root), r#"{"url":"http://x:1","code":"nope","learner":"x","seat":"<b>"}"#)
            .unwrap();
        assert_eq!(Membership::load(root), None, "a damaged membership is no membership");
        assert!(Membership::remove(root).unwrap());
        assert!(!Membership::remove(root).unwrap());
    }
}
