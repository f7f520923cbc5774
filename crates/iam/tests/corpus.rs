//! The validator held to policies whose AWS verdicts are known: moto's IAM
//! tests (tests/corpus/moto-iam-policies.json, translated from
//! getmoto/moto under the Apache License 2.0 by tests/corpus/translate_moto.py),
//! whose refusal messages are the ones IAM gives. Every valid document must
//! load; every invalid one must be refused with IAM's message (its key
//! phrase) in one of the refusals. Where moto's expectation is not AWS's,
//! [`CORRECTIONS`] says what AWS does and where that is shown.

use iam::{Policy, PolicyKind};
use serde_json::Value;

const CORPUS: &str = include_str!("corpus/moto-iam-policies.json");

/// Cases whose expectation is not moto's: (id, what AWS does, evidence).
/// `Some(phrase)`: AWS refuses it with that phrase; `None`: AWS accepts it.
const CORRECTIONS: &[(&str, Option<&str>, &str)] = &[
    (
        "valid-39",
        Some("Statement IDs (SID) must be alpha-numeric."),
        "moto does not check a Sid's characters; IAM takes [0-9A-Za-z]* only (IAM User Guide, \
         'IAM JSON policy elements: Sid'; the API refuses underscores: awsdocs/iam-user-guide#282, \
         and its wording in Wolox/carthage_cache#22)",
    ),
    (
        "valid-40",
        Some("Statement IDs (SID) must be alpha-numeric."),
        "as valid-39: the Sid NullConditionOperator_Strings_And_Booleans holds underscores",
    ),
];

fn kind(name: &str) -> PolicyKind {
    match name {
        "managed" => PolicyKind::Managed,
        "trust" => PolicyKind::Trust,
        other => panic!("unknown kind {other:?} in the corpus"),
    }
}

#[test]
fn every_policy_of_the_corpus_gets_iams_verdict() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("the corpus is JSON");
    let cases = corpus["cases"].as_array().expect("a list of cases");
    let mut wrong = Vec::new();
    let mut corrected = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let text = match case.get("text") {
            Some(text) => text.as_str().unwrap().to_string(),
            None => serde_json::to_string(&case["document"]).unwrap(),
        };
        let mut refused = case.get("refused").map(|p| p.as_str().unwrap());
        if let Some((_, phrase, _)) = CORRECTIONS.iter().find(|(c, _, _)| *c == id) {
            refused = *phrase;
            corrected += 1;
        }
        let outcome = Policy::from_text(kind(case["kind"].as_str().unwrap()), &text);
        match (refused, outcome) {
            (None, Ok(_)) => {}
            (None, Err(errors)) => wrong.push(format!("{id}: IAM accepts it, refused here with {errors:?}")),
            (Some(phrase), Ok(_)) => wrong.push(format!("{id}: IAM refuses it ({phrase:?}), accepted here")),
            (Some(phrase), Err(errors)) => {
                if !errors.iter().any(|e| e.message.contains(phrase)) {
                    wrong.push(format!("{id}: IAM says {phrase:?}, here {errors:?}"));
                }
            }
        }
    }
    assert_eq!(corrected, CORRECTIONS.len(), "every correction names a case of the corpus");
    assert!(cases.len() >= 136, "the corpus has {} cases", cases.len());
    assert!(wrong.is_empty(), "{} of {} cases differ from IAM:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}
