//! The execution role at work. On Lambda, a function calls other services
//! with its execution role's temporary credentials, and IAM decides each
//! call against the role's permissions policies: what no statement allows is
//! denied, and the SDK raises `AccessDenied` (S3, SQS) or
//! `AccessDeniedException` (DynamoDB) naming the role's session, the action
//! and the resource. [`role_policy`] makes that decision for the local AWS:
//! each call the gateway sees is turned into an IAM request (the action the
//! operation needs, the resource it names, the role's session as principal)
//! and put to this crate's evaluator.
//!
//! Most operations need the action of the same name (`s3:PutObject`,
//! `dynamodb:PutItem`, `sqs:SendMessage`); [`action_for`] holds the
//! exceptions, from the service references.
//!
//! Not modelled: resource-based policies (bucket and queue policies), and
//! the second action some operations need besides their own (CopyObject's
//! `s3:GetObject` on the source object is not checked, only `s3:PutObject`
//! on the destination).

use crate::{Policy, Principal, Request, Verdict, evaluate};
use harness::aws::{CallInfo, Denial, RolePolicy};
use std::sync::Arc;

/// The IAM action an operation needs. Sources: the Amazon S3 API Reference
/// ("Permissions" of ListObjectsV2, ListObjects and HeadBucket: s3:ListBucket;
/// HeadObject: s3:GetObject; DeleteObjects: s3:DeleteObject; ListBuckets:
/// s3:ListAllMyBuckets), the Amazon SQS Developer Guide (the batch actions
/// need the permission of their single form), and the DynamoDB actions,
/// which are named after their operations.
pub fn action_for(service: &str, operation: &str) -> String {
    let action = match (service, operation) {
        ("s3", "ListObjectsV2" | "ListObjects" | "HeadBucket") => "ListBucket",
        ("s3", "HeadObject") => "GetObject",
        ("s3", "DeleteObjects") => "DeleteObject",
        ("s3", "ListBuckets") => "ListAllMyBuckets",
        ("sqs", "SendMessageBatch") => "SendMessage",
        ("sqs", "DeleteMessageBatch") => "DeleteMessage",
        ("sqs", "ChangeMessageVisibilityBatch") => "ChangeMessageVisibility",
        _ => operation,
    };
    format!("{service}:{action}")
}

/// A role whose permissions are `permissions`, for a function named
/// `function` in the role `role_name`: the decision of each of the
/// function's calls at the local AWS, with AWS's wording when it is denied
/// (IAM User Guide, "Troubleshoot access denied error messages").
pub fn role_policy(permissions: Policy, role_name: &str, function: &str) -> RolePolicy {
    let role_name = role_name.to_string();
    let function = function.to_string();
    RolePolicy(Arc::new(move |call: &CallInfo| {
        let session = format!("arn:aws:sts::{}:assumed-role/{role_name}/{function}", call.account_id);
        let action = action_for(&call.service, &call.operation);
        let resource = call.resource.clone().unwrap_or_else(|| "*".into());
        let principal = Principal::Aws(session.clone());
        let decision = evaluate(&[("permissions", &permissions)], &Request::new(principal, &action, &resource));
        match decision.verdict {
            Verdict::Allowed => None,
            Verdict::ImplicitDeny => Some(Denial::no_identity_policy(&session, &action, &resource)),
            Verdict::ExplicitDeny => Some(Denial::new(format!(
                "User: {session} is not authorized to perform: {action} on resource: {resource} with an explicit \
                 deny in an identity-based policy"
            ))),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PolicyKind;

    fn call(service: &str, operation: &str, resource: Option<&str>) -> CallInfo {
        CallInfo {
            service: service.into(),
            operation: operation.into(),
            resource: resource.map(str::to_string),
            region: "us-east-1".into(),
            account_id: "111122223333".into(),
        }
    }

    fn policy(text: &str) -> Policy {
        Policy::from_text(PolicyKind::Identity, text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn operations_need_the_actions_the_service_references_name() {
        assert_eq!(action_for("s3", "PutObject"), "s3:PutObject");
        assert_eq!(action_for("s3", "ListObjectsV2"), "s3:ListBucket");
        assert_eq!(action_for("s3", "HeadObject"), "s3:GetObject");
        assert_eq!(action_for("sqs", "SendMessageBatch"), "sqs:SendMessage");
        assert_eq!(action_for("dynamodb", "PutItem"), "dynamodb:PutItem");
    }

    #[test]
    fn what_no_statement_allows_is_denied_in_aws_words() {
        let role = role_policy(
            policy(
                r#"{"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::uploads/*"},
                    {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::uploads/private/*"}]}"#,
            ),
            "orders-role",
            "orders",
        );
        assert_eq!((role.0)(&call("s3", "GetObject", Some("arn:aws:s3:::uploads/a.jpg"))), None);
        assert_eq!(
            (role.0)(&call("s3", "PutObject", Some("arn:aws:s3:::uploads/a.jpg"))).map(|d| d.message),
            Some(
                "User: arn:aws:sts::111122223333:assumed-role/orders-role/orders is not authorized to perform: \
                 s3:PutObject on resource: arn:aws:s3:::uploads/a.jpg because no identity-based policy allows the \
                 s3:PutObject action"
                    .to_string()
            )
        );
        let private = (role.0)(&call("s3", "GetObject", Some("arn:aws:s3:::uploads/private/b.jpg")));
        assert!(private.is_some_and(|d| d.message.ends_with("with an explicit deny in an identity-based policy")));
        assert!((role.0)(&call("s3", "ListObjectsV2", Some("arn:aws:s3:::uploads"))).is_some());
    }
}
