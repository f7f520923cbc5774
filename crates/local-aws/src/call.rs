//! What an SDK request asks for, and what the answer said: the caller's
//! access key and credential scope, the protocol, the operation and the
//! resource of a request, and the error code of a response.
//!
//! This is the gateway's reading of a request, done before it reaches moto,
//! so the call log and the policy hook see the same thing whatever moto
//! makes of it. It is a reading, not a second implementation of AWS: the
//! operation comes from what the protocol states plainly (the
//! `X-Amz-Target` header of the JSON protocol, the `Action` parameter of the
//! query protocol, an `/operation/` path segment of the CBOR one), and only
//! S3's REST API needs a table (method, bucket or key, sub-resource). What
//! it cannot name is `Unknown`, never a guess.

use runtime_api::http::{Request, Response};
use serde_json::Value;

/// One AWS call as the function made it and as it was answered: one line of
/// the invocation's trail, much as CloudTrail records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    /// The service as the request was signed for (`s3`, `dynamodb`, `sqs`).
    pub service: String,
    /// The API operation (`PutObject`, `PutItem`, `SendMessage`), or
    /// `Unknown` when the request does not say in a way the gateway reads.
    pub operation: String,
    /// The ARN of the resource the call names, when it names one the
    /// gateway knows how to read (a bucket or object, a table, a queue, or
    /// any parameter that is an ARN).
    pub resource: Option<String>,
    /// The HTTP status the function's SDK received.
    pub status: u16,
    /// The error code as botocore reports it in `Error.Code` (the query
    /// code of `x-amzn-query-error` when there is one, else the JSON
    /// `__type` after its `#`, the XML `<Code>`, or the status for an error
    /// without a body, such as a HEAD); `None` for a success.
    pub error_code: Option<String>,
    /// The gateway's number for the TCP connection the call came on. An SDK
    /// client keeps its connections open and reuses them, so the calls of a
    /// client made once at init share numbers across invocations, while a
    /// client made anew in each invocation opens connections of its own.
    pub connection: u64,
}

/// A call about to be made, as a policy sees it before the gateway forwards
/// it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallInfo {
    pub service: String,
    pub operation: String,
    pub resource: Option<String>,
    /// The region the request was signed for.
    pub region: String,
    /// The account of the calling function's registration.
    pub account_id: String,
}

/// A policy's refusal: the gateway answers the call with the service's
/// AccessDenied error carrying this message, and does not forward it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub message: String,
}

impl Denial {
    pub fn new(message: impl Into<String>) -> Denial {
        Denial { message: message.into() }
    }

    /// The message AWS gives when no identity-based policy of the caller
    /// allows the action, e.g. `User: arn:aws:sts::111122223333:assumed-role/
    /// orders-role/orders is not authorized to perform: dynamodb:PutItem on
    /// resource: arn:aws:dynamodb:...:table/orders because no identity-based
    /// policy allows the dynamodb:PutItem action`. `action` is the IAM action,
    /// which is not always `service:Operation` (S3's ListObjectsV2 is
    /// authorized as `s3:ListBucket`).
    pub fn no_identity_policy(principal_arn: &str, action: &str, resource: &str) -> Denial {
        Denial::new(format!(
            "User: {principal_arn} is not authorized to perform: {action} on resource: {resource} \
             because no identity-based policy allows the {action} action"
        ))
    }
}

/// How a service frames its requests and errors; the gateway answers an
/// error in the caller's protocol, or botocore could not parse it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Protocol {
    /// S3's REST API with XML bodies.
    RestXml,
    /// The JSON protocol (`X-Amz-Target: Prefix.Operation`): DynamoDB, and
    /// SQS since boto3 1.31.
    Json,
    /// The query protocol (`Action=...` form parameters): SNS, STS, IAM,
    /// and SQS in older SDKs.
    Query,
    /// Smithy's RPC v2 CBOR (`/service/X/operation/Y`): CloudWatch in
    /// recent SDKs. Errors are answered as JSON, which botocore reads for
    /// any protocol that fails to decode.
    Cbor,
    /// REST with JSON bodies: Lambda, API Gateway, and the rest.
    RestJson,
}

/// Who signed a request and for what: the SigV4 credential scope
/// `AKID/date/region/service/aws4_request`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Credential {
    pub(crate) access_key_id: String,
    /// Empty when the signature does not carry it (SigV2, SigV4a).
    pub(crate) region: String,
    pub(crate) service: String,
}

/// The credential a request is signed with: the `Authorization` header, or
/// the query string of a presigned URL. `None` for an unsigned request.
pub(crate) fn credential(req: &Request) -> Option<Credential> {
    if let Some(auth) = req.header("authorization") {
        if let Some(rest) = auth.strip_prefix("AWS ") {
            // SigV2 (`AWS AKID:signature`), which only S3 still takes.
            let access_key_id = rest.split(':').next()?.trim().to_string();
            return Some(Credential { access_key_id, region: String::new(), service: "s3".into() });
        }
        let scope = auth.split([' ', ',']).find_map(|part| part.trim().strip_prefix("Credential="))?;
        return parse_scope(scope);
    }
    let (_, query) = split_target(&req.path);
    let params = parse_form(query);
    if let Some(scope) = param(&params, "X-Amz-Credential") {
        return parse_scope(scope);
    }
    // A SigV2 presigned S3 URL.
    param(&params, "AWSAccessKeyId").map(|key| Credential {
        access_key_id: key.to_string(),
        region: String::new(),
        service: "s3".into(),
    })
}

fn parse_scope(scope: &str) -> Option<Credential> {
    let parts: Vec<&str> = scope.split('/').collect();
    let (access_key_id, region, service) = match parts.as_slice() {
        [key, _date, region, service, _terminator] => (key, *region, service),
        // SigV4a: signed for a set of regions, which is a header of its own.
        [key, _date, service, _terminator] => (key, "", service),
        _ => return None,
    };
    if access_key_id.is_empty() {
        return None;
    }
    Some(Credential {
        access_key_id: access_key_id.to_string(),
        region: region.to_string(),
        service: service.to_string(),
    })
}

/// Which protocol a request speaks, from the signed service and the request.
pub(crate) fn protocol(req: &Request, service: &str) -> Protocol {
    if service == "s3" {
        return Protocol::RestXml;
    }
    if req.header("x-amz-target").is_some() {
        return Protocol::Json;
    }
    if req.header("smithy-protocol").is_some_and(|p| p.eq_ignore_ascii_case("rpc-v2-cbor")) {
        return Protocol::Cbor;
    }
    let form = req.header("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let (_, query) = split_target(&req.path);
    if (form && param(&parse_form(&String::from_utf8_lossy(&req.body)), "Action").is_some())
        || param(&parse_form(query), "Action").is_some()
    {
        return Protocol::Query;
    }
    Protocol::RestJson
}

/// What a request asks for: the call as the log and the policy see it.
pub(crate) fn describe(req: &Request, credential: &Credential, account_id: &str, default_region: &str) -> CallInfo {
    let region = if credential.region.is_empty() { default_region } else { credential.region.as_str() };
    let service = credential.service.as_str();
    let protocol = protocol(req, service);
    let (path, query) = split_target(&req.path);
    let query = parse_form(query);
    let (operation, resource) = match protocol {
        Protocol::RestXml => {
            let (bucket, key) = bucket_and_key(req.header("host").unwrap_or(""), path);
            let operation = s3_operation(&req.method, bucket.as_deref(), key.is_some(), &query, req);
            let resource = bucket.map(|bucket| {
                let arn = format!("arn:{}:s3:::{bucket}", partition(region));
                match key {
                    Some(key) => format!("{arn}/{key}"),
                    None => arn,
                }
            });
            (operation, resource)
        }
        Protocol::Json => {
            let target = req.header("x-amz-target").unwrap_or("");
            let operation = target.rsplit('.').next().unwrap_or(target).to_string();
            let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let resource = json_resource(service, &body, path, region, account_id);
            (operation, resource)
        }
        Protocol::Query => {
            let mut params = parse_form(&String::from_utf8_lossy(&req.body));
            params.extend(query);
            let operation = param(&params, "Action").unwrap_or("Unknown").to_string();
            let lookup = |name: &str| param(&params, name).map(str::to_string);
            let resource = named_resource(service, &lookup, path, region, account_id)
                .or_else(|| params.iter().find(|(name, value)| is_arn_param(name, value)).map(|(_, v)| v.clone()));
            (operation, resource)
        }
        Protocol::Cbor => {
            let operation = path.rsplit_once("/operation/").map_or("Unknown", |(_, op)| op).to_string();
            (operation, None)
        }
        Protocol::RestJson => ("Unknown".to_string(), None),
    };
    CallInfo {
        service: service.to_string(),
        operation,
        resource,
        region: region.to_string(),
        account_id: account_id.to_string(),
    }
}

/// The error code of a response as botocore would report it, for a status
/// of 300 or more; `None` for a success.
pub(crate) fn error_code(resp: &Response) -> Option<String> {
    if resp.status < 300 {
        return None;
    }
    // SQS's JSON protocol carries the code older SDKs knew in a header, and
    // botocore reports that one (parsers.py, _do_query_compatible_error_parse).
    if let Some(code) = resp.header("x-amzn-query-error").and_then(|h| h.split(';').next()).filter(|c| !c.is_empty()) {
        return Some(code.to_string());
    }
    if let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&resp.body) {
        if let Some(code) = body.get("__type").or_else(|| body.get("code")).and_then(Value::as_str) {
            return Some(short_code(code));
        }
    }
    if let Some(code) = resp.header("x-amzn-errortype") {
        return Some(short_code(code));
    }
    let text = String::from_utf8_lossy(&resp.body);
    if let Some(code) = xml_element(&text, "Code") {
        return Some(code.to_string());
    }
    Some(resp.status.to_string())
}

/// `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException` and
/// `ValidationException:http://internal.amazon.com/...` both mean the part
/// botocore keeps: the name after `#`, before any `:`.
fn short_code(code: &str) -> String {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code).to_string()
}

/// The text of the first `<name>...</name>` element; error documents are
/// small and flat, so a search is enough.
pub(crate) fn xml_element<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(text[start..end].trim())
}

/// The partition of a region's ARNs.
pub(crate) fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    }
}

/// The path and the query string of a request target.
pub(crate) fn split_target(target: &str) -> (&str, &str) {
    target.split_once('?').unwrap_or((target, ""))
}

/// Form or query-string parameters, decoded (`+` is a space there).
pub(crate) fn parse_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(&name.replace('+', " ")), percent_decode(&value.replace('+', " ")))
        })
        .collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// `%XX` escapes decoded to bytes, then read as UTF-8 (an S3 key is UTF-8).
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The bucket and key an S3 request names. Virtual-hosted style puts the
/// bucket in the host (`orders.localhost:4566`, `orders.127.0.0.1:4566`,
/// `orders.s3.us-east-1.amazonaws.com`), path style in the first path
/// segment (botocore uses it for an endpoint that is an IP address, like
/// the gateway's). The key is URL-decoded.
pub(crate) fn bucket_and_key(host: &str, path: &str) -> (Option<String>, Option<String>) {
    let host =
        host.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit())).map_or(host, |(h, _)| h);
    let path = path.strip_prefix('/').unwrap_or(path);
    let from_host = virtual_host_bucket(host);
    let (bucket, key) = match from_host {
        Some(bucket) => (Some(bucket), (!path.is_empty()).then(|| path.to_string())),
        None => match path.split_once('/') {
            Some((bucket, key)) => (Some(bucket.to_string()), (!key.is_empty()).then(|| key.to_string())),
            None => ((!path.is_empty()).then(|| path.to_string()), None),
        },
    };
    let bucket = bucket.map(|b| percent_decode(&b)).filter(|b| !b.is_empty());
    (bucket, key.map(|k| percent_decode(&k)))
}

fn virtual_host_bucket(host: &str) -> Option<String> {
    if host.parse::<std::net::IpAddr>().is_ok() || host == "localhost" {
        return None;
    }
    for base in [".localhost", ".127.0.0.1"] {
        if let Some(bucket) = host.strip_suffix(base) {
            return Some(bucket.to_string());
        }
    }
    // bucket.s3.amazonaws.com, bucket.s3.REGION.amazonaws.com,
    // bucket.s3-REGION.amazonaws.com
    if host.ends_with(".amazonaws.com") {
        if let Some((bucket, rest)) = host.split_once(".s3") {
            if rest.starts_with('.') || rest.starts_with('-') {
                return Some(bucket.to_string());
            }
        }
    }
    None
}

/// S3 operations by method, by what the path names (`Root`: no bucket),
/// and by the sub-resource in the query string (a parameter name, or
/// `name=value`), read off the `http` blocks of botocore's S3 model
/// (botocore/data/s3/2006-03-01/service-2.json). Entries with a
/// sub-resource come before the plain one; where the model gives two
/// operations the same request line (GetBucketLifecycle and
/// GetBucketLifecycleConfiguration), the current one is named. The
/// requests the model tells apart only by other parameters (an upload id,
/// a copy source) are in `s3_operation`.
const S3_OPERATIONS: &[(&str, Names, &str, &str)] = &[
    ("GET", Names::Root, "", "ListBuckets"),
    ("HEAD", Names::Bucket, "", "HeadBucket"),
    ("PUT", Names::Bucket, "accelerate", "PutBucketAccelerateConfiguration"),
    ("PUT", Names::Bucket, "acl", "PutBucketAcl"),
    ("PUT", Names::Bucket, "analytics", "PutBucketAnalyticsConfiguration"),
    ("PUT", Names::Bucket, "cors", "PutBucketCors"),
    ("PUT", Names::Bucket, "encryption", "PutBucketEncryption"),
    ("PUT", Names::Bucket, "intelligent-tiering", "PutBucketIntelligentTieringConfiguration"),
    ("PUT", Names::Bucket, "inventory", "PutBucketInventoryConfiguration"),
    ("PUT", Names::Bucket, "lifecycle", "PutBucketLifecycleConfiguration"),
    ("PUT", Names::Bucket, "logging", "PutBucketLogging"),
    ("PUT", Names::Bucket, "metrics", "PutBucketMetricsConfiguration"),
    ("PUT", Names::Bucket, "notification", "PutBucketNotificationConfiguration"),
    ("PUT", Names::Bucket, "object-lock", "PutObjectLockConfiguration"),
    ("PUT", Names::Bucket, "ownershipControls", "PutBucketOwnershipControls"),
    ("PUT", Names::Bucket, "policy", "PutBucketPolicy"),
    ("PUT", Names::Bucket, "publicAccessBlock", "PutPublicAccessBlock"),
    ("PUT", Names::Bucket, "replication", "PutBucketReplication"),
    ("PUT", Names::Bucket, "requestPayment", "PutBucketRequestPayment"),
    ("PUT", Names::Bucket, "tagging", "PutBucketTagging"),
    ("PUT", Names::Bucket, "versioning", "PutBucketVersioning"),
    ("PUT", Names::Bucket, "website", "PutBucketWebsite"),
    ("PUT", Names::Bucket, "", "CreateBucket"),
    ("DELETE", Names::Bucket, "analytics", "DeleteBucketAnalyticsConfiguration"),
    ("DELETE", Names::Bucket, "cors", "DeleteBucketCors"),
    ("DELETE", Names::Bucket, "encryption", "DeleteBucketEncryption"),
    ("DELETE", Names::Bucket, "intelligent-tiering", "DeleteBucketIntelligentTieringConfiguration"),
    ("DELETE", Names::Bucket, "inventory", "DeleteBucketInventoryConfiguration"),
    ("DELETE", Names::Bucket, "lifecycle", "DeleteBucketLifecycle"),
    ("DELETE", Names::Bucket, "metrics", "DeleteBucketMetricsConfiguration"),
    ("DELETE", Names::Bucket, "ownershipControls", "DeleteBucketOwnershipControls"),
    ("DELETE", Names::Bucket, "policy", "DeleteBucketPolicy"),
    ("DELETE", Names::Bucket, "publicAccessBlock", "DeletePublicAccessBlock"),
    ("DELETE", Names::Bucket, "replication", "DeleteBucketReplication"),
    ("DELETE", Names::Bucket, "tagging", "DeleteBucketTagging"),
    ("DELETE", Names::Bucket, "website", "DeleteBucketWebsite"),
    ("DELETE", Names::Bucket, "", "DeleteBucket"),
    ("GET", Names::Bucket, "list-type=2", "ListObjectsV2"),
    ("GET", Names::Bucket, "versions", "ListObjectVersions"),
    ("GET", Names::Bucket, "uploads", "ListMultipartUploads"),
    ("GET", Names::Bucket, "location", "GetBucketLocation"),
    ("GET", Names::Bucket, "accelerate", "GetBucketAccelerateConfiguration"),
    ("GET", Names::Bucket, "acl", "GetBucketAcl"),
    ("GET", Names::Bucket, "cors", "GetBucketCors"),
    ("GET", Names::Bucket, "encryption", "GetBucketEncryption"),
    ("GET", Names::Bucket, "lifecycle", "GetBucketLifecycleConfiguration"),
    ("GET", Names::Bucket, "logging", "GetBucketLogging"),
    ("GET", Names::Bucket, "notification", "GetBucketNotificationConfiguration"),
    ("GET", Names::Bucket, "object-lock", "GetObjectLockConfiguration"),
    ("GET", Names::Bucket, "ownershipControls", "GetBucketOwnershipControls"),
    ("GET", Names::Bucket, "policy", "GetBucketPolicy"),
    ("GET", Names::Bucket, "policyStatus", "GetBucketPolicyStatus"),
    ("GET", Names::Bucket, "publicAccessBlock", "GetPublicAccessBlock"),
    ("GET", Names::Bucket, "replication", "GetBucketReplication"),
    ("GET", Names::Bucket, "requestPayment", "GetBucketRequestPayment"),
    ("GET", Names::Bucket, "tagging", "GetBucketTagging"),
    ("GET", Names::Bucket, "versioning", "GetBucketVersioning"),
    ("GET", Names::Bucket, "website", "GetBucketWebsite"),
    ("GET", Names::Bucket, "", "ListObjects"),
    ("POST", Names::Bucket, "delete", "DeleteObjects"),
    ("PUT", Names::Key, "acl", "PutObjectAcl"),
    ("PUT", Names::Key, "legal-hold", "PutObjectLegalHold"),
    ("PUT", Names::Key, "retention", "PutObjectRetention"),
    ("PUT", Names::Key, "tagging", "PutObjectTagging"),
    ("GET", Names::Key, "acl", "GetObjectAcl"),
    ("GET", Names::Key, "attributes", "GetObjectAttributes"),
    ("GET", Names::Key, "legal-hold", "GetObjectLegalHold"),
    ("GET", Names::Key, "retention", "GetObjectRetention"),
    ("GET", Names::Key, "tagging", "GetObjectTagging"),
    ("GET", Names::Key, "uploadId", "ListParts"),
    ("GET", Names::Key, "", "GetObject"),
    ("HEAD", Names::Key, "", "HeadObject"),
    ("DELETE", Names::Key, "tagging", "DeleteObjectTagging"),
    ("DELETE", Names::Key, "uploadId", "AbortMultipartUpload"),
    ("DELETE", Names::Key, "", "DeleteObject"),
    ("POST", Names::Key, "uploads", "CreateMultipartUpload"),
    ("POST", Names::Key, "uploadId", "CompleteMultipartUpload"),
    ("POST", Names::Key, "restore", "RestoreObject"),
    ("POST", Names::Key, "select", "SelectObjectContent"),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Names {
    Root,
    Bucket,
    Key,
}

fn s3_operation(
    method: &str,
    bucket: Option<&str>,
    has_key: bool,
    query: &[(String, String)],
    req: &Request,
) -> String {
    let names = match (bucket, has_key) {
        (None, _) => Names::Root,
        (Some(_), false) => Names::Bucket,
        (Some(_), true) => Names::Key,
    };
    if names == Names::Key && method == "PUT" && query.iter().all(|(name, _)| !is_object_subresource(name)) {
        // One request line, four operations: the model tells them apart by
        // the copy source header and the part number and upload id.
        let copy = req.header("x-amz-copy-source").is_some();
        let part = param(query, "partNumber").is_some() && param(query, "uploadId").is_some();
        let operation = match (copy, part) {
            (false, false) => "PutObject",
            (true, false) => "CopyObject",
            (false, true) => "UploadPart",
            (true, true) => "UploadPartCopy",
        };
        return operation.to_string();
    }
    let matches = |subresource: &str| match subresource.split_once('=') {
        // The plain operation of a request line: only when nothing in the
        // query names a sub-resource this table does not know.
        _ if subresource.is_empty() => query.iter().all(|(name, _)| is_ordinary_param(name)),
        Some((name, value)) => param(query, name) == Some(value),
        None => param(query, subresource).is_some(),
    };
    S3_OPERATIONS
        .iter()
        .find(|(m, n, subresource, _)| *m == method && *n == names && matches(subresource))
        .map_or("Unknown", |(_, _, _, operation)| operation)
        .to_string()
}

/// Query parameters that qualify a request without naming a sub-resource:
/// the list operations' own, the object operations' own, the response
/// header overrides, and a presigned URL's signature.
fn is_ordinary_param(name: &str) -> bool {
    matches!(
        name,
        "delimiter" | "encoding-type" | "marker" | "max-keys" | "prefix" | "versionId" | "partNumber" | "x-id"
    ) || name.starts_with("response-")
        || name.starts_with("X-Amz-")
        || matches!(name, "AWSAccessKeyId" | "Expires" | "Signature")
}

fn is_object_subresource(name: &str) -> bool {
    matches!(name, "acl" | "legal-hold" | "retention" | "tagging" | "encryption" | "renameObject")
}

/// The resource a JSON-protocol request names.
fn json_resource(service: &str, body: &Value, path: &str, region: &str, account_id: &str) -> Option<String> {
    let lookup = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_string);
    if let Some(resource) = named_resource(service, &lookup, path, region, account_id) {
        return Some(resource);
    }
    if service == "dynamodb" {
        // The batch and transaction operations name their tables inside:
        // the first one stands for the call.
        let table = body
            .get("RequestItems")
            .and_then(Value::as_object)
            .and_then(|items| items.keys().next().cloned())
            .or_else(|| {
                let items = body.get("TransactItems")?.as_array()?;
                items.iter().find_map(|item| {
                    item.as_object()?.values().find_map(|action| action.get("TableName")?.as_str().map(str::to_string))
                })
            })?;
        return Some(dynamodb_table_arn(&table, region, account_id));
    }
    body.as_object()?
        .iter()
        .find_map(|(name, value)| value.as_str().filter(|v| is_arn_param(name, v)).map(str::to_string))
}

/// The resource of the services whose requests name it by a parameter of
/// their own: DynamoDB's `TableName`, SQS's `QueueUrl` or `QueueName`.
fn named_resource(
    service: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    path: &str,
    region: &str,
    account_id: &str,
) -> Option<String> {
    match service {
        "dynamodb" => lookup("TableName").map(|table| dynamodb_table_arn(&table, region, account_id)),
        "sqs" => {
            // A queue URL ends in /ACCOUNT/NAME; the query protocol may also
            // send the request to that path.
            let from_url = |url: &str| url.trim_end_matches('/').rsplit('/').next().map(str::to_string);
            let path_queue = || {
                let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
                (segments.len() == 2).then(|| segments[1].to_string())
            };
            let name = lookup("QueueUrl")
                .and_then(|url| from_url(&url))
                .or_else(|| lookup("QueueName"))
                .or_else(path_queue)?;
            Some(format!("arn:{}:sqs:{region}:{account_id}:{name}", partition(region)))
        }
        _ => None,
    }
}

fn dynamodb_table_arn(table: &str, region: &str, account_id: &str) -> String {
    // DynamoDB also takes a table's ARN where it takes its name.
    if table.starts_with("arn:") {
        return table.to_string();
    }
    format!("arn:{}:dynamodb:{region}:{account_id}:table/{table}", partition(region))
}

/// A parameter that holds an ARN (`TopicArn`, `stateMachineArn`): the
/// resource of the services this module has no rule for.
fn is_arn_param(name: &str, value: &str) -> bool {
    (name.ends_with("Arn") || name.ends_with("ARN")) && value.starts_with("arn:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Request {
        Request {
            method: method.into(),
            path: path.into(),
            headers: headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
            chunked: false,
        }
    }

    const S3_AUTH: &str = "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE00/20250101/eu-west-1/s3/aws4_request, \
                           SignedHeaders=host;x-amz-date, Signature=abc";

    fn s3(method: &str, path: &str, extra: &[(&str, &str)]) -> CallInfo {
        let mut headers = vec![("Host", "127.0.0.1:4566"), ("Authorization", S3_AUTH)];
        headers.extend_from_slice(extra);
        let req = request(method, path, &headers, "");
        let cred = credential(&req).unwrap();
        describe(&req, &cred, "111122223333", "us-east-1")
    }

    fn op_and_resource(info: CallInfo) -> (String, Option<String>) {
        (info.operation, info.resource)
    }

    #[test]
    fn the_credential_scope_names_the_key_region_and_service() {
        let req = request("GET", "/", &[("Authorization", S3_AUTH)], "");
        let cred = credential(&req).unwrap();
        assert_eq!(
            cred,
            Credential {
                access_key_id: "ASIAEXAMPLEEXAMPLE00".into(),
                region: "eu-west-1".into(),
                service: "s3".into()
            }
        );
        let presigned = request(
            "GET",
            "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAXYZ%2F20250101%2Fus-east-2%2Fs3%2Faws4_request",
            &[],
            "",
        );
        assert_eq!(credential(&presigned).unwrap().access_key_id, "ASIAXYZ");
        assert_eq!(credential(&presigned).unwrap().region, "us-east-2");
        assert_eq!(
            credential(&request("GET", "/", &[("Authorization", "AWS AKIAOLD:sig")], "")).unwrap().service,
            "s3"
        );
        assert_eq!(credential(&request("GET", "/", &[], "")), None);
    }

    #[test]
    fn s3_operations_by_method_path_and_subresource() {
        let arn = |s: &str| Some(s.to_string());
        assert_eq!(op_and_resource(s3("GET", "/", &[])), ("ListBuckets".into(), None));
        assert_eq!(op_and_resource(s3("PUT", "/orders", &[])), ("CreateBucket".into(), arn("arn:aws:s3:::orders")));
        assert_eq!(s3("DELETE", "/orders", &[]).operation, "DeleteBucket");
        assert_eq!(s3("HEAD", "/orders", &[]).operation, "HeadBucket");
        assert_eq!(
            op_and_resource(s3("PUT", "/orders/in/2025/a%20b%2B.json", &[])),
            ("PutObject".into(), arn("arn:aws:s3:::orders/in/2025/a b+.json"))
        );
        assert_eq!(s3("GET", "/orders/k", &[]).operation, "GetObject");
        assert_eq!(s3("HEAD", "/orders/k", &[]).operation, "HeadObject");
        assert_eq!(s3("DELETE", "/orders/k", &[]).operation, "DeleteObject");
        assert_eq!(
            op_and_resource(s3("POST", "/orders?delete", &[])),
            ("DeleteObjects".into(), arn("arn:aws:s3:::orders"))
        );
        assert_eq!(s3("GET", "/orders?list-type=2&prefix=in%2F", &[]).operation, "ListObjectsV2");
        assert_eq!(s3("GET", "/orders?prefix=in", &[]).operation, "ListObjects");
        assert_eq!(s3("GET", "/orders?encoding-type=url", &[]).operation, "ListObjects");
        assert_eq!(s3("GET", "/orders?analytics&id=a", &[]).operation, "Unknown");
        assert_eq!(s3("GET", "/orders/k?versionId=3&response-content-type=text%2Fplain", &[]).operation, "GetObject");
        assert_eq!(
            s3("GET", "/orders/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=60", &[]).operation,
            "GetObject"
        );
        assert_eq!(s3("PUT", "/orders/copy", &[("x-amz-copy-source", "orders/k")]).operation, "CopyObject");
        assert_eq!(s3("PUT", "/orders/k?tagging", &[]).operation, "PutObjectTagging");
        assert_eq!(s3("PUT", "/orders?tagging", &[]).operation, "PutBucketTagging");
        assert_eq!(s3("GET", "/orders?location", &[]).operation, "GetBucketLocation");
        assert_eq!(s3("POST", "/orders/k?uploads", &[]).operation, "CreateMultipartUpload");
        assert_eq!(s3("PUT", "/orders/k?partNumber=1&uploadId=u", &[]).operation, "UploadPart");
        assert_eq!(s3("POST", "/orders/k?uploadId=u", &[]).operation, "CompleteMultipartUpload");
        assert_eq!(s3("DELETE", "/orders/k?uploadId=u", &[]).operation, "AbortMultipartUpload");
        assert_eq!(s3("GET", "/orders/k?uploadId=u", &[]).operation, "ListParts");
        assert_eq!(s3("PATCH", "/orders/k", &[]).operation, "Unknown");
        assert_eq!(s3("POST", "/", &[]).operation, "Unknown");
    }

    #[test]
    fn s3_virtual_hosted_requests_name_the_bucket_in_the_host() {
        for host in ["orders.localhost:4566", "orders.127.0.0.1:4566", "orders.s3.eu-west-1.amazonaws.com"] {
            let req = request("GET", "/in/a.json", &[("Host", host), ("Authorization", S3_AUTH)], "");
            let info = describe(&req, &credential(&req).unwrap(), "111122223333", "us-east-1");
            assert_eq!(
                op_and_resource(info),
                ("GetObject".into(), Some("arn:aws:s3:::orders/in/a.json".into())),
                "{host}"
            );
            let req = request("GET", "/?list-type=2", &[("Host", host), ("Authorization", S3_AUTH)], "");
            let info = describe(&req, &credential(&req).unwrap(), "111122223333", "us-east-1");
            assert_eq!(op_and_resource(info), ("ListObjectsV2".into(), Some("arn:aws:s3:::orders".into())), "{host}");
        }
        assert_eq!(bucket_and_key("localhost:4566", "/orders/k"), (Some("orders".into()), Some("k".into())));
        assert_eq!(bucket_and_key("127.0.0.1", "/orders/"), (Some("orders".into()), None));
    }

    fn json_call(service: &str, target: &str, body: &str) -> CallInfo {
        let auth = format!("AWS4-HMAC-SHA256 Credential=ASIAK/20250101/eu-west-1/{service}/aws4_request, Signature=x");
        let req = request(
            "POST",
            "/",
            &[("X-Amz-Target", target), ("Content-Type", "application/x-amz-json-1.0"), ("Authorization", &auth)],
            body,
        );
        assert_eq!(protocol(&req, service), Protocol::Json);
        describe(&req, &credential(&req).unwrap(), "111122223333", "us-east-1")
    }

    #[test]
    fn json_protocol_operations_come_from_the_target_and_resources_from_the_body() {
        let info = json_call("dynamodb", "DynamoDB_20120810.PutItem", r#"{"TableName":"orders","Item":{}}"#);
        assert_eq!(
            (info.operation.as_str(), info.resource.as_deref(), info.region.as_str()),
            ("PutItem", Some("arn:aws:dynamodb:eu-west-1:111122223333:table/orders"), "eu-west-1")
        );
        let batch = json_call("dynamodb", "DynamoDB_20120810.BatchWriteItem", r#"{"RequestItems":{"a":[],"b":[]}}"#);
        assert_eq!(batch.resource.as_deref(), Some("arn:aws:dynamodb:eu-west-1:111122223333:table/a"));
        let transact = json_call(
            "dynamodb",
            "DynamoDB_20120810.TransactWriteItems",
            r#"{"TransactItems":[{"Put":{"TableName":"t","Item":{}}}]}"#,
        );
        assert_eq!(transact.resource.as_deref(), Some("arn:aws:dynamodb:eu-west-1:111122223333:table/t"));
        assert_eq!(json_call("dynamodb", "DynamoDB_20120810.ListTables", "{}").resource, None);

        let send = json_call(
            "sqs",
            "AmazonSQS.SendMessage",
            r#"{"QueueUrl":"http://127.0.0.1:1/111122223333/jobs","MessageBody":"x"}"#,
        );
        assert_eq!(
            (send.operation.as_str(), send.resource.as_deref()),
            ("SendMessage", Some("arn:aws:sqs:eu-west-1:111122223333:jobs"))
        );
        let create = json_call("sqs", "AmazonSQS.CreateQueue", r#"{"QueueName":"jobs"}"#);
        assert_eq!(create.resource.as_deref(), Some("arn:aws:sqs:eu-west-1:111122223333:jobs"));
        let sfn = json_call(
            "states",
            "AWSStepFunctions.StartExecution",
            r#"{"stateMachineArn":"arn:aws:states:eu-west-1:111122223333:stateMachine:m"}"#,
        );
        assert_eq!(sfn.resource.as_deref(), Some("arn:aws:states:eu-west-1:111122223333:stateMachine:m"));
    }

    #[test]
    fn query_protocol_operations_come_from_the_action() {
        let auth = "AWS4-HMAC-SHA256 Credential=ASIAK/20250101/us-east-1/sqs/aws4_request, Signature=x";
        let req = request(
            "POST",
            "/",
            &[("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Authorization", auth)],
            "Action=SendMessage&QueueUrl=http%3A%2F%2F127.0.0.1%3A1%2F111122223333%2Fjobs&MessageBody=hi+there&Version=2012-11-05",
        );
        assert_eq!(protocol(&req, "sqs"), Protocol::Query);
        let info = describe(&req, &credential(&req).unwrap(), "111122223333", "us-east-1");
        assert_eq!(
            (info.operation.as_str(), info.resource.as_deref()),
            ("SendMessage", Some("arn:aws:sqs:us-east-1:111122223333:jobs"))
        );
        let auth = "AWS4-HMAC-SHA256 Credential=ASIAK/20250101/us-east-1/sns/aws4_request, Signature=x";
        let req = request(
            "POST",
            "/",
            &[("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", auth)],
            "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A111122223333%3Anews&Message=m",
        );
        let info = describe(&req, &credential(&req).unwrap(), "111122223333", "us-east-1");
        assert_eq!(info.resource.as_deref(), Some("arn:aws:sns:us-east-1:111122223333:news"));
    }

    #[test]
    fn other_protocols_say_unknown_rather_than_guess() {
        let auth = "AWS4-HMAC-SHA256 Credential=ASIAK/20250101/us-east-1/lambda/aws4_request, Signature=x";
        let req = request("POST", "/2015-03-31/functions/f/invocations", &[("Authorization", auth)], "{}");
        assert_eq!(protocol(&req, "lambda"), Protocol::RestJson);
        assert_eq!(describe(&req, &credential(&req).unwrap(), "1", "us-east-1").operation, "Unknown");
        let auth = "AWS4-HMAC-SHA256 Credential=ASIAK/20250101/us-east-1/monitoring/aws4_request, Signature=x";
        let req = request(
            "POST",
            "/service/GraniteServiceVersion20100801/operation/PutMetricData",
            &[("Authorization", auth), ("Smithy-Protocol", "rpc-v2-cbor")],
            "",
        );
        assert_eq!(describe(&req, &credential(&req).unwrap(), "1", "us-east-1").operation, "PutMetricData");
    }

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Response {
        Response {
            status,
            reason: String::new(),
            headers: headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
            close: false,
        }
    }

    #[test]
    fn error_codes_as_botocore_reports_them() {
        assert_eq!(error_code(&response(200, &[], "<Error><Code>X</Code></Error>")), None);
        let xml = "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>m</Message></Error>";
        assert_eq!(error_code(&response(404, &[], xml)).as_deref(), Some("NoSuchKey"));
        let json = r#"{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"m"}"#;
        assert_eq!(error_code(&response(400, &[], json)).as_deref(), Some("ResourceNotFoundException"));
        let sqs = response(
            400,
            &[("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender")],
            r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist"}"#,
        );
        assert_eq!(error_code(&sqs).as_deref(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        let rest = response(404, &[("x-amzn-errortype", "ResourceNotFoundException:http://internal/")], "{}");
        assert_eq!(error_code(&rest).as_deref(), Some("ResourceNotFoundException"));
        assert_eq!(error_code(&response(404, &[], "")).as_deref(), Some("404"));
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%20b%2Fc%E2%82%AC"), "a b/c\u{20ac}");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
