//! The text functions: `States.Format`, `StringSplit`, `Base64Encode`,
//! `Base64Decode` and `Hash`. Each answers `None` for arguments AWS rejects
//! (`Invalid arguments in States.<Name>`).

use super::java;
use super::parse::Arg;
use serde_json::Value;

/// Longest string (in UTF-16 units, as Java counts) Base64Encode,
/// Base64Decode and Hash accept: 10000 passes, 10001 fails on AWS.
const TEXT_LIMIT: usize = 10_000;

fn limited_text(value: &Value) -> Option<&str> {
    value.as_str().filter(|text| text.encode_utf16().count() <= TEXT_LIMIT)
}

/// States.Format: each `{}` of the template replaced by the next argument,
/// rendered as Java's `toString` renders it. `template` is the first
/// argument as written, `values` every argument's value.
pub(super) fn format(template: &Arg, values: &[Value]) -> Option<Value> {
    // A literal template keeps its escapes, so that `\{` stays a brace.
    let template = match (template, &values[0]) {
        (Arg::Text { raw, .. }, _) => raw.as_str(),
        (_, Value::String(text)) => text.as_str(),
        _ => return None,
    };
    let mut out = String::new();
    let mut fills = values[1..].iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&escaped @ ('\'' | '{' | '}' | '\\')) => {
                    out.push(escaped);
                    chars.next();
                }
                _ => out.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push_str(&java::to_string(fills.next()?));
            }
            '{' | '}' => return None,
            other => out.push(other),
        }
    }
    if fills.next().is_some() {
        return None;
    }
    Some(Value::String(out))
}

/// States.StringSplit: split on every character of `delimiters`, empty
/// parts dropped.
pub(super) fn split(text: &Value, delimiters: &Value) -> Option<Value> {
    let (text, delimiters) = (text.as_str()?, delimiters.as_str()?);
    Some(Value::Array(
        text.split(|c| delimiters.contains(c)).filter(|part| !part.is_empty()).map(Value::from).collect(),
    ))
}

/// States.Base64Encode of the text's UTF-8 bytes.
pub(super) fn base64_encode(text: &Value) -> Option<Value> {
    let text = limited_text(text)?;
    Some(Value::String(harness::events::base64_encode(text.as_bytes())))
}

/// States.Base64Decode, the bytes read as UTF-8 (invalid sequences replaced).
pub(super) fn base64_decode(text: &Value) -> Option<Value> {
    let text = limited_text(text)?;
    Some(Value::String(String::from_utf8_lossy(&decode(text)).into_owned()))
}

/// Base64 decoding as lenient as AWS's (conformance: it decodes `abc`,
/// `!!!invalid!!!`, ` YWJjZA== ` and `ab==cd` without complaint): characters
/// outside the alphabet are skipped, missing padding is accepted, and the
/// first `=` ends the data (the way Apache Commons Codec decodes; what AWS
/// does after a `=` is not known).
fn decode(text: &str) -> Vec<u8> {
    let sextets: Vec<u32> = text
        .bytes()
        .take_while(|b| *b != b'=')
        .filter_map(|b| match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for group in sextets.chunks(4) {
        let bits = group.iter().enumerate().fold(0u32, |acc, (i, s)| acc | s << (18 - 6 * i));
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        out.extend_from_slice(&bytes[..group.len().saturating_sub(1)]);
    }
    out
}

/// States.Hash: the digest of the data (a string, or any value as the Java
/// service prints it) as lowercase hex, for the algorithm names AWS accepts
/// (exactly these spellings).
pub(super) fn hash(data: &Value, algorithm: &Value) -> Option<Value> {
    use harness::digest;
    let data = match data {
        Value::String(text) => text.clone(),
        other => java::to_string(other),
    };
    if data.encode_utf16().count() > TEXT_LIMIT {
        return None;
    }
    let data = data.as_bytes();
    let digest = match algorithm.as_str()? {
        "MD5" => digest::md5_hex(data),
        "SHA-1" => digest::sha1_hex(data),
        "SHA-256" => digest::sha256_hex(data),
        "SHA-384" => digest::sha384_hex(data),
        "SHA-512" => digest::sha512_hex(data),
        _ => return None,
    };
    Some(Value::String(digest))
}

#[cfg(test)]
mod tests {
    use crate::intrinsics::testing::{eval, failure, invalid_in};
    use serde_json::json;

    // -- States.Format ------------------------------------------------------

    #[test]
    fn format_fills_placeholders_as_the_service_prints_values() {
        // test_generic.snapshot.json test_format_1.
        let one = |arg: &str| eval(&format!("States.Format('Formatting argument {{}}.', {arg})"));
        assert_eq!(one("''"), json!("Formatting argument ."));
        assert_eq!(one("' '"), json!("Formatting argument  ."));
        assert_eq!(one("'HelloWorld'"), json!("Formatting argument HelloWorld."));
        assert_eq!(one("null"), json!("Formatting argument null."));
        assert_eq!(one("1"), json!("Formatting argument 1."));
        assert_eq!(one("1.1"), json!("Formatting argument 1.1."));
        assert_eq!(one("'{\"Arg1\": 1, \"Arg2\": []}'"), json!("Formatting argument {\"Arg1\": 1, \"Arg2\": []}."));
        // test_generic.snapshot.json test_format_2, last binding: an object
        // (by path there; built with StringToJson here).
        let object = "States.StringToJson('{\"Arg1\": 1, \"Arg2\": []}')";
        assert_eq!(
            eval(&format!("States.Format('Formatting arguments fst={{}} and snd={{}}.', {object}, {object})")),
            json!("Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.")
        );
        // conformance.
        assert_eq!(eval("States.Format('{} {} {}', 'x', 2, true)"), json!("x 2 true"));
        assert_eq!(eval("States.Format('no placeholders')"), json!("no placeholders"));
        assert_eq!(eval("States.Format('Name: \\'{}\\'', 'Gabriel')"), json!("Name: 'Gabriel'"));
        assert_eq!(
            eval("States.Format('arn:{}:{}', 'lambda', States.JsonToString(States.StringToJson('{\"k\":1}')))"),
            json!("arn:lambda:{\"k\":1}")
        );
    }

    #[test]
    fn format_takes_escaped_braces_literally() {
        assert_eq!(eval("States.Format('\\{{}\\}', 'x')"), json!("{x}"));
        assert_eq!(eval("States.Format('a \\\\ b {}', 1)"), json!("a \\ b 1"));
    }

    #[test]
    fn format_fails_on_a_count_mismatch_or_a_stray_brace() {
        // conformance: all fail on AWS with States.Runtime.
        for bad in ["'{} {}', 'x'", "'{}', 'x', 'y'", "'Hello {', 'x'", "'Hello {{}}', 'x'", "'}'", "1, 2"] {
            assert_eq!(failure(&format!("States.Format({bad})")), invalid_in("Format"));
        }
    }

    // -- States.StringSplit -------------------------------------------------

    #[test]
    fn string_split_breaks_on_each_delimiter_character_and_drops_empty_parts() {
        // test_string_operations.snapshot.json test_string_split.
        assert_eq!(eval("States.StringSplit(' ', ',')"), json!([" "]));
        assert_eq!(eval("States.StringSplit(' , ', ',')"), json!([" ", " "]));
        assert_eq!(eval("States.StringSplit(', , ,', ',')"), json!([" ", " "]));
        assert_eq!(eval("States.StringSplit(',,,,', ',')"), json!([]));
        assert_eq!(eval("States.StringSplit('1,2,3,4,5', ',')"), json!(["1", "2", "3", "4", "5"]));
        assert_eq!(
            eval("States.StringSplit('This.is+a,test=string', '.+,=')"),
            json!(["This", "is", "a", "test", "string"])
        );
        assert_eq!(
            eval("States.StringSplit('split on T and \nnew line', 'T\n')"),
            json!(["split on ", " and ", "new line"])
        );
        // test_string_operations.snapshot.json test_string_split_context_object (the input by value).
        assert_eq!(
            eval(
                "States.StringSplit('Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,\\'HelloWorld\\'\nNull,None,\n   \n', ',')"
            ),
            json!([
                "Value1",
                "Value2",
                "Value3\nValue4",
                "Value5",
                "Value6\n",
                "\ntrue",
                "1",
                "'HelloWorld'\nNull",
                "None",
                "\n   \n"
            ])
        );
        // test_generic.snapshot.json test_escape_sequence.
        assert_eq!(eval("States.StringSplit('Hello\nWorld', '\n')"), json!(["Hello", "World"]));
        // conformance.
        assert_eq!(eval("States.StringSplit('', ',')"), json!([]));
        assert_eq!(eval("States.StringSplit('1a2b3ab4', 'ab')"), json!(["1", "2", "3", "4"]));
        for bad in ["123, ','", "'a,b', 1", "null, ','", "'a,b', null", "false, ','", "'a,b', States.Array(',')"] {
            assert_eq!(failure(&format!("States.StringSplit({bad})")), invalid_in("StringSplit"));
        }
    }

    // -- States.Base64Encode / Base64Decode ---------------------------------

    #[test]
    fn base64_encodes_and_decodes() {
        // test_encode_decode.snapshot.json.
        assert_eq!(eval("States.Base64Encode('')"), json!(""));
        assert_eq!(eval("States.Base64Encode('Data to encode')"), json!("RGF0YSB0byBlbmNvZGU="));
        assert_eq!(eval("States.Base64Decode('')"), json!(""));
        assert_eq!(eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), json!("Data to encode"));
        // conformance: UTF-8 text; lenient decoding as on AWS.
        assert_eq!(eval("States.Base64Encode('✓')"), json!("4pyT"));
        assert_eq!(eval("States.Base64Encode('🚀')"), json!("8J+agA=="));
        assert_eq!(eval("States.Base64Decode('44GT44KT44Gr44Gh44Gv')"), json!("こんにちは"));
        assert_eq!(eval("States.Base64Decode(' YWJjZA== ')"), json!("abcd"));
        assert_eq!(eval("States.Base64Decode('YWJjZA')"), json!("abcd"));
        assert_eq!(eval("States.Base64Decode(States.Base64Encode('hello'))"), json!("hello"));
    }

    #[test]
    fn base64_takes_ten_thousand_characters_of_text() {
        // conformance: 10000 passes, 10001 fails; other types fail.
        let text = |n: usize| "a".repeat(n);
        assert!(eval(&format!("States.Base64Encode('{}')", text(10_000))).is_string());
        assert_eq!(failure(&format!("States.Base64Encode('{}')", text(10_001))), invalid_in("Base64Encode"));
        assert!(eval(&format!("States.Base64Decode('{}')", "A".repeat(10_000))).is_string());
        assert_eq!(failure(&format!("States.Base64Decode('{}')", "A".repeat(10_001))), invalid_in("Base64Decode"));
        assert_eq!(failure("States.Base64Encode(123)"), invalid_in("Base64Encode"));
        assert_eq!(failure("States.Base64Decode(States.Array())"), invalid_in("Base64Decode"));
        assert_eq!(failure("States.Base64Encode('a', 'b')"), invalid_in("Base64Encode"));
    }

    // -- States.Hash --------------------------------------------------------

    #[test]
    fn hash_gives_lowercase_hex_digests() {
        // test_hash_calculations.snapshot.json test_hash ("input data").
        for (algorithm, digest) in [
            ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
            (
                "SHA-384",
                "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562",
            ),
            (
                "SHA-512",
                "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4",
            ),
        ] {
            assert_eq!(eval(&format!("States.Hash('input data', '{algorithm}')")), json!(digest), "{algorithm}");
        }
    }

    #[test]
    fn hash_edges_as_observed_on_aws() {
        // conformance.
        assert_eq!(eval("States.Hash('hello', 'MD5')"), json!("5d41402abc4b2a76b9719d911017c592"));
        assert_eq!(
            eval("States.Hash('✓', 'SHA-256')"),
            json!("1dabba21cdad44541f6b15796f8d22978fc7ea10c46aeceeeeb66c23b3ac7604")
        );
        assert_eq!(
            eval("States.Hash('🚀', 'SHA-256')"),
            json!("ebbc0b2870eb323f2b6cffa5c493ceef81ae7eb36afc73d4e0367301631daec5")
        );
        assert_eq!(
            eval("States.Hash(States.Format('{}:{}', 'x', 'y'), 'SHA-256')"),
            json!("1274e286686b54fe765ec40735665b4bf789cee2a5b22124c5e0491a88e15271")
        );
        assert!(eval(&format!("States.Hash('{}', 'SHA-256')", "a".repeat(10_000))).is_string());
        assert_eq!(failure(&format!("States.Hash('{}', 'SHA-256')", "a".repeat(10_001))), invalid_in("Hash"));
        for algorithm in ["'sha-256'", "'SHA256'", "''", "'MD-5'", "'SHA-257'", "123"] {
            assert_eq!(failure(&format!("States.Hash('data', {algorithm})")), invalid_in("Hash"));
        }
        assert_eq!(failure("States.Hash('hello')"), invalid_in("Hash"));
        assert_eq!(failure("States.Hash('hello', 'SHA-256', 'extra')"), invalid_in("Hash"));
    }
}
