//! Exercise 02: trust and permissions. The function photo-reader reads
//! photos from the bucket photo-uploads and writes its logs; you write its
//! execution role's two policies, and the function's own resource-based
//! policy. Each test asks the IAM evaluator questions about your
//! trust-policy.json (who may assume the role), your permissions.json (what
//! the role may do) or your invoke-policy.json (who may invoke the
//! function), as AWS would when Lambda starts the function, when the
//! function calls S3 or CloudWatch Logs, and when S3 calls the function for
//! a new upload.

use iam::check::Policies;

/// The function's log group, written the way IAM policies name log groups
/// (with the trailing ":*").
const LOG_GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/photo-reader:*";
/// One of the log streams Lambda writes into that group.
const LOG_STREAM: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/photo-reader:log-stream:2024/05/01/[$LATEST]0123456789abcdef";
/// Another function's log group and stream, in the same account.
const OTHER_LOG_GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/billing:*";
const OTHER_LOG_STREAM: &str =
    "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/billing:log-stream:2024/05/01/[$LATEST]fedcba9876543210";

/// The bucket whose uploads trigger the function, and the account that owns it.
const BUCKET: &str = "arn:aws:s3:::photo-uploads";
const ACCOUNT: &str = "123456789012";
/// Somebody else's account.
const OTHER_ACCOUNT: &str = "210987654321";

fn policies() -> Policies {
    Policies::exercise().role("photo-reader-role").function("photo-reader")
}

#[test]
fn lambda_may_assume_the_role() {
    policies().expect_may_assume(
        "Lambda (lambda.amazonaws.com) may assume the role, so it can run the function with it",
        "lambda.amazonaws.com",
    );
}

#[test]
fn nothing_else_may_assume_the_role() {
    policies()
        .expect_may_not_assume(
            "EC2 (ec2.amazonaws.com) may not assume the role: it is a Lambda function's role",
            "ec2.amazonaws.com",
        )
        .expect_may_not_assume(
            "another AWS account (210987654321) may not assume the role",
            "arn:aws:iam::210987654321:root",
        )
        .expect_may_not_assume(
            "the users and roles of your own account (123456789012) may not assume the role either",
            "arn:aws:iam::123456789012:root",
        )
        .expect_may_not_assume("an anonymous caller, anyone at all (\"*\"), may not assume the role", "*");
}

#[test]
fn the_role_may_read_photos() {
    policies()
        .expect_allowed(
            "the role may read a photo at the top of the bucket (s3:GetObject)",
            "s3:GetObject",
            "arn:aws:s3:::photo-uploads/cat.jpg",
        )
        .expect_allowed(
            "the role may read a photo under a prefix (s3:GetObject)",
            "s3:GetObject",
            "arn:aws:s3:::photo-uploads/2024/05/01/dog.png",
        );
}

#[test]
fn the_role_may_write_its_logs() {
    policies()
        .expect_allowed("the role may create its own log group (logs:CreateLogGroup)", "logs:CreateLogGroup", LOG_GROUP)
        .expect_allowed(
            "the role may create log streams in its own log group (logs:CreateLogStream)",
            "logs:CreateLogStream",
            LOG_GROUP,
        )
        .expect_allowed(
            "the role may write log events to its own log streams (logs:PutLogEvents)",
            "logs:PutLogEvents",
            LOG_STREAM,
        );
}

#[test]
fn the_role_may_not_change_photos() {
    let photo = "arn:aws:s3:::photo-uploads/cat.jpg";
    policies()
        .expect_denied("the role may not write photos (s3:PutObject)", "s3:PutObject", photo)
        .expect_denied("the role may not delete photos (s3:DeleteObject)", "s3:DeleteObject", photo)
        .expect_denied(
            "the role may not change who can see a photo (s3:PutObjectAcl could make it public)",
            "s3:PutObjectAcl",
            photo,
        );
}

#[test]
fn the_role_may_not_read_other_buckets() {
    policies()
        .expect_denied("the role may not read objects in another bucket", "s3:GetObject", "arn:aws:s3:::other-bucket/x")
        .expect_denied(
            "the role may not read a bucket whose name merely starts with photo-uploads",
            "s3:GetObject",
            "arn:aws:s3:::photo-uploads-backup/cat.jpg",
        );
}

#[test]
fn the_role_may_not_write_other_functions_logs() {
    policies()
        .expect_denied(
            "the role may not create log streams in another function's log group",
            "logs:CreateLogStream",
            OTHER_LOG_GROUP,
        )
        .expect_denied(
            "the role may not write log events into another function's log stream",
            "logs:PutLogEvents",
            OTHER_LOG_STREAM,
        );
}

#[test]
fn the_role_may_not_delete_its_logs() {
    policies().expect_denied(
        "the role may not delete its own log group (logs:DeleteLogGroup): the logs are the record of what it did",
        "logs:DeleteLogGroup",
        LOG_GROUP,
    );
}

#[test]
fn the_role_may_do_nothing_on_star() {
    policies()
        .expect_denied("the role may not create IAM users (iam:CreateUser on \"*\")", "iam:CreateUser", "*")
        .expect_denied(
            "the role may not list every bucket in the account (s3:ListAllMyBuckets on \"*\")",
            "s3:ListAllMyBuckets",
            "*",
        );
}

// The function's resource-based policy (invoke-policy.json). When S3 invokes
// a function for a new object, the request's principal is the S3 service,
// and S3 adds two context keys: aws:SourceArn, the bucket's ARN, and
// aws:SourceAccount, the account that owns the bucket.

#[test]
fn s3_may_invoke_the_function_for_photo_uploads() {
    policies().expect_may_invoke(
        "S3 (s3.amazonaws.com) may invoke the function for an upload to photo-uploads, your account's bucket",
        "s3.amazonaws.com",
        &[("aws:SourceArn", BUCKET), ("aws:SourceAccount", ACCOUNT)],
    );
}

#[test]
fn a_bucket_of_the_same_name_in_another_account_may_not_invoke() {
    policies().expect_may_not_invoke(
        "S3 may not invoke the function for a bucket named photo-uploads that another account (210987654321) owns: a bucket's ARN has no account in it, and a deleted bucket's name can be taken by anyone",
        "s3.amazonaws.com",
        &[("aws:SourceArn", BUCKET), ("aws:SourceAccount", OTHER_ACCOUNT)],
    );
}

#[test]
fn other_buckets_may_not_invoke() {
    policies()
        .expect_may_not_invoke(
            "S3 may not invoke the function for another bucket of your account (other-bucket)",
            "s3.amazonaws.com",
            &[("aws:SourceArn", "arn:aws:s3:::other-bucket"), ("aws:SourceAccount", ACCOUNT)],
        )
        .expect_may_not_invoke(
            "S3 may not invoke the function for a bucket whose name merely starts with photo-uploads (photo-uploads-backup)",
            "s3.amazonaws.com",
            &[("aws:SourceArn", "arn:aws:s3:::photo-uploads-backup"), ("aws:SourceAccount", ACCOUNT)],
        );
}

#[test]
fn other_services_may_not_invoke() {
    policies()
        .expect_may_not_invoke(
            "SNS (sns.amazonaws.com) may not invoke the function, even for a topic of your own account",
            "sns.amazonaws.com",
            &[("aws:SourceArn", "arn:aws:sns:us-east-1:123456789012:photo-events"), ("aws:SourceAccount", ACCOUNT)],
        )
        .expect_may_not_invoke(
            "API Gateway (apigateway.amazonaws.com) may not invoke the function, even for an API of your own account",
            "apigateway.amazonaws.com",
            &[
                ("aws:SourceArn", "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/POST/photos"),
                ("aws:SourceAccount", ACCOUNT),
            ],
        );
}

#[test]
fn other_accounts_may_not_invoke() {
    policies().expect_may_not_invoke(
        "a role in another account (210987654321) may not invoke the function directly",
        "arn:aws:iam::210987654321:role/intruder",
        &[],
    );
}

#[test]
fn the_invoke_policy_names_only_s3() {
    policies().expect_only_principals(
        "the function's policy names S3 (s3.amazonaws.com) as its only principal: not \"*\", not another service",
        &["s3.amazonaws.com"],
    );
}

#[test]
fn s3_may_only_invoke() {
    let from_the_bucket = [("aws:SourceArn", BUCKET), ("aws:SourceAccount", ACCOUNT)];
    policies()
        .expect_function_denies(
            "S3 may not replace the function's code (lambda:UpdateFunctionCode): it only needs to invoke it",
            "s3.amazonaws.com",
            "lambda:UpdateFunctionCode",
            &from_the_bucket,
        )
        .expect_function_denies(
            "S3 may not delete the function (lambda:DeleteFunction)",
            "s3.amazonaws.com",
            "lambda:DeleteFunction",
            &from_the_bucket,
        );
}
