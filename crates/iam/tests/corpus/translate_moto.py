"""Translate moto's IAM policy-validation tests into moto-iam-policies.json.

Usage: python3 translate_moto.py MOTO_CHECKOUT COMMIT > moto-iam-policies.json

moto (https://github.com/getmoto/moto, Apache License 2.0) keeps, in
tests/test_iam/test_iam_policies.py, a list of policy documents IAM refuses
(each with the message IAM gives, MalformedPolicyDocument) and a list it
accepts, all sent to CreatePolicy (a customer managed policy); and, in
tests/test_iam/test_iam.py, trust policies sent to UpdateAssumeRolePolicy.
The lists are Python literals, read here with ast.literal_eval, never run.
Corrections where moto's expectation differs from AWS's documented or
reported behaviour are not made here: they are in CORRECTIONS of
crates/iam/tests/corpus.rs, each with its evidence.
"""

import ast
import json
import sys

root, commit = sys.argv[1], sys.argv[2]


def literals(path):
    tree = ast.parse(open(f"{root}/{path}").read())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return out


policies = literals("tests/test_iam/test_iam_policies.py")
iam = literals("tests/test_iam/test_iam.py")
cases = []
for i, case in enumerate(policies["invalid_policy_document_test_cases"]):
    document = case["document"]
    entry = {"id": f"invalid-{i}", "kind": "managed", "refused": case["error_message"]}
    entry["text" if isinstance(document, str) else "document"] = document
    cases.append(entry)
for i, document in enumerate(policies["valid_policy_documents"]):
    cases.append({"id": f"valid-{i}", "kind": "managed", "document": document})

# test_iam.py: the trust policies of test_update_assume_role_* (copied from
# the test functions, which hold them as local strings).
cases += [
    {"id": "trust-invalid-policy", "kind": "trust", "text": "new policy", "refused": "Syntax errors in policy."},
    {"id": "trust-valid-policy", "kind": "trust", "document": json.loads(iam["MOCK_STS_EC2_POLICY_DOCUMENT"])},
    {
        "id": "trust-invalid-policy-bad-action",
        "kind": "trust",
        "document": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:BadAssumeRole"]}
            ],
        },
        "refused": "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity",
    },
    {
        "id": "trust-invalid-policy-with-resource",
        "kind": "trust",
        "document": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": ["ec2.amazonaws.com"]},
                    "Action": ["sts:AssumeRole"],
                    "Resource": "arn:aws:s3:::example_bucket",
                }
            ],
        },
        "refused": "Has prohibited field Resource.",
    },
]

json.dump(
    {
        "origin": f"https://github.com/getmoto/moto/tree/{commit}/tests/test_iam (test_iam_policies.py: invalid_policy_document_test_cases, valid_policy_documents; test_iam.py: test_update_assume_role_*)",
        "licence": "Apache License 2.0 (moto's LICENSE); translated by translate_moto.py beside this file",
        "kinds": {"managed": "CreatePolicy: a customer managed permissions policy", "trust": "UpdateAssumeRolePolicy: a role's trust policy"},
        "cases": cases,
    },
    sys.stdout,
    indent=1,
    ensure_ascii=False,
)
sys.stdout.write("\n")
