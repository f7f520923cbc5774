//! Reading a policy document as IAM reads it when the policy is saved: every
//! problem is found (not only the first, as IAM names), each with where it
//! is (a JSON pointer), what to change, and IAM's own refusal
//! ([`Refusal`]); they are sorted so that the first is the one IAM names.
//! A document with no problem becomes a [`Policy`].

use crate::refusal::{self, Refusal};
use crate::{
    Condition, Effect, OLD_VERSION, OPERATORS, Patterns, Policy, PolicyError, PolicyKind, PrincipalElement,
    PrincipalEntry, STATEMENT_ELEMENTS, SetOperator, Statement, Test, VERSION, aws_principal, json_kind, pointer_to,
    suggestion,
};
use serde_json::Value;
use std::collections::BTreeSet;

/// The elements of a policy document.
const TOP_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];

pub(crate) struct Parser {
    pub(crate) kind: PolicyKind,
    pub(crate) errors: Vec<PolicyError>,
}

impl Parser {
    /// Record a problem: where, IAM's refusal, and what to change.
    fn refuse(&mut self, pointer: &str, refusal: Refusal, explanation: impl Into<String>) {
        let explanation = explanation.into();
        let message = format!("{explanation}. IAM refuses it: \"{}\"", refusal.message());
        self.errors.push(PolicyError { pointer: pointer.to_string(), message, refusal });
    }

    /// The problems found, the one IAM names first.
    pub(crate) fn sorted_errors(mut self) -> Vec<PolicyError> {
        self.errors.sort_by_key(|e| e.refusal.rank());
        self.errors
    }

    pub(crate) fn policy(&mut self, document: &Value) -> Option<Policy> {
        let Some(top) = document.as_object() else {
            self.refuse(
                "",
                Refusal::Syntax,
                format!("a policy is a JSON object with Version and Statement, not {}", json_kind(document)),
            );
            return None;
        };
        for key in top.keys() {
            if !TOP_ELEMENTS.contains(&key.as_str()) {
                let advice = suggestion(key, TOP_ELEMENTS);
                self.refuse(
                    &pointer_to("", key),
                    Refusal::Syntax,
                    format!("a policy has only Version, Id and Statement, not {key:?}{advice}"),
                );
            }
        }
        let version = self.version(top.get("Version"));
        let id = match top.get("Id") {
            None => None,
            Some(Value::String(id)) => Some(id.clone()),
            Some(other) => {
                self.refuse("/Id", Refusal::Syntax, format!("Id must be a string, not {}", json_kind(other)));
                None
            }
        };
        let mut statements = Vec::new();
        match top.get("Statement") {
            None => self.refuse(
                "",
                Refusal::Syntax,
                "the policy has no Statement: it needs one statement (an object) or a list of them",
            ),
            Some(Value::Object(_)) => statements.extend(self.statement(&top["Statement"], 0, "/Statement")),
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    self.refuse(
                        "/Statement",
                        Refusal::Syntax,
                        "the Statement list is empty: a policy needs at least one statement",
                    );
                }
                for (index, item) in items.iter().enumerate() {
                    statements.extend(self.statement(item, index, &format!("/Statement/{index}")));
                }
            }
            Some(other) => self.refuse(
                "/Statement",
                Refusal::Syntax,
                format!("Statement must be an object, or a list of objects, not {}", json_kind(other)),
            ),
        }
        // An empty Sid is no Sid: IAM takes several.
        let mut seen = BTreeSet::new();
        let sids = top.get("Statement").and_then(Value::as_array).map(|items| {
            items.iter().enumerate().filter_map(|(i, s)| Some((i, s.get("Sid")?.as_str()?))).collect::<Vec<_>>()
        });
        for (index, sid) in sids.unwrap_or_default() {
            if !sid.is_empty() && !seen.insert(sid) {
                self.refuse(
                    &format!("/Statement/{index}/Sid"),
                    Refusal::SidNotUnique,
                    format!("the Sid {sid:?} is used twice: give each statement a Sid of its own, or none"),
                );
            }
        }
        Some(Policy { kind: self.kind, version, id, statements })
    }

    /// The language version in force. A managed policy must say 2012-10-17;
    /// an inline policy, a trust policy or another resource-based policy
    /// may leave it out, and is then read as 2008-10-17.
    fn version(&mut self, value: Option<&Value>) -> String {
        let version = match value {
            None => OLD_VERSION.to_string(),
            Some(Value::String(v)) if v == VERSION || v == OLD_VERSION => v.clone(),
            Some(Value::String(v)) => {
                self.refuse(
                    "/Version",
                    Refusal::Syntax,
                    format!(
                        "Version must be \"{VERSION}\", not {v:?}: it names the policy language's version, it is not a date of your choosing"
                    ),
                );
                return v.clone();
            }
            Some(other) => {
                self.refuse(
                    "/Version",
                    Refusal::Syntax,
                    format!("Version must be the string \"{VERSION}\", not {}", json_kind(other)),
                );
                return String::new();
            }
        };
        if self.kind == PolicyKind::Managed && version != VERSION {
            let (at, what) = match value {
                None => ("", "the policy has no Version".to_string()),
                Some(_) => ("/Version", format!("Version is the older \"{OLD_VERSION}\"")),
            };
            self.refuse(
                at,
                Refusal::Version,
                format!(
                    "{what}: a managed permissions policy (one created with aws iam create-policy, then attached to the role) must start with \"Version\": \"{VERSION}\""
                ),
            );
        }
        version
    }

    fn statement(&mut self, value: &Value, index: usize, at: &str) -> Option<Statement> {
        let Some(fields) = value.as_object() else {
            self.refuse(at, Refusal::Syntax, format!("a statement is a JSON object, not {}", json_kind(value)));
            return None;
        };
        let before = self.errors.len();
        for key in fields.keys() {
            if !STATEMENT_ELEMENTS.contains(&key.as_str()) {
                let advice = suggestion(key, STATEMENT_ELEMENTS);
                self.refuse(
                    &pointer_to(at, key),
                    Refusal::Syntax,
                    format!("a statement has no element {key:?}{advice}"),
                );
            }
        }
        let sid = self.sid(fields.get("Sid"), at);
        let effect = self.effect(fields.get("Effect"), at);
        let action = self.actions(fields, at);
        let resource = self.resources(fields, at);
        let principal = match self.kind {
            PolicyKind::Identity | PolicyKind::Managed => {
                for key in ["Principal", "NotPrincipal"] {
                    if fields.contains_key(key) {
                        self.refuse(
                            &pointer_to(at, key),
                            Refusal::PrincipalInIdentity,
                            format!(
                                "a permissions policy has no {key}: it applies to the role it is attached to (who may assume the role belongs in the trust policy)"
                            ),
                        );
                    }
                }
                None
            }
            PolicyKind::Trust | PolicyKind::Resource => self.principal(fields, at),
        };
        let conditions = match fields.get("Condition") {
            None => Vec::new(),
            Some(block) => self.conditions(block, &format!("{at}/Condition")),
        };
        if self.errors.len() > before {
            return None;
        }
        Some(Statement {
            index,
            pointer: at.to_string(),
            sid,
            effect: effect?,
            principal,
            action: action?,
            resource,
            conditions,
            source: value.clone(),
        })
    }

    fn sid(&mut self, value: Option<&Value>, at: &str) -> Option<String> {
        match value {
            None => None,
            Some(Value::String(sid)) => {
                // Lambda's function policies take other Sids (add-permission's
                // statement ids hold `-` and `_`); IAM's policies do not.
                if self.kind != PolicyKind::Resource && !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                    let plain: String = sid.chars().filter(char::is_ascii_alphanumeric).collect();
                    self.refuse(
                        &format!("{at}/Sid"),
                        Refusal::SidCharacters,
                        format!("the Sid {sid:?} may hold only letters and digits (A-Z, a-z, 0-9), like {plain:?}"),
                    );
                }
                Some(sid.clone())
            }
            Some(other) => {
                self.refuse(
                    &format!("{at}/Sid"),
                    Refusal::Syntax,
                    format!("Sid must be a string, not {}", json_kind(other)),
                );
                None
            }
        }
    }

    fn effect(&mut self, value: Option<&Value>, at: &str) -> Option<Effect> {
        let pointer = format!("{at}/Effect");
        match value {
            Some(Value::String(e)) if e == "Allow" => Some(Effect::Allow),
            Some(Value::String(e)) if e == "Deny" => Some(Effect::Deny),
            Some(Value::String(e)) if e.eq_ignore_ascii_case("allow") || e.eq_ignore_ascii_case("deny") => {
                // The current parser takes any case; the older one, which
                // every policy must also pass, does not.
                let right = if e.eq_ignore_ascii_case("allow") { "Allow" } else { "Deny" };
                self.refuse(
                    &pointer,
                    Refusal::LegacyParsing,
                    format!("Effect is spelled {e:?}: write exactly \"{right}\", capital first letter and the rest lower case"),
                );
                None
            }
            Some(Value::String(e)) => {
                self.refuse(&pointer, Refusal::Syntax, format!("Effect must be \"Allow\" or \"Deny\", not {e:?}"));
                None
            }
            Some(other) => {
                self.refuse(
                    &pointer,
                    Refusal::Syntax,
                    format!("Effect must be the string \"Allow\" or \"Deny\", not {}", json_kind(other)),
                );
                None
            }
            None => {
                self.refuse(
                    at,
                    Refusal::Syntax,
                    "the statement has no Effect: say \"Effect\": \"Allow\" or \"Effect\": \"Deny\"",
                );
                None
            }
        }
    }

    fn actions(&mut self, fields: &serde_json::Map<String, Value>, at: &str) -> Option<Patterns> {
        let (negated, values, key) = self.pair(fields, at, "Action", "NotAction")?;
        if values.is_empty() {
            self.refuse(
                at,
                Refusal::NoActions,
                format!(
                    "the statement has no {} (or NotAction): say which actions it covers, like \"Action\": \"s3:GetObject\"",
                    if fields.contains_key(key) { "action in its list" } else { "Action" }
                ),
            );
            return None;
        }
        for (i, action) in values.iter().enumerate() {
            let here = item_pointer(fields, at, key, i);
            if let Some(refusal) = refusal::action_problem(action) {
                self.refuse(
                    &here,
                    refusal,
                    format!(
                        "{action:?} is not an action: an action is service:Operation, like \"s3:GetObject\" (or \"*\")"
                    ),
                );
            } else if self.kind == PolicyKind::Trust && (negated || !refusal::trust_action(action)) {
                let what = if negated {
                    "a trust policy cannot use NotAction".to_string()
                } else {
                    format!("{action:?} is not an action a trust policy grants")
                };
                self.refuse(
                    &here,
                    Refusal::TrustActions,
                    format!(
                        "{what}: a trust policy says who may become the role, so its action is \"sts:AssumeRole\" (for a service such as Lambda); what the role may then do goes in its permissions policy, and who may call the function in the function's resource-based policy"
                    ),
                );
            }
        }
        Some(Patterns { negated, values })
    }

    fn resources(&mut self, fields: &serde_json::Map<String, Value>, at: &str) -> Option<Patterns> {
        if self.kind == PolicyKind::Trust {
            for key in ["Resource", "NotResource"] {
                if fields.contains_key(key) {
                    self.refuse(
                        &pointer_to(at, key),
                        Refusal::TrustResource,
                        format!(
                            "a trust policy has no {key}: the role it belongs to is its only resource; delete the line"
                        ),
                    );
                }
            }
            return None;
        }
        let (negated, values, key) = self.pair(fields, at, "Resource", "NotResource")?;
        if !fields.contains_key(key) {
            self.refuse(
                at,
                Refusal::NoResources,
                format!(
                    "the statement has no Resource (or NotResource): {} says which resources it covers, like \"Resource\": \"arn:aws:s3:::my-bucket/*\"",
                    self.kind.name()
                ),
            );
            return None;
        }
        if values.is_empty() {
            self.refuse(
                &format!("{at}/{key}"),
                Refusal::NoResources,
                format!("{key} is an empty list: give at least one ARN, like \"arn:aws:s3:::my-bucket/*\""),
            );
            return None;
        }
        for (i, resource) in values.iter().enumerate() {
            let here = item_pointer(fields, at, key, i);
            if let Some(refusal) = refusal::resource_problem(resource) {
                let advice = arn_advice(resource, &refusal);
                self.refuse(&here, refusal, advice);
            } else if !refusal::legacy_resource(resource) {
                let fields = resource.split(':').count();
                self.refuse(
                    &here,
                    Refusal::LegacyParsing,
                    format!(
                        "{resource:?} has {fields} of an ARN's six fields (arn:partition:service:region:account:resource); an empty field still has its colon: an S3 object is \"arn:aws:s3:::bucket/key\", three colons after s3 (no Region, no account)"
                    ),
                );
            }
        }
        // A null in a list is skipped, as IAM skips it.
        Some(Patterns { negated, values })
    }

    /// One of `positive` and `negative` (Action/NotAction...): a string or
    /// a list of strings (in a list, nulls are skipped). `None` when both or
    /// neither are there, or the value has the wrong type (a syntax error).
    fn pair(
        &mut self,
        fields: &serde_json::Map<String, Value>,
        at: &str,
        positive: &'static str,
        negative: &'static str,
    ) -> Option<(bool, Vec<String>, &'static str)> {
        let (negated, key) = match (fields.contains_key(positive), fields.contains_key(negative)) {
            (true, true) => {
                self.refuse(at, Refusal::Syntax, format!("a statement has {positive} or {negative}, never both"));
                return None;
            }
            (true, false) => (false, positive),
            (false, true) => (true, negative),
            (false, false) => return Some((false, Vec::new(), positive)),
        };
        let pointer = format!("{at}/{key}");
        let values = self.strings(&fields[key], &pointer, key, true)?;
        Some((negated, values, key))
    }

    /// A string or a list of strings (nulls skipped when `nulls`).
    fn strings(&mut self, value: &Value, pointer: &str, what: &str, nulls: bool) -> Option<Vec<String>> {
        match value {
            Value::String(s) => Some(vec![s.clone()]),
            Value::Array(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        Value::Null if nulls => {}
                        other => {
                            ok = false;
                            self.refuse(
                                &format!("{pointer}/{i}"),
                                Refusal::Syntax,
                                format!("each value of {what} is a string, not {}", json_kind(other)),
                            );
                        }
                    }
                }
                ok.then_some(out)
            }
            other => {
                self.refuse(
                    pointer,
                    Refusal::Syntax,
                    format!("{what} is a string or a list of strings, not {}", json_kind(other)),
                );
                None
            }
        }
    }

    fn principal(&mut self, fields: &serde_json::Map<String, Value>, at: &str) -> Option<PrincipalElement> {
        let (negated, key) = match (fields.contains_key("Principal"), fields.contains_key("NotPrincipal")) {
            (true, true) => {
                self.refuse(at, Refusal::Syntax, "a statement has Principal or NotPrincipal, never both");
                return None;
            }
            (true, false) => (false, "Principal"),
            (false, true) => (true, "NotPrincipal"),
            (false, false) => {
                let example = match self.kind {
                    PolicyKind::Trust => {
                        "who may assume the role, like \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}"
                    }
                    _ => "who it applies to, like \"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}",
                };
                self.refuse(
                    at,
                    Refusal::NoPrincipal,
                    format!("the statement has no Principal: {} needs to say {example}", self.kind.name()),
                );
                return None;
            }
        };
        let pointer = format!("{at}/{key}");
        match &fields[key] {
            Value::String(s) if s == "*" => Some(PrincipalElement { negated, entries: vec![PrincipalEntry::Everyone] }),
            Value::String(s) => {
                let advice = if s.ends_with(".amazonaws.com") {
                    format!("name a service as {{\"Service\": {s:?}}}")
                } else {
                    format!("name an account or role as {{\"AWS\": {s:?}}}")
                };
                self.refuse(
                    &pointer,
                    Refusal::InvalidPrincipal(format!("{s:?}")),
                    format!("{key} is \"*\" or an object like {{\"Service\": ...}} or {{\"AWS\": ...}}, not the bare string {s:?}: {advice}"),
                );
                None
            }
            Value::Object(map) => {
                let mut entries = Vec::new();
                if map.is_empty() {
                    self.refuse(
                        &pointer,
                        Refusal::Syntax,
                        format!("{key} names nobody: give {{\"Service\": ...}} or {{\"AWS\": ...}}"),
                    );
                }
                for (kind, value) in map {
                    let here = pointer_to(&pointer, kind);
                    let Some(names) = self.strings(value, &here, kind, false) else { continue };
                    for (i, name) in names.iter().enumerate() {
                        let at_name = if value.is_array() { format!("{here}/{i}") } else { here.clone() };
                        let invalid = Refusal::InvalidPrincipal(format!("{kind:?}:{name:?}"));
                        if name.contains('*') && name != "*" || name.contains('?') {
                            self.refuse(&at_name, invalid, format!("{name:?}: a wildcard cannot match part of a principal; name it in full, or use \"*\" alone"));
                            continue;
                        }
                        let entry = match (kind.as_str(), name.as_str()) {
                            ("AWS", "*") => PrincipalEntry::Everyone,
                            (_, "*") => {
                                self.refuse(&at_name, invalid, format!("\"*\" under {kind:?}: to mean everyone, write \"Principal\": \"*\" (and think twice)"));
                                continue;
                            }
                            ("AWS", _) => match aws_principal(name) {
                                Some(arn) => PrincipalEntry::Aws(arn),
                                None => {
                                    self.refuse(&at_name, invalid, format!("{name:?} is not an AWS principal: give a 12-digit account id, or an ARN like \"arn:aws:iam::123456789012:role/name\""));
                                    continue;
                                }
                            },
                            ("Service", _) => {
                                if name.contains(':') || !name.contains('.') {
                                    self.refuse(&at_name, invalid, format!("{name:?} is not a service principal: those look like \"lambda.amazonaws.com\""));
                                    continue;
                                }
                                PrincipalEntry::Service(name.clone())
                            }
                            ("Federated", _) => PrincipalEntry::Federated(name.clone()),
                            ("CanonicalUser", _) => PrincipalEntry::CanonicalUser(name.clone()),
                            _ => {
                                let advice = suggestion(kind, &["AWS", "Service", "Federated", "CanonicalUser"]);
                                self.refuse(&here, Refusal::InvalidPrincipal(format!("{kind:?}")), format!("{kind:?} is not a kind of principal: use \"AWS\", \"Service\", \"Federated\" or \"CanonicalUser\"{advice}"));
                                break;
                            }
                        };
                        entries.push(entry);
                    }
                }
                Some(PrincipalElement { negated, entries })
            }
            other => {
                self.refuse(
                    &pointer,
                    Refusal::Syntax,
                    format!("{key} is \"*\" or an object like {{\"Service\": ...}}, not {}", json_kind(other)),
                );
                None
            }
        }
    }

    fn conditions(&mut self, block: &Value, at: &str) -> Vec<Condition> {
        let Some(operators) = block.as_object() else {
            self.refuse(at, Refusal::Syntax, format!("Condition is an object of operators, like {{\"Bool\": {{\"aws:SecureTransport\": \"true\"}}}}, not {}", json_kind(block)));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (operator, keys) in operators {
            let here = pointer_to(at, operator);
            let Some(keys) = keys.as_object() else {
                self.refuse(&here, Refusal::Syntax, format!("under {operator} comes an object of condition keys and values, like {{\"aws:SourceAccount\": \"123456789012\"}}, not {}", json_kind(keys)));
                continue;
            };
            let Some((test, negated, if_exists, set)) = parse_operator(operator) else {
                // IAM takes an operator it does not know when nothing is
                // under it (the condition is then left out).
                if !keys.is_empty() {
                    let names: Vec<&str> = OPERATORS.iter().map(|(name, _, _)| *name).collect();
                    let bare = operator.rsplit(':').next().unwrap_or(operator);
                    let advice = suggestion(bare.trim_end_matches("IfExists"), &names);
                    self.refuse(&here, Refusal::Syntax, format!("{operator:?} is not a condition operator{advice}"));
                }
                continue;
            };
            for (key, value) in keys {
                let pointer = pointer_to(&here, key);
                let Some(values) = self.condition_values(value, &pointer) else { continue };
                let mut ok = true;
                if matches!(test, Test::Date(_)) {
                    for (i, v) in values.iter().enumerate() {
                        if !refusal::legacy_date(v) {
                            let at_value = if value.is_array() { format!("{pointer}/{i}") } else { pointer.clone() };
                            self.refuse(&at_value, Refusal::LegacyParsing, format!("{v:?} under {operator} is not a date: write one like \"2024-05-01T12:00:00Z\", or epoch seconds"));
                            ok = false;
                        }
                    }
                }
                if ok {
                    out.push(Condition {
                        operator: operator.clone(),
                        key: key.clone(),
                        values,
                        pointer,
                        test,
                        negated,
                        if_exists,
                        set,
                    });
                }
            }
        }
        out
    }

    /// A condition's values: strings, numbers or booleans, or a (possibly
    /// empty) list of them.
    fn condition_values(&mut self, value: &Value, pointer: &str) -> Option<Vec<String>> {
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match value {
            Value::Array(items) => {
                let values: Vec<Option<String>> = items.iter().map(scalar).collect();
                for (i, (item, v)) in items.iter().zip(&values).enumerate() {
                    if v.is_none() {
                        self.refuse(
                            &format!("{pointer}/{i}"),
                            Refusal::Syntax,
                            format!("a condition value is a string, number or boolean, not {}", json_kind(item)),
                        );
                    }
                }
                values.into_iter().collect()
            }
            other => match scalar(other) {
                Some(v) => Some(vec![v]),
                None => {
                    self.refuse(
                        pointer,
                        Refusal::Syntax,
                        format!(
                            "a condition value is a string, number or boolean (or a list of them), not {}",
                            json_kind(other)
                        ),
                    );
                    None
                }
            },
        }
    }
}

/// The pointer to value `i` of `key`: `/Statement/0/Resource/1`, or
/// `/Statement/0/Resource` when the value is a single string.
fn item_pointer(fields: &serde_json::Map<String, Value>, at: &str, key: &str, i: usize) -> String {
    if fields[key].is_array() { format!("{at}/{key}/{i}") } else { format!("{at}/{key}") }
}

/// What to change in a resource IAM cannot read, for each refusal.
fn arn_advice(resource: &str, refusal: &Refusal) -> String {
    match refusal {
        Refusal::ResourceNotArn(_) => {
            format!("{resource:?} is not a resource: a resource is an ARN, like \"arn:aws:s3:::my-bucket/*\", or \"*\"")
        }
        Refusal::Partition { partition, .. } => format!(
            "{resource:?} names the partition {partition:?}: an ARN starts \"arn:aws:\" (or another partition: {})",
            refusal::PARTITIONS.join(", ")
        ),
        Refusal::ResourceVendor => format!(
            "{resource:?} stops after the partition: an ARN goes on with the service, like \"arn:aws:s3:::my-bucket\""
        ),
        Refusal::IamRegion(_) => format!(
            "{resource:?} has a Region, and IAM is global: an IAM ARN is \"arn:aws:iam::ACCOUNT:role/NAME\", with nothing between the two colons"
        ),
        Refusal::S3Region(_) => format!(
            "{resource:?} has a Region (and an account): a bucket's ARN has neither, as bucket names are global: \"arn:aws:s3:::BUCKET/KEY\", three colons after s3"
        ),
        Refusal::IamPath => format!(
            "{resource:?} has no type before its name: an IAM ARN names what it is, like \"arn:aws:iam::123456789012:role/photo-reader\""
        ),
        _ => format!("{resource:?} is not an ARN IAM reads"),
    }
}

/// `ForAnyValue:StringLikeIfExists` → (test, negated, if_exists, set):
/// one set qualifier stripped, then one `IfExists`, as IAM reads them.
pub(crate) fn parse_operator(operator: &str) -> Option<(Test, bool, bool, Option<SetOperator>)> {
    let (set, rest) = if let Some(rest) = operator.strip_prefix("ForAnyValue:") {
        (Some(SetOperator::ForAnyValue), rest)
    } else if let Some(rest) = operator.strip_prefix("ForAllValues:") {
        (Some(SetOperator::ForAllValues), rest)
    } else {
        (None, operator)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let &(_, test, negated) = OPERATORS.iter().find(|(name, _, _)| *name == base)?;
    Some((test, negated, if_exists, set))
}
