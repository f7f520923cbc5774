//! The syntax of an intrinsic function call: `States.Name(arg, ...)`, with
//! string literals in single quotes (four escapes), JSON-like numbers,
//! `true`, `false`, `null`, paths (`$...` into the input, `$$...` into the
//! context object) and nested calls. Parsing checks the function names;
//! argument counts are checked separately ([`Call::check_arity`]), since the
//! service accepts a wrong count when the machine is created and fails only
//! when the state runs.

use serde_json::Number;

/// The intrinsic functions, by name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Function {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

const FUNCTIONS: [(&str, Function); 18] = [
    ("Format", Function::Format),
    ("StringToJson", Function::StringToJson),
    ("JsonToString", Function::JsonToString),
    ("Array", Function::Array),
    ("ArrayPartition", Function::ArrayPartition),
    ("ArrayContains", Function::ArrayContains),
    ("ArrayRange", Function::ArrayRange),
    ("ArrayGetItem", Function::ArrayGetItem),
    ("ArrayLength", Function::ArrayLength),
    ("ArrayUnique", Function::ArrayUnique),
    ("Base64Encode", Function::Base64Encode),
    ("Base64Decode", Function::Base64Decode),
    ("Hash", Function::Hash),
    ("JsonMerge", Function::JsonMerge),
    ("MathRandom", Function::MathRandom),
    ("MathAdd", Function::MathAdd),
    ("StringSplit", Function::StringSplit),
    ("UUID", Function::Uuid),
];

impl Function {
    fn named(name: &str) -> Option<Function> {
        FUNCTIONS.iter().find(|(known, _)| *known == name).map(|(_, function)| *function)
    }

    pub(super) fn name(self) -> &'static str {
        FUNCTIONS.iter().find(|(_, function)| *function == self).map(|(name, _)| *name).unwrap_or("")
    }

    /// The argument counts the function takes: (least, most).
    pub(super) fn arity(self) -> (usize, usize) {
        match self {
            Function::Format => (1, usize::MAX),
            Function::Array => (0, usize::MAX),
            Function::Uuid => (0, 0),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, 1),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, 2),
            Function::ArrayRange | Function::JsonMerge => (3, 3),
            Function::MathRandom => (2, 3),
        }
    }
}

/// One argument of a call, as written.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Arg {
    /// A string literal: its value, and its text between the quotes with the
    /// escapes still written (States.Format reads `\{` there).
    Text {
        value: String,
        raw: String,
    },
    Number(Number),
    Bool(bool),
    Null,
    /// `$...` or `$$...`: `path` is the JSONPath to read (for `$$`, one `$`
    /// is dropped and the path reads the context object).
    Path {
        context: bool,
        path: String,
        written: String,
    },
    Call(Call),
}

/// A call: the function and its arguments, nested calls included.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Call {
    pub(super) function: Function,
    pub(super) args: Vec<Arg>,
}

impl Call {
    /// How many functions the call holds, itself included.
    pub(super) fn function_count(&self) -> usize {
        1 + self.args.iter().map(|arg| if let Arg::Call(call) = arg { call.function_count() } else { 0 }).sum::<usize>()
    }

    /// Every path the call reads, nested calls included.
    pub(super) fn paths<'a>(&'a self, out: &mut Vec<&'a str>) {
        for arg in &self.args {
            match arg {
                Arg::Path { path, .. } => out.push(path),
                Arg::Call(call) => call.paths(out),
                _ => {}
            }
        }
    }

    /// Every function, nested ones included, gets as many arguments as it takes.
    pub(super) fn check_arity(&self) -> Result<(), String> {
        let (least, most) = self.function.arity();
        let count = self.args.len();
        if count < least || count > most {
            let takes = match (least, most) {
                (l, m) if l == m => format!("{l}"),
                (l, usize::MAX) => format!("at least {l}"),
                (l, m) => format!("{l} to {m}"),
            };
            return Err(format!("States.{} takes {takes} argument(s), not {count}", self.function.name()));
        }
        self.args.iter().try_for_each(|arg| if let Arg::Call(call) = arg { call.check_arity() } else { Ok(()) })
    }
}

/// Parse a whole field's text as one call (spaces around it allowed).
pub(super) fn parse(text: &str) -> Result<Call, String> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_space();
    if !parser.rest().starts_with("States.") {
        return Err("an intrinsic function call starts with 'States.'".to_string());
    }
    let call = parser.call()?;
    parser.skip_space();
    if parser.pos < text.len() {
        return Err(format!("unexpected '{}' after the call", parser.rest()));
    }
    Ok(call)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if !c.is_whitespace() {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn call(&mut self) -> Result<Call, String> {
        self.pos += "States.".len();
        let name_len = self.rest().find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(self.rest().len());
        let name = &self.rest()[..name_len];
        let function = Function::named(name).ok_or_else(|| {
            if name.is_empty() {
                "a function name must follow 'States.'".to_string()
            } else {
                format!("'States.{name}' is not an intrinsic function")
            }
        })?;
        self.pos += name_len;
        self.skip_space();
        if self.peek() != Some('(') {
            return Err(format!("'(' must follow 'States.{name}'"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_space();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(Call { function, args });
        }
        loop {
            self.skip_space();
            args.push(self.arg()?);
            self.skip_space();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(Call { function, args });
                }
                Some(_) => return Err(format!("expected ',' or ')' before '{}'", self.rest())),
                None => {
                    return Err(format!("the arguments of States.{name} are not closed with ')'"));
                }
            }
        }
    }

    fn arg(&mut self) -> Result<Arg, String> {
        let rest = self.rest();
        match self.peek() {
            None => Err("an argument is missing at the end".to_string()),
            Some('\'') => self.string(),
            Some('$') => self.path(),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            Some(_) if rest.starts_with("States.") => Ok(Arg::Call(self.call()?)),
            Some(_) => {
                let word_len = rest.find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(rest.len());
                let word = &rest[..word_len];
                let arg = match word {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    "null" => Arg::Null,
                    "" => return Err(format!("an argument is missing before '{rest}'")),
                    _ => return Err(format!("'{word}' is not a valid argument")),
                };
                self.pos += word_len;
                Ok(arg)
            }
        }
    }

    fn string(&mut self) -> Result<Arg, String> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\'' => {
                    let raw = self.text[start + 1..self.pos + at].to_string();
                    self.pos += at + 1;
                    return Ok(Arg::Text { value, raw });
                }
                '\\' => match chars.next() {
                    Some((_, escaped @ ('\'' | '{' | '}' | '\\'))) => value.push(escaped),
                    Some((_, other)) => {
                        return Err(format!(
                            "'\\{other}' is not an escape sequence; only \\', \\{{, \\}} and \\\\ are"
                        ));
                    }
                    None => break,
                },
                other => value.push(other),
            }
        }
        Err(format!("the string {} is not closed with '", &self.text[start..]))
    }

    fn number(&mut self) -> Result<Arg, String> {
        let bytes = self.rest().as_bytes();
        let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
        let mut len = usize::from(bytes[0] == b'-');
        let int_digits = digits(len);
        let bad = || format!("'{}' is not a valid number", self.rest().split([',', ')']).next().unwrap_or("").trim());
        if int_digits == 0 || (int_digits > 1 && bytes[len] == b'0') {
            return Err(bad());
        }
        len += int_digits;
        let mut float = false;
        if bytes.get(len) == Some(&b'.') {
            let frac = digits(len + 1);
            if frac == 0 {
                return Err(bad());
            }
            len += 1 + frac;
            float = true;
        }
        if matches!(bytes.get(len), Some(b'e' | b'E')) {
            let mut at = len + 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            let exp = digits(at);
            if exp == 0 {
                return Err(bad());
            }
            len = at + exp;
            float = true;
        }
        if bytes.get(len).is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$')) {
            return Err(bad());
        }
        let written = &self.rest()[..len];
        let number = match (float, written.parse::<i64>()) {
            (false, Ok(int)) => Number::from(int),
            _ => written.parse::<f64>().ok().and_then(Number::from_f64).ok_or_else(bad)?,
        };
        self.pos += len;
        Ok(Arg::Number(number))
    }

    fn path(&mut self) -> Result<Arg, String> {
        let rest = self.rest();
        let context = rest.starts_with("$$");
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut end = rest.len();
        let mut chars = rest.char_indices();
        while let Some((at, c)) = chars.next() {
            if let Some(q) = quote {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
                continue;
            }
            match c {
                '\'' | '"' if depth > 0 => quote = Some(c),
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                ',' | ')' if depth == 0 => {
                    end = at;
                    break;
                }
                c if c.is_whitespace() && depth == 0 => {
                    end = at;
                    break;
                }
                _ => {}
            }
        }
        let written = &rest[..end];
        let path = if context { &written[1..] } else { written };
        let variable = !context && crate::jsonpath::variable(written).is_some();
        if path.len() > 1 && !path[1..].starts_with(['.', '[']) && !variable {
            return Err(format!("'{written}' is not a valid path"));
        }
        if quote.is_some() || depth > 0 {
            return Err(format!("the path '{written}' is not closed"));
        }
        self.pos += end;
        Ok(Arg::Path { context, path: path.to_string(), written: written.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use crate::intrinsics::testing::{eval, failure};
    use crate::intrinsics::{check, check_arguments};
    use serde_json::json;

    #[test]
    fn well_formed_calls_pass_the_check() {
        for text in [
            "States.Array()",
            "States.UUID()",
            "  States.Array( 1 , 'a' , true, false, null, -1.5e3 )  ",
            "States.Format('Hello, my name is {}.', 'Arnav')",
            "States.Format('a \\{\\} \\' \\\\ {}', 1)",
            // test_json_manipulation.py json_merge_escaped_argument: braces need no escape outside Format.
            "States.JsonMerge(States.StringToJson('{\"constant_in_literal\": \"false\"}'), States.Array(), false)",
            // AWS guide: nine nested functions in one field.
            "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit('a/b/c.d', '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit('a/b/c.d', '/'), 2), '.'), 1))",
            // conformance: AWS accepts these definitions and fails only when the state runs.
            "States.Hash()",
            "States.ArrayRange(1, 5)",
            "States.Format('Hello {', 1)",
        ] {
            assert_eq!(check(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn malformed_calls_fail_the_check() {
        for text in [
            "States.Nope(1)",
            "States.format('x')",
            "States.Array",
            "States.Array(1",
            "States.Array(1,)",
            "States.Array(, 1)",
            "States.Array(1) trailing",
            "States.Array([1,2])",
            "States.Array(1.)",
            "States.Array(.5)",
            "States.Array(01)",
            "States.Array(1x)",
            "States.Array(nothing)",
            "States.Array('open)",
            // conformance: AWS rejects '\n' (backslash, n) at definition time.
            "States.Base64Decode('YWJj\\nZA==')",
            "Array(1)",
            "",
        ] {
            assert!(check(text).is_err(), "{text} should not pass");
        }
    }

    #[test]
    fn a_field_holds_at_most_ten_functions() {
        let ten = "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(1))))))))))";
        assert_eq!(check(ten), Ok(()));
        let eleven = format!("States.Array({ten})");
        assert!(check(&eleven).is_err());
    }

    #[test]
    fn check_arguments_also_counts_arguments() {
        assert_eq!(check_arguments("States.ArrayRange(1, 9, 2)"), Ok(()));
        assert_eq!(check_arguments("States.MathRandom(1, 9)"), Ok(()));
        assert_eq!(check_arguments("States.MathRandom(1, 9, 3)"), Ok(()));
        assert_eq!(check_arguments("States.Format('x')"), Ok(()));
        assert!(check_arguments("States.ArrayRange(1, 5)").is_err());
        assert!(check_arguments("States.Array(States.Hash('x'))").is_err());
        assert!(check_arguments("States.UUID(1)").is_err());
        assert!(check_arguments("States.Format()").is_err());
    }

    #[test]
    fn string_literals_take_four_escapes() {
        assert_eq!(
            eval("States.Array('it\\'s', '\\{\\}', 'a\\\\b', '{\"k\": 1}')"),
            json!(["it's", "{}", "a\\b", "{\"k\": 1}"])
        );
    }

    #[test]
    fn number_literals_keep_integers_and_floats_apart() {
        assert_eq!(eval("States.Array(1, -2, 1.5, 2e3, 0)"), json!([1, -2, 1.5, 2000.0, 0]));
        assert!(eval("States.Array(1)")[0].is_i64());
        assert!(eval("States.Array(1.0)")[0].is_f64());
    }

    #[test]
    fn a_malformed_call_fails_at_run_time_too() {
        let error = failure("States.Array(");
        assert_eq!(error.error, "States.Runtime");
    }

    #[test]
    fn paths_pass_the_check_when_valid() {
        for text in [
            "States.Array($)",
            "States.Array($$)",
            "States.Array($.a, $.a.b, $['a b'], $.a[0], $.a[*].b, $$.Execution.Id)",
            "States.Array($['a,b'], $.items[?(@.n > 1)])",
            "States.Array( $.a , $.b )",
            // Variables (`$name`, `$name.field`).
            "States.Array($a, $order.items[0])",
        ] {
            assert_eq!(check(text), Ok(()), "{text}");
        }
        for text in ["States.Array($a[)", "States.Array($.a[)", "States.Array($.a b)", "States.Array($$$.a)"] {
            assert!(check(text).is_err(), "{text} should not pass");
        }
    }
}
