"""Translate moto's IAM allow/deny tests into moto-iam-decisions.json.

Usage: python3 translate_moto_decisions.py MOTO_CHECKOUT COMMIT > moto-iam-decisions.json

MOTO_CHECKOUT is a moto source tree at COMMIT: a clone, or from a bare
repository `git archive COMMIT tests | tar -x -C DIR`. The corpus was made at
0af643a5dbfc98797f08ee64f5be3ef8002d56ff, the commit of moto-iam-policies.json.

moto (https://github.com/getmoto/moto, Apache License 2.0) enforces IAM on
its mocked services when a test turns authentication on
(set_initial_no_auth_action_count, enable_iam_authentication); it also
enforces S3 bucket policies and KMS key policies. Its tests then assert that
a call is allowed or refused with AccessDenied. This script turns each such
call into one question for the evaluator: the policies in force, the
principal, the action, the resource and the context keys, with moto's answer
("allowed" or "denied") and the verdict AWS gives ("allowed",
"explicit-deny" or "implicit-deny": explicit when a Deny statement of those
policies applies, implicit otherwise).

The policy documents are read from the test functions' source with ast
(dict, list and f-string literals, resolved against the function's earlier
assignments and the test's parameters), never run. What a test asks is
written out below, test by test: the calls it makes under authentication
(the first set_initial_no_auth_action_count(N) calls are not checked), the
IAM action each call needs (the service authorisation references: HeadBucket
and ListObjectsV2 need s3:ListBucket, DeleteObjects s3:DeleteObject,
ListBuckets s3:ListAllMyBuckets, Invoke lambda:InvokeFunction) and the
resource it names. Every test function of the files read is accounted for:
translated, or listed under "not_applicable" with the reason; the script
stops if moto gains a test it does not know.

Corrections, where moto's expectation differs from AWS's, are not made here:
they would be in CORRECTIONS of crates/iam/tests/decisions.rs, with evidence.
"""

import ast
import json
import sys

root, commit = sys.argv[1], sys.argv[2]
ACCOUNT = "123456789012"  # moto's DEFAULT_ACCOUNT_ID

AUTH = "tests/test_core/test_auth.py"
CONTEXT_MANAGER = "tests/test_core/test_auth_context_manager.py"
S3_AUTH = "tests/test_s3/test_s3_auth.py"
BUCKET_POLICY = "tests/test_s3/test_s3_bucket_policy.py"
SQS = "tests/test_sqs/test_sqs_authentication.py"
KMS = "tests/test_kms/test_kms_policy_enforcement.py"
LAMBDA = "tests/test_awslambda/test_lambda_invoke.py"
# Files whose every test is accounted for (test_lambda_invoke.py has one
# test under authentication; its others invoke functions).
WHOLE_FILES = [AUTH, CONTEXT_MANAGER, S3_AUTH, BUCKET_POLICY, SQS, KMS]


def functions(path):
    """Every function (test functions and methods) of a file, by name."""
    tree = ast.parse(open(f"{root}/{path}").read())
    return {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


SOURCES = {path: functions(path) for path in WHOLE_FILES + [LAMBDA]}


def value(node, env):
    """A literal, with names and f-strings resolved against env."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.JoinedStr):
        return "".join(str(value(v.value, env)) if isinstance(v, ast.FormattedValue) else v.value for v in node.values)
    if isinstance(node, ast.Dict):
        return {value(k, env): value(v, env) for k, v in zip(node.keys, node.values)}
    if isinstance(node, (ast.List, ast.Tuple)):
        return [value(e, env) for e in node.elts]
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        for operand in node.values:
            result = value(operand, env)
            if result:
                return result
        return result
    raise ValueError(ast.dump(node))


def local_values(path, name, **given):
    """The values assigned in a test function's body, in order, that are
    literals once names are resolved (ACCOUNT_ID is moto's default account)."""
    env = {"ACCOUNT_ID": ACCOUNT, **given}
    for statement in SOURCES[path][name].body:
        if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
            try:
                env[statement.targets[0].id] = value(statement.value, env)
            except (KeyError, ValueError, TypeError):
                pass
    return env


def parameters(path, name):
    """The argument values of a test's pytest.mark.parametrize."""
    for decorator in SOURCES[path][name].decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "parametrize":
            return ast.literal_eval(decorator.args[1])
    raise KeyError(name)


def defaults(path, name):
    function = SOURCES[path][name].args
    names = [a.arg for a in function.args][-len(function.defaults) :]
    return {n: ast.literal_eval(d) for n, d in zip(names, function.defaults)}


cases = []
not_applicable = []
seen = set()


def origin(path, test, param=None):
    seen.add((path, test))
    return f"{path}::{test}" + (f"[{param}]" if param is not None else "")


def policy(name, kind, document):
    return {"name": name, "kind": kind, "document": document}


def ask(where, policies, principal, action, resource, moto, expected, context=None, note=None):
    path, test, param = (where + (None,))[:3]
    request = {"principal": principal, "action": action, "resource": resource}
    if context:
        request["context"] = context
    case = {
        "id": f"{test.removeprefix('test_')}-{sum(c['origin'].split('[')[0] == f'{path}::{test}' for c in cases) + 1}",
        "origin": origin(path, test, param),
        "policies": policies,
        "request": request,
        "moto": moto,
        "expected": expected,
    }
    if note:
        case["note"] = note
    cases.append(case)


def skip(path, test, decisions, reason, refused=None):
    entry = {"origin": origin(path, test), "decisions": decisions, "reason": reason}
    if refused:
        entry["refused"] = refused
    not_applicable.append(entry)


def user(name="test-user", partition="aws"):
    return f"arn:{partition}:iam::{ACCOUNT}:user/{name}"


def session(role, name):
    return f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/{name}"


def role(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def s3(bucket, key=None, partition="aws"):
    return f"arn:{partition}:s3:::{bucket}" + (f"/{key}" if key else "")


AUTHENTICATION = (
    "authentication, not authorisation: moto refuses the credentials or the signature "
    "before any policy is asked"
)

# ---------------------------------------------------------------------------
# tests/test_core/test_auth.py: users, groups and roles whose policies moto
# collects (inline and attached, the user's groups' too) and evaluates.

for test in ["test_invalid_client_token_id", "test_auth_failure", "test_signature_does_not_match"]:
    skip(AUTH, test, 0, AUTHENTICATION)
skip(AUTH, "test_auth_failure_with_valid_access_key_id", 0, AUTHENTICATION)
skip(AUTH, "test_s3_invalid_access_key_id", 0, AUTHENTICATION)
skip(
    AUTH,
    "test_s3_signature_does_not_match",
    0,
    AUTHENTICATION + " (its CreateBucket is still among the unchecked calls)",
)
skip(
    AUTH,
    "test_s3_invalid_token_with_temporary_credentials",
    0,
    AUTHENTICATION + " (its CreateBucket is still among the unchecked calls)",
)

T = "test_access_denied_with_no_policy"
ask((AUTH, T), [], user(), "ec2:DescribeInstances", "*", "denied", "implicit-deny")

T = "test_access_denied_with_not_allowing_policy"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("test-user inline policy1", "identity", v["inline_policy_document"])],
    user(),
    "ec2:DescribeInstances",
    "*",
    "denied",
    "implicit-deny",
)

T = "test_access_denied_explicitly_on_specific_resource"
v = local_values(AUTH, T)
inline = [policy("test-user inline policy1", "identity", v["inline_policy_document"])]
ask((AUTH, T), inline, user(), "sts:AssumeRole", v["forbidden_role_arn"], "denied", "explicit-deny")
ask(
    (AUTH, T),
    inline,
    user(),
    "sts:AssumeRole",
    v["allowed_role_arn"],
    "allowed",
    "allowed",
    note="the test never creates the role, so moto asks only the user's policies, and so does this case; "
    "AWS would also need the role to exist and its trust policy to allow the user",
)

T = "test_access_denied_for_run_instances"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("test-user inline policy1", "identity", v["inline_policy_document"])],
    user(),
    "ec2:RunInstances",
    "*",
    "denied",
    "implicit-deny",
)

T = "test_access_denied_with_denying_policy"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("test-user inline policy1", "identity", v["inline_policy_document"])],
    user(),
    "ec2:CreateVpc",
    "*",
    "denied",
    "explicit-deny",
)

skip(
    AUTH,
    "test_get_caller_identity_allowed_with_denying_policy",
    1,
    "sts:GetCallerIdentity needs no permission and an explicit Deny does not stop it (STS API Reference, "
    "GetCallerIdentity): STS does not ask the policies, so there is no decision to hold the evaluator to",
)

T = "test_allowed_with_wildcard_action"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("test-user inline policy1", "identity", v["inline_policy_document"])],
    user(),
    "ec2:DescribeTags",
    "*",
    "allowed",
    "allowed",
)

T = "test_allowed_with_explicit_action_in_attached_policy"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("policy1, attached to test-user", "managed", v["attached_policy_document"])],
    user(),
    "iam:ListGroups",
    "*",
    "allowed",
    "allowed",
)

T = "test_s3_access_denied_with_denying_attached_group_policy"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [
        policy("policy1, attached to test-user", "managed", v["attached_policy_document"]),
        policy("policy2, attached to test-group", "managed", v["group_attached_policy_document"]),
    ],
    user(),
    "s3:ListAllMyBuckets",
    "*",
    "denied",
    "explicit-deny",
)

T = "test_s3_access_denied_with_denying_inline_group_policy"
v = local_values(AUTH, T)
both = [
    policy("test-user inline policy1", "identity", v["inline_policy_document"]),
    policy("test-group inline policy1", "identity", v["group_inline_policy_document"]),
]
ask((AUTH, T), both, user(), "s3:CreateBucket", s3(v["bucket_name"]), "allowed", "allowed")
ask((AUTH, T), both, user(), "s3:GetObject", s3(v["bucket_name"], "sdfsdf"), "denied", "explicit-deny")

T = "test_access_denied_with_many_irrelevant_policies"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [
        policy("test-user inline policy1", "identity", v["inline_policy_document"]),
        policy("policy1, attached to test-user", "managed", v["attached_policy_document"]),
        policy("test-group inline policy1", "identity", v["group_inline_policy_document"]),
        policy("policy2, attached to test-group", "managed", v["group_attached_policy_document"]),
    ],
    user(),
    "ec2:CreateKeyPair",
    "*",
    "denied",
    "implicit-deny",
)

T = "test_allowed_with_temporary_credentials"
v = local_values(AUTH, T)
attached = [policy("policy1, attached to test-role", "managed", v["attached_policy_document"])]
ask((AUTH, T), attached, session("test-role", "session1"), "ec2:DescribeSubnets", "*", "allowed", "allowed")
ask(
    (AUTH, T),
    attached,
    session("test-role", "session1"),
    "elasticloadbalancing:CreateLoadBalancer",
    "*",
    "allowed",
    "allowed",
)

T = "test_access_denied_with_temporary_credentials"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("test-role inline policy1", "identity", v["attached_policy_document"])],
    session("test-role", "test-session"),
    "rds:CreateDBInstance",
    "*",
    "denied",
    "implicit-deny",
)

T = "test_get_user_from_credentials"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("new-test-user inline policy1", "identity", v["inline_policy_document"])],
    user("new-test-user"),
    "iam:GetUser",
    user("new-test-user"),
    "allowed",
    "allowed",
)

T = "test_s3_access_denied_not_action"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [
        policy("test-user inline policy1", "identity", v["inline_policy_document"]),
        policy("test-group inline policy1", "identity", v["group_inline_policy_document"]),
    ],
    user(),
    "s3:DeleteObject",
    s3(v["bucket_name"], "sdfsdf"),
    "denied",
    "explicit-deny",
    note="its CreateBucket is the last of the seven unchecked calls",
)

T = "test_allow_bucket_access_using_resource_arn"
for region, partition in parameters(AUTH, T):
    v = local_values(AUTH, T, region=region, partition=partition)
    inline = [policy("test-user inline policy1", "identity", v["policy_doc"])]
    where = (AUTH, T, f"{region}-{partition}")
    who = user(partition=partition)
    ask(where, inline, who, "s3:CreateBucket", s3("my_bucket", partition=partition), "allowed", "allowed")
    ask(where, inline, who, "s3:CreateBucket", s3("my_bucket2", partition=partition), "denied", "implicit-deny")
    ask(where, inline, who, "s3:ListBucket", s3("my_bucket", partition=partition), "allowed", "allowed")
    ask(where, inline, who, "s3:ListBucket", s3("my_bucket2", partition=partition), "denied", "implicit-deny")

T = "test_allow_key_access_using_resource_arn"
v = local_values(AUTH, T)
inline = [policy("test-user inline policy1", "identity", v["policy_doc"])]
ask((AUTH, T), inline, user(), "s3:CreateBucket", s3("my_bucket"), "allowed", "allowed")
ask((AUTH, T), inline, user(), "s3:PutObject", s3("my_bucket", "keyname"), "allowed", "allowed")
ask((AUTH, T), inline, user(), "s3:PutObject", s3("my_bucket", "unknown"), "denied", "implicit-deny")

T = "test_ssm_service"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [policy("test-user inline policy1", "identity", v["policy_doc"])],
    user(),
    "ssm:PutParameter",
    f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/test",
    "allowed",
    "allowed",
)

T = "test_sts_assume_role_with_external_id"
v = local_values(AUTH, T)
both = [
    policy("test-user inline policy1", "identity", v["user_policy_doc"]),
    policy("test-role trust policy", "trust", v["trust_policy_document"]),
]
target = role(v["role_name"])
ask(
    (AUTH, T),
    both,
    user(),
    "sts:AssumeRole",
    target,
    "denied",
    "implicit-deny",
    context={"sts:ExternalId": [v["incorrect_external_id"]]},
    note="the user's policy allows it; the role's trust policy, which must itself allow, does not",
)
ask(
    (AUTH, T),
    both,
    user(),
    "sts:AssumeRole",
    target,
    "allowed",
    "allowed",
    context={"sts:ExternalId": [v["external_id"]]},
)

T = "test_sts_assume_role_with_principal"
v = local_values(AUTH, T)
trust = policy("test-role trust policy", "trust", v["trust_policy_document"])
target = role(v["role_name"])
ask(
    (AUTH, T),
    [policy("test-incorrect-user inline policy-2", "identity", v["user_policy_doc"]), trust],
    user(v["incorrect_user_name"]),
    "sts:AssumeRole",
    target,
    "denied",
    "implicit-deny",
    note="the user's policy allows it; the role's trust policy, which must itself allow, names another user",
)
ask(
    (AUTH, T),
    [policy("test-user inline policy-1", "identity", v["user_policy_doc"]), trust],
    user(v["user_name"]),
    "sts:AssumeRole",
    target,
    "allowed",
    "allowed",
)

T = "test_perform_role_based_action"
v = local_values(AUTH, T)
ask(
    (AUTH, T),
    [
        policy("test-user inline policy1", "identity", v["user_policy_doc"]),
        policy("test-role trust policy", "trust", v["trust_policy_document"]),
    ],
    user(),
    "sts:AssumeRole",
    role(v["role_name"]),
    "allowed",
    "allowed",
)
role_policy = [policy("test-role inline test-attached-policy", "identity", v["attached_policy_doc"])]
ask(
    (AUTH, T),
    role_policy,
    session(v["role_name"], v["session_name"]),
    "iam:ListRolePolicies",
    role(v["incorrect_role_name"]),
    "denied",
    "implicit-deny",
)
ask(
    (AUTH, T),
    role_policy,
    session(v["role_name"], v["session_name"]),
    "iam:ListRolePolicies",
    role(v["role_name"]),
    "allowed",
    "allowed",
)

T = "test_sts_assume_role_with_external_id_unsupported_operation_should_supress_error"
v = local_values(AUTH, T)
skip(
    AUTH,
    T,
    1,
    "IAM refuses the trust policy (its condition operator 'UnsupportedOperation' is no operator), so the role "
    "is never created; moto skips operators it does not know and lets the call through",
    refused={"kind": "trust", "document": v["trust_policy_document"]},
)

# ---------------------------------------------------------------------------
# tests/test_core/test_auth_context_manager.py: the same policy as
# test_access_denied_explicitly_on_specific_resource, authentication switched
# on by a context manager; the two refused calls are the same question.

T = "test_enable_iam_authentication__context_manager"
v = local_values(CONTEXT_MANAGER, T)
ask(
    (CONTEXT_MANAGER, T),
    [policy("test-user inline policy1", "identity", v["doc"])],
    user(),
    "sts:AssumeRole",
    v["forbidden_role_arn"],
    "denied",
    "explicit-deny",
    note="asked twice in the test, with authentication on; the calls made with it off are not decisions",
)

# ---------------------------------------------------------------------------
# tests/test_s3/test_s3_auth.py

skip(S3_AUTH, "test_load_unexisting_object_without_auth_should_return_403", 0, AUTHENTICATION)

# create_user_with_access_key_and_policy, the file's helper, attaches this.
S3_ALL = local_values(S3_AUTH, "create_user_with_access_key_and_policy")["policy_document"]
UUID_BUCKET = "uuid4-named-bucket"  # the tests name it str(uuid4())

T = "test_head_bucket_with_correct_credentials"
attached = [policy("policy1, attached to test-user", "managed", S3_ALL)]
ask((S3_AUTH, T), attached, user(), "s3:CreateBucket", s3(UUID_BUCKET), "allowed", "allowed")
ask((S3_AUTH, T), attached, user(), "s3:ListBucket", s3(UUID_BUCKET), "allowed", "allowed", note="HeadBucket")
ask((S3_AUTH, T), attached, user(), "s3:GetBucketLocation", s3(UUID_BUCKET), "allowed", "allowed")
ask((S3_AUTH, T), attached, user(), "s3:ListBucket", s3(UUID_BUCKET), "allowed", "allowed", note="ListObjectsV2")

T = "test_head_bucket_with_incorrect_credentials"
ask(
    (S3_AUTH, T),
    attached,
    user(),
    "s3:CreateBucket",
    s3(UUID_BUCKET),
    "allowed",
    "allowed",
    note="its HeadBucket with a wrong secret is authentication, not a decision",
)

T = "test_delete_objects_without_access_throws_custom_error"
v = local_values(S3_AUTH, T, bucket_name=UUID_BUCKET)
ask(
    (S3_AUTH, T),
    [policy("policy1, attached to some-test-role", "managed", v["policy_document"])],
    session(v["role_name"], "session1"),
    "s3:DeleteObject",
    s3(UUID_BUCKET, "some/prefix/test_file.txt"),
    "denied",
    "implicit-deny",
    note="DeleteObjects needs s3:DeleteObject for each key; the listing before it is the last unchecked call",
)

# ---------------------------------------------------------------------------
# tests/test_sqs/test_sqs_authentication.py

T = "test_access_for_specific_arn_to_all_sqs_actions"
queue = f"arn:aws:sqs:us-east-1:{ACCOUNT}:test-queue"
v = local_values(SQS, T, queue_arn=queue)
policy_call = SOURCES[SQS][T]
# The role's policy is an argument of iam.create_policy: read its PolicyDocument.
documents = [
    value(keyword.value.args[0], {**v, "queue_arn": queue})
    for node in ast.walk(policy_call)
    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "create_policy"
    for keyword in node.keywords
    if keyword.arg == "PolicyDocument"
]
ask(
    (SQS, T),
    [policy("test-policy, attached to test-role", "managed", documents[0])],
    session("test-role", "test-session"),
    "sqs:SendMessage",
    queue,
    "allowed",
    "allowed",
)

# ---------------------------------------------------------------------------
# tests/test_awslambda/test_lambda_invoke.py

T = "test_lambda_request_unauthorized_user"
v = local_values(LAMBDA, T)
seen.add((LAMBDA, T))
ask(
    (LAMBDA, T),
    [policy("policy2, attached to test-user", "managed", v["policy_document"])],
    user(),
    "lambda:InvokeFunction",
    f"arn:aws:lambda:us-west-2:{ACCOUNT}:function:n/a",
    "denied",
    "explicit-deny",
)

# ---------------------------------------------------------------------------
# tests/test_s3/test_s3_bucket_policy.py: a bucket policy, and two callers:
# boto3 with moto's default credentials, which IAM authentication does not
# check (put here as an administrator whose identity policy allows
# everything, so that only the bucket policy's Deny can stop it), and an
# unsigned HTTP request (an anonymous caller, whom only the bucket policy can
# allow).

ADMIN = user("administrator")
ADMIN_POLICY = policy(
    "administrator (moto's unchecked default credentials)",
    "identity",
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
)
OBJECT = s3("mybucket", "test_txt")


def bucket_policy(**kwargs):
    """The bucket policy TestBucketPolicy._put_policy writes for kwargs."""
    env = {**defaults(BUCKET_POLICY, "_put_policy"), **kwargs}
    return local_values(BUCKET_POLICY, "_put_policy", **env)["policy"]


# What AWS decides for each parametrisation of test_block_or_allow_get_object,
# in moto's order: (the administrator, the anonymous caller). A 403 is an
# explicit deny where the policy's Deny covers mybucket/test_txt, implicit
# where nothing allows it.
GET_OBJECT = [
    ("allowed", "allowed"),
    ("allowed", "allowed"),
    ("allowed", "implicit-deny"),  # the Allow is for notmybucket/*
    ("allowed", "allowed"),
    ("explicit-deny", "explicit-deny"),
    ("allowed", "implicit-deny"),  # the Deny is for notmybucket/*
]

T = "test_block_or_allow_get_object"
params = parameters(BUCKET_POLICY, T)
assert len(params) == len(GET_OBJECT), "a verdict for each parametrisation"
for (kwargs, boto3_status, anonymous_status), (admin, anonymous) in zip(params, GET_OBJECT):
    assert (boto3_status == 200) == (admin == "allowed") and (anonymous_status == 200) == (anonymous == "allowed")
    document = bucket_policy(**kwargs)
    bucket = policy("mybucket's bucket policy", "resource", document)
    where = (BUCKET_POLICY, T, json.dumps(kwargs, sort_keys=True))
    moto = {True: "allowed", False: "denied"}
    ask(where, [ADMIN_POLICY, bucket], ADMIN, "s3:GetObject", OBJECT, moto[boto3_status == 200], admin)
    ask(where, [bucket], "*", "s3:GetObject", OBJECT, moto[anonymous_status == 200], anonymous)

T = "test_block_put_object"
document = bucket_policy(effect="Deny", actions=["s3:PutObject"])
bucket = policy("mybucket's bucket policy", "resource", document)
for key in parameters(BUCKET_POLICY, T):
    where = (BUCKET_POLICY, T, key)
    ask(where, [ADMIN_POLICY, bucket], ADMIN, "s3:GetObject", OBJECT, "allowed", "allowed")
    ask(where, [ADMIN_POLICY, bucket], ADMIN, "s3:PutObject", s3("mybucket", key), "denied", "explicit-deny")
    ask(where, [bucket], "*", "s3:PutObject", OBJECT, "denied", "explicit-deny")

T = "test_block_all_actions"
document = bucket_policy(effect="Deny", actions=["s3:*"])
bucket = policy("mybucket's bucket policy", "resource", document)
for action in ["s3:GetObject", "s3:PutObject"]:
    ask((BUCKET_POLICY, T), [ADMIN_POLICY, bucket], ADMIN, action, OBJECT, "denied", "explicit-deny")
    ask((BUCKET_POLICY, T), [bucket], "*", action, OBJECT, "denied", "explicit-deny")

T = "test_block_all_with_different_principal"
skip(
    BUCKET_POLICY,
    T,
    2,
    "S3 refuses a bucket policy whose Principal is the bare string 'y' (a principal is '*' or an object such "
    'as {"AWS": ...}); moto takes it and ignores every principal but \'*\'',
    refused={"kind": "resource", "document": bucket_policy(effect="Deny", actions=["s3:*"], principal="y")},
)

T = "test_deny_delete_policy"
DELETE_BUCKET = "aws-verified-bucket"  # s3_aws_verified names it
v = local_values(BUCKET_POLICY, T, bucket_name=DELETE_BUCKET)
bucket = policy("the bucket's bucket policy", "resource", v["policy"])
where = (BUCKET_POLICY, T)
ask(where, [ADMIN_POLICY, bucket], ADMIN, "s3:PutObject", s3(DELETE_BUCKET, "obj"), "allowed", "allowed")
ask(where, [ADMIN_POLICY, bucket], ADMIN, "s3:DeleteObject", s3(DELETE_BUCKET, "obj"), "denied", "explicit-deny")
ask(where, [ADMIN_POLICY, bucket], ADMIN, "s3:ListBucket", s3(DELETE_BUCKET), "allowed", "allowed")
ask(
    where,
    [ADMIN_POLICY, bucket],
    ADMIN,
    "s3:DeleteObject",
    s3(DELETE_BUCKET, "obj"),
    "denied",
    "explicit-deny",
    note="DeleteObjects (the collection's delete()), which needs s3:DeleteObject for each key",
)

# ---------------------------------------------------------------------------
# tests/test_kms/test_kms_policy_enforcement.py

KMS_REASON = (
    "KMS key policies are not modelled: a key policy must itself allow (KMS Developer Guide, 'Key policies "
    "in AWS KMS'), and KMS refuses a key policy that would lock out the caller unless "
    "BypassPolicyLockoutSafetyCheck is set (KMS API Reference, PutKeyPolicy), which these deny-only "
    "policies would"
)
skip(KMS, "test_policy__deny_based_on_actions", len(parameters(KMS, "test_policy__deny_based_on_actions")), KMS_REASON)
skip(
    KMS,
    "test_policy__allow_based_on_actions",
    len(parameters(KMS, "test_policy__allow_based_on_actions")),
    KMS_REASON + "; moto allows these calls, where AWS, with no Allow in the key policy, would not",
)
HELPER = (
    "a unit test of moto's own key-policy helper (validate_policy), given documents KMS refuses "
    "(no Principal; Effect 'denY'; actions '', 'unknown' or null; Resource 'arn')"
)
for test in ["test_input_can_be_none", "test_key_can_have_no_policy", "test_key_can_have_unreadable_policy"]:
    skip(KMS, test, 0, HELPER)
for test in [
    "test_describe_key_is_allowed_for_actions",
    "test_describe_key_is_allowed_if_other_actions_are_allowed",
    "test_describe_key_is_denied_for_all_possible_action_variations",
    "test_describe_key_is_allowed_for_unsupported_resources",
]:
    skip(KMS, test, len(parameters(KMS, test)), HELPER)

# ---------------------------------------------------------------------------

tests = {(path, name) for path in WHOLE_FILES for name in SOURCES[path] if name.startswith("test_")}
unknown = sorted(tests - seen)
if unknown:
    sys.exit(f"tests not accounted for: {unknown}")
ids = [c["id"] for c in cases]
assert len(ids) == len(set(ids)), "case ids are unique"

json.dump(
    {
        "origin": f"https://github.com/getmoto/moto/tree/{commit} ({', '.join(WHOLE_FILES + [LAMBDA])})",
        "licence": "Apache License 2.0 (moto's LICENSE); translated by translate_moto_decisions.py beside this file",
        "kinds": {
            "identity": "an inline policy of a user, group or role (put-user-policy, put-group-policy, put-role-policy)",
            "managed": "a customer managed policy attached to a user, group or role",
            "trust": "the trust policy of the role the request assumes",
            "resource": "a resource-based policy (a bucket policy)",
        },
        "verdicts": {
            "moto": "what moto answers: allowed, or denied (AccessDenied)",
            "expected": "what AWS decides: allowed, explicit-deny (a Deny statement applies) or implicit-deny",
        },
        "summary": {
            "tests": len(seen),
            "decisions": len(cases) + sum(n["decisions"] for n in not_applicable),
            "translated": len(cases),
            "not_applicable": sum(n["decisions"] for n in not_applicable),
        },
        "cases": cases,
        "not_applicable": not_applicable,
    },
    sys.stdout,
    indent=1,
    ensure_ascii=False,
)
sys.stdout.write("\n")
