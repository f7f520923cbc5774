//! Checks for policy exercises: the learner writes an execution role's trust
//! policy and its permissions policy, and the function's own resource-based
//! policy, as JSON files, and each check puts one question to the IAM
//! evaluator ([`crate`]): may Lambda assume the role? may the role do
//! s3:GetObject on this object? may S3 invoke the function for an upload to
//! this bucket? A failed check says what was asked, what was expected, what
//! the evaluator decided and which statement decided it (or, when nothing
//! allowed it, why each statement did not apply), then the exercise's hint.
//!
//! The files come from the manifest's `files`: the one whose name contains
//! "trust" is the role's trust policy; the one whose name contains "invoke"
//! is the function's resource-based policy (who may invoke it, what
//! `aws lambda add-permission` writes); every other `.json` file is a
//! permissions policy embedded in the role (an inline policy, as the
//! chapter's `aws iam put-role-policy` puts it; IAM would take it without a
//! Version, and read it as 2008-10-17). A file that is missing or is
//! not JSON fails the checks that need it as a "load-error"; a JSON document
//! IAM would refuse to save fails them as an "assertion" (writing a policy IAM
//! takes is part of the task), with every problem, where it is, and IAM's own
//! refusal.

use crate::{Decision, Effect, Policy, PolicyError, PolicyKind, Principal, PrincipalEntry, Request, Verdict, evaluate};
use harness::check::pretty;
use harness::check::report::{Failure, Kind};
use harness::exercise::Exercise;

/// The AWS account the exercises' roles and resources belong to.
pub const ACCOUNT: &str = "123456789012";
/// The Region the exercises' functions live in.
pub const REGION: &str = "us-east-1";

/// A policy exercise: the role's trust policy and permissions policies, and
/// the function's resource-based policy, as the learner wrote them.
pub struct Policies {
    exercise: Exercise,
    trust: Option<Loaded>,
    permissions: Vec<Loaded>,
    function_policy: Option<Loaded>,
    role: String,
    function: String,
}

struct Loaded {
    file: String,
    policy: Result<Policy, Problem>,
}

enum Problem {
    /// The file could not be read.
    Missing(String),
    /// The file is not JSON.
    NotJson(Vec<PolicyError>),
    /// IAM would refuse it.
    Invalid(Vec<PolicyError>),
}

/// What a failure report says, before it becomes a [`Failure`]: kept as
/// data so that the module's own tests can read it.
#[derive(Debug, Default)]
struct Report {
    parts: Vec<Part>,
}

#[derive(Debug)]
enum Part {
    Line(String),
    Block(String, String),
    List(String, Vec<String>),
}

impl Report {
    fn line(mut self, text: impl Into<String>) -> Self {
        self.parts.push(Part::Line(text.into()));
        self
    }

    fn block(mut self, title: impl Into<String>, body: impl Into<String>) -> Self {
        self.parts.push(Part::Block(title.into(), body.into()));
        self
    }

    fn list(mut self, title: impl Into<String>, items: Vec<String>) -> Self {
        self.parts.push(Part::List(title.into(), items));
        self
    }

    fn onto(self, mut failure: Failure) -> Failure {
        for part in self.parts {
            failure = match part {
                Part::Line(text) => failure.line(text),
                Part::Block(title, body) => failure.block(&title, &body),
                Part::List(title, items) => failure.list(&title, items.into_iter()),
            };
        }
        failure
    }

    #[cfg(test)]
    fn text(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Line(text) => out.push_str(&format!("{text}\n")),
                Part::Block(title, body) => out.push_str(&format!("{title}\n{body}\n")),
                Part::List(title, items) => {
                    out.push_str(&format!("{title}\n"));
                    for item in items {
                        out.push_str(&format!("- {item}\n"));
                    }
                }
            }
        }
        out
    }
}

impl Policies {
    /// The exercise whose tests are running, with its policy files read from
    /// the learner's folder.
    pub fn exercise() -> Policies {
        Policies::load(harness::check::find_exercise())
    }

    /// The policies of `exercise`, read from its task root.
    pub fn load(exercise: Exercise) -> Policies {
        let root = exercise.task_root();
        let read = |file: &str, kind: PolicyKind| {
            let path = root.join(file);
            let policy = match std::fs::read_to_string(&path) {
                Ok(text) => match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(document) => Policy::from_value(kind, &document).map_err(Problem::Invalid),
                    Err(_) => Policy::from_text(kind, &text).map_err(Problem::NotJson),
                },
                Err(error) => {
                    Err(Problem::Missing(format!("Could not read {}: {error}", harness::check::display_path(&path))))
                }
            };
            Loaded { file: file.to_string(), policy }
        };
        let mut trust = None;
        let mut permissions = Vec::new();
        let mut function_policy = None;
        for file in &exercise.files {
            if file.contains("trust") {
                trust = Some(read(file, PolicyKind::Trust));
            } else if file.contains("invoke") {
                // Both a Principal (who may call) and a Resource (the function).
                function_policy = Some(read(file, PolicyKind::Resource));
            } else if file.ends_with(".json") {
                permissions.push(read(file, PolicyKind::Identity));
            }
        }
        Policies {
            role: "exercise-role".to_string(),
            function: "exercise-function".to_string(),
            exercise,
            trust,
            permissions,
            function_policy,
        }
    }

    /// Name the role (its ARN is `arn:aws:iam::123456789012:role/NAME`).
    pub fn role(mut self, name: &str) -> Policies {
        self.role = name.to_string();
        self
    }

    /// The role's ARN.
    pub fn role_arn(&self) -> String {
        format!("arn:aws:iam::{ACCOUNT}:role/{}", self.role)
    }

    /// Name the function (its ARN is
    /// `arn:aws:lambda:us-east-1:123456789012:function:NAME`).
    pub fn function(mut self, name: &str) -> Policies {
        self.function = name.to_string();
        self
    }

    /// The function's ARN, unqualified (no version or alias).
    pub fn function_arn(&self) -> String {
        format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{}", self.function)
    }

    /// `principal` (a service like `lambda.amazonaws.com`, an account id, an
    /// ARN, or `*` for anyone) may assume the role: its trust policy allows
    /// sts:AssumeRole.
    pub fn expect_may_assume(&self, check: &str, principal: &str) -> &Self {
        self.expect_assume(check, principal, true)
    }

    /// `principal` may not assume the role.
    pub fn expect_may_not_assume(&self, check: &str, principal: &str) -> &Self {
        self.expect_assume(check, principal, false)
    }

    /// The role may do `action` on `resource`.
    pub fn expect_allowed(&self, check: &str, action: &str, resource: &str) -> &Self {
        self.expect_permission(check, self.request(action, resource, &[]), true)
    }

    /// The role may not do `action` on `resource`.
    pub fn expect_denied(&self, check: &str, action: &str, resource: &str) -> &Self {
        self.expect_permission(check, self.request(action, resource, &[]), false)
    }

    /// The role may do `action` on `resource` in a request with these
    /// context keys (like `("aws:SecureTransport", "true")`).
    pub fn expect_allowed_with(&self, check: &str, action: &str, resource: &str, context: &[(&str, &str)]) -> &Self {
        self.expect_permission(check, self.request(action, resource, context), true)
    }

    /// The role may not do `action` on `resource` in a request with these
    /// context keys.
    pub fn expect_denied_with(&self, check: &str, action: &str, resource: &str, context: &[(&str, &str)]) -> &Self {
        self.expect_permission(check, self.request(action, resource, context), false)
    }

    /// `principal` may invoke the function (lambda:InvokeFunction on its
    /// ARN) in a request with these context keys. A service that invokes a
    /// function for one of its resources sends that resource's ARN and its
    /// owner's account: S3 for an upload to photo-uploads sends
    /// `("aws:SourceArn", "arn:aws:s3:::photo-uploads")` and
    /// `("aws:SourceAccount", "123456789012")`.
    pub fn expect_may_invoke(&self, check: &str, principal: &str, context: &[(&str, &str)]) -> &Self {
        self.expect_function(check, principal, "lambda:InvokeFunction", context, true)
    }

    /// `principal` may not invoke the function in a request with these
    /// context keys (none for a principal that calls Lambda directly).
    pub fn expect_may_not_invoke(&self, check: &str, principal: &str, context: &[(&str, &str)]) -> &Self {
        self.expect_function(check, principal, "lambda:InvokeFunction", context, false)
    }

    /// The function's policy does not let `principal` do `action` (another
    /// Lambda action, like lambda:UpdateFunctionCode) on the function.
    pub fn expect_function_denies(
        &self,
        check: &str,
        principal: &str,
        action: &str,
        context: &[(&str, &str)],
    ) -> &Self {
        self.expect_function(check, principal, action, context, false)
    }

    /// Every Allow statement of the function's policy names only principals
    /// among `principals` (as [`Principal::parse`] reads them): no `"*"`, no
    /// NotPrincipal, no service or account besides these. Conditions can
    /// narrow a `"*"` to one caller, but then they are all that stands
    /// between the function and everyone; naming the caller is the fence
    /// that does not depend on getting every condition right.
    pub fn expect_only_principals(&self, check: &str, principals: &[&str]) -> &Self {
        let expected: Vec<Principal> = principals.iter().map(|p| self.principal(check, p)).collect();
        let (file, policy) = self.function_policy(check);
        if let Some(report) = extra_principals(policy, file, &expected) {
            report.onto(self.failure(Kind::Assertion, check, file)).hint().fail();
        }
        self
    }

    /// What the function's resource-based policy decides for `request`.
    pub fn function_decision(&self, check: &str, request: &Request) -> Decision {
        let (file, policy) = self.function_policy(check);
        evaluate(&[(file, policy)], request)
    }

    /// A request by `principal` to do `action` on the function, with these
    /// context keys, for [`Policies::function_decision`].
    pub fn function_request(&self, principal: Principal, action: &str, context: &[(&str, &str)]) -> Request {
        let mut request = Request::new(principal, action, &self.function_arn());
        for (key, value) in context {
            request = request.with(key, value);
        }
        request
    }

    /// What the trust policy decides for `principal` asking sts:AssumeRole
    /// (failing the check `check` if the trust policy cannot be read).
    pub fn assume_decision(&self, check: &str, principal: &str) -> Decision {
        let principal = self.principal(check, principal);
        let request = Request::new(principal, "sts:AssumeRole", &self.role_arn());
        let trust = self.trust_policy(check);
        evaluate(&[(trust.0, trust.1)], &request)
    }

    /// What the permissions policies decide for `request`.
    pub fn permissions_decision(&self, check: &str, request: &Request) -> Decision {
        let policies = self.permission_policies(check);
        evaluate(&policies, request)
    }

    /// A request by the role, for [`Policies::permissions_decision`].
    pub fn request(&self, action: &str, resource: &str, context: &[(&str, &str)]) -> Request {
        let mut request = Request::new(Principal::Aws(self.role_arn()), action, resource);
        for (key, value) in context {
            request = request.with(key, value);
        }
        request
    }

    fn expect_assume(&self, check: &str, principal: &str, expected: bool) -> &Self {
        let decision = self.assume_decision(check, principal);
        if decision.allowed() != expected {
            let who = self.principal(check, principal).describe();
            let file = self.trust.as_ref().map(|t| t.file.clone()).unwrap_or_default();
            let question = format!("may {who} assume the role (sts:AssumeRole on {})?", self.role_arn());
            let report = explain(&question, expected, &decision, &[file.as_str()]);
            report.onto(self.failure(Kind::Assertion, check, &file)).hint().fail();
        }
        self
    }

    fn expect_function(
        &self,
        check: &str,
        principal: &str,
        action: &str,
        context: &[(&str, &str)],
        expected: bool,
    ) -> &Self {
        let principal = self.principal(check, principal);
        let who = principal.describe();
        let request = self.function_request(principal, action, context);
        let decision = self.function_decision(check, &request);
        if decision.allowed() != expected {
            let file = self.function_policy.as_ref().map(|f| f.file.clone()).unwrap_or_default();
            let question =
                format!("may {who} do {action} on the function {}{}?", self.function_arn(), in_context(&request));
            let report = explain(&question, expected, &decision, &[file.as_str()]);
            report.onto(self.failure(Kind::Assertion, check, &file)).hint().fail();
        }
        self
    }

    fn expect_permission(&self, check: &str, request: Request, expected: bool) -> &Self {
        let decision = self.permissions_decision(check, &request);
        if decision.allowed() != expected {
            let resource = match request.resource.as_str() {
                "*" => "\"*\" (every resource)".to_string(),
                other => other.to_string(),
            };
            let question = format!("may the role do {} on {resource}{}?", request.action, in_context(&request));
            let files: Vec<&str> = self.permissions.iter().map(|p| p.file.as_str()).collect();
            let shown = decision
                .decided_by()
                .map(|d| d.policy.clone())
                .or_else(|| files.first().map(|f| f.to_string()))
                .unwrap_or_default();
            let report = explain(&question, expected, &decision, &files);
            report.onto(self.failure(Kind::Assertion, check, &shown)).hint().fail();
        }
        self
    }

    fn principal(&self, check: &str, text: &str) -> Principal {
        Principal::parse(text).unwrap_or_else(|message| {
            Failure::new(Kind::Setup, check, Some(&self.exercise))
                .line(format!("The test asks about a principal it cannot read: {message}"))
                .fail()
        })
    }

    fn trust_policy(&self, check: &str) -> (&str, &Policy) {
        let Some(trust) = &self.trust else {
            Failure::new(Kind::Setup, check, Some(&self.exercise))
                .line("The exercise lists no trust policy file: one of exercise.toml's `files` should have \"trust\" in its name.")
                .fail()
        };
        (trust.file.as_str(), self.valid(trust, PolicyKind::Trust))
    }

    fn function_policy(&self, check: &str) -> (&str, &Policy) {
        let Some(function) = &self.function_policy else {
            Failure::new(Kind::Setup, check, Some(&self.exercise))
                .line("The exercise lists no resource-based policy for the function: one of exercise.toml's `files` should have \"invoke\" in its name.")
                .fail()
        };
        (function.file.as_str(), self.valid(function, PolicyKind::Resource))
    }

    fn permission_policies(&self, check: &str) -> Vec<(&str, &Policy)> {
        if self.permissions.is_empty() {
            Failure::new(Kind::Setup, check, Some(&self.exercise))
                .line("The exercise lists no permissions policy file among exercise.toml's `files`.")
                .fail();
        }
        self.permissions.iter().map(|p| (p.file.as_str(), self.valid(p, PolicyKind::Identity))).collect()
    }

    /// The parsed policy, or a load-error failure saying what is wrong.
    fn valid<'a>(&self, loaded: &'a Loaded, kind: PolicyKind) -> &'a Policy {
        let path = self.exercise.task_root().join(&loaded.file);
        let shown = harness::check::display_path(&path);
        let what = match kind {
            PolicyKind::Trust => "trust policy",
            PolicyKind::Resource => "resource-based policy for the function",
            PolicyKind::Identity | PolicyKind::Managed => "permissions policy",
        };
        let check = format!("{} is a valid {what}", loaded.file);
        match &loaded.policy {
            Ok(policy) => policy,
            Err(Problem::Missing(message)) => self
                .failure(Kind::LoadError, &check, &loaded.file)
                .line(message)
                .line(format!("The checks read your {what} from this file. To start over, restore it with:"))
                .line(format!("    git checkout -- {shown}"))
                .with_hint(LOAD_HINT)
                .hint()
                .fail(),
            Err(Problem::NotJson(errors)) => self
                .failure(Kind::LoadError, &check, &loaded.file)
                .line(format!("{shown} is not JSON, so IAM would refuse it as a {what}:"))
                .list("Problems (each with where it is, as a JSON pointer):", errors.iter().map(|e| e.to_string()))
                .with_hint(LOAD_HINT)
                .hint()
                .fail(),
            Err(Problem::Invalid(errors)) => self
                .failure(Kind::Assertion, &check, &loaded.file)
                .line(format!("IAM would refuse to save {shown} as a {what}:"))
                .list("Problems (each with where it is, as a JSON pointer):", errors.iter().map(|e| e.to_string()))
                .with_hint(LOAD_HINT)
                .hint()
                .fail(),
        }
    }

    /// A failure naming `file` as the learner's file.
    fn failure(&self, kind: Kind, check: &str, file: &str) -> Failure {
        let mut exercise = self.exercise.clone();
        if !file.is_empty() {
            exercise.file = file.to_string();
        }
        Failure::new(kind, check, Some(&exercise))
    }
}

const LOAD_HINT: &str = "Fix the file before anything else: a policy is one JSON object with \"Version\": \"2012-10-17\" and a \"Statement\" list; each statement has an \"Effect\" (\"Allow\" or \"Deny\"), an \"Action\" and, in a permissions policy, a \"Resource\"; a trust policy names a \"Principal\" instead of a Resource; the function's resource-based policy names both, a Principal (who may call) and a Resource (the function's ARN).";

/// ", in a request with KEY = VALUE and ...", or nothing for a request
/// without context keys.
fn in_context(request: &Request) -> String {
    let context: Vec<String> = request.context().map(|(k, v)| format!("{k} = {}", v.join(", "))).collect();
    if context.is_empty() { String::new() } else { format!(", in a request with {}", context.join(" and ")) }
}

/// Does the Principal entry name exactly this principal (not "everyone",
/// and not an account that merely contains it)?
fn names_exactly(entry: &PrincipalEntry, principal: &Principal) -> bool {
    match (entry, principal) {
        (PrincipalEntry::Service(name), Principal::Service(wanted)) => name == wanted,
        (PrincipalEntry::Aws(arn), Principal::Aws(wanted)) => arn == wanted,
        (PrincipalEntry::Federated(name), Principal::Federated(wanted)) => name == wanted,
        (PrincipalEntry::Everyone, Principal::Anonymous) => true,
        _ => false,
    }
}

/// Why a `"*"` principal is too wide, for a statement without conditions.
const STAR_ALONE: &str = "Its Principal is \"*\": everyone in AWS, every account and every service, and no Condition narrows it. Name the one service that calls the function instead.";
/// Why a `"*"` principal is too wide even when conditions narrow it.
const STAR_WITH_CONDITIONS: &str = "Its Principal is \"*\": everyone in AWS, every account and every service. Its conditions are then the only fence around the function; name the one service that calls it instead, and keep the conditions as a second fence.";

/// The report for the first Allow statement of `policy` that names a
/// principal outside `expected`, if there is one.
fn extra_principals(policy: &Policy, file: &str, expected: &[Principal]) -> Option<Report> {
    let listed: Vec<String> = expected.iter().map(|p| p.describe()).collect();
    for statement in policy.statements.iter().filter(|s| s.effect == Effect::Allow) {
        let Some(element) = &statement.principal else { continue };
        let why = if element.negated {
            let named: Vec<String> = element.entries.iter().map(|e| e.to_string()).collect();
            Some(format!(
                "Its NotPrincipal allows everyone in AWS except {}: an Allow with NotPrincipal is an Allow for the whole world, minus a few.",
                named.join(" and ")
            ))
        } else {
            let extra = element.entries.iter().find(|e| !expected.iter().any(|p| names_exactly(e, p)));
            extra.map(|entry| match entry {
                PrincipalEntry::Everyone if statement.conditions.is_empty() => STAR_ALONE.to_string(),
                PrincipalEntry::Everyone => STAR_WITH_CONDITIONS.to_string(),
                other => format!("Its Principal names {other}, which has no reason to call this function."),
            })
        };
        if let Some(why) = why {
            return Some(
                Report::default()
                    .line(format!("Asked: whom does {file} allow to call the function?"))
                    .line(format!("Expected: only {}.", listed.join(" and ")))
                    .block(format!("But {} allows more:", statement.label(file)), pretty(&statement.source))
                    .line(why),
            );
        }
    }
    None
}

/// The report of a check whose answer was not the expected one.
fn explain(question: &str, expected: bool, decision: &Decision, files: &[&str]) -> Report {
    let expected_text =
        if expected { "allowed" } else { "denied (no statement allows it, or a Deny statement refuses it)" };
    let decided = match decision.verdict {
        Verdict::Allowed => "ALLOWED",
        Verdict::ExplicitDeny => "DENIED, explicitly, by a Deny statement",
        Verdict::ImplicitDeny => "DENIED, implicitly: no statement allows it",
    };
    let mut report = Report::default()
        .line(format!("Asked the IAM evaluator: {question}"))
        .line(format!("Expected: {expected_text}."))
        .line(format!("It decided: {decided}."));
    match decision.decided_by() {
        Some(statement) => {
            report = report
                .block(format!("Decided by {}:", statement.label()), pretty(&statement.source))
                .line(format!("It applies because {}.", statement.because));
            if decision.verdict == Verdict::ExplicitDeny {
                report = report.line("An explicit Deny wins over every Allow.");
            }
            let others: Vec<String> = match decision.verdict {
                Verdict::Allowed => decision.allows.iter().skip(1).map(|a| a.label()).collect(),
                _ => Vec::new(),
            };
            if !others.is_empty() {
                report = report.list("These statements allow it too:", others);
            }
        }
        None => {
            let why: Vec<String> = decision.missed.iter().map(|m| format!("{}: {}", m.label(), m.why)).collect();
            if why.is_empty() {
                report = report.line(format!("{} has no statements that could apply.", files.join(" and ")));
            } else {
                report = report.list("Why no statement applies:", why);
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use harness::check::report::CheckFailed;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::path::PathBuf;

    /// An exercise folder of its own, with these policy files.
    fn exercise_with(name: &str, trust: Option<&str>, permissions: Option<&str>) -> (Exercise, PathBuf) {
        let base = std::env::temp_dir().join(format!("lab-policies-{}-{name}", std::process::id()));
        let dir = base.join("02-trust-and-permissions");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("exercise.toml"),
            "title = \"Trust\"\nchapter = \"setup/roles-and-policies.md\"\nminutes = 20\nfile = \"trust-policy.json\"\nfiles = [\"trust-policy.json\", \"permissions.json\"]\nhints = [\"narrow it\"]\n",
        )
        .unwrap();
        if let Some(text) = trust {
            std::fs::write(dir.join("trust-policy.json"), text).unwrap();
        }
        if let Some(text) = permissions {
            std::fs::write(dir.join("permissions.json"), text).unwrap();
        }
        (Exercise::load(&dir).unwrap(), base)
    }

    fn fails(f: impl FnOnce()) -> bool {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(()) => false,
            Err(payload) => {
                assert!(payload.downcast_ref::<CheckFailed>().is_some(), "a check failure, not a panic");
                true
            }
        }
    }

    /// An exercise folder with the three files: trust, permissions and the
    /// function's resource-based policy (`invoke`).
    fn exercise_with_invoke(name: &str, invoke: &str) -> (Exercise, PathBuf) {
        let base = std::env::temp_dir().join(format!("lab-policies-{}-{name}", std::process::id()));
        let dir = base.join("02-trust-and-permissions");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("exercise.toml"),
            "title = \"Trust\"\nchapter = \"setup/roles-and-policies.md\"\nminutes = 20\nfile = \"trust-policy.json\"\nfiles = [\"trust-policy.json\", \"permissions.json\", \"invoke-policy.json\"]\nhints = [\"narrow it\"]\n",
        )
        .unwrap();
        std::fs::write(dir.join("trust-policy.json"), TRUST).unwrap();
        std::fs::write(dir.join("permissions.json"), PERMISSIONS).unwrap();
        std::fs::write(dir.join("invoke-policy.json"), invoke).unwrap();
        (Exercise::load(&dir).unwrap(), base)
    }

    const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;
    const PERMISSIONS: &str = r#"{"Version": "2012-10-17", "Statement": [
        {"Sid": "ReadPhotos", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::photo-uploads/*"}]}"#;

    #[test]
    fn passing_checks_pass_and_failing_ones_fail_quietly() {
        let (exercise, base) = exercise_with("pass", Some(TRUST), Some(PERMISSIONS));
        let policies = Policies::load(exercise).role("photo-reader");
        assert_eq!(policies.role_arn(), "arn:aws:iam::123456789012:role/photo-reader");
        policies
            .expect_may_assume("lambda", "lambda.amazonaws.com")
            .expect_may_not_assume("ec2", "ec2.amazonaws.com")
            .expect_allowed("read", "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg")
            .expect_denied("write", "s3:PutObject", "arn:aws:s3:::photo-uploads/a.jpg")
            .expect_allowed_with(
                "read over TLS",
                "s3:GetObject",
                "arn:aws:s3:::photo-uploads/a.jpg",
                &[("aws:SecureTransport", "true")],
            );
        assert!(fails(|| {
            policies.expect_may_assume("ec2", "ec2.amazonaws.com");
        }));
        assert!(fails(|| {
            policies.expect_denied("read", "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg");
        }));
        assert!(fails(|| {
            policies.expect_allowed("other bucket", "s3:GetObject", "arn:aws:s3:::other-bucket/x");
        }));
        let _ = std::fs::remove_dir_all(base);
    }

    #[test]
    fn a_broken_or_missing_file_fails_only_the_checks_that_need_it() {
        let (exercise, base) = exercise_with(
            "broken",
            Some(TRUST),
            Some(r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow"}]}"#),
        );
        let policies = Policies::load(exercise);
        policies.expect_may_assume("lambda", "lambda.amazonaws.com");
        assert!(fails(|| {
            policies.expect_allowed("read", "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg");
        }));
        match &policies.permissions[0].policy {
            Err(Problem::Invalid(errors)) => {
                let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                assert!(
                    text[0].starts_with("/Statement/0/Effect: Effect is spelled \"allow\": write exactly \"Allow\"")
                        && text[0].ends_with("IAM refuses it: \"The policy failed legacy parsing\""),
                    "{text:?}"
                );
            }
            _ => panic!("permissions.json should be refused"),
        }
        let (exercise, base2) = exercise_with("missing", None, Some(PERMISSIONS));
        let policies = Policies::load(exercise);
        assert!(matches!(policies.trust.as_ref().unwrap().policy, Err(Problem::Missing(_))));
        policies.expect_allowed("read", "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg");
        assert!(fails(|| {
            policies.expect_may_assume("lambda", "lambda.amazonaws.com");
        }));
        let _ = std::fs::remove_dir_all(base);
        let _ = std::fs::remove_dir_all(base2);
    }

    #[test]
    fn a_report_says_what_was_asked_what_decided_and_why() {
        let (exercise, base) = exercise_with(
            "report",
            Some(
                r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}}"#,
            ),
            Some(
                r#"{"Version": "2012-10-17", "Statement": [
                {"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}"#,
            ),
        );
        let policies = Policies::load(exercise);
        let request = policies.request("s3:PutObject", "arn:aws:s3:::photo-uploads/a.jpg", &[]);
        let decision = policies.permissions_decision("put", &request);
        let text = explain(
            "may the role do s3:PutObject on arn:aws:s3:::photo-uploads/a.jpg?",
            false,
            &decision,
            &["permissions.json"],
        )
        .text();
        assert!(text.contains("Asked the IAM evaluator: may the role do s3:PutObject"), "{text}");
        assert!(text.contains("Expected: denied"), "{text}");
        assert!(text.contains("It decided: ALLOWED."), "{text}");
        assert!(
            text.contains("Decided by the statement \"Everything\" (at /Statement/0 in permissions.json):"),
            "{text}"
        );
        assert!(text.contains("\"Action\": \"s3:*\""), "the statement is shown: {text}");
        assert!(
            text.contains("It applies because its Action \"s3:*\" covers s3:PutObject, and its Resource \"*\" covers"),
            "{text}"
        );

        let request = policies.request("s3:DeleteObject", "arn:aws:s3:::photo-uploads/a.jpg", &[]);
        let decision = policies.permissions_decision("delete", &request);
        let text = explain("may the role delete?", true, &decision, &["permissions.json"]).text();
        assert!(text.contains("It decided: DENIED, explicitly"), "{text}");
        assert!(text.contains("An explicit Deny wins over every Allow."), "{text}");

        let request = policies.request("logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:g:*", &[]);
        let decision = policies.permissions_decision("logs", &request);
        let text = explain("may the role write logs?", true, &decision, &["permissions.json"]).text();
        assert!(text.contains("DENIED, implicitly: no statement allows it"), "{text}");
        assert!(text.contains("- the statement \"Everything\" (at /Statement/0 in permissions.json): its Action does not cover logs:PutLogEvents (it lists \"s3:*\")"), "{text}");

        let decision = policies.assume_decision("anyone", "*");
        assert!(decision.allowed());
        let text = explain("may anyone assume the role?", false, &decision, &["trust-policy.json"]).text();
        assert!(text.contains("its Principal \"*\" (everyone) includes an anonymous caller"), "{text}");
        let _ = std::fs::remove_dir_all(base);
    }

    /// The statement `aws lambda add-permission` writes for S3 (Lambda
    /// Developer Guide, "Viewing resource-based IAM policies in Lambda"),
    /// with the condition keys spelled as get-policy shows them.
    const INVOKE: &str = r#"{"Version": "2012-10-17", "Id": "default", "Statement": [{
        "Sid": "lambda-allow-s3-photo-reader", "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:photo-reader",
        "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"},
                      "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::photo-uploads"}}}]}"#;

    #[test]
    fn the_function_policy_answers_who_may_invoke_it() {
        let (exercise, base) = exercise_with_invoke("invoke", INVOKE);
        let policies = Policies::load(exercise).function("photo-reader");
        assert_eq!(policies.function_arn(), "arn:aws:lambda:us-east-1:123456789012:function:photo-reader");
        let bucket = "arn:aws:s3:::photo-uploads";
        policies
            .expect_may_invoke("s3", "s3.amazonaws.com", &[("aws:SourceArn", bucket), ("aws:SourceAccount", ACCOUNT)])
            .expect_may_not_invoke(
                "same name, other account",
                "s3.amazonaws.com",
                &[("aws:SourceArn", bucket), ("aws:SourceAccount", "210987654321")],
            )
            .expect_may_not_invoke("directly", "arn:aws:iam::210987654321:role/intruder", &[])
            .expect_function_denies(
                "code",
                "s3.amazonaws.com",
                "lambda:UpdateFunctionCode",
                &[("aws:SourceArn", bucket), ("aws:SourceAccount", ACCOUNT)],
            )
            .expect_only_principals("only s3", &["s3.amazonaws.com"]);
        assert!(fails(|| {
            policies.expect_may_invoke("sns", "sns.amazonaws.com", &[("aws:SourceAccount", ACCOUNT)]);
        }));
        assert!(fails(|| {
            policies.expect_only_principals("only sns", &["sns.amazonaws.com"]);
        }));
        // The role's questions still go to the role's files.
        policies.expect_allowed("read", "s3:GetObject", "arn:aws:s3:::photo-uploads/a.jpg");
        let _ = std::fs::remove_dir_all(base);
    }

    #[test]
    fn a_function_policy_that_names_everyone_is_reported_with_its_statement() {
        let star = INVOKE.replace(r#"{"Service": "s3.amazonaws.com"}"#, r#""*""#);
        let (exercise, base) = exercise_with_invoke("star", &star);
        let policies = Policies::load(exercise).function("photo-reader");
        // The conditions still hold S3 to the one bucket...
        policies.expect_may_not_invoke("directly", "arn:aws:iam::210987654321:role/intruder", &[]);
        // ...but the policy names everyone.
        assert!(fails(|| {
            policies.expect_only_principals("only s3", &["s3.amazonaws.com"]);
        }));
        let (file, policy) = policies.function_policy("star");
        let expected = [Principal::parse("s3.amazonaws.com").unwrap()];
        let text = extra_principals(policy, file, &expected).expect("a report").text();
        assert!(text.contains("Asked: whom does invoke-policy.json allow to call the function?"), "{text}");
        assert!(text.contains("Expected: only the service s3.amazonaws.com."), "{text}");
        assert!(text.contains("But the statement \"lambda-allow-s3-photo-reader\" (at /Statement/0 in invoke-policy.json) allows more:"), "{text}");
        assert!(text.contains("Its Principal is \"*\""), "{text}");
        let _ = std::fs::remove_dir_all(base);

        let not_principal = INVOKE
            .replace(r#""Principal": {"Service": "s3.amazonaws.com"}"#, r#""NotPrincipal": {"AWS": "210987654321"}"#);
        let (exercise, base) = exercise_with_invoke("not-principal", &not_principal);
        let policies = Policies::load(exercise);
        let (file, policy) = policies.function_policy("not");
        let text = extra_principals(policy, file, &expected).expect("a report").text();
        assert!(text.contains("allows everyone in AWS except the AWS account 210987654321"), "{text}");
        let _ = std::fs::remove_dir_all(base);

        // A Deny may name anyone: it takes access away.
        let deny = INVOKE.replace(
            r#"]}"#,
            r#", {"Effect": "Deny", "Principal": "*", "Action": "lambda:DeleteFunction", "Resource": "*"}]}"#,
        );
        let policy = Policy::from_text(PolicyKind::Resource, &deny).unwrap();
        assert!(extra_principals(&policy, "invoke-policy.json", &expected).is_none());
    }

    #[test]
    fn a_failed_invoke_question_says_who_asked_and_with_which_keys() {
        let (exercise, base) = exercise_with_invoke("question", INVOKE);
        let policies = Policies::load(exercise).function("photo-reader");
        let request = policies.function_request(
            Principal::parse("s3.amazonaws.com").unwrap(),
            "lambda:InvokeFunction",
            &[("aws:SourceArn", "arn:aws:s3:::photo-uploads"), ("aws:SourceAccount", "210987654321")],
        );
        assert_eq!(
            in_context(&request),
            ", in a request with aws:SourceAccount = 210987654321 and aws:SourceArn = arn:aws:s3:::photo-uploads"
        );
        let decision = policies.function_decision("q", &request);
        assert_eq!(decision.verdict, Verdict::ImplicitDeny);
        let text = explain("may S3 invoke?", true, &decision, &["invoke-policy.json"]).text();
        assert!(
            text.contains("its condition StringEquals {\"AWS:SourceAccount\": \"123456789012\"} does not hold: the request has AWS:SourceAccount = \"210987654321\""),
            "{text}"
        );
        let _ = std::fs::remove_dir_all(base);
    }
}
