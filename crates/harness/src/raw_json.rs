//! The exact text of a value inside a JSON document. Parsed JSON forgets how
//! numbers were written (`0.10` and `0.1`, `42` and `42.0` become the same
//! number), but the runtime writes a Decimal as its own digits, and a check
//! about that has to read the response as written.

/// The text of the value of the first member called `key`, at any depth, in
/// document order; None when there is none (or the text is not JSON).
pub fn member_text<'a>(document: &'a str, key: &str) -> Option<&'a str> {
    let bytes = document.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let end = string_end(bytes, at)?;
                let name = &document[at + 1..end];
                let after = skip_space(bytes, end + 1);
                if after < bytes.len() && bytes[after] == b':' && name == key {
                    let start = skip_space(bytes, after + 1);
                    let stop = value_end(bytes, start)?;
                    return Some(&document[start..stop]);
                }
                at = end + 1;
            }
            _ => at += 1,
        }
    }
    None
}

/// The index of the quote that closes the string opening at `open`.
fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut at = open + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at),
            _ => at += 1,
        }
    }
    None
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && bytes[at].is_ascii_whitespace() {
        at += 1;
    }
    at
}

/// One past the end of the value starting at `start`.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start).map(|end| end + 1),
        b'[' | b'{' => {
            let mut depth = 0usize;
            let mut at = start;
            while at < bytes.len() {
                match bytes[at] {
                    b'"' => at = string_end(bytes, at)?,
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(at + 1);
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            None
        }
        _ => {
            let mut at = start;
            while at < bytes.len() && !matches!(bytes[at], b',' | b']' | b'}') && !bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            Some(at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::member_text;

    #[test]
    fn finds_values_as_they_were_written() {
        let doc = r#"[{"id": "a", "new": {"price": 0.10, "tags": ["x", "]"], "big": 1E+2}}, {"price": 2}]"#;
        assert_eq!(member_text(doc, "price"), Some("0.10"));
        assert_eq!(member_text(doc, "tags"), Some(r#"["x", "]"]"#));
        assert_eq!(member_text(doc, "big"), Some("1E+2"));
        assert_eq!(member_text(doc, "new"), Some(r#"{"price": 0.10, "tags": ["x", "]"], "big": 1E+2}"#));
        assert_eq!(member_text(doc, "id"), Some(r#""a""#));
        assert_eq!(member_text(doc, "missing"), None);
    }

    #[test]
    fn a_string_value_equal_to_the_key_is_not_a_member() {
        assert_eq!(member_text(r#"{"a": "price", "price": 3}"#, "price"), Some("3"));
        assert_eq!(member_text(r#"{"a": "say \"price\": 1"}"#, "price"), None);
    }
}
