//! The evaluator held to decisions whose AWS verdicts are known: the calls
//! moto's tests make with IAM enforced, and the bucket policies it enforces
//! (tests/corpus/moto-iam-decisions.json, translated from getmoto/moto under
//! the Apache License 2.0 by tests/corpus/translate_moto_decisions.py). Each
//! case is the policies in force, the principal, the action, the resource and
//! the context keys; the evaluator must reach AWS's verdict, explicit and
//! implicit denies told apart. Where moto's answer is not AWS's,
//! [`CORRECTIONS`] says what AWS does and where that is shown.

use iam::{Policy, PolicyKind, Principal, Request, Verdict, evaluate};
use serde_json::Value;

const CORPUS: &str = include_str!("corpus/moto-iam-decisions.json");

/// Cases whose verdict is not moto's answer: (id, AWS's verdict, evidence).
/// None yet: the cases where moto and AWS part are not translated, and the
/// corpus says why under "not_applicable".
const CORRECTIONS: &[(&str, &str, &str)] = &[];

fn kind(name: &str) -> PolicyKind {
    match name {
        "identity" => PolicyKind::Identity,
        "managed" => PolicyKind::Managed,
        "trust" => PolicyKind::Trust,
        "resource" => PolicyKind::Resource,
        other => panic!("unknown kind {other:?} in the corpus"),
    }
}

fn verdict(name: &str) -> Verdict {
    match name {
        "allowed" => Verdict::Allowed,
        "explicit-deny" => Verdict::ExplicitDeny,
        "implicit-deny" => Verdict::ImplicitDeny,
        other => panic!("unknown verdict {other:?} in the corpus"),
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("{value} is not a string"))
}

fn corpus() -> Value {
    serde_json::from_str(CORPUS).expect("the corpus is JSON")
}

/// The case's question, or why it cannot be asked (a policy is refused).
fn question(case: &Value) -> Result<(Vec<(String, Policy)>, Request), String> {
    let mut policies = Vec::new();
    for policy in case["policies"].as_array().expect("a list of policies") {
        let name = text(&policy["name"]).to_string();
        match Policy::from_value(kind(text(&policy["kind"])), &policy["document"]) {
            Ok(parsed) => policies.push((name, parsed)),
            Err(errors) => return Err(format!("{name} is refused: {errors:?}")),
        }
    }
    let asked = &case["request"];
    let principal = Principal::parse(text(&asked["principal"]))?;
    let mut request = Request::new(principal, text(&asked["action"]), text(&asked["resource"]));
    if let Some(context) = asked.get("context").and_then(Value::as_object) {
        for (key, values) in context {
            for value in values.as_array().expect("a list of values") {
                request = request.with(key, text(value));
            }
        }
    }
    Ok((policies, request))
}

#[test]
fn every_decision_of_the_corpus_is_the_one_aws_makes() {
    let corpus = corpus();
    let cases = corpus["cases"].as_array().expect("a list of cases");
    let mut wrong = Vec::new();
    let mut corrected = 0;
    for case in cases {
        let id = text(&case["id"]);
        let origin = text(&case["origin"]);
        let mut expected = verdict(text(&case["expected"]));
        // The translation refines moto's answer, never contradicts it: a
        // verdict that is not moto's is a correction, made here with evidence.
        assert_eq!(
            expected == Verdict::Allowed,
            text(&case["moto"]) == "allowed",
            "{id}: expected is not moto's answer"
        );
        if let Some((_, aws, _)) = CORRECTIONS.iter().find(|(c, _, _)| *c == id) {
            expected = verdict(aws);
            corrected += 1;
        }
        let (policies, request) = match question(case) {
            Ok(question) => question,
            Err(why) => {
                wrong.push(format!("{id} ({origin}): {why}"));
                continue;
            }
        };
        let named: Vec<(&str, &Policy)> = policies.iter().map(|(name, policy)| (name.as_str(), policy)).collect();
        let decision = evaluate(&named, &request);
        if decision.verdict != expected {
            wrong.push(format!(
                "{id} ({origin}): AWS decides {expected:?}, the evaluator {:?}: {}",
                decision.verdict,
                decision.explain()
            ));
        }
    }
    assert_eq!(corrected, CORRECTIONS.len(), "every correction names a case of the corpus");
    assert!(cases.len() >= 71, "the corpus has {} cases", cases.len());
    assert!(wrong.is_empty(), "{} of {} decisions differ from AWS's:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

/// A moto test left out because AWS would refuse its policy is held to that:
/// the validator refuses it too.
#[test]
fn policies_aws_refuses_are_why_their_tests_do_not_apply() {
    let corpus = corpus();
    let skipped = corpus["not_applicable"].as_array().expect("a list of tests left out");
    let mut refused = 0;
    for entry in skipped {
        assert!(!text(&entry["reason"]).is_empty());
        if let Some(policy) = entry.get("refused") {
            let outcome = Policy::from_value(kind(text(&policy["kind"])), &policy["document"]);
            assert!(outcome.is_err(), "{}: AWS refuses its policy, accepted here", text(&entry["origin"]));
            refused += 1;
        }
    }
    assert_eq!(refused, 2);
    // The figures the corpus gives are its own.
    let summary = &corpus["summary"];
    let left_out: u64 = skipped.iter().map(|e| e["decisions"].as_u64().unwrap()).sum();
    assert_eq!(summary["translated"].as_u64(), Some(corpus["cases"].as_array().unwrap().len() as u64));
    assert_eq!(summary["not_applicable"].as_u64(), Some(left_out));
    assert_eq!(summary["decisions"].as_u64(), Some(summary["translated"].as_u64().unwrap() + left_out));
}
