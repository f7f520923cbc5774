//! JSON as text, never as numbers: checking an event file and laying out a
//! response without parsing either into `serde_json::Value`.
//!
//! Parsing would change what is shown. serde_json reads every number that is
//! not an integer as a 64-bit float, so a `Decimal("12345678901234567890.5")`
//! the runtime wrote as `12345678901234567890.5` would print as
//! `1.2345678901234567e+19`, and `Decimal("0.10")` as `0.1`: the very loss the
//! book warns about, shown by the tool meant to reveal it. It also stops at 128
//! levels of nesting and refuses `1e400`, which Lambda's runtime accepts (its
//! simplejson reads `1e400` as `inf`). serde_json's `arbitrary_precision`
//! feature would keep the digits, but it is a feature of the whole workspace
//! (cargo unifies features), so it would change how every crate compares and
//! prints numbers, the checks' JSON diffs and snapshots included. Working on
//! the text changes only this command's output: the tokens are copied byte for
//! byte, only the whitespace between them is laid out.
//!
//! The scanner is iterative (an explicit stack), so no depth of nesting can
//! overflow it. [`check`] holds an event to RFC 8259; [`layout`] also takes
//! the `NaN`, `Infinity` and `-Infinity` that simplejson writes for a float or
//! Decimal NaN (`allow_nan=True`, as awslambdaric marshals), so a response
//! holding them is still shown as written.

use std::fmt::Write as _;

/// Where the text stops being JSON, in the words serde_json uses, with the
/// line and column (1-based, columns counted in bytes).
#[derive(Debug, PartialEq)]
pub(crate) struct SyntaxError {
    pub what: &'static str,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at line {} column {}", self.what, self.line, self.column)
    }
}

/// Whether `text` is one JSON value (RFC 8259), at any depth, with numbers of
/// any size.
pub(crate) fn check(text: &str) -> Result<(), SyntaxError> {
    scan(text, false, |_| {})
}

/// `text` (JSON as the runtime wrote it) laid out: `indent` Some(n) puts each
/// member and element on a line of its own, indented by n spaces per level, as
/// `serde_json::to_string_pretty` does; None removes all whitespace between
/// tokens. None when `text` is not JSON (bytes a handler returned raw).
pub(crate) fn layout(text: &str, indent: Option<usize>) -> Option<String> {
    let mut tokens = Vec::new();
    scan(text, true, |token| tokens.push(token)).ok()?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth = 0usize;
    let newline = |out: &mut String, depth: usize| {
        if let Some(width) = indent {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', width * depth));
        }
    };
    for (index, token) in tokens.iter().enumerate() {
        match *token {
            "{" | "[" => {
                out.push_str(token);
                let empty = matches!(tokens.get(index + 1), Some(&"}") | Some(&"]"));
                depth += 1;
                if !empty {
                    newline(&mut out, depth);
                }
            }
            "}" | "]" => {
                depth -= 1;
                let empty = index > 0 && matches!(tokens[index - 1], "{" | "[");
                if !empty {
                    newline(&mut out, depth);
                }
                out.push_str(token);
            }
            "," => {
                out.push(',');
                newline(&mut out, depth);
            }
            ":" => out.push_str(if indent.is_some() { ": " } else { ":" }),
            _ => out.push_str(token),
        }
    }
    Some(out)
}

/// What the scanner expects next.
#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// A value (at the top, after `:` or after `,` in an array).
    Value,
    /// A value or `]` (just after `[`).
    ValueOrClose,
    /// A key or `}` (just after `{`).
    KeyOrClose,
    /// A key (after `,` in an object).
    Key,
    /// `:` after a key.
    Colon,
    /// `,` or the closing bracket, after a value inside an array or object.
    CommaOrClose,
    /// Nothing but whitespace (after the top-level value).
    End,
}

/// Walk `text`, handing each token (a slice of `text`) to `token`.
fn scan<'a>(text: &'a str, allow_nan: bool, mut token: impl FnMut(&'a str)) -> Result<(), SyntaxError> {
    let bytes = text.as_bytes();
    let mut stack: Vec<u8> = Vec::new();
    let mut expect = Expect::Value;
    let mut at = 0;
    let fail = |what: &'static str, at: usize| Err(error_at(text, what, at));
    loop {
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r') {
            at += 1;
        }
        let Some(&byte) = bytes.get(at) else {
            return match expect {
                Expect::End => Ok(()),
                Expect::Value if stack.is_empty() => fail("EOF while parsing a value", at),
                _ if stack.last() == Some(&b'[') => fail("EOF while parsing a list", at),
                _ => fail("EOF while parsing an object", at),
            };
        };
        let after_value = |stack: &Vec<u8>| if stack.is_empty() { Expect::End } else { Expect::CommaOrClose };
        match expect {
            Expect::End => return fail("trailing characters", at),
            Expect::Colon => {
                if byte != b':' {
                    return fail("expected `:`", at);
                }
                token(":");
                at += 1;
                expect = Expect::Value;
            }
            Expect::CommaOrClose => {
                let open = *stack.last().expect("inside a container");
                match byte {
                    b',' => {
                        token(",");
                        at += 1;
                        expect = if open == b'{' { Expect::Key } else { Expect::Value };
                    }
                    b']' if open == b'[' => {
                        close(&mut stack, &mut token, "]");
                        at += 1;
                        expect = after_value(&stack);
                    }
                    b'}' if open == b'{' => {
                        close(&mut stack, &mut token, "}");
                        at += 1;
                        expect = after_value(&stack);
                    }
                    _ if open == b'[' => return fail("expected `,` or `]`", at),
                    _ => return fail("expected `,` or `}`", at),
                }
            }
            Expect::KeyOrClose | Expect::Key => match byte {
                b'}' if expect == Expect::KeyOrClose => {
                    close(&mut stack, &mut token, "}");
                    at += 1;
                    expect = after_value(&stack);
                }
                b'"' => {
                    let end = string_end(text, at)?;
                    token(&text[at..end]);
                    at = end;
                    expect = Expect::Colon;
                }
                b'}' => return fail("trailing comma", at),
                _ => return fail("key must be a string", at),
            },
            Expect::Value | Expect::ValueOrClose => match byte {
                b']' if expect == Expect::ValueOrClose => {
                    close(&mut stack, &mut token, "]");
                    at += 1;
                    expect = after_value(&stack);
                }
                b']' if !stack.is_empty() && stack.last() == Some(&b'[') => return fail("trailing comma", at),
                b'[' | b'{' => {
                    stack.push(byte);
                    token(if byte == b'[' { "[" } else { "{" });
                    at += 1;
                    expect = if byte == b'[' { Expect::ValueOrClose } else { Expect::KeyOrClose };
                }
                b'"' => {
                    let end = string_end(text, at)?;
                    token(&text[at..end]);
                    at = end;
                    expect = after_value(&stack);
                }
                _ => {
                    let end = scalar_end(text, at, allow_nan)?;
                    token(&text[at..end]);
                    at = end;
                    expect = after_value(&stack);
                }
            },
        }
    }
}

fn close<'a>(stack: &mut Vec<u8>, token: &mut impl FnMut(&'a str), bracket: &'a str) {
    stack.pop();
    token(bracket);
}

/// One past the closing quote of the string opening at `open`.
fn string_end(text: &str, open: usize) -> Result<usize, SyntaxError> {
    let bytes = text.as_bytes();
    let mut at = open + 1;
    loop {
        match bytes.get(at) {
            None => return Err(error_at(text, "EOF while parsing a string", at)),
            Some(b'"') => return Ok(at + 1),
            Some(b'\\') => match bytes.get(at + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at += 2,
                Some(b'u') => {
                    let digits = bytes.get(at + 2..at + 6).filter(|d| d.iter().all(u8::is_ascii_hexdigit));
                    if digits.is_none() {
                        return Err(error_at(text, "invalid escape", at + 1));
                    }
                    at += 6;
                }
                None => return Err(error_at(text, "EOF while parsing a string", at + 1)),
                Some(_) => return Err(error_at(text, "invalid escape", at + 1)),
            },
            Some(byte) if *byte < 0x20 => {
                return Err(error_at(text, "control character (\\u0000-\\u001F) found while parsing a string", at));
            }
            Some(_) => at += 1,
        }
    }
}

/// One past the end of the number or literal starting at `start`.
fn scalar_end(text: &str, start: usize, allow_nan: bool) -> Result<usize, SyntaxError> {
    let rest = &text[start..];
    let mut literals = vec!["true", "false", "null"];
    if allow_nan {
        literals.extend(["NaN", "Infinity", "-Infinity"]);
    }
    if let Some(literal) = literals.iter().find(|l| rest.starts_with(**l)) {
        return Ok(start + literal.len());
    }
    let bytes = text.as_bytes();
    let digits = |mut at: usize| {
        let from = at;
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        (at, at > from)
    };
    let mut at = start;
    if bytes[at] == b'-' {
        at += 1;
    }
    match bytes.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => at = digits(at).0,
        _ => return Err(error_at(text, "expected value", start)),
    }
    if bytes.get(at) == Some(&b'.') {
        let (end, any) = digits(at + 1);
        if !any {
            return Err(error_at(text, "invalid number", end));
        }
        at = end;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let (end, any) = digits(at);
        if !any {
            return Err(error_at(text, "invalid number", end));
        }
        at = end;
    }
    Ok(at)
}

fn error_at(text: &str, what: &'static str, at: usize) -> SyntaxError {
    let before = &text.as_bytes()[..at.min(text.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    SyntaxError { what, line, column }
}

/// A one-line description of how an event file's bytes are encoded, when it
/// is not plain UTF-8 that Lambda reads: None for UTF-8, with or without a
/// byte order mark (awslambdaric's simplejson skips a UTF-8 BOM).
pub(crate) fn foreign_encoding(bytes: &[u8]) -> Option<String> {
    let named = if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some("UTF-32 text (it starts with a UTF-32 byte order mark)")
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some("UTF-16 text (little-endian: it starts with the byte order mark FF FE)")
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some("UTF-16 text (big-endian: it starts with the byte order mark FE FF)")
    } else if bytes.len() >= 2 && bytes[0] != 0 && bytes[1] == 0 {
        Some("UTF-16 text (little-endian, without a byte order mark: every other byte is zero)")
    } else if bytes.len() >= 2 && bytes[0] == 0 && bytes[1] != 0 {
        Some("UTF-16 text (big-endian, without a byte order mark: every other byte is zero)")
    } else {
        None
    };
    if let Some(named) = named {
        return Some(named.to_string());
    }
    let text = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(text) {
        Ok(_) => None,
        Err(error) => {
            let at = error.valid_up_to();
            let mut said = String::new();
            let _ = write!(said, "not UTF-8 text: byte {at} is 0x{:02X}", text[at]);
            if text.iter().all(|b| *b != 0) {
                said.push_str(", which suggests a Windows code page such as Windows-1252 or Latin-1");
            }
            Some(said)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_every_digit_and_only_whitespace_changes() {
        let written = r#"{"big": 12345678901234567890.5, "small": 0.10, "e": 1E+400, "s": "caf\u00e9 \"x\"", "n": [], "o": {}, "nan": NaN}"#;
        assert_eq!(
            layout(written, Some(2)).unwrap(),
            "{\n  \"big\": 12345678901234567890.5,\n  \"small\": 0.10,\n  \"e\": 1E+400,\n  \"s\": \"caf\\u00e9 \\\"x\\\"\",\n  \"n\": [],\n  \"o\": {},\n  \"nan\": NaN\n}"
        );
        assert_eq!(
            layout(written, None).unwrap(),
            r#"{"big":12345678901234567890.5,"small":0.10,"e":1E+400,"s":"caf\u00e9 \"x\"","n":[],"o":{},"nan":NaN}"#
        );
    }

    #[test]
    fn the_layout_is_serde_jsons_pretty_layout() {
        let value = serde_json::json!({"a": [1, {"b": null, "c": [true, false]}, []], "d": "x", "e": {}});
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(layout(&value.to_string(), Some(2)).unwrap(), pretty);
        assert_eq!(layout("[]", Some(2)).unwrap(), "[]");
        assert_eq!(layout(" 7 ", Some(2)).unwrap(), "7");
    }

    #[test]
    fn depth_and_size_of_numbers_are_not_limited() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(check(&deep), Ok(()));
        assert_eq!(check(r#"{"n": 1e400, "m": -0.5e-9999}"#), Ok(()));
    }

    #[test]
    fn what_is_not_json_is_named_with_its_place() {
        let error = |text: &str| check(text).unwrap_err().to_string();
        assert_eq!(error(""), "EOF while parsing a value at line 1 column 1");
        assert_eq!(error("{\"a\": 1,\n}"), "trailing comma at line 2 column 1");
        assert_eq!(error("[1, 2"), "EOF while parsing a list at line 1 column 6");
        assert_eq!(error("{\"a\" 1}"), "expected `:` at line 1 column 6");
        assert_eq!(error("{a: 1}"), "key must be a string at line 1 column 2");
        assert_eq!(error("[NaN]"), "expected value at line 1 column 2");
        assert_eq!(error("[01]"), "expected `,` or `]` at line 1 column 3");
        assert_eq!(error("[1.]"), "invalid number at line 1 column 4");
        assert_eq!(error("{} {}"), "trailing characters at line 1 column 4");
        assert_eq!(
            error("\"a\tb\""),
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"
        );
        assert_eq!(error("\"\\x\""), "invalid escape at line 1 column 3");
        assert!(layout("not json", Some(2)).is_none());
    }

    #[test]
    fn encodings_other_than_utf_8_are_named() {
        let utf16 = |text: &str, bom: bool| {
            let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        };
        assert!(foreign_encoding(&utf16("{}", true)).unwrap().starts_with("UTF-16 text (little-endian: "));
        assert!(foreign_encoding(&utf16("{}", false)).unwrap().contains("without a byte order mark"));
        assert_eq!(foreign_encoding(b"\xEF\xBB\xBF{}"), None);
        assert_eq!(foreign_encoding("{\"é\": 1}".as_bytes()), None);
        assert!(foreign_encoding(b"{\"\xE9\": 1}").unwrap().contains("Windows-1252"));
    }
}
