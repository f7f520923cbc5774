//! JSONPath as Step Functions reads it, in JSONPath query mode.
//!
//! Step Functions evaluates paths with the Jayway JsonPath library, so this
//! module follows Jayway's reading of the syntax:
//!
//! - `$` is the document; `$$` starts a context-object path (the same grammar
//!   follows; the caller passes the context object as the document);
//! - `.name` and `['name']` / `["name"]` select a member (`['a','b']` several);
//! - `[0]`, `[-1]` (counted from the end), `[0,2]` select array elements,
//!   `[1:3]`, `[:2]`, `[-2:]` slice an array;
//! - `.*` and `[*]` select every member or element; `..x` searches every
//!   level below (recursive descent);
//! - `[?(...)]` filters the elements of an array (or tests an object itself)
//!   with `@` the element and `$` the document: `==`, `!=`, `<`, `<=`, `>`,
//!   `>=` between paths and literals (numbers, 'strings', "strings", true,
//!   false, null), `&&`, `||`, `!`, parentheses, and `[?(@.x)]` (exists).
//!
//! A *definite* path names at most one node (only members and single indexes);
//! any wildcard, descent, slice, union or filter makes it *indefinite*. Reading
//! a definite path gives the node or an error; reading an indefinite one gives
//! the JSON array of every match, possibly empty (as Jayway does).
//!
//! Not supported (rejected by [`is_valid`]): Jayway functions (`length()`),
//! script expressions (`[(@.length-1)]`), slices with a step, regular
//! expressions (`=~`) and the `in`/`nin`/`size`/`empty` filter operators.

use serde_json::Value;
use std::fmt;

/// Why a path could not be read or written.
///
/// `path` is the path as written; `message` is the reason, worded as Jayway
/// words it (for reads) or as Step Functions words a ResultPath conflict
/// (for [`set`]): `No results for path: $['a']['b']`,
/// `Unable to apply step "b" to input {"a":1}`.
#[derive(Clone, Debug, PartialEq)]
pub struct PathError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Invalid path '{}' : {}", self.path, self.message)
    }
}

impl std::error::Error for PathError {}

/// Whether `path` is a valid JSONPath (`$`, `$.a.b`, `$['a b']`, `$.a[0]`,
/// `$.a[*].b`, `$..b`, slices, filters) for a `.$` field or an InputPath.
/// Context-object paths (`$$...`) are valid too.
pub fn is_valid(path: &str) -> bool {
    parse(path).is_ok()
}

/// Whether `path` is a reference path: definite, one node (no wildcards,
/// slices, filters or recursive descent), as ResultPath and *Path fields need.
///
/// Members (`.a`, `['a b']`) and single indexes (`[0]`, `[-1]`) only. A
/// context-object path (`$$.Execution.Input`) also counts: ItemsPath and a
/// Choice rule's Variable accept one; a field that must not read the context
/// object (ResultPath) should also check [`is_context_path`].
pub fn is_reference_path(path: &str) -> bool {
    parse(path).is_ok_and(|p| is_definite(&p.segments))
}

/// A variable reference, `$name` or `$name` followed by a path into its
/// value (`$order.items[0]`): the name, and that path written from `$`
/// (`$`, `$.items[0]`). None for anything else (`$`, `$.a`, `$$.a`).
pub fn variable(path: &str) -> Option<(&str, String)> {
    let rest = path.strip_prefix('$')?;
    let first = rest.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    let (name, tail) = rest.split_at(end);
    (tail.is_empty() || tail.starts_with(['.', '['])).then(|| (name, format!("${tail}")))
}

/// Whether `path` reads a value: a valid JSONPath (see [`is_valid`]) or a
/// variable with a valid path into it.
pub fn is_valid_reading(path: &str) -> bool {
    match variable(path) {
        Some((_, rest)) => is_valid(&rest),
        None => is_valid(path),
    }
}

/// Whether `path` is a reference path (see [`is_reference_path`]) or a
/// variable with a reference path into it.
pub fn is_reference_reading(path: &str) -> bool {
    match variable(path) {
        Some((_, rest)) => is_reference_path(&rest),
        None => is_reference_path(path),
    }
}

/// Whether `path` starts with `$$`, i.e. reads the context object.
pub fn is_context_path(path: &str) -> bool {
    path.starts_with("$$")
}

/// The value at `path` in `document`: the node itself for a definite path,
/// the array of matches for an indefinite one. Err when a definite path
/// does not exist in the document.
///
/// A `$$...` path is read from `document` as well: pass the context object.
/// The error messages are Jayway's: `No results for path: $['a']['b']` when
/// the last step is missing (or an index is out of range), `Missing property
/// in path $['a']` when an earlier member is missing.
pub fn get(document: &Value, path: &str) -> Result<Value, PathError> {
    let parsed = parse(path).map_err(|message| PathError { path: path.to_string(), message })?;
    if is_definite(&parsed.segments) {
        walk_definite(document, &parsed.segments)
            .cloned()
            .map_err(|message| PathError { path: path.to_string(), message })
    } else {
        let found = evaluate(document, &parsed.segments, document);
        Ok(Value::Array(found.into_iter().cloned().collect()))
    }
}

/// `document` with `value` placed at the reference path `path`, creating
/// missing objects on the way (ResultPath semantics); `$` replaces it whole.
///
/// Err when a step cannot be applied: a member of something that is not an
/// object, an index of something that is not an array or out of its range.
/// The message is the one Step Functions writes for a ResultPath conflict
/// (error `States.ReferencePathConflict`), with the whole input as compact
/// JSON: `Unable to apply step "b" to input {"a":"text"}`.
pub fn set(document: &Value, path: &str, value: Value) -> Result<Value, PathError> {
    let error = |message: String| PathError { path: path.to_string(), message };
    let parsed = parse(path).map_err(error)?;
    if parsed.context {
        return Err(error(format!("The path '{path}' reads the context object and cannot be written")));
    }
    if !is_definite(&parsed.segments) {
        return Err(error(format!("The path '{path}' is not a reference path")));
    }
    let mut out = document.clone();
    let mut node = &mut out;
    let count = parsed.segments.len();
    for (i, segment) in parsed.segments.iter().enumerate() {
        let last = i + 1 == count;
        let conflict = |step: String| error(format!("Unable to apply step \"{step}\" to input {}", compact(document)));
        node = match segment {
            Segment::Child(Selector::Name(name)) => match node {
                Value::Object(map) => {
                    if last {
                        map.insert(name.clone(), value);
                        return Ok(out);
                    }
                    map.entry(name.clone()).or_insert_with(|| Value::Object(Default::default()))
                }
                _ => return Err(conflict(name.clone())),
            },
            Segment::Child(Selector::Index(index)) => match node {
                Value::Array(items) => match resolve_index(*index, items.len()) {
                    Some(at) => {
                        if last {
                            items[at] = value;
                            return Ok(out);
                        }
                        &mut items[at]
                    }
                    None => return Err(conflict(index.to_string())),
                },
                _ => return Err(conflict(index.to_string())),
            },
            _ => unreachable!("checked definite above"),
        };
    }
    // Only `$` (no segments) gets here: the value replaces the document.
    Ok(value)
}

// ---------------------------------------------------------------------------
// Syntax tree

#[derive(Clone, Debug, PartialEq)]
struct Parsed {
    /// The path started with `$$`.
    context: bool,
    segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq)]
enum Segment {
    /// `.x`, `[...]`: applied to the node itself.
    Child(Selector),
    /// `..x`, `..[...]`: applied to the node and every node below it.
    Descendant(Selector),
}

#[derive(Clone, Debug, PartialEq)]
enum Selector {
    Name(String),
    Names(Vec<String>),
    Wildcard,
    Index(i64),
    Indices(Vec<i64>),
    Slice(Option<i64>, Option<i64>),
    Filter(Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Exists(Operand),
    Compare(Operand, CmpOp, Operand),
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    /// `@...`: relative to the element being tested.
    Current(Vec<Segment>),
    /// `$...`: relative to the document.
    Root(Vec<Segment>),
    Literal(Value),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

fn is_definite(segments: &[Segment]) -> bool {
    segments.iter().all(|s| matches!(s, Segment::Child(Selector::Name(_)) | Segment::Child(Selector::Index(_))))
}

// ---------------------------------------------------------------------------
// Parser

fn parse(text: &str) -> Result<Parsed, String> {
    let mut p = Parser { chars: text.chars().collect(), pos: 0 };
    let context = if text.starts_with("$$") {
        p.pos = 2;
        true
    } else if text.starts_with('$') {
        p.pos = 1;
        false
    } else {
        return Err(format!("Path must start with '$': {text}"));
    };
    let segments = p.segments(false)?;
    if p.pos != p.chars.len() {
        return Err(format!("Unexpected character '{}' at position {}", p.chars[p.pos], p.pos));
    }
    Ok(Parsed { context, segments })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(match self.peek() {
                Some(found) => format!("Expected '{c}' at position {} but found '{found}'", self.pos),
                None => format!("Expected '{c}' at the end of the path"),
            })
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
    }

    /// Segments until the end of the path (or, inside a filter, until a
    /// character that cannot continue a path).
    fn segments(&mut self, in_filter: bool) -> Result<Vec<Segment>, String> {
        let mut out = Vec::new();
        loop {
            match self.peek() {
                Some('.') if self.peek_at(1) == Some('.') => {
                    self.pos += 2;
                    let selector = match self.peek() {
                        Some('[') => self.bracket()?,
                        Some('*') => {
                            self.pos += 1;
                            Selector::Wildcard
                        }
                        _ => Selector::Name(self.name(in_filter)?),
                    };
                    out.push(Segment::Descendant(selector));
                }
                Some('.') => {
                    self.pos += 1;
                    if self.peek() == Some('[') {
                        // Jayway reads `$.[0]` and `$.['a']` as `$[0]`, `$['a']`.
                        out.push(Segment::Child(self.bracket()?));
                    } else if self.eat('*') {
                        out.push(Segment::Child(Selector::Wildcard));
                    } else {
                        out.push(Segment::Child(Selector::Name(self.name(in_filter)?)));
                    }
                }
                Some('[') => out.push(Segment::Child(self.bracket()?)),
                None => return Ok(out),
                Some(c) => {
                    if in_filter {
                        return Ok(out);
                    }
                    return Err(format!("Unexpected character '{c}' at position {}", self.pos));
                }
            }
        }
    }

    /// A member name in dot notation.
    fn name(&mut self, in_filter: bool) -> Result<String, String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '.' || c == '[' {
                break;
            }
            if in_filter && (c.is_whitespace() || "=!<>)&|,]".contains(c)) {
                break;
            }
            if c.is_whitespace() {
                return Err(format!(
                    "Use bracket notation ['my prop'] if your property contains blank characters. position: {}",
                    self.pos
                ));
            }
            if "()]'\"".contains(c) {
                return Err(format!("Unexpected character '{c}' at position {}", self.pos));
            }
            self.pos += 1;
        }
        if self.pos == start {
            return Err(format!("Missing property name at position {start}"));
        }
        Ok(self.chars[start..self.pos].iter().collect())
    }

    /// `[...]`, the opening bracket not yet consumed.
    fn bracket(&mut self) -> Result<Selector, String> {
        self.expect('[')?;
        self.skip_ws();
        let selector = match self.peek() {
            Some('*') => {
                self.pos += 1;
                Selector::Wildcard
            }
            Some('?') => {
                self.pos += 1;
                self.skip_ws();
                self.expect('(')?;
                let expr = self.or_expr()?;
                self.skip_ws();
                self.expect(')')?;
                Selector::Filter(Box::new(expr))
            }
            Some('\'') | Some('"') => {
                let mut names = vec![self.quoted()?];
                loop {
                    self.skip_ws();
                    if !self.eat(',') {
                        break;
                    }
                    self.skip_ws();
                    names.push(self.quoted()?);
                }
                if names.len() == 1 { Selector::Name(names.remove(0)) } else { Selector::Names(names) }
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indexes()?,
            Some(c) => return Err(format!("Unexpected character '{c}' at position {}", self.pos)),
            None => return Err("Unclosed bracket at the end of the path".to_string()),
        };
        self.skip_ws();
        self.expect(']')?;
        Ok(selector)
    }

    /// An index, a union of indexes or a slice.
    fn indexes(&mut self) -> Result<Selector, String> {
        let first = self.integer()?;
        self.skip_ws();
        if self.eat(':') {
            self.skip_ws();
            let end = self.integer()?;
            self.skip_ws();
            if self.peek() == Some(':') {
                return Err("Array slices with a step are not supported".to_string());
            }
            return Ok(Selector::Slice(first, end));
        }
        let Some(first) = first else {
            return Err(format!("Expected an array index at position {}", self.pos));
        };
        let mut all = vec![first];
        while self.eat(',') {
            self.skip_ws();
            match self.integer()? {
                Some(i) => all.push(i),
                None => return Err(format!("Expected an array index at position {}", self.pos)),
            }
            self.skip_ws();
        }
        Ok(if all.len() == 1 { Selector::Index(first) } else { Selector::Indices(all) })
    }

    fn integer(&mut self) -> Result<Option<i64>, String> {
        let start = self.pos;
        self.eat('-');
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            if self.pos != start {
                return Err(format!("Expected a digit at position {}", self.pos));
            }
            return Ok(None);
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        text.parse().map(Some).map_err(|_| format!("Array index out of range: {text}"))
    }

    /// A quoted string, `'...'` or `"..."`, with backslash escapes: `\\`
    /// and the quote itself lose their backslash; a backslash before the
    /// other quote stays (AWS read `$['Test\""Name"']` as the member
    /// `Test\""Name"`: recorded in tests/recorded/cases.json,
    /// `test_escape_sequence_parsing[ESCAPE_SEQUENCES_JSONPATH]`).
    fn quoted(&mut self) -> Result<String, String> {
        let quote = match self.peek() {
            Some(q @ ('\'' | '"')) => q,
            _ => return Err(format!("Expected a quoted name at position {}", self.pos)),
        };
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err("Unterminated quoted string".to_string()),
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(c) if c == quote || c == '\\' => out.push(c),
                        Some(c) => {
                            out.push('\\');
                            out.push(c);
                        }
                        None => return Err("Unterminated quoted string".to_string()),
                    }
                    self.pos += 1;
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn or_expr(&mut self) -> Result<Expr, String> {
        let mut left = self.and_expr()?;
        loop {
            self.skip_ws();
            if !self.starts_with("||") {
                return Ok(left);
            }
            self.pos += 2;
            let right = self.and_expr()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
    }

    fn and_expr(&mut self) -> Result<Expr, String> {
        let mut left = self.unary_expr()?;
        loop {
            self.skip_ws();
            if !self.starts_with("&&") {
                return Ok(left);
            }
            self.pos += 2;
            let right = self.unary_expr()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
    }

    fn unary_expr(&mut self) -> Result<Expr, String> {
        self.skip_ws();
        if self.peek() == Some('!') && self.peek_at(1) != Some('=') {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary_expr()?)));
        }
        if self.eat('(') {
            let inner = self.or_expr()?;
            self.skip_ws();
            self.expect(')')?;
            return Ok(inner);
        }
        let left = self.operand()?;
        self.skip_ws();
        let op = if self.starts_with("==") {
            Some((CmpOp::Eq, 2))
        } else if self.starts_with("!=") {
            Some((CmpOp::Ne, 2))
        } else if self.starts_with("<=") {
            Some((CmpOp::Le, 2))
        } else if self.starts_with(">=") {
            Some((CmpOp::Ge, 2))
        } else if self.starts_with("<") {
            Some((CmpOp::Lt, 1))
        } else if self.starts_with(">") {
            Some((CmpOp::Gt, 1))
        } else {
            None
        };
        match op {
            Some((op, width)) => {
                self.pos += width;
                let right = self.operand()?;
                Ok(Expr::Compare(left, op, right))
            }
            None => match left {
                Operand::Literal(_) => Err(format!("Expected a comparison operator at position {}", self.pos)),
                path => Ok(Expr::Exists(path)),
            },
        }
    }

    fn operand(&mut self) -> Result<Operand, String> {
        self.skip_ws();
        match self.peek() {
            Some('@') => {
                self.pos += 1;
                Ok(Operand::Current(self.segments(true)?))
            }
            Some('$') => {
                self.pos += 1;
                Ok(Operand::Root(self.segments(true)?))
            }
            Some('\'') | Some('"') => Ok(Operand::Literal(Value::String(self.quoted()?))),
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ => {
                for (word, value) in [("true", Value::Bool(true)), ("false", Value::Bool(false)), ("null", Value::Null)]
                {
                    if self.starts_with(word) {
                        self.pos += word.len();
                        return Ok(Operand::Literal(value));
                    }
                }
                Err(format!("Expected a value at position {}", self.pos))
            }
        }
    }

    fn number(&mut self) -> Result<Operand, String> {
        let start = self.pos;
        self.eat('-');
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        while digit(self.peek()) {
            self.pos += 1;
        }
        if self.peek() == Some('.') && digit(self.peek_at(1)) {
            self.pos += 1;
            while digit(self.peek()) {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            while digit(self.peek()) {
                self.pos += 1;
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        serde_json::from_str::<serde_json::Number>(&text)
            .map(|n| Operand::Literal(Value::Number(n)))
            .map_err(|_| format!("Invalid number '{text}' at position {start}"))
    }
}

// ---------------------------------------------------------------------------
// Evaluation

/// Every node `segments` select from `node`, in document order.
fn evaluate<'a>(node: &'a Value, segments: &[Segment], root: &'a Value) -> Vec<&'a Value> {
    let mut current = vec![node];
    for segment in segments {
        let mut next = Vec::new();
        for n in current {
            match segment {
                Segment::Child(selector) => select(n, selector, root, &mut next),
                Segment::Descendant(selector) => {
                    let mut all = Vec::new();
                    preorder(n, &mut all);
                    for d in all {
                        select(d, selector, root, &mut next);
                    }
                }
            }
        }
        current = next;
    }
    current
}

fn preorder<'a>(node: &'a Value, out: &mut Vec<&'a Value>) {
    out.push(node);
    match node {
        Value::Object(map) => map.values().for_each(|v| preorder(v, out)),
        Value::Array(items) => items.iter().for_each(|v| preorder(v, out)),
        _ => {}
    }
}

fn select<'a>(node: &'a Value, selector: &Selector, root: &'a Value, out: &mut Vec<&'a Value>) {
    match (selector, node) {
        (Selector::Name(name), Value::Object(map)) => out.extend(map.get(name)),
        (Selector::Names(names), Value::Object(map)) => out.extend(names.iter().filter_map(|n| map.get(n))),
        (Selector::Wildcard, Value::Object(map)) => out.extend(map.values()),
        (Selector::Wildcard, Value::Array(items)) => out.extend(items.iter()),
        (Selector::Index(i), Value::Array(items)) => out.extend(resolve_index(*i, items.len()).map(|at| &items[at])),
        (Selector::Indices(all), Value::Array(items)) => {
            out.extend(all.iter().filter_map(|i| resolve_index(*i, items.len()).map(|at| &items[at])))
        }
        (Selector::Slice(start, end), Value::Array(items)) => {
            let len = items.len() as i64;
            let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
            let from = start.map(clamp).unwrap_or(0);
            let to = end.map(clamp).unwrap_or(len);
            if from < to {
                out.extend(items[from as usize..to as usize].iter());
            }
        }
        (Selector::Filter(expr), Value::Array(items)) => out.extend(items.iter().filter(|item| test(expr, item, root))),
        // Jayway tests an object itself against a filter.
        (Selector::Filter(expr), Value::Object(_)) if test(expr, node, root) => out.push(node),
        _ => {}
    }
}

/// The array position of `index` (negative counts from the end).
fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let at = if index < 0 { len + index } else { index };
    (0 <= at && at < len).then_some(at as usize)
}

/// Follow a definite path, failing the way Jayway does.
fn walk_definite<'a>(document: &'a Value, segments: &[Segment]) -> Result<&'a Value, String> {
    let full = jayway_path(segments);
    let mut node = document;
    let mut so_far = String::from("$");
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match segment {
            Segment::Child(Selector::Name(name)) => {
                let fragment = format!("['{name}']");
                match node {
                    Value::Object(map) => match map.get(name) {
                        Some(v) => node = v,
                        None if last => return Err(format!("No results for path: {full}")),
                        None => return Err(format!("Missing property in path {so_far}{fragment}")),
                    },
                    other => {
                        return Err(format!(
                            "Expected to find an object with property {fragment} in path {so_far} but found '{}'",
                            type_name(other)
                        ));
                    }
                }
                so_far.push_str(&fragment);
            }
            Segment::Child(Selector::Index(index)) => {
                match node {
                    Value::Array(items) => match resolve_index(*index, items.len()) {
                        Some(at) => node = &items[at],
                        None => return Err(format!("No results for path: {full}")),
                    },
                    Value::Null => return Err(format!("The path {so_far} is null")),
                    other => {
                        return Err(format!(
                            "Filter: [{index}] can only be applied to arrays. Current context is: {}",
                            compact(other)
                        ));
                    }
                }
                so_far.push_str(&format!("[{index}]"));
            }
            _ => unreachable!("walk_definite takes definite paths"),
        }
    }
    Ok(node)
}

/// A definite path in Jayway's normalised form: `$['a'][0]`.
fn jayway_path(segments: &[Segment]) -> String {
    let mut out = String::from("$");
    for segment in segments {
        match segment {
            Segment::Child(Selector::Name(name)) => out.push_str(&format!("['{name}']")),
            Segment::Child(Selector::Index(i)) => out.push_str(&format!("[{i}]")),
            _ => {}
        }
    }
    out
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn test(expr: &Expr, current: &Value, root: &Value) -> bool {
    match expr {
        Expr::Or(a, b) => test(a, current, root) || test(b, current, root),
        Expr::And(a, b) => test(a, current, root) && test(b, current, root),
        Expr::Not(a) => !test(a, current, root),
        Expr::Exists(operand) => operand_value(operand, current, root).is_some(),
        Expr::Compare(left, op, right) => {
            let left = operand_value(left, current, root);
            let right = operand_value(right, current, root);
            compare(left.as_ref(), *op, right.as_ref())
        }
    }
}

fn operand_value(operand: &Operand, current: &Value, root: &Value) -> Option<Value> {
    let (base, segments) = match operand {
        Operand::Literal(v) => return Some(v.clone()),
        Operand::Current(segments) => (current, segments),
        Operand::Root(segments) => (root, segments),
    };
    if is_definite(segments) {
        walk_definite(base, segments).ok().cloned()
    } else {
        let found = evaluate(base, segments, root);
        (!found.is_empty()).then(|| Value::Array(found.into_iter().cloned().collect()))
    }
}

fn compare(left: Option<&Value>, op: CmpOp, right: Option<&Value>) -> bool {
    use std::cmp::Ordering;
    if op == CmpOp::Ne {
        return !compare(left, CmpOp::Eq, right);
    }
    let (Some(left), Some(right)) = (left, right) else {
        return false;
    };
    if op == CmpOp::Eq {
        return json_equal(left, right);
    }
    let ordering = match (left, right) {
        (Value::Number(a), Value::Number(b)) => number_cmp(a, b),
        (Value::String(a), Value::String(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
        _ => None,
    };
    match ordering {
        Some(Ordering::Less) => matches!(op, CmpOp::Lt | CmpOp::Le),
        Some(Ordering::Equal) => matches!(op, CmpOp::Le | CmpOp::Ge),
        Some(Ordering::Greater) => matches!(op, CmpOp::Gt | CmpOp::Ge),
        None => false,
    }
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_cmp(x, y) == Some(std::cmp::Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Compare two JSON numbers by value: integers exactly, otherwise as f64.
pub(crate) fn number_cmp(a: &serde_json::Number, b: &serde_json::Number) -> Option<std::cmp::Ordering> {
    let int = |n: &serde_json::Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    if let (Some(x), Some(y)) = (int(a), int(b)) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> Value {
        json!({
            "store": {
                "book": [
                    {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
                    {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
                    {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick", "isbn": "0-553", "price": 8.99},
                    {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord", "isbn": "0-395", "price": 22.99}
                ],
                "bicycle": {"color": "red", "price": 19.95}
            },
            "expensive": 10
        })
    }

    #[test]
    fn valid_paths() {
        for path in [
            "$",
            "$$",
            "$.a",
            "$.a.b",
            "$['a b']",
            "$[\"x\"]",
            "$.a[0]",
            "$.a[-1]",
            "$[0]",
            "$.a[*]",
            "$.a[*].b",
            "$.*",
            "$..b",
            "$..*",
            "$..[0]",
            "$.a[1:3]",
            "$.a[:2]",
            "$.a[-2:]",
            "$.a[0,1]",
            "$.a[0, 2]",
            "$['a','b']",
            "$.a[?(@.price > 10)]",
            "$.a[?(@.price>10)]",
            "$.a[?(@.x)]",
            "$.a[?(!@.x)]",
            "$.a[?(@.name == 'x')]",
            "$.a[?(@.name == \"x\")]",
            "$.a[?(@.ok == true && @.n != null)]",
            "$.a[?(@.n <= -1.5 || (@.n >= 3 && @.m < $.max))]",
            "$.a[?(@['odd key'] == 1)]",
            "$.users[?(@.status == 0)]",
            "$$.Execution.Input",
            "$$.Map.Item.Value.id",
            "$.a-b.c_d",
            // LocalStack's pass_result_regex_json_path.json5 (run on AWS):
            // a dot before a bracket.
            "$.[?(@.year <= 1998)]",
            "$.[?(@.year < 1999)].name",
            "$[?(@.year <= 1999)]",
            "$.['a']",
        ] {
            assert!(is_valid(path), "{path} should be valid");
        }
    }

    #[test]
    fn invalid_paths() {
        for path in [
            "",
            "a.b",
            "$a",
            "$.",
            "$..",
            "$.a.",
            "$.a b",
            "$[",
            "$['a'",
            "$[a]",
            "$.a[0",
            "$.a[1:2:1]",
            "$.a[?(@.x > )]",
            "$.a[?(@.x == 1]",
            "$.a[?(1)]",
            "$.length()",
            "$.a[(@.length-1)]",
            " $.a",
            "$.a ",
            "States.Format('x')",
        ] {
            assert!(!is_valid(path), "{path} should be invalid");
        }
    }

    #[test]
    fn reference_paths() {
        for path in ["$", "$.a", "$.a.b", "$['a b'].c", "$.a[0]", "$.a[-1].b", "$$.Execution.Input"] {
            assert!(is_reference_path(path), "{path} should be a reference path");
        }
        for path in ["$.a[*]", "$..a", "$.*", "$.a[0:1]", "$.a[0,1]", "$['a','b']", "$.a[?(@.x)]", "bad"] {
            assert!(!is_reference_path(path), "{path} should not be a reference path");
        }
        assert!(is_context_path("$$.Execution.Id"));
        assert!(!is_context_path("$.a"));
    }

    #[test]
    fn get_definite() {
        let doc = store();
        assert_eq!(get(&doc, "$").unwrap(), doc);
        assert_eq!(get(&doc, "$.expensive").unwrap(), json!(10));
        assert_eq!(get(&doc, "$.store.bicycle.color").unwrap(), json!("red"));
        assert_eq!(get(&doc, "$['store']['bicycle']").unwrap(), json!({"color": "red", "price": 19.95}));
        assert_eq!(get(&doc, "$.store.book[0].author").unwrap(), json!("Nigel Rees"));
        assert_eq!(get(&doc, "$.store.book[-1].title").unwrap(), json!("The Lord"));
        assert_eq!(get(&json!({"a b": {"c": 1}}), "$['a b'].c").unwrap(), json!(1));
        assert_eq!(get(&json!({"x": null}), "$.x").unwrap(), Value::Null);
        assert_eq!(get(&json!([1, 2]), "$[1]").unwrap(), json!(2));
        // `$$` paths read the document given (the caller passes the context).
        let ctx = json!({"Execution": {"Id": "arn:x"}});
        assert_eq!(get(&ctx, "$$.Execution.Id").unwrap(), json!("arn:x"));
        assert_eq!(get(&ctx, "$$").unwrap(), ctx);
    }

    #[test]
    fn get_definite_errors_read_like_jayway() {
        let doc = json!({"a": {"b": 1}, "s": "text", "list": [1, 2], "n": null});
        let err = |p: &str| get(&doc, p).unwrap_err().message;
        // The AWS cause "Invalid path '$.Payload' : No results for path:
        // $['Payload']" (a Task's OutputPath, seen on real AWS) carries this
        // message; the nested form is Jayway's own rendering of the path.
        assert_eq!(err("$.missing"), "No results for path: $['missing']");
        assert_eq!(err("$.a.x"), "No results for path: $['a']['x']");
        assert_eq!(err("$.x.y"), "Missing property in path $['x']");
        assert_eq!(err("$.list[5]"), "No results for path: $['list'][5]");
        assert_eq!(err("$.list[7].a"), "No results for path: $['list'][7]['a']");
        assert_eq!(err("$.s.b"), "Expected to find an object with property ['b'] in path $['s'] but found 'string'");
        assert_eq!(err("$.n[0]"), "The path $['n'] is null");
        assert_eq!(err("$.a[0]"), "Filter: [0] can only be applied to arrays. Current context is: {\"b\":1}");
        let e = get(&doc, "$.missing").unwrap_err();
        assert_eq!(e.path, "$.missing");
        assert_eq!(e.to_string(), "Invalid path '$.missing' : No results for path: $['missing']");
        assert!(get(&doc, "not a path").is_err());
    }

    #[test]
    fn get_indefinite() {
        let doc = store();
        assert_eq!(
            get(&doc, "$.store.book[*].author").unwrap(),
            json!(["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"])
        );
        assert_eq!(
            get(&doc, "$..author").unwrap(),
            json!(["Nigel Rees", "Evelyn Waugh", "Herman Melville", "J. R. R. Tolkien"])
        );
        // Pre-order: a node's own member first, then the members below it.
        assert_eq!(get(&doc, "$..price").unwrap(), json!([8.95, 12.99, 8.99, 22.99, 19.95]));
        assert_eq!(get(&doc, "$.store.book[2:].title").unwrap(), json!(["Moby Dick", "The Lord"]));
        assert_eq!(get(&doc, "$.store.book[:2].title").unwrap(), json!(["Sayings", "Sword"]));
        assert_eq!(get(&doc, "$.store.book[-1:].title").unwrap(), json!(["The Lord"]));
        assert_eq!(get(&doc, "$.store.book[1:3].title").unwrap(), json!(["Sword", "Moby Dick"]));
        assert_eq!(get(&doc, "$.store.book[0,3].title").unwrap(), json!(["Sayings", "The Lord"]));
        assert_eq!(get(&doc, "$.store.book[?(@.isbn)].title").unwrap(), json!(["Moby Dick", "The Lord"]));
        assert_eq!(get(&doc, "$.store.book[?(!@.isbn)].title").unwrap(), json!(["Sayings", "Sword"]));
        assert_eq!(get(&doc, "$.store.book[?(@.price < 10)].title").unwrap(), json!(["Sayings", "Moby Dick"]));
        assert_eq!(get(&doc, "$.store.book[?(@.price > $.expensive)].title").unwrap(), json!(["Sword", "The Lord"]));
        assert_eq!(
            get(&doc, "$.store.book[?(@.category == 'fiction' && @.price <= 12.99)].title").unwrap(),
            json!(["Sword", "Moby Dick"])
        );
        assert_eq!(
            get(&doc, "$.store.book[?(@.category != \"fiction\" || @.price >= 22.99)].title").unwrap(),
            json!(["Sayings", "The Lord"])
        );
        assert_eq!(get(&doc, "$.store.*.color").unwrap(), json!(["red"]));
        assert_eq!(get(&doc, "$.store['bicycle','missing']").unwrap(), json!([{"color": "red", "price": 19.95}]));
        // No match: an empty array, not an error.
        assert_eq!(get(&doc, "$.store.book[?(@.price > 100)]").unwrap(), json!([]));
        assert_eq!(get(&doc, "$..nothing").unwrap(), json!([]));
        assert_eq!(get(&doc, "$.nothing[*]").unwrap(), json!([]));
    }

    #[test]
    fn filter_from_aws_snapshot() {
        // localstack tests/aws/services/stepfunctions/v2/base/test_base.snapshot.json,
        // test_state_pass_regex_json_path_base: Parameters
        // {"FromInput.$": "$.users[?(@.status == 0)]"} on this input gave
        // {"FromInput": [{"year": 1997, "status": 0}]} on AWS.
        let input = json!({"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]});
        assert_eq!(get(&input, "$.users[?(@.status == 0)]").unwrap(), json!([{"year": 1997, "status": 0}]));
    }

    #[test]
    fn filter_compares_by_type() {
        let doc = json!({"a": [
            {"v": 1}, {"v": 1.0}, {"v": "1"}, {"v": true}, {"v": null}, {"w": 1}, {"v": "b"}
        ]});
        assert_eq!(get(&doc, "$.a[?(@.v == 1)]").unwrap(), json!([{"v": 1}, {"v": 1.0}]));
        assert_eq!(get(&doc, "$.a[?(@.v == '1')]").unwrap(), json!([{"v": "1"}]));
        assert_eq!(get(&doc, "$.a[?(@.v == true)]").unwrap(), json!([{"v": true}]));
        assert_eq!(get(&doc, "$.a[?(@.v == null)]").unwrap(), json!([{"v": null}]));
        assert_eq!(get(&doc, "$.a[?(@.v > 'a')]").unwrap(), json!([{"v": "b"}]));
        assert_eq!(get(&doc, "$.a[?(@.v >= 1)]").unwrap(), json!([{"v": 1}, {"v": 1.0}]));
        // A missing member is never equal, so it is "not equal".
        assert_eq!(
            get(&doc, "$.a[?(@.v != 1)]").unwrap(),
            json!([{"v": "1"}, {"v": true}, {"v": null}, {"w": 1}, {"v": "b"}])
        );
        // On an object, the filter tests the object itself.
        assert_eq!(get(&json!({"o": {"x": 2}}), "$.o[?(@.x == 2)]").unwrap(), json!([{"x": 2}]));
        let users = json!([{"year": 1997, "name": "a"}, {"year": 1999, "name": "b"}]);
        assert_eq!(get(&users, "$.[?(@.year < 1999)].name").unwrap(), json!(["a"]));
        assert_eq!(get(&json!({"a": 1}), "$.['a']").unwrap(), json!(1));
    }

    #[test]
    fn set_result_path() {
        let input = json!({"comment": "hi", "strings": {"a": 1}});
        // AWS developer guide, "Specifying state output using ResultPath".
        assert_eq!(set(&input, "$", json!("r")).unwrap(), json!("r"));
        assert_eq!(
            set(&input, "$.taskresult", json!("r")).unwrap(),
            json!({"comment": "hi", "strings": {"a": 1}, "taskresult": "r"})
        );
        assert_eq!(
            set(&input, "$.strings.lambdaresult", json!("r")).unwrap(),
            json!({"comment": "hi", "strings": {"a": 1, "lambdaresult": "r"}})
        );
        // Replacing keeps the member's place.
        assert_eq!(
            set(&input, "$.comment", json!({"x": 1})).unwrap(),
            json!({"comment": {"x": 1}, "strings": {"a": 1}})
        );
        // Missing objects on the way are created.
        assert_eq!(set(&json!({}), "$.a.b.c", json!(1)).unwrap(), json!({"a": {"b": {"c": 1}}}));
        assert_eq!(set(&json!({"l": [1, 2]}), "$.l[1]", json!(9)).unwrap(), json!({"l": [1, 9]}));
        assert_eq!(set(&json!({"l": [{"a": 1}]}), "$.l[-1].b", json!(2)).unwrap(), json!({"l": [{"a": 1, "b": 2}]}));
        assert_eq!(set(&json!({"a b": {}}), "$['a b'].c", json!(1)).unwrap(), json!({"a b": {"c": 1}}));
    }

    #[test]
    fn set_conflicts() {
        let err = |doc: Value, path: &str| set(&doc, path, json!(1)).unwrap_err().message;
        assert_eq!(err(json!({"a": "text"}), "$.a.b"), "Unable to apply step \"b\" to input {\"a\":\"text\"}");
        assert_eq!(err(json!([1, 2]), "$.x"), "Unable to apply step \"x\" to input [1,2]");
        assert_eq!(err(json!("s"), "$.x"), "Unable to apply step \"x\" to input \"s\"");
        assert_eq!(err(json!({"l": [1]}), "$.l[3]"), "Unable to apply step \"3\" to input {\"l\":[1]}");
        assert_eq!(err(json!({"a": null}), "$.a.b"), "Unable to apply step \"b\" to input {\"a\":null}");
        assert!(set(&json!({}), "$.a[*]", json!(1)).is_err());
        assert!(set(&json!({}), "$$.Execution", json!(1)).is_err());
        assert!(set(&json!({}), "nope", json!(1)).is_err());
    }
}
