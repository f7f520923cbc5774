//! An IAM policy evaluator: the policy language of AWS Identity and Access
//! Management, enough of it to answer "may this principal do this action on
//! this resource?" for the policies of one AWS account, and to say which
//! statement decided.
//!
//! What it models:
//! - three kinds of policy document: an identity (permissions) policy
//!   attached to a user or role, a role's trust policy (who may assume it),
//!   and any other resource-based policy (a bucket policy, or a Lambda
//!   function's policy saying which services and accounts may invoke it);
//! - the elements Version, Id, Statement (one object or a list), Sid,
//!   Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal
//!   and Condition, checked as IAM checks them when a policy is saved: a
//!   malformed document is refused with a message and a JSON pointer;
//! - matching: actions with `*` and `?` wildcards, ignoring case; resource
//!   ARNs with the same wildcards, minding case; principals by service name,
//!   account (id or root ARN), role or user ARN, or `*`;
//! - the condition operators of the String, Numeric, Date, Bool, Binary,
//!   IpAddress and Arn families, their `...IfExists` forms, Null, and the
//!   ForAnyValue/ForAllValues qualifiers; keys are ANDed, values ORed;
//! - the decision within one account: an explicit Deny in any statement wins,
//!   otherwise one Allow is needed, otherwise the request is implicitly denied;
//!   to assume a role, one of the Allows must be the role's trust policy's
//!   (an identity policy's Allow alone is not enough);
//!
//! What it leaves out: permissions boundaries, service control policies,
//! session policies, KMS key policies (which, like trust policies, must
//! themselves allow), cross-account evaluation (each account's own policies
//! must then allow), policy variables such as `${aws:username}` (kept as
//! literal text, as the 2008-10-17 language does), and the service-specific
//! knowledge of which actions accept which resource types (a policy is
//! matched against whatever action and resource the question names).
//!
//! The AWS pages this follows are cited by the tests at the end of the file.

/// The learner checks of the roles-and-policies exercise, asking this evaluator.
pub mod check;
/// The execution role enforced on a function's calls at the local AWS.
pub mod enforce;
mod parse;
/// What IAM answers when it refuses a policy document.
pub mod refusal;

pub use refusal::Refusal;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

/// The current policy language version: always write this one.
pub const VERSION: &str = "2012-10-17";
/// The older version IAM still accepts (and assumes when Version is missing).
pub const OLD_VERSION: &str = "2008-10-17";

/// What a policy document is attached to, which decides the elements it
/// must and must not have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// A permissions policy embedded in one user, group or role (an inline
    /// policy, `aws iam put-role-policy`): no Principal (the identity it is
    /// attached to is the principal), a Resource needed. IAM takes it
    /// without a Version, and reads it as 2008-10-17.
    Identity,
    /// A managed permissions policy (`aws iam create-policy`, then attached
    /// to users, groups or roles): as [`PolicyKind::Identity`], except that
    /// IAM requires `"Version": "2012-10-17"`.
    Managed,
    /// A role's trust policy: who may assume the role. A Principal is
    /// needed, and there is no Resource (the role itself is the resource).
    Trust,
    /// Another resource-based policy (a bucket policy, a queue policy): both
    /// a Principal and a Resource.
    Resource,
}

impl PolicyKind {
    fn name(self) -> &'static str {
        match self {
            PolicyKind::Identity | PolicyKind::Managed => "a permissions (identity-based) policy",
            PolicyKind::Trust => "a trust policy",
            PolicyKind::Resource => "a resource-based policy",
        }
    }
}

/// Allow or Deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// Why a document is not a valid policy: where (a JSON pointer into the
/// document, "" for the whole of it), what to change, and IAM's refusal
/// (whose message ends `message`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    pub pointer: String,
    pub message: String,
    pub refusal: Refusal,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() { "the document" } else { &self.pointer };
        write!(f, "{}: {}", at, self.message)
    }
}

/// A parsed, valid policy document.
#[derive(Clone, Debug)]
pub struct Policy {
    pub kind: PolicyKind,
    /// The language version in force: "2012-10-17" or "2008-10-17".
    pub version: String,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
}

/// One statement of a policy.
#[derive(Clone, Debug)]
pub struct Statement {
    /// Its position in the Statement list, from 0 (0 also when Statement is
    /// a single object).
    pub index: usize,
    /// Where it is in the document: "/Statement/1", or "/Statement".
    pub pointer: String,
    pub sid: Option<String>,
    pub effect: Effect,
    /// Principal or NotPrincipal (never in an identity policy).
    pub principal: Option<PrincipalElement>,
    /// Action or NotAction.
    pub action: Patterns,
    /// Resource or NotResource (never in a trust policy).
    pub resource: Option<Patterns>,
    /// Every condition, each one key under one operator; all must hold.
    pub conditions: Vec<Condition>,
    /// The statement as written, to show in explanations.
    pub source: Value,
}

/// The value of an Action/NotAction or Resource/NotResource element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Patterns {
    /// NotAction or NotResource: the statement covers everything else.
    pub negated: bool,
    pub values: Vec<String>,
}

/// The value of a Principal or NotPrincipal element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalElement {
    pub negated: bool,
    pub entries: Vec<PrincipalEntry>,
}

/// One principal named in a Principal element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalEntry {
    /// `"*"`, or `{"AWS": "*"}`: everyone, anonymous callers included.
    Everyone,
    /// `{"AWS": ...}`: an account (as `arn:aws:iam::ID:root`), a role, a
    /// user or a session, as an ARN.
    Aws(String),
    /// `{"Service": "lambda.amazonaws.com"}`.
    Service(String),
    /// `{"Federated": ...}`: a web identity or SAML provider.
    Federated(String),
    /// `{"CanonicalUser": ...}`: an S3 canonical user id.
    CanonicalUser(String),
}

impl fmt::Display for PrincipalEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrincipalEntry::Everyone => f.write_str("\"*\" (everyone)"),
            PrincipalEntry::Aws(arn) => match account_root(arn) {
                Some(account) => write!(f, "the AWS account {account}"),
                None => write!(f, "{arn}"),
            },
            PrincipalEntry::Service(name) => write!(f, "the service {name}"),
            PrincipalEntry::Federated(name) => write!(f, "the federated provider {name}"),
            PrincipalEntry::CanonicalUser(id) => write!(f, "the canonical user {id}"),
        }
    }
}

/// One condition: one key tested with one operator against the policy's
/// values (`"StringEquals": {"aws:SourceAccount": ["1", "2"]}` is one).
#[derive(Clone, Debug)]
pub struct Condition {
    /// The operator as written, like `ForAnyValue:StringLikeIfExists`.
    pub operator: String,
    /// The context key as written (matched ignoring case).
    pub key: String,
    /// The policy's values, as text.
    pub values: Vec<String>,
    pub pointer: String,
    test: Test,
    negated: bool,
    if_exists: bool,
    set: Option<SetOperator>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SetOperator {
    ForAnyValue,
    ForAllValues,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compare {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Compare {
    fn holds(self, request: f64, policy: f64) -> bool {
        match self {
            Compare::Equal => request == policy,
            Compare::Less => request < policy,
            Compare::LessOrEqual => request <= policy,
            Compare::Greater => request > policy,
            Compare::GreaterOrEqual => request >= policy,
        }
    }
}

/// How one request value is compared with one policy value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Test {
    StringEquals { ignore_case: bool },
    StringLike,
    Numeric(Compare),
    Date(Compare),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

/// The base condition operators: name, test, negated.
const OPERATORS: &[(&str, Test, bool)] = &[
    ("StringEquals", Test::StringEquals { ignore_case: false }, false),
    ("StringNotEquals", Test::StringEquals { ignore_case: false }, true),
    ("StringEqualsIgnoreCase", Test::StringEquals { ignore_case: true }, false),
    ("StringNotEqualsIgnoreCase", Test::StringEquals { ignore_case: true }, true),
    ("StringLike", Test::StringLike, false),
    ("StringNotLike", Test::StringLike, true),
    ("NumericEquals", Test::Numeric(Compare::Equal), false),
    ("NumericNotEquals", Test::Numeric(Compare::Equal), true),
    ("NumericLessThan", Test::Numeric(Compare::Less), false),
    ("NumericLessThanEquals", Test::Numeric(Compare::LessOrEqual), false),
    ("NumericGreaterThan", Test::Numeric(Compare::Greater), false),
    ("NumericGreaterThanEquals", Test::Numeric(Compare::GreaterOrEqual), false),
    ("DateEquals", Test::Date(Compare::Equal), false),
    ("DateNotEquals", Test::Date(Compare::Equal), true),
    ("DateLessThan", Test::Date(Compare::Less), false),
    ("DateLessThanEquals", Test::Date(Compare::LessOrEqual), false),
    ("DateGreaterThan", Test::Date(Compare::Greater), false),
    ("DateGreaterThanEquals", Test::Date(Compare::GreaterOrEqual), false),
    ("Bool", Test::Bool, false),
    ("BinaryEquals", Test::Binary, false),
    ("IpAddress", Test::Ip, false),
    ("NotIpAddress", Test::Ip, true),
    ("ArnEquals", Test::Arn, false),
    ("ArnLike", Test::Arn, false),
    ("ArnNotEquals", Test::Arn, true),
    ("ArnNotLike", Test::Arn, true),
    ("Null", Test::Null, false),
];

/// The elements a statement may have.
const STATEMENT_ELEMENTS: &[&str] =
    &["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

impl Policy {
    /// Parse policy JSON text; a syntax error is reported with its line.
    pub fn from_text(kind: PolicyKind, text: &str) -> Result<Policy, Vec<PolicyError>> {
        match serde_json::from_str::<Value>(text) {
            Ok(value) => Policy::from_value(kind, &value),
            Err(error) => {
                let refusal = Refusal::Syntax;
                let message = format!("this is not valid JSON: {error}. IAM refuses it: \"{}\"", refusal.message());
                Err(vec![PolicyError { pointer: String::new(), message, refusal }])
            }
        }
    }

    /// Check a JSON document as IAM does when the policy is saved, and parse
    /// it. Every problem found is reported, not only the first; the first is
    /// the one IAM would name.
    pub fn from_value(kind: PolicyKind, document: &Value) -> Result<Policy, Vec<PolicyError>> {
        let mut parser = parse::Parser { kind, errors: Vec::new() };
        let policy = parser.policy(document);
        match policy {
            Some(policy) if parser.errors.is_empty() => Ok(policy),
            _ => Err(parser.sorted_errors()),
        }
    }

    /// The statements that apply to `request` and those that do not (with
    /// why), for this one policy. See [`evaluate`] for the decision.
    pub fn decide(&self, name: &str, request: &Request) -> Decision {
        evaluate(&[(name, self)], request)
    }
}

/// An AWS principal as an ARN: a bare account id becomes the account's root ARN.
fn aws_principal(name: &str) -> Option<String> {
    if name.len() == 12 && name.chars().all(|c| c.is_ascii_digit()) {
        return Some(format!("arn:aws:iam::{name}:root"));
    }
    let parts: Vec<&str> = name.splitn(6, ':').collect();
    (parts.len() == 6 && parts[0] == "arn" && !parts[5].is_empty()).then(|| name.to_string())
}

/// The account id of `arn:PARTITION:iam::ACCOUNT:root`.
fn account_root(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6 && parts[2] == "iam" && parts[5] == "root").then_some(parts[4])
}

/// The account id in an ARN (its fifth field).
fn arn_account(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    (parts.len() == 6 && parts[0] == "arn").then_some(parts[4])
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A JSON pointer to `key` under `base`, escaped as RFC 6901 asks.
fn pointer_to(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// " (did you mean X?)" when `word` differs from one of `known` only by
/// case, or by a letter or two.
fn suggestion(word: &str, known: &[&str]) -> String {
    let lower = word.to_ascii_lowercase();
    let best = known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d);
    match best {
        Some((_, k)) if k != word => format!(" (did you mean {k:?}?)"),
        _ => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(here + 1);
            previous = here;
        }
    }
    row[b.len()]
}

// ---------------------------------------------------------------------------
// Matching

/// Does `text` match `pattern`, where `*` is any run of characters (none
/// included) and `?` is exactly one?
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case { s.chars().flat_map(char::to_lowercase).collect() } else { s.chars().collect() }
    };
    let (p, t) = (fold(pattern), fold(text));
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((star_p, star_t)) = star {
            pi = star_p + 1;
            ti = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// ArnLike: the six colon-separated fields are matched one by one, so a `*`
/// never reaches across a colon (except in the last field, the resource,
/// which may hold colons of its own).
fn arn_like(pattern: &str, value: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let v: Vec<&str> = value.splitn(6, ':').collect();
    p.len() == 6 && v.len() == 6 && p.iter().zip(&v).all(|(p, v)| wildcard_match(p, v, false))
}

/// A date as seconds since the epoch: epoch seconds, or an ISO 8601 date
/// (`2024-05-01`, `2024-05-01T12:00:00Z`, with an optional fraction and a
/// `Z` or `+hh:mm` offset; no offset means UTC).
fn parse_date(text: &str) -> Option<f64> {
    let text = text.trim();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let number =
        |s: &str| -> Option<i64> { (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())).then(|| s.parse().ok())? };
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let (year, month, day) = (number(parts.next()?)?, number(parts.next()?)?, number(parts.next()?)?);
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = harness::time::days_from_civil(year, month, day) as f64 * 86_400.0;
    if let Some(time) = time {
        let (clock, offset) = if let Some(clock) = time.strip_suffix('Z') {
            (clock, 0.0)
        } else if let Some(at) = time.rfind(['+', '-']) {
            let (clock, zone) = time.split_at(at);
            let sign = if zone.starts_with('-') { -1.0 } else { 1.0 };
            let (h, m) = zone[1..].split_once(':')?;
            (clock, sign * (number(h)? * 3600 + number(m)? * 60) as f64)
        } else {
            (time, 0.0)
        };
        let mut fields = clock.split(':');
        let hours = number(fields.next()?)?;
        let minutes = number(fields.next()?)?;
        let secs: f64 = match fields.next() {
            Some(s) => s.parse().ok().filter(|v: &f64| *v >= 0.0)?,
            None => 0.0,
        };
        if fields.next().is_some() || hours > 23 || minutes > 59 {
            return None;
        }
        seconds += (hours * 3600 + minutes * 60) as f64 + secs - offset;
    }
    Some(seconds)
}

/// An address or CIDR range: (network, prefix length, is IPv4).
fn parse_cidr(text: &str) -> Option<(u128, u32, bool)> {
    let (address, prefix) = match text.trim().split_once('/') {
        Some((a, p)) => (a, Some(p.parse::<u32>().ok()?)),
        None => (text.trim(), None),
    };
    match address.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            let bits = prefix.unwrap_or(32);
            (bits <= 32).then_some((u32::from(v4) as u128, bits, true))
        }
        IpAddr::V6(v6) => {
            let bits = prefix.unwrap_or(128);
            (bits <= 128).then_some((u128::from(v6), bits, false))
        }
    }
}

fn ip_in_range(address: &str, range: &str) -> bool {
    let (Some((addr, _, v4)), Some((net, bits, net_v4))) = (parse_cidr(address), parse_cidr(range)) else {
        return false;
    };
    if v4 != net_v4 {
        return false;
    }
    let width = if v4 { 32 } else { 128 };
    if bits == 0 {
        return true;
    }
    let shift = width - bits;
    (addr >> shift) == (net >> shift)
}

impl Condition {
    /// Does one request value match one policy value (positive form)?
    fn value_matches(&self, request: &str, policy: &str) -> bool {
        match self.test {
            Test::StringEquals { ignore_case: false } | Test::Binary => request == policy,
            Test::StringEquals { ignore_case: true } => request.to_lowercase() == policy.to_lowercase(),
            Test::StringLike => wildcard_match(policy, request, false),
            Test::Numeric(compare) => match (request.trim().parse::<f64>(), policy.trim().parse::<f64>()) {
                (Ok(r), Ok(p)) => compare.holds(r, p),
                _ => false,
            },
            Test::Date(compare) => match (parse_date(request), parse_date(policy)) {
                (Some(r), Some(p)) => compare.holds(r, p),
                _ => false,
            },
            Test::Bool => request.eq_ignore_ascii_case(policy),
            Test::Ip => ip_in_range(request, policy),
            Test::Arn => arn_like(policy, request),
            Test::Null => false,
        }
    }

    /// Does the condition hold for this request?
    pub fn holds(&self, request: &Request) -> bool {
        let values = request.context_values(&self.key).filter(|v| !v.is_empty());
        if self.test == Test::Null {
            let absent = values.is_none();
            return self.values.iter().any(|v| v.eq_ignore_ascii_case("true") == absent);
        }
        let Some(values) = values else {
            if self.if_exists {
                return true;
            }
            return match self.set {
                Some(SetOperator::ForAllValues) => true,
                Some(SetOperator::ForAnyValue) => false,
                None => self.negated,
            };
        };
        let one = |value: &String| {
            let any = self.values.iter().any(|p| self.value_matches(value, p));
            if self.negated { !any } else { any }
        };
        match self.set {
            None if self.negated => values.iter().all(one),
            None => values.iter().any(one),
            Some(SetOperator::ForAnyValue) => values.iter().any(one),
            Some(SetOperator::ForAllValues) => values.iter().all(one),
        }
    }

    fn describe_miss(&self, request: &Request) -> String {
        let shown = if self.values.len() == 1 { format!("{:?}", self.values[0]) } else { format!("{:?}", self.values) };
        let got = match request.context_values(&self.key).filter(|v| !v.is_empty()) {
            None => format!("the request has no {} key", self.key),
            Some(values) if values.len() == 1 => format!("the request has {} = {:?}", self.key, values[0]),
            Some(values) => format!("the request has {} = {values:?}", self.key),
        };
        format!("its condition {} {{{:?}: {shown}}} does not hold: {got}", self.operator, self.key)
    }
}

// ---------------------------------------------------------------------------
// Requests and decisions

/// Who makes a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// An AWS service, like `lambda.amazonaws.com`.
    Service(String),
    /// A principal of an AWS account, by ARN: the account itself
    /// (`arn:aws:iam::123456789012:root`), a role, a user, a role session.
    Aws(String),
    /// A user signed in through a web identity or SAML provider.
    Federated(String),
    /// Nobody in particular: an unauthenticated caller.
    Anonymous,
}

impl Principal {
    /// Read a principal as people write it: `lambda.amazonaws.com` (a
    /// service), `123456789012` (an account), an ARN (`arn:aws:iam::...`),
    /// or `*` (an anonymous caller).
    pub fn parse(text: &str) -> Result<Principal, String> {
        let text = text.trim();
        if text == "*" {
            return Ok(Principal::Anonymous);
        }
        if text.starts_with("arn:") || text.chars().all(|c| c.is_ascii_digit()) {
            return aws_principal(text)
                .map(Principal::Aws)
                .ok_or_else(|| format!("{text:?} is neither a 12-digit account id nor a full ARN"));
        }
        if text.contains('.') && !text.contains(':') && !text.contains('/') {
            return Ok(Principal::Service(text.to_string()));
        }
        Err(format!("{text:?} is not a principal: write a service (lambda.amazonaws.com), an account id, an ARN, or *"))
    }

    /// The account a principal belongs to, when it has one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Aws(arn) => arn_account(arn),
            _ => None,
        }
    }

    /// In words, for explanations.
    pub fn describe(&self) -> String {
        match self {
            Principal::Service(name) => format!("the service {name}"),
            Principal::Aws(arn) => match account_root(arn) {
                Some(account) => format!("the AWS account {account} ({arn})"),
                None => arn.clone(),
            },
            Principal::Federated(name) => format!("a user of the federated provider {name}"),
            Principal::Anonymous => "an anonymous caller (anyone at all)".to_string(),
        }
    }

    /// Does `entry`, from a Principal element, name this principal?
    fn named_by(&self, entry: &PrincipalEntry) -> bool {
        match (entry, self) {
            (PrincipalEntry::Everyone, _) => true,
            (PrincipalEntry::Service(name), Principal::Service(me)) => name == me,
            (PrincipalEntry::Federated(name), Principal::Federated(me)) => name == me,
            (PrincipalEntry::Aws(arn), Principal::Aws(me)) => {
                if let Some(account) = account_root(arn) {
                    // An account principal delegates to the whole account,
                    // not only to its root user.
                    return arn_account(me) == Some(account);
                }
                if arn == me {
                    return true;
                }
                // A role ARN also names the sessions of that role.
                assumed_role_session_of(me).is_some_and(|role| role == *arn)
            }
            _ => false,
        }
    }
}

/// `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION` → the role's ARN,
/// `arn:aws:iam::ACCOUNT:role/NAME` (a role with a path cannot be told from
/// its session ARN, which drops the path).
fn assumed_role_session_of(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[2] != "sts" {
        return None;
    }
    let rest = parts[5].strip_prefix("assumed-role/")?;
    let (name, _session) = rest.split_once('/')?;
    Some(format!("arn:{}:iam::{}:role/{name}", parts[1], parts[4]))
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::Service(name) | Principal::Federated(name) | Principal::Aws(name) => f.write_str(name),
            Principal::Anonymous => f.write_str("*"),
        }
    }
}

/// The question put to the policies: may PRINCIPAL do ACTION on RESOURCE,
/// with these context keys (`aws:SecureTransport`, `aws:SourceIp`...)?
#[derive(Clone, Debug)]
pub struct Request {
    pub principal: Principal,
    pub action: String,
    pub resource: String,
    /// Context keys, lower-cased (IAM matches key names ignoring case), with
    /// their values; a key may have several.
    context: BTreeMap<String, (String, Vec<String>)>,
}

impl Request {
    pub fn new(principal: Principal, action: &str, resource: &str) -> Request {
        Request { principal, action: action.to_string(), resource: resource.to_string(), context: BTreeMap::new() }
    }

    /// The same request with one more value for the context key `key`.
    pub fn with(mut self, key: &str, value: &str) -> Request {
        let entry = self.context.entry(key.to_ascii_lowercase()).or_insert_with(|| (key.to_string(), Vec::new()));
        entry.1.push(value.to_string());
        self
    }

    /// The values of a context key, if the request has it.
    pub fn context_values(&self, key: &str) -> Option<&[String]> {
        self.context.get(&key.to_ascii_lowercase()).map(|(_, values)| values.as_slice())
    }

    /// The context keys as written, with their values.
    pub fn context(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.context.values().map(|(key, values)| (key.as_str(), values.as_slice()))
    }
}

/// What the policies decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// A statement allows the request and none denies it.
    Allowed,
    /// A Deny statement applies: it wins over any Allow.
    ExplicitDeny,
    /// No statement applies: what is not allowed is denied.
    ImplicitDeny,
}

/// A statement that applies to the request, and why it does.
#[derive(Clone, Debug)]
pub struct Applied {
    /// The policy's name (its file name, say).
    pub policy: String,
    pub index: usize,
    pub pointer: String,
    pub sid: Option<String>,
    pub effect: Effect,
    /// The statement as written.
    pub source: Value,
    /// Why it applies, in words: which Action and Resource patterns matched.
    pub because: String,
}

/// A statement that does not apply to the request, and why not.
#[derive(Clone, Debug)]
pub struct Missed {
    pub policy: String,
    pub index: usize,
    pub pointer: String,
    pub sid: Option<String>,
    pub effect: Effect,
    pub why: String,
}

/// The answer, with the statements that made it.
#[derive(Clone, Debug)]
pub struct Decision {
    pub verdict: Verdict,
    /// Allow statements that apply.
    pub allows: Vec<Applied>,
    /// Deny statements that apply.
    pub denies: Vec<Applied>,
    /// Statements that do not apply, each with the first reason found.
    pub missed: Vec<Missed>,
}

fn label(policy: &str, pointer: &str, sid: &Option<String>) -> String {
    match sid {
        Some(sid) => format!("the statement {sid:?} (at {pointer} in {policy})"),
        None => format!("the statement at {pointer} in {policy}"),
    }
}

impl Applied {
    /// "the statement "ReadPhotos" (at /Statement/0 in permissions.json)".
    pub fn label(&self) -> String {
        label(&self.policy, &self.pointer, &self.sid)
    }
}

impl Missed {
    pub fn label(&self) -> String {
        label(&self.policy, &self.pointer, &self.sid)
    }
}

impl Decision {
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allowed
    }

    /// The statement that decided: the first Deny that applies, else the
    /// first Allow; none for an implicit deny.
    pub fn decided_by(&self) -> Option<&Applied> {
        match self.verdict {
            Verdict::ExplicitDeny => self.denies.first(),
            Verdict::Allowed => self.allows.first(),
            Verdict::ImplicitDeny => None,
        }
    }

    /// One or two sentences: the verdict and the statement behind it.
    pub fn explain(&self) -> String {
        match self.verdict {
            Verdict::Allowed => {
                let by = &self.allows[0];
                format!("Allowed by {}: {}.", by.label(), by.because)
            }
            Verdict::ExplicitDeny => {
                let by = &self.denies[0];
                let mut text = format!("Denied explicitly by {}: {}.", by.label(), by.because);
                if let Some(allow) = self.allows.first() {
                    text.push_str(&format!(" An explicit Deny wins, even over the Allow in {}.", allow.label()));
                }
                text
            }
            Verdict::ImplicitDeny => match self.allows.first() {
                // Allowed elsewhere, but not by the trust policy (see evaluate).
                Some(allow) => format!(
                    "Denied implicitly: {} allows it, but the role's trust policy does not, and to assume a role \
                     its trust policy must itself allow it.",
                    allow.label()
                ),
                None => {
                    "Denied implicitly: no statement allows it, and whatever no statement allows is denied.".to_string()
                }
            },
        }
    }
}

/// Decide `request` against these policies, all of one account, each with a
/// name for explanations: an explicit Deny in any of them wins; otherwise an
/// Allow in any of them allows; otherwise the request is implicitly denied.
/// A trust policy among them must itself allow: without an Allow of its own,
/// the request is implicitly denied whatever the other policies allow.
///
/// Identity policies apply to the identity they are attached to whatever the
/// request's principal; trust and resource-based policies name their
/// principals. Put in only the policies that apply to the question: a role's
/// identity policies for what the role may do; for who may assume it, its
/// trust policy, with the caller's identity policies if they are to count.
pub fn evaluate(policies: &[(&str, &Policy)], request: &Request) -> Decision {
    let mut decision =
        Decision { verdict: Verdict::ImplicitDeny, allows: Vec::new(), denies: Vec::new(), missed: Vec::new() };
    // "Policy evaluation logic": for most resources an Allow in either an
    // identity-based or a resource-based policy of the account is enough, but
    // IAM role trust policies (and KMS key policies, not modelled here) are
    // exceptions that must explicitly allow the principal. So an identity
    // policy allowing sts:AssumeRole on a role does not let in a caller its
    // trust policy does not name, or whose ExternalId does not match (moto's
    // test_sts_assume_role_with_principal and _with_external_id, in
    // tests/corpus/moto-iam-decisions.json).
    let mut trust_needed = false;
    let mut trusted = false;
    for (name, policy) in policies {
        trust_needed |= policy.kind == PolicyKind::Trust;
        for statement in &policy.statements {
            match statement.applies(policy.kind, request) {
                Ok(because) => {
                    trusted |= policy.kind == PolicyKind::Trust && statement.effect == Effect::Allow;
                    let applied = Applied {
                        policy: name.to_string(),
                        index: statement.index,
                        pointer: statement.pointer.clone(),
                        sid: statement.sid.clone(),
                        effect: statement.effect,
                        source: statement.source.clone(),
                        because,
                    };
                    match statement.effect {
                        Effect::Allow => decision.allows.push(applied),
                        Effect::Deny => decision.denies.push(applied),
                    }
                }
                Err(why) => decision.missed.push(Missed {
                    policy: name.to_string(),
                    index: statement.index,
                    pointer: statement.pointer.clone(),
                    sid: statement.sid.clone(),
                    effect: statement.effect,
                    why,
                }),
            }
        }
    }
    decision.verdict = if !decision.denies.is_empty() {
        Verdict::ExplicitDeny
    } else if !decision.allows.is_empty() && (trusted || !trust_needed) {
        Verdict::Allowed
    } else {
        Verdict::ImplicitDeny
    };
    decision
}

fn listed(values: &[String]) -> String {
    values.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", ")
}

impl Statement {
    /// "the statement "ReadPhotos" (at /Statement/0 in permissions.json)",
    /// for this statement of the policy named `policy`.
    pub fn label(&self, policy: &str) -> String {
        label(policy, &self.pointer, &self.sid)
    }

    /// Ok(why it applies) or Err(why it does not), for one request.
    pub fn applies(&self, kind: PolicyKind, request: &Request) -> Result<String, String> {
        let mut because = Vec::new();
        // Action: ignoring case.
        let action = &self.action;
        let hit = action.values.iter().find(|p| wildcard_match(p, &request.action, true));
        match (action.negated, hit) {
            (false, Some(pattern)) => because.push(format!("its Action {pattern:?} covers {}", request.action)),
            (false, None) => {
                return Err(format!(
                    "its Action does not cover {} (it lists {})",
                    request.action,
                    listed(&action.values)
                ));
            }
            (true, Some(pattern)) => {
                return Err(format!("its NotAction {pattern:?} excludes {}", request.action));
            }
            (true, None) => {
                because.push(format!("its NotAction ({}) does not exclude {}", listed(&action.values), request.action))
            }
        }
        // Resource: minding case.
        if let Some(resource) = &self.resource {
            let hit = resource.values.iter().find(|p| wildcard_match(p, &request.resource, false));
            match (resource.negated, hit) {
                (false, Some(pattern)) => because.push(format!("its Resource {pattern:?} covers {}", request.resource)),
                (false, None) => {
                    return Err(format!(
                        "its Resource does not cover {} (it lists {})",
                        request.resource,
                        listed(&resource.values)
                    ));
                }
                (true, Some(pattern)) => {
                    return Err(format!("its NotResource {pattern:?} excludes {}", request.resource));
                }
                (true, None) => because.push(format!(
                    "its NotResource ({}) does not exclude {}",
                    listed(&resource.values),
                    request.resource
                )),
            }
        }
        // Principal: only policies that name one.
        if matches!(kind, PolicyKind::Trust | PolicyKind::Resource) {
            if let Some(element) = &self.principal {
                let hit = element.entries.iter().find(|e| request.principal.named_by(e));
                let who = request.principal.describe();
                match (element.negated, hit) {
                    (false, Some(entry)) => because.push(format!("its Principal {entry} includes {who}")),
                    (false, None) => {
                        let named: Vec<String> = element.entries.iter().map(|e| e.to_string()).collect();
                        return Err(format!("its Principal names {}, not {who}", named.join(" and ")));
                    }
                    (true, Some(entry)) => return Err(format!("its NotPrincipal {entry} excludes {who}")),
                    (true, None) => because.push(format!("its NotPrincipal does not exclude {who}")),
                }
            }
        }
        for condition in &self.conditions {
            if !condition.holds(request) {
                return Err(condition.describe_miss(request));
            }
        }
        if !self.conditions.is_empty() {
            let operators: Vec<String> =
                self.conditions.iter().map(|c| format!("{} on {}", c.operator, c.key)).collect();
            because.push(format!("its conditions hold ({})", operators.join(", ")));
        }
        Ok(because.join(", and "))
    }
}

#[cfg(test)]
mod tests {
    //! Each test names the page of the IAM User Guide whose rule it checks:
    //! - "Policy evaluation logic" and "The difference between explicit and
    //!   implicit denies" (reference_policies_evaluation-logic.html,
    //!   reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html);
    //! - "IAM JSON policy elements: Version / Action / NotAction / Resource /
    //!   NotResource / Principal / Condition operators"
    //!   (reference_policies_elements_*.html);
    //! - "Conditions with multiple context keys or values"
    //!   (reference_policies_multi-value-conditions.html);
    //! - Lambda: "Defining Lambda function permissions with an execution role"
    //!   (lambda/latest/dg/lambda-intro-execution-role.html), "Viewing
    //!   resource-based IAM policies in Lambda"
    //!   (lambda/latest/dg/access-control-resource-based.html) and the
    //!   AddPermission API reference (lambda/latest/api/API_AddPermission.html);
    //! - "The confused deputy problem" (IAM/latest/UserGuide/confused-deputy.html).
    use super::*;
    use serde_json::json;

    fn identity(document: Value) -> Policy {
        Policy::from_value(PolicyKind::Identity, &document).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn trust(document: Value) -> Policy {
        Policy::from_value(PolicyKind::Trust, &document).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn role() -> Principal {
        Principal::Aws("arn:aws:iam::123456789012:role/photo-reader".into())
    }

    fn ask(policy: &Policy, action: &str, resource: &str) -> Decision {
        policy.decide("policy.json", &Request::new(role(), action, resource))
    }

    fn errors(kind: PolicyKind, document: Value) -> Vec<PolicyError> {
        match Policy::from_value(kind, &document) {
            Ok(_) => panic!("expected {document} to be refused"),
            Err(errors) => errors,
        }
    }

    // "The difference between explicit and implicit denies": "If policies
    // that apply to a request include an Allow statement and a Deny
    // statement, the Deny statement trumps the Allow statement."
    #[test]
    fn an_explicit_deny_wins_over_an_allow() {
        let policy = identity(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "AllowAll", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
            ]
        }));
        let decision = ask(&policy, "s3:DeleteObject", "arn:aws:s3:::photo-uploads/a.jpg");
        assert_eq!(decision.verdict, Verdict::ExplicitDeny);
        assert_eq!(decision.decided_by().unwrap().sid.as_deref(), Some("NoDeletes"));
        assert!(
            decision.explain().contains("even over the Allow in the statement \"AllowAll\""),
            "{}",
            decision.explain()
        );
        assert!(ask(&policy, "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg").allowed());
    }

    // "Policy evaluation logic": an Allow in an identity-based or a
    // resource-based policy is enough for most resources, but "IAM role trust
    // policies and KMS key policies are exceptions to this logic, because they
    // must explicitly allow access for principals".
    #[test]
    fn a_role_is_assumed_only_if_its_trust_policy_allows_it() {
        let user = Principal::Aws("arn:aws:iam::123456789012:user/ana".into());
        let role = "arn:aws:iam::123456789012:role/auditor";
        let may_assume = identity(json!({"Version": "2012-10-17", "Statement":
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role}}));
        let trust_policy = trust(json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:user/ana"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "ticket-7"}}}}));
        let policies = [("ana's policy", &may_assume), ("auditor's trust policy", &trust_policy)];
        let right = Request::new(user.clone(), "sts:AssumeRole", role).with("sts:ExternalId", "ticket-7");
        assert!(evaluate(&policies, &right).allowed());
        let wrong = Request::new(user, "sts:AssumeRole", role).with("sts:ExternalId", "ticket-8");
        let decision = evaluate(&policies, &wrong);
        assert_eq!(decision.verdict, Verdict::ImplicitDeny);
        assert!(
            decision.explain().contains("in ana's policy allows it, but the role's trust policy does not"),
            "{}",
            decision.explain()
        );
        // Without the trust policy, the question is what the identity policies allow.
        assert!(evaluate(&[("ana's policy", &may_assume)], &wrong).allowed());
    }

    // Same page: "An implicit denial occurs when there is no applicable Deny
    // statement but also no applicable Allow statement."
    #[test]
    fn nothing_allowed_is_implicitly_denied_and_the_misses_say_why() {
        let policy = identity(json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photo-uploads"}
        }));
        let decision = ask(&policy, "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg");
        assert_eq!(decision.verdict, Verdict::ImplicitDeny);
        assert!(decision.decided_by().is_none());
        assert_eq!(decision.missed.len(), 1);
        assert_eq!(decision.missed[0].pointer, "/Statement");
        assert!(
            decision.missed[0].why.contains("its Resource does not cover arn:aws:s3:::photo-uploads/a.jpg"),
            "{}",
            decision.missed[0].why
        );
        // "Policy evaluation logic": evaluation across several policies of one
        // account is the union of their allows, and any deny wins.
        let deny =
            identity(json!({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}));
        let allow = identity(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}),
        );
        let request = Request::new(role(), "iam:CreateUser", "*");
        assert!(evaluate(&[("a.json", &allow)], &request).allowed());
        assert_eq!(evaluate(&[("a.json", &allow), ("d.json", &deny)], &request).verdict, Verdict::ExplicitDeny);
        assert_eq!(evaluate(&[], &request).verdict, Verdict::ImplicitDeny);
    }

    // "IAM JSON policy elements: NotAction", "NotAction with Allow": allows
    // every action except those listed, on the resources named; the page's
    // example, s3 actions except DeleteBucket on arn:aws:s3:::*, also
    // allows nothing outside S3 resources.
    #[test]
    fn not_action_with_allow_allows_everything_else_on_its_resources() {
        let policy = identity(json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "arn:aws:s3:::*"}
        }));
        assert!(ask(&policy, "s3:PutObject", "arn:aws:s3:::photo-uploads/a.jpg").allowed());
        assert!(!ask(&policy, "s3:DeleteBucket", "arn:aws:s3:::photo-uploads").allowed());
        assert!(!ask(&policy, "iam:CreateUser", "arn:aws:iam::123456789012:user/eve").allowed());
        // The page's other example: everything except IAM, on "*".
        let everything_but_iam = identity(json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
        }));
        assert!(ask(&everything_but_iam, "dynamodb:Scan", "arn:aws:dynamodb:us-east-1:123456789012:table/t").allowed());
        assert!(!ask(&everything_but_iam, "iam:CreateUser", "*").allowed());
        let why = &ask(&everything_but_iam, "IAM:CreateUser", "*").missed[0].why;
        assert!(why.contains("its NotAction \"iam:*\" excludes IAM:CreateUser"), "{why}");
    }

    // "NotAction with Deny": denies everything not listed, grants nothing.
    #[test]
    fn not_action_with_deny_denies_everything_else_and_allows_nothing() {
        let policy = identity(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "NotAction": ["s3:GetObject", "logs:*"], "Resource": "*"}
            ]
        }));
        assert!(ask(&policy, "s3:GetObject", "arn:aws:s3:::b/k").allowed());
        assert!(ask(&policy, "logs:PutLogEvents", "arn:aws:logs:us-east-1:1:log-group:g:*").allowed());
        assert_eq!(ask(&policy, "s3:PutObject", "arn:aws:s3:::b/k").verdict, Verdict::ExplicitDeny);
    }

    // "IAM JSON policy elements: NotResource": the page's example denies all
    // S3 resources except the Payroll folder, and grants nothing by itself.
    #[test]
    fn not_resource_covers_every_resource_but_those_listed() {
        let deny = identity(json!({
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Deny",
                "Action": "s3:*",
                "NotResource": ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"]
            }
        }));
        assert_eq!(ask(&deny, "s3:GetObject", "arn:aws:s3:::HRBucket/Other/x").verdict, Verdict::ExplicitDeny);
        assert_eq!(ask(&deny, "s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/x").verdict, Verdict::ImplicitDeny);
        // With Allow, NotResource grants everything else: the page warns
        // never to combine Allow, "*" and NotResource.
        let dangerous = identity(json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::HRBucket"}
        }));
        assert!(ask(&dangerous, "iam:CreateUser", "arn:aws:iam::123456789012:user/eve").allowed());
        assert!(!ask(&dangerous, "s3:ListBucket", "arn:aws:s3:::HRBucket").allowed());
    }

    // "IAM JSON policy elements: Action": "The prefix and the action name are
    // case insensitive", and `*`/`?` wildcards match within names
    // ("iam:*AccessKey*"). "IAM JSON policy elements: Resource": `*` is any
    // combination of characters, `?` one character; ARNs are matched minding
    // case (the page notes the user name in a Resource is case sensitive).
    #[test]
    fn wildcards_match_actions_ignoring_case_and_arns_minding_it() {
        let policy = identity(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Keys", "Effect": "Allow", "Action": "iam:*AccessKey*", "Resource": "arn:aws:iam::123456789012:user/Bob"},
                {"Sid": "Photos", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photo-uploads/20??/*"}
            ]
        }));
        for action in ["iam:CreateAccessKey", "IAM:listaccesskeys", "iam:UpdateAccessKey"] {
            assert!(ask(&policy, action, "arn:aws:iam::123456789012:user/Bob").allowed(), "{action}");
        }
        assert!(!ask(&policy, "iam:CreateUser", "arn:aws:iam::123456789012:user/Bob").allowed());
        assert!(!ask(&policy, "iam:CreateAccessKey", "arn:aws:iam::123456789012:user/bob").allowed(), "ARNs mind case");
        assert!(ask(&policy, "S3:GETOBJECT", "arn:aws:s3:::photo-uploads/2024/05/cat.jpg").allowed());
        assert!(
            !ask(&policy, "s3:GetObject", "arn:aws:s3:::photo-uploads/1999x/cat.jpg").allowed(),
            "? is one character"
        );
        assert!(!ask(&policy, "s3:GetObject", "arn:aws:s3:::Photo-Uploads/2024/cat.jpg").allowed());
        // A bucket's ARN is not its objects' ARNs, and `*` alone matches all.
        assert!(wildcard_match("arn:aws:s3:::photo-uploads/*", "arn:aws:s3:::photo-uploads/a/b/c", false));
        assert!(!wildcard_match("arn:aws:s3:::photo-uploads/*", "arn:aws:s3:::photo-uploads", false));
        assert!(wildcard_match("arn:aws:s3:::photo-uploads*", "arn:aws:s3:::photo-uploads-backup/x", false));
        assert!(wildcard_match("*", "", false) && wildcard_match("a*b*c", "aXbYbc", false));
        assert!(!wildcard_match("a?c", "ac", false));
    }

    // "IAM JSON policy elements: Condition operators", "...IfExists condition
    // operators": a missing key makes the IfExists form true; "If the key
    // that you specify in a policy condition is not present in the request
    // context, the values do not match and the condition is false", except
    // for negated operators, which are then true.
    #[test]
    fn a_missing_key_fails_a_condition_unless_if_exists_or_negated() {
        let with = |operator: &str| {
            identity(json!({
                "Version": "2012-10-17",
                "Statement": {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
                               "Condition": {operator: {"ec2:InstanceType": ["t2.*", "t3.*"]}}}
            }))
        };
        let request = Request::new(role(), "ec2:RunInstances", "*");
        let typed = request.clone().with("ec2:InstanceType", "t3.micro");
        let big = request.clone().with("ec2:InstanceType", "m5.24xlarge");
        let like = with("StringLike");
        assert!(!evaluate(&[("p", &like)], &request).allowed(), "no key: StringLike is false");
        assert!(evaluate(&[("p", &like)], &typed).allowed());
        let if_exists = with("StringLikeIfExists");
        assert!(evaluate(&[("p", &if_exists)], &request).allowed(), "no key: StringLikeIfExists is true");
        assert!(evaluate(&[("p", &if_exists)], &typed).allowed());
        assert!(!evaluate(&[("p", &if_exists)], &big).allowed(), "a present key is still checked");
        let not_like = with("StringNotLike");
        assert!(evaluate(&[("p", &not_like)], &request).allowed(), "no key: a negated operator is true");
        assert!(!evaluate(&[("p", &not_like)], &typed).allowed());
        assert!(evaluate(&[("p", &not_like)], &big).allowed());
        let why = &evaluate(&[("p", &like)], &request).missed[0].why;
        assert!(why.contains("the request has no ec2:InstanceType key"), "{why}");
    }

    // "Conditions with multiple context keys or values": several operators,
    // and several keys under one operator, are ANDed; several values for one
    // key are ORed (NORed for a negated operator). Key names ignore case.
    #[test]
    fn keys_are_anded_values_ored() {
        let policy = identity(json!({
            "Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {
                    "StringEquals": {"aws:PrincipalTag/team": ["photos", "web"], "aws:RequestedRegion": "us-east-1"},
                    "StringNotEquals": {"aws:PrincipalTag/level": ["intern", "guest"]}
                }}
        }));
        let base = Request::new(role(), "s3:GetObject", "arn:aws:s3:::b/k");
        let good = base.clone().with("aws:principaltag/TEAM", "web").with("aws:RequestedRegion", "us-east-1");
        assert!(evaluate(&[("p", &policy)], &good).allowed());
        assert!(!evaluate(&[("p", &policy)], &good.clone().with("aws:PrincipalTag/level", "guest")).allowed());
        assert!(evaluate(&[("p", &policy)], &good.clone().with("aws:PrincipalTag/level", "senior")).allowed());
        let wrong_region =
            base.clone().with("aws:PrincipalTag/team", "photos").with("aws:RequestedRegion", "eu-west-1");
        assert!(!evaluate(&[("p", &policy)], &wrong_region).allowed());
        let no_team = base.with("aws:RequestedRegion", "us-east-1");
        assert!(!evaluate(&[("p", &policy)], &no_team).allowed());
        // StringEquals minds case, StringEqualsIgnoreCase does not.
        let case =
            identity(json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "Photos"}}}}));
        let tagged = Request::new(role(), "s3:GetObject", "*").with("aws:PrincipalTag/team", "PHOTOS");
        assert!(evaluate(&[("p", &case)], &tagged).allowed());
        let exact =
            identity(json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"StringEquals": {"aws:PrincipalTag/team": "Photos"}}}}));
        assert!(!evaluate(&[("p", &exact)], &tagged).allowed());
    }

    // "Condition operators", Boolean: the page's example denies S3 requests
    // made without TLS with Bool on aws:SecureTransport "false".
    #[test]
    fn bool_on_secure_transport_denies_plain_http() {
        let policy = identity(json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photo-uploads/*"},
                {"Sid": "BooleanExample", "Effect": "Deny", "Action": "s3:*",
                 "Resource": ["arn:aws:s3:::photo-uploads", "arn:aws:s3:::photo-uploads/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": false}}}
            ]
        }));
        let request = Request::new(role(), "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg");
        let https = evaluate(&[("p", &policy)], &request.clone().with("aws:SecureTransport", "true"));
        assert!(https.allowed(), "{}", https.explain());
        let http = evaluate(&[("p", &policy)], &request.clone().with("aws:SecureTransport", "false"));
        assert_eq!(http.verdict, Verdict::ExplicitDeny);
        assert_eq!(http.decided_by().unwrap().sid.as_deref(), Some("BooleanExample"));
        assert!(http.explain().contains("its conditions hold (Bool on aws:SecureTransport)"), "{}", http.explain());
        // Without the key the Bool condition is false, so the Deny does not
        // apply; BoolIfExists would make it apply.
        assert!(evaluate(&[("p", &policy)], &request).allowed());
    }

    // "Condition operators", Numeric (the page's s3:max-keys example), Date,
    // IP address and ARN families. ArnLike matches each of the six
    // colon-separated fields on its own, so the page's pattern
    // arn:aws:someservice:*:111122223333:finance/* fails on a value whose
    // first `*` would have to swallow colons, where StringLike succeeds.
    #[test]
    fn numeric_date_ip_and_arn_operators() {
        let allow = |condition: Value| {
            identity(
                json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": condition}}),
            )
        };
        let request = Request::new(role(), "s3:ListBucket", "arn:aws:s3:::b");
        let max_keys = allow(json!({"NumericLessThanEquals": {"s3:max-keys": "10"}}));
        assert!(evaluate(&[("p", &max_keys)], &request.clone().with("s3:max-keys", "10")).allowed());
        assert!(!evaluate(&[("p", &max_keys)], &request.clone().with("s3:max-keys", "11")).allowed());
        let less = allow(json!({"NumericLessThan": {"s3:max-keys": 10}}));
        assert!(!evaluate(&[("p", &less)], &request.clone().with("s3:max-keys", "10")).allowed());
        assert!(!evaluate(&[("p", &less)], &request.clone().with("s3:max-keys", "ten")).allowed());
        let before = allow(json!({"DateLessThan": {"aws:CurrentTime": "2024-06-01T00:00:00Z"}}));
        assert!(
            evaluate(&[("p", &before)], &request.clone().with("aws:CurrentTime", "2024-05-31T23:59:59Z")).allowed()
        );
        assert!(
            !evaluate(&[("p", &before)], &request.clone().with("aws:CurrentTime", "2024-06-01T02:00:00+01:00"))
                .allowed()
        );
        assert!(!evaluate(&[("p", &before)], &request.clone().with("aws:CurrentTime", "1717200000")).allowed());
        let office = allow(json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}}));
        assert!(evaluate(&[("p", &office)], &request.clone().with("aws:SourceIp", "203.0.113.7")).allowed());
        assert!(evaluate(&[("p", &office)], &request.clone().with("aws:SourceIp", "2001:db8:1234:5678::1")).allowed());
        assert!(!evaluate(&[("p", &office)], &request.clone().with("aws:SourceIp", "198.51.100.7")).allowed());
        let pattern = "arn:aws:someservice:*:111122223333:finance/*";
        let value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        let arn = allow(json!({"ArnLike": {"aws:SourceArn": pattern}}));
        let string = allow(json!({"StringLike": {"aws:SourceArn": pattern}}));
        let from = request.clone().with("aws:SourceArn", value);
        assert!(!evaluate(&[("p", &arn)], &from).allowed(), "ArnLike matches field by field");
        assert!(evaluate(&[("p", &string)], &from).allowed(), "StringLike lets * cross colons");
        let topic = allow(json!({"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:uploads"}}));
        assert!(
            evaluate(
                &[("p", &topic)],
                &request.clone().with("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:uploads")
            )
            .allowed()
        );
        assert!(
            !evaluate(
                &[("p", &topic)],
                &request.clone().with("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:Uploads")
            )
            .allowed()
        );
        let null = allow(json!({"Null": {"aws:TokenIssueTime": "true"}}));
        assert!(evaluate(&[("p", &null)], &request).allowed());
        assert!(
            !evaluate(&[("p", &null)], &request.clone().with("aws:TokenIssueTime", "2024-01-01T00:00:00Z")).allowed()
        );
    }

    // "Conditions with multiple context keys or values", set operators:
    // ForAllValues holds when every request value matches (and when the key
    // is missing); ForAnyValue needs at least one match.
    #[test]
    fn for_all_values_and_for_any_value() {
        let allow = |operator: &str| {
            identity(json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
                "Condition": {operator: {"aws:TagKeys": ["project", "owner"]}}}}))
        };
        let request = Request::new(role(), "ec2:CreateTags", "*");
        let both = request.clone().with("aws:TagKeys", "project").with("aws:TagKeys", "owner");
        let extra = both.clone().with("aws:TagKeys", "cost");
        let all = allow("ForAllValues:StringEquals");
        assert!(evaluate(&[("p", &all)], &both).allowed());
        assert!(!evaluate(&[("p", &all)], &extra).allowed());
        assert!(evaluate(&[("p", &all)], &request).allowed(), "ForAllValues with no key is true");
        let any = allow("ForAnyValue:StringEquals");
        assert!(evaluate(&[("p", &any)], &extra).allowed());
        assert!(!evaluate(&[("p", &any)], &request.clone().with("aws:TagKeys", "cost")).allowed());
        assert!(!evaluate(&[("p", &any)], &request).allowed(), "ForAnyValue with no key is false");
    }

    // "Defining Lambda function permissions with an execution role": the
    // role's trust policy must name the Lambda service principal,
    // lambda.amazonaws.com. "AWS JSON policy elements: Principal": an
    // account id and the account's root ARN "behave the same way" and
    // delegate to the whole account; "*" and {"AWS": "*"} are equivalent.
    #[test]
    fn a_trust_policy_for_lambda_lets_lambda_and_nobody_else_assume_the_role() {
        let policy = trust(json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
        }));
        let assume = |who: &str| {
            let request =
                Request::new(Principal::parse(who).unwrap(), "sts:AssumeRole", "arn:aws:iam::123456789012:role/r");
            policy.decide("trust-policy.json", &request)
        };
        assert!(assume("lambda.amazonaws.com").allowed());
        for who in ["ec2.amazonaws.com", "210987654321", "arn:aws:iam::123456789012:root", "*"] {
            let decision = assume(who);
            assert_eq!(decision.verdict, Verdict::ImplicitDeny, "{who}");
            assert!(
                decision.missed[0].why.contains("its Principal names the service lambda.amazonaws.com"),
                "{}",
                decision.missed[0].why
            );
        }
        let lambda = Request::new(Principal::parse("lambda.amazonaws.com").unwrap(), "sts:TagSession", "*");
        assert!(!policy.decide("t", &lambda).allowed(), "the action must match too");

        let account = trust(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}}),
        );
        let as_arn = trust(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}}),
        );
        for policy in [&account, &as_arn] {
            for who in [
                "arn:aws:iam::123456789012:root",
                "arn:aws:iam::123456789012:role/admin",
                "arn:aws:iam::123456789012:user/bob",
            ] {
                let request = Request::new(Principal::parse(who).unwrap(), "sts:AssumeRole", "*");
                assert!(policy.decide("t", &request).allowed(), "{who}");
            }
            let stranger = Request::new(Principal::parse("210987654321").unwrap(), "sts:AssumeRole", "*");
            assert!(!policy.decide("t", &stranger).allowed());
        }
        let everyone = trust(
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}}),
        );
        for who in ["*", "210987654321", "ec2.amazonaws.com"] {
            let request = Request::new(Principal::parse(who).unwrap(), "sts:AssumeRole", "*");
            assert!(everyone.decide("t", &request).allowed(), "{who}");
        }
        // A role ARN names that role, and its sessions.
        let one_role = trust(json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::123456789012:role/deployer"]}, "Action": "sts:AssumeRole"}}));
        let session = Principal::Aws("arn:aws:sts::123456789012:assumed-role/deployer/ci-42".into());
        assert!(one_role.decide("t", &Request::new(session, "sts:AssumeRole", "*")).allowed());
        let other = Principal::Aws("arn:aws:iam::123456789012:role/Deployer".into());
        assert!(!one_role.decide("t", &Request::new(other, "sts:AssumeRole", "*")).allowed());
    }

    // "AWS JSON policy elements: NotPrincipal": the statement applies to
    // every principal except those listed.
    #[test]
    fn not_principal_applies_to_everyone_else() {
        let policy = Policy::from_value(PolicyKind::Resource, &json!({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:role/reader"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}
            ]
        }))
        .unwrap();
        let reader = Principal::Aws("arn:aws:iam::123456789012:role/reader".into());
        assert!(policy.decide("bucket", &Request::new(reader, "s3:GetObject", "arn:aws:s3:::b/k")).allowed());
        let other = Principal::Aws("arn:aws:iam::123456789012:role/writer".into());
        assert_eq!(
            policy.decide("bucket", &Request::new(other, "s3:GetObject", "arn:aws:s3:::b/k")).verdict,
            Verdict::ExplicitDeny
        );
    }

    // A function's resource-based policy as get-policy shows it ("Viewing
    // resource-based IAM policies in Lambda": S3 may invoke the function for
    // one bucket of one account, the keys spelled AWS:SourceAccount and
    // AWS:SourceArn, a Sid with hyphens as add-permission writes it). The
    // AddPermission reference gives the reason for SourceAccount: a bucket's
    // ARN has no account in it, and a deleted bucket's name can be taken by
    // another account, whose S3 notifications would then carry the same
    // SourceArn (the confused deputy: S3 invoking on a stranger's behalf).
    #[test]
    fn a_function_policy_lets_s3_invoke_for_one_bucket_of_one_account() {
        let policy = Policy::from_value(
            PolicyKind::Resource,
            &json!({
                "Version": "2012-10-17",
                "Id": "default",
                "Statement": [{
                    "Sid": "lambda-allow-s3-my-function",
                    "Effect": "Allow",
                    "Principal": {"Service": "s3.amazonaws.com"},
                    "Action": "lambda:InvokeFunction",
                    "Resource": "arn:aws:lambda:us-east-2:123456789012:function:my-function",
                    "Condition": {
                        "StringEquals": {"AWS:SourceAccount": "123456789012"},
                        "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::amzn-s3-demo-bucket"}
                    }
                }]
            }),
        )
        .unwrap();
        let function = "arn:aws:lambda:us-east-2:123456789012:function:my-function";
        let s3 = Principal::parse("s3.amazonaws.com").unwrap();
        let from = |principal: &Principal, action: &str, bucket: &str, account: &str| {
            let request = Request::new(principal.clone(), action, function)
                .with("aws:SourceArn", bucket)
                .with("aws:SourceAccount", account);
            policy.decide("function policy", &request)
        };
        let bucket = "arn:aws:s3:::amzn-s3-demo-bucket";
        assert!(from(&s3, "lambda:InvokeFunction", bucket, "123456789012").allowed());
        // The same bucket name, owned by another account.
        let stranger = from(&s3, "lambda:InvokeFunction", bucket, "210987654321");
        assert_eq!(stranger.verdict, Verdict::ImplicitDeny);
        assert!(stranger.missed[0].why.contains("StringEquals {\"AWS:SourceAccount\""), "{}", stranger.missed[0].why);
        // Another bucket of the same account, and one whose name only starts the same.
        for other in ["arn:aws:s3:::other-bucket", "arn:aws:s3:::amzn-s3-demo-bucket-backup"] {
            let decision = from(&s3, "lambda:InvokeFunction", other, "123456789012");
            assert!(decision.missed[0].why.contains("ArnLike {\"AWS:SourceArn\""), "{}", decision.missed[0].why);
        }
        // Another service, or another action, or nobody's bucket at all.
        let sns = Principal::parse("sns.amazonaws.com").unwrap();
        assert!(!from(&sns, "lambda:InvokeFunction", bucket, "123456789012").allowed());
        assert!(!from(&s3, "lambda:UpdateFunctionCode", bucket, "123456789012").allowed());
        let direct = Request::new(Principal::parse("210987654321").unwrap(), "lambda:InvokeFunction", function);
        assert!(!policy.decide("function policy", &direct).allowed(), "no SourceArn: the conditions fail");

        // Without SourceAccount, the stranger's bucket of the same name gets in.
        let mut open = policy.clone();
        open.statements[0].conditions.retain(|c| c.operator == "ArnLike");
        let request = Request::new(s3.clone(), "lambda:InvokeFunction", function)
            .with("aws:SourceArn", bucket)
            .with("aws:SourceAccount", "210987654321");
        assert!(open.decide("function policy", &request).allowed());
    }

    // "IAM JSON policy elements: Version": 2012-10-17 is current, 2008-10-17
    // the earlier one; a policy without Version is read as 2008-10-17. A
    // managed policy must be 2012-10-17 (moto's tests: CreatePolicy refuses
    // the others); an inline or trust policy need not.
    #[test]
    fn versions() {
        let statement = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"});
        assert_eq!(identity(json!({"Version": "2012-10-17", "Statement": statement})).version, VERSION);
        for document in [json!({"Version": "2008-10-17", "Statement": statement}), json!({"Statement": statement})] {
            let refused = errors(PolicyKind::Managed, document.clone());
            assert_eq!(refused[0].refusal, Refusal::Version, "{refused:?}");
            assert!(refused[0].message.contains("a managed permissions policy"), "{}", refused[0].message);
            assert_eq!(identity(document).version, OLD_VERSION);
        }
        let assume =
            json!({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"});
        assert_eq!(trust(json!({"Statement": assume})).version, OLD_VERSION);
        let refused = errors(PolicyKind::Identity, json!({"Version": "2024-05-01", "Statement": statement}));
        assert_eq!(refused[0].pointer, "/Version");
        assert!(refused[0].message.contains("not a date of your choosing"), "{}", refused[0].message);
        assert!(refused[0].message.ends_with("IAM refuses it: \"Syntax errors in policy.\""), "{}", refused[0].message);
        let number = errors(PolicyKind::Identity, json!({"Version": 2012, "Statement": statement}));
        assert_eq!(number[0].pointer, "/Version");
    }

    // What IAM refuses when a policy is saved, each with where it is.
    #[test]
    fn malformed_policies_are_refused_with_a_pointer() {
        let cases: Vec<(PolicyKind, Value, &str, &str)> = vec![
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": {"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"}}),
                "/Statement/Effect",
                "write exactly \"Allow\"",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}]}),
                "/Statement/0/Effect",
                "not \"Permit\"",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}),
                "/Statement/0",
                "no Effect",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}),
                "/Statement/0",
                "no Action (or NotAction)",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}),
                "/Statement/0",
                "no Resource (or NotResource)",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"}]}),
                "/Statement/0",
                "Action or NotAction, never both",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "*"}]}),
                "/Statement/0/Principal",
                "a permissions policy has no Principal",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "GetObject", "Resource": "*"}]}),
                "/Statement/0/Action",
                "an action is service:Operation",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["photo-uploads/*"]}]}),
                "/Statement/0/Resource/0",
                "a resource is an ARN",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "s3:GetObject", "Resource": "*"}]}),
                "/Statement/0/Actions",
                "did you mean \"Action\"?",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statements": []}),
                "/Statements",
                "did you mean \"Statement\"?",
            ),
            (PolicyKind::Identity, json!({"Version": "2012-10-17", "Statement": []}), "/Statement", "empty"),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Sid": "read photos", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}),
                "/Statement/0/Sid",
                "only letters and digits",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Sid": "A", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}),
                "/Statement/1/Sid",
                "used twice",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {"StringEqual": {"aws:SourceAccount": "1"}}}]}),
                "/Statement/0/Condition/StringEqual",
                "did you mean \"StringEquals\"?",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {"DateLessThan": {"aws:CurrentTime": "next week"}}}]}),
                "/Statement/0/Condition/DateLessThan/aws:CurrentTime",
                "is not a date",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                "Condition": {"ForAnyValue::StringEquals": {"aws:TagKeys": "a"}}}]}),
                "/Statement/0/Condition/ForAnyValue::StringEquals",
                "not a condition operator",
            ),
            // The mistakes of exercise 02's files, as IAM names them.
            (
                PolicyKind::Trust,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": ["sts:AssumeRole", "lambda:InvokeFunction"]}]}),
                "/Statement/0/Action/1",
                "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3::photo-uploads/*"}]}),
                "/Statement/0/Resource",
                "The policy failed legacy parsing",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:amazon:s3:::photo-uploads/*"}]}),
                "/Statement/0/Resource",
                "Partition \"amazon\" is not valid for resource \"arn:amazon:s3:::photo-uploads/*\".",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:us-east-1:123456789012:photo-uploads/*"}]}),
                "/Statement/0/Resource",
                "can not contain region information.",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:photo-reader"}]}),
                "/Statement/0/Resource",
                "IAM resource path must either be \"*\" or start with user/",
            ),
            (
                PolicyKind::Identity,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}),
                "/Statement/0/Principal",
                "Policy document should not specify a principal.",
            ),
            (
                PolicyKind::Trust,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}),
                "/Statement/0",
                "no Principal",
            ),
            (
                PolicyKind::Trust,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}),
                "/Statement/0/Resource",
                "a trust policy has no Resource",
            ),
            (
                PolicyKind::Trust,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "lambda.amazonaws.com", "Action": "sts:AssumeRole"}]}),
                "/Statement/0/Principal",
                "{\"Service\": \"lambda.amazonaws.com\"}",
            ),
            (
                PolicyKind::Trust,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Services": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
                "/Statement/0/Principal/Services",
                "did you mean \"Service\"?",
            ),
            (
                PolicyKind::Trust,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "*.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
                "/Statement/0/Principal/Service",
                "cannot match part of a principal",
            ),
            (
                PolicyKind::Trust,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "account-123"}, "Action": "sts:AssumeRole"}]}),
                "/Statement/0/Principal/AWS",
                "12-digit account id",
            ),
            (PolicyKind::Identity, json!([{"Effect": "Allow"}]), "", "a policy is a JSON object"),
        ];
        for (kind, document, pointer, says) in cases {
            let refused = errors(kind, document.clone());
            assert!(
                refused.iter().any(|e| e.pointer == pointer && e.message.contains(says)),
                "{document}\nexpected {says:?} at {pointer:?}, got {refused:?}"
            );
        }
        // Pointers escape "/" in keys (RFC 6901).
        let refused = errors(
            PolicyKind::Identity,
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
            "Condition": {"DateGreaterThan": {"aws:PrincipalTag/joined": "yesterday"}}}}),
        );
        assert_eq!(refused[0].pointer, "/Statement/Condition/DateGreaterThan/aws:PrincipalTag~1joined");
        // Every refusal ends with IAM's own words, and the first is the one
        // IAM names (a syntax error before a missing action).
        let refused = errors(
            PolicyKind::Identity,
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}, {"Effect": "Maybe", "Action": "*", "Resource": "*"}]}),
        );
        assert_eq!(refused.iter().map(|e| &e.refusal).collect::<Vec<_>>(), [&Refusal::Syntax, &Refusal::NoActions]);
        assert!(refused.iter().all(|e| e.message.ends_with(&format!("IAM refuses it: \"{}\"", e.refusal.message()))));
        // An empty Sid is no Sid: IAM takes two of them (moto's valid documents).
        let two = json!({"Version": "2012-10-17", "Statement": [
            {"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]});
        assert_eq!(identity(two).statements.len(), 2);
        // Text that is not JSON at all.
        let refused = Policy::from_text(PolicyKind::Trust, "{\"Version\": \"2012-10-17\",}").unwrap_err();
        assert!(refused[0].message.starts_with("this is not valid JSON"), "{refused:?}");
        // Several problems are all reported.
        let refused = errors(
            PolicyKind::Identity,
            json!({"Version": "1", "Statement": [{"Effect": "Allow"}, {"Effect": "Deny", "Action": "x"}]}),
        );
        assert!(refused.len() >= 4, "{refused:?}");
    }

    #[test]
    fn principals_are_read_as_people_write_them() {
        assert_eq!(Principal::parse("lambda.amazonaws.com"), Ok(Principal::Service("lambda.amazonaws.com".into())));
        assert_eq!(Principal::parse("210987654321"), Ok(Principal::Aws("arn:aws:iam::210987654321:root".into())));
        assert_eq!(Principal::parse("*"), Ok(Principal::Anonymous));
        assert_eq!(Principal::parse("arn:aws:iam::1:role/r").unwrap().account(), Some("1"));
        assert!(Principal::parse("12345").is_err());
        assert!(Principal::parse("lambda").is_err());
    }

    #[test]
    fn dates_are_read_in_utc() {
        assert_eq!(parse_date("1970-01-01"), Some(0.0));
        assert_eq!(parse_date("2024-06-01T00:00:00Z"), Some(1_717_200_000.0));
        assert_eq!(parse_date("2024-06-01T02:00:00+02:00"), Some(1_717_200_000.0));
        assert_eq!(parse_date("1717200000"), Some(1_717_200_000.0));
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }
}
