//! The optimised service integrations a Task can call besides Lambda:
//! DynamoDB's `putItem`, `getItem`, `updateItem` and `deleteItem`, and
//! SQS's `sendMessage`, request-response only (AWS has no `.sync` for
//! them; `.waitForTaskToken` needs a SendTaskSuccess the local runner has
//! no API for). Each call goes to the process's local AWS (moto behind the
//! gateway, the `local-aws` crate) in the execution's own [`Account`], as
//! Step Functions calls the service with the execution role's credentials.
//!
//! What the Task sends and gets, as recorded against AWS (LocalStack's
//! parity snapshots in `tests/recorded/cases.json`: its
//! `test_dynamodb_task_service`, `test_sqs_task_service`,
//! `test_task_service_dynamodb`, `test_task_service_sqs` and
//! `test_base_scenarios`):
//! - the request is the state's Parameters (or Arguments), the service
//!   API's request as its SDK takes it: DynamoDB's typed AttributeValues,
//!   SQS's QueueUrl and MessageBody. Members that are `null` are left out,
//!   as the SDK leaves them out; a MessageBody that is not a string is sent
//!   as its JSON text (AWS's integration serialises it).
//! - the result is the API's response with the SDK's HTTP metadata:
//!   `{…response, "SdkHttpMetadata": {"AllHttpHeaders", "HttpHeaders",
//!   "HttpStatusCode"}, "SdkResponseMetadata": {"RequestId"}}`, with the
//!   headers each service answered with on AWS.
//! - an error is `DynamoDB.<exception>` or `SQS.<exception>`, named after
//!   the AWS SDK for Java's exception class: the service's own for the
//!   errors the SDK models (`DynamoDB.ConditionalCheckFailedException`,
//!   `DynamoDB.ResourceNotFoundException`, `SQS.QueueDoesNotExistException`),
//!   `DynamoDB.AmazonDynamoDBException` or `SQS.AmazonSQSException` for the
//!   others (a ValidationException, a MissingParameter), with the SDK's
//!   cause: `MESSAGE (Service: AmazonDynamoDBv2; Status Code: 400; Error
//!   Code: CODE; Request ID: ID; Proxy: null)`. A QueueUrl whose host the
//!   SDK cannot reach is `SQS.SdkClientException`, `Unable to execute HTTP
//!   request: HOST: Name or service not known`.
//!
//! Not modelled: the execution role's permissions (every call is allowed:
//! `states run` gives its functions no role policy either, and a machine's
//! role would need a policy file of its own, which nothing declares yet).

mod wire;

use crate::StatesError;
use harness::aws::Registration;
use serde_json::{Map, Value, json};

/// A request-response integration the runner calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integration {
    DynamoDbPutItem,
    DynamoDbGetItem,
    DynamoDbUpdateItem,
    DynamoDbDeleteItem,
    SqsSendMessage,
}

/// What a Task's Resource calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A Lambda function: `arn:aws:lambda:…:function:NAME` or `lambda:invoke`.
    Lambda,
    /// One of the service integrations the runner calls.
    Service(Integration),
    /// A resource the local runner cannot call, with the sentence saying so.
    Unsupported(String),
}

/// The services and actions the runner calls, for messages.
pub const SUPPORTED: &str = "Lambda functions, DynamoDB (arn:aws:states:::dynamodb:putItem, getItem, updateItem, \
deleteItem) and SQS (arn:aws:states:::sqs:sendMessage), request-response";

impl Target {
    /// What `resource` calls. Legacy Lambda ARNs and anything that is not an
    /// `arn:PARTITION:states:::SERVICE:ACTION` integration is a Lambda call,
    /// as before service integrations existed.
    pub fn of(resource: &str) -> Target {
        let Some(rest) = resource.strip_prefix("arn:").and_then(|rest| rest.split_once(":states:::")).map(|(_, r)| r)
        else {
            return Target::Lambda;
        };
        if rest.starts_with("lambda:invoke") {
            return Target::Lambda;
        }
        let (call, pattern) = match rest.split_once('.') {
            Some((call, pattern)) => (call, Some(pattern)),
            None => (rest, None),
        };
        let integration = match call {
            "dynamodb:putItem" => Some(Integration::DynamoDbPutItem),
            "dynamodb:getItem" => Some(Integration::DynamoDbGetItem),
            "dynamodb:updateItem" => Some(Integration::DynamoDbUpdateItem),
            "dynamodb:deleteItem" => Some(Integration::DynamoDbDeleteItem),
            "sqs:sendMessage" => Some(Integration::SqsSendMessage),
            _ => None,
        };
        match (integration, pattern) {
            (Some(integration), None) => Target::Service(integration),
            (Some(_), Some("waitForTaskToken")) => Target::Unsupported(format!(
                "The local runner cannot run '{resource}': .waitForTaskToken waits for SendTaskSuccess or \
                 SendTaskFailure with the task token, which nothing here can send. It runs {SUPPORTED}."
            )),
            (Some(_), Some(pattern)) => Target::Unsupported(format!(
                "The local runner cannot run '{resource}': '.{pattern}' is not an integration pattern of {call} \
                 (it is request-response only). It runs {SUPPORTED}."
            )),
            (None, _) => Target::Unsupported(format!("The local runner cannot run '{resource}': it runs {SUPPORTED}.")),
        }
    }
}

/// Whether a definition has a Task calling DynamoDB or SQS (in a branch or
/// an item processor too): only then does a run need the local AWS.
pub fn calls_services(definition: &Value) -> bool {
    match definition {
        Value::Object(object) => {
            let task = object.get("Type").and_then(Value::as_str) == Some("Task");
            let resource = object.get("Resource").and_then(Value::as_str).unwrap_or_default();
            (task && matches!(Target::of(resource), Target::Service(_))) || object.values().any(calls_services)
        }
        Value::Array(items) => items.iter().any(calls_services),
        _ => false,
    }
}

impl Integration {
    /// TaskScheduled's `resourceType`: the service.
    pub fn resource_type(self) -> &'static str {
        match self {
            Integration::SqsSendMessage => "sqs",
            _ => "dynamodb",
        }
    }

    /// TaskScheduled's `resource`: the action, as the ARN writes it.
    pub fn resource(self) -> &'static str {
        match self {
            Integration::DynamoDbPutItem => "putItem",
            Integration::DynamoDbGetItem => "getItem",
            Integration::DynamoDbUpdateItem => "updateItem",
            Integration::DynamoDbDeleteItem => "deleteItem",
            Integration::SqsSendMessage => "sendMessage",
        }
    }

    /// The JSON protocol's `X-Amz-Target`.
    fn target(self) -> &'static str {
        match self {
            Integration::DynamoDbPutItem => "DynamoDB_20120810.PutItem",
            Integration::DynamoDbGetItem => "DynamoDB_20120810.GetItem",
            Integration::DynamoDbUpdateItem => "DynamoDB_20120810.UpdateItem",
            Integration::DynamoDbDeleteItem => "DynamoDB_20120810.DeleteItem",
            Integration::SqsSendMessage => "AmazonSQS.SendMessage",
        }
    }

    fn is_dynamodb(self) -> bool {
        self != Integration::SqsSendMessage
    }

    /// The request members the service requires (DynamoDB validates them
    /// itself and names them in camel case in its message).
    fn required(self) -> &'static [&'static str] {
        match self {
            Integration::DynamoDbPutItem => &["TableName", "Item"],
            Integration::DynamoDbGetItem | Integration::DynamoDbUpdateItem | Integration::DynamoDbDeleteItem => {
                &["TableName", "Key"]
            }
            Integration::SqsSendMessage => &[],
        }
    }
}

/// An execution's account at the local AWS: its service integrations call
/// the local AWS as this account's caller, and its administrator sets up
/// and reads the tables and queues (not among the calls).
pub struct Account {
    caller: Registration,
    admin: Registration,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Account({})", self.caller.account_id())
    }
}

impl Account {
    /// A new, empty account at this process's local AWS (started on first
    /// use; moto itself starts with the first call).
    pub fn new(region: &str) -> Result<Account, String> {
        let caller = harness::aws::register(region, None).ok_or("the local AWS could not start")?;
        let admin = caller.administrator();
        Ok(Account { caller, admin })
    }

    /// Create the tables, queues and buckets `state` declares, in the form
    /// `cargo lab invoke --aws` takes (see `harness::aws::seed`).
    pub fn seed(&self, state: &Value) -> Result<(), String> {
        harness::aws::seed(&self.admin, state)
    }

    /// What the account holds now (`harness::aws::world`'s form).
    pub fn state(&self) -> Result<Value, String> {
        harness::aws::world(&self.admin)
    }

    /// The account's 12-digit id at the local AWS.
    pub fn account_id(&self) -> &str {
        self.caller.account_id()
    }

    /// The URL of the account's queue `name`, as SQS writes it.
    pub fn queue_url(&self, name: &str) -> String {
        format!("https://sqs.{}.amazonaws.com/{}/{name}", self.caller.region(), self.caller.account_id())
    }

    /// The calls the integrations made so far, leaving the log empty.
    pub fn take_calls(&self) -> Vec<harness::aws::AwsCall> {
        self.caller.take_calls()
    }

    /// Call `integration` with the Task's `parameters`; `date` is the HTTP
    /// Date the answer carries (the runner's virtual clock). Ok is the
    /// Task's result, Err its `DynamoDB.*` or `SQS.*` error.
    pub fn call(&self, integration: Integration, parameters: &Value, date: &str) -> Result<Value, StatesError> {
        let request = request(integration, parameters)?;
        let body = serde_json::to_vec(&request).unwrap_or_default();
        let answer = wire::post(&self.caller, integration.resource_type(), integration.target(), &body)
            .map_err(|error| client_error(integration, &error))?;
        let request_id = answer.header("x-amzn-requestid").map(str::to_string).unwrap_or_else(harness::ids::request_id);
        let parsed: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        if !(200..300).contains(&answer.status) {
            return Err(service_error(integration, &answer, &parsed, &request_id));
        }
        let mut response = match parsed {
            Value::Object(object) => object,
            _ => Map::new(),
        };
        if integration.is_dynamodb() {
            // moto adds ConsumedCapacity to some answers unasked; DynamoDB
            // only when the request asks with ReturnConsumedCapacity.
            let asked =
                matches!(request.get("ReturnConsumedCapacity").and_then(Value::as_str), Some("TOTAL" | "INDEXES"));
            if !asked {
                response.remove("ConsumedCapacity");
            }
            response.remove("ConsumedCapacityUnits");
        }
        for member in ["Item", "Attributes"] {
            if let Some(Value::Object(item)) = response.get_mut(member) {
                item.values_mut().for_each(canonical_numbers);
            }
        }
        let mut keys: Vec<String> = response.keys().cloned().collect();
        keys.sort();
        let sorted: Map<String, Value> = keys.into_iter().filter_map(|k| response.remove(&k).map(|v| (k, v))).collect();
        let body = Value::Object(sorted.clone()).to_string();
        Ok(with_metadata(integration, sorted, &body, &request_id, date))
    }
}

/// A typed AttributeValue with its numbers as DynamoDB returns them: moto
/// keeps the text it was sent (`"1.50"`, `"1E+2"`), DynamoDB stores the
/// number and answers `"1.5"` and `"100"` (as `harness::aws`'s reading of
/// a table writes them).
fn canonical_numbers(value: &mut Value) {
    let Value::Object(typed) = value else { return };
    for (kind, inner) in typed.iter_mut() {
        match (kind.as_str(), inner) {
            ("N", Value::String(number)) => *number = canonical_number(number),
            ("NS", Value::Array(numbers)) => {
                for number in numbers.iter_mut() {
                    if let Value::String(text) = number {
                        *text = canonical_number(text);
                    }
                }
            }
            ("M", Value::Object(map)) => map.values_mut().for_each(canonical_numbers),
            ("L", Value::Array(list)) => list.iter_mut().for_each(canonical_numbers),
            _ => {}
        }
    }
}

/// A decimal number's text without leading or trailing zeros or exponent,
/// as Python's `format(Decimal(text).normalize(), "f")`; text that is not a
/// number is left as it is.
fn canonical_number(text: &str) -> String {
    let trimmed = text.trim();
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => match exponent.parse::<i64>() {
            Ok(exponent) => (mantissa, exponent),
            Err(_) => return text.to_string(),
        },
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return text.to_string();
    }
    let mut digits: String = format!("{whole}{fraction}").trim_start_matches('0').to_string();
    let mut exponent = exponent - fraction.len() as i64;
    if digits.is_empty() {
        return "0".into();
    }
    while digits.ends_with('0') {
        digits.pop();
        exponent += 1;
    }
    let magnitude = if exponent >= 0 {
        format!("{digits}{}", "0".repeat(exponent as usize))
    } else {
        let point = digits.len() as i64 + exponent;
        if point > 0 {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        } else {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        }
    };
    if negative { format!("-{magnitude}") } else { magnitude }
}

/// The request as the service receives it: `null` members left out (the
/// SDK does not send them), DynamoDB's required members and table name
/// checked as DynamoDB checks them, an SQS MessageBody that is not text
/// written as JSON, a QueueUrl's host looked up.
fn request(integration: Integration, parameters: &Value) -> Result<Value, StatesError> {
    let mut request: Map<String, Value> = match parameters {
        Value::Object(object) => {
            object.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect()
        }
        _ => Map::new(),
    };
    if integration.is_dynamodb() {
        let mut problems = Vec::new();
        for member in integration.required() {
            if !request.contains_key(*member) {
                problems.push(format!(
                    "Value null at '{}' failed to satisfy constraint: Member must not be null",
                    camel(member)
                ));
            }
        }
        if let Some(name) = request.get("TableName").and_then(Value::as_str) {
            let valid = name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
            if !valid {
                problems.push(format!(
                    "Value '{name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
                ));
            }
            if name.len() < 3 {
                problems.push(format!(
                    "Value '{name}' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
                ));
            }
        }
        if !problems.is_empty() {
            let count = problems.len();
            let message = format!(
                "{count} validation error{} detected: {}",
                if count == 1 { "" } else { "s" },
                problems.join("; ")
            );
            return Err(sdk_error(
                integration,
                "AmazonDynamoDBException",
                &message,
                400,
                "ValidationException",
                &harness::ids::request_id(),
            ));
        }
    } else {
        // SQS's own answer to a request without a body (recorded against
        // AWS: test_task_service_sqs `test_send_message_empty_body`, whose
        // MessageBody is null); moto fails on it instead.
        if !request.contains_key("MessageBody") {
            let message = "The request must contain the parameter MessageBody.";
            let request_id = harness::ids::request_id();
            return Err(sdk_error(integration, "AmazonSQSException", message, 400, "MissingParameter", &request_id));
        }
        if let Some(body) = request.get_mut("MessageBody") {
            if !body.is_string() {
                *body = json!(body.to_string());
            }
        }
        if let Some(url) = request.get("QueueUrl").and_then(Value::as_str) {
            if let Some(host) = unknown_host(url) {
                return Err(StatesError::new(
                    "SQS.SdkClientException",
                    format!("Unable to execute HTTP request: {host}: Name or service not known"),
                ));
            }
        }
    }
    Ok(Value::Object(request))
}

/// The host of an absolute queue URL that is not SQS's: the SDK sends the
/// request to the queue URL's host, and the local AWS answers only for
/// SQS's own hosts (`sqs.REGION.amazonaws.com`, `queue.amazonaws.com`...)
/// and loopback. No name is looked up: nothing leaves the machine.
fn unknown_host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit_once(':').map_or(authority, |(host, _)| host);
    let known = host.ends_with(".amazonaws.com")
        || host.ends_with(".amazonaws.com.cn")
        || matches!(host, "localhost" | "127.0.0.1" | "[::1]")
        || host.ends_with(".localhost.localstack.cloud");
    (!known).then_some(host)
}

/// `TableName` → `tableName`, as DynamoDB's validation messages name members.
fn camel(member: &str) -> String {
    let mut chars = member.chars();
    chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The local AWS could not be reached, or answered no HTTP: the SDK's
/// SdkClientException.
fn client_error(integration: Integration, error: &str) -> StatesError {
    StatesError::new(
        format!("{}.SdkClientException", prefix(integration)),
        format!("Unable to execute HTTP request: {error}"),
    )
}

fn prefix(integration: Integration) -> &'static str {
    if integration.is_dynamodb() { "DynamoDB" } else { "SQS" }
}

/// A service error answer as the Task reports it.
fn service_error(integration: Integration, answer: &wire::Answer, body: &Value, request_id: &str) -> StatesError {
    let kind = body.get("__type").and_then(Value::as_str).unwrap_or("");
    let mut code = kind.rsplit('#').next().unwrap_or(kind).to_string();
    // SQS's JSON errors carry the query API's code too (`x-amzn-query-error: CODE;Sender`), which the SDK reports.
    if let Some(query_code) = answer.header("x-amzn-query-error").and_then(|v| v.split(';').next()) {
        code = query_code.to_string();
    }
    let message = body.get("message").or_else(|| body.get("Message")).and_then(Value::as_str).unwrap_or("");
    let exception = if integration.is_dynamodb() {
        match code.as_str() {
            "ConditionalCheckFailedException"
            | "ResourceNotFoundException"
            | "ProvisionedThroughputExceededException"
            | "ItemCollectionSizeLimitExceededException"
            | "TransactionConflictException"
            | "LimitExceededException"
            | "ResourceInUseException" => code.clone(),
            "RequestLimitExceeded" => "RequestLimitExceededException".into(),
            "InternalServerError" => "InternalServerErrorException".into(),
            _ => "AmazonDynamoDBException".into(),
        }
    } else {
        match code.as_str() {
            "QueueDoesNotExist" | "AWS.SimpleQueueService.NonExistentQueue" => {
                code = "AWS.SimpleQueueService.NonExistentQueue".into();
                "QueueDoesNotExistException".into()
            }
            "InvalidMessageContents" => "InvalidMessageContentsException".into(),
            "AWS.SimpleQueueService.UnsupportedOperation" => "UnsupportedOperationException".into(),
            _ => "AmazonSQSException".into(),
        }
    };
    sdk_error(integration, &exception, message, answer.status, &code, request_id)
}

/// An error as the AWS SDK for Java words it.
fn sdk_error(
    integration: Integration,
    exception: &str,
    message: &str,
    status: u16,
    code: &str,
    request_id: &str,
) -> StatesError {
    let service = if integration.is_dynamodb() { "AmazonDynamoDBv2" } else { "AmazonSQS" };
    StatesError::new(
        format!("{}.{exception}", prefix(integration)),
        format!(
            "{message} (Service: {service}; Status Code: {status}; Error Code: {code}; Request ID: {request_id}; Proxy: null)"
        ),
    )
}

/// The response with the SDK's metadata, as the integration returns it: the
/// headers and their spelling are those AWS answered with (DynamoDB's
/// `Server: Server` and `x-amz-crc32`, SQS's lower-case `connection`),
/// each once as a list in AllHttpHeaders (in AWS's order) and once as
/// text in HttpHeaders (sorted).
fn with_metadata(
    integration: Integration,
    mut response: Map<String, Value>,
    body: &str,
    request_id: &str,
    date: &str,
) -> Value {
    let length = body.len().to_string();
    let crc = wire::crc32(body.as_bytes()).to_string();
    let headers: Vec<(&str, &str)> = if integration.is_dynamodb() {
        vec![
            ("Server", "Server"),
            ("Connection", "keep-alive"),
            ("x-amzn-RequestId", request_id),
            ("x-amz-crc32", &crc),
            ("Content-Length", &length),
            ("Date", date),
            ("Content-Type", "application/x-amz-json-1.0"),
        ]
    } else {
        vec![
            ("x-amzn-RequestId", request_id),
            ("connection", "keep-alive"),
            ("Content-Length", &length),
            ("Date", date),
            ("Content-Type", "application/x-amz-json-1.0"),
        ]
    };
    let all: Map<String, Value> = headers.iter().map(|(k, v)| (k.to_string(), json!([v]))).collect();
    let mut sorted = headers.clone();
    sorted.sort_by_key(|(name, _)| name.to_ascii_lowercase());
    let http: Map<String, Value> = sorted.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    response
        .insert("SdkHttpMetadata".into(), json!({"AllHttpHeaders": all, "HttpHeaders": http, "HttpStatusCode": 200}));
    response.insert("SdkResponseMetadata".into(), json!({"RequestId": request_id}));
    Value::Object(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_name_lambda_a_service_or_why_not() {
        assert_eq!(Target::of("arn:aws:lambda:us-east-1:1:function:f"), Target::Lambda);
        assert_eq!(Target::of("arn:aws:states:::lambda:invoke"), Target::Lambda);
        assert_eq!(Target::of("arn:aws:states:::dynamodb:putItem"), Target::Service(Integration::DynamoDbPutItem));
        assert_eq!(Target::of("arn:aws:states:::sqs:sendMessage"), Target::Service(Integration::SqsSendMessage));
        let Target::Unsupported(why) = Target::of("arn:aws:states:::sqs:sendMessage.waitForTaskToken") else {
            panic!("waitForTaskToken is not run")
        };
        assert!(why.contains("SendTaskSuccess"), "{why}");
        let Target::Unsupported(why) = Target::of("arn:aws:states:::dynamodb:putItem.sync") else { panic!() };
        assert!(why.contains("request-response only"), "{why}");
        let Target::Unsupported(why) = Target::of("arn:aws:states:::sns:publish") else { panic!() };
        assert!(why.contains("it runs Lambda functions, DynamoDB"), "{why}");
    }

    #[test]
    fn numbers_come_back_as_dynamodb_writes_them() {
        for (sent, stored) in [
            ("1.50", "1.5"),
            ("1E+2", "100"),
            ("007", "7"),
            ("-0.000", "0"),
            ("0.0012", "0.0012"),
            ("-12.5e-3", "-0.0125"),
            ("42", "42"),
            ("x", "x"),
        ] {
            assert_eq!(canonical_number(sent), stored, "{sent}");
        }
        let mut item = json!({"M": {"n": {"N": "2.0"}, "l": {"L": [{"N": "3.10"}]}, "s": {"NS": ["1.0"]}}});
        canonical_numbers(&mut item);
        assert_eq!(item, json!({"M": {"n": {"N": "2"}, "l": {"L": [{"N": "3.1"}]}, "s": {"NS": ["1"]}}}));
    }

    #[test]
    fn service_tasks_are_found_in_branches_too() {
        let lambda = json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
        assert!(!calls_services(&lambda));
        let nested = json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}]}}});
        assert!(calls_services(&nested));
    }

    #[test]
    fn requests_leave_nulls_out_and_dynamodb_names_what_is_missing() {
        let error = request(Integration::DynamoDbPutItem, &json!({"TableName": "t-1", "Item": null})).unwrap_err();
        assert_eq!(error.error, "DynamoDB.AmazonDynamoDBException");
        assert!(
            error.cause.starts_with(
                "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: "
            ),
            "{}",
            error.cause
        );
        let error = request(Integration::DynamoDbGetItem, &json!({"TableName": "/t", "Key": {}})).unwrap_err();
        assert!(error.cause.starts_with("2 validation errors detected: Value '/t' at 'tableName'"), "{}", error.cause);
        let error = request(Integration::SqsSendMessage, &json!({"QueueUrl": "q", "MessageBody": null})).unwrap_err();
        assert_eq!(error.error, "SQS.AmazonSQSException");
        assert!(error.cause.starts_with("The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: "), "{}", error.cause);
    }

    #[test]
    fn a_message_body_that_is_not_text_is_sent_as_json() {
        let sent = request(Integration::SqsSendMessage, &json!({"QueueUrl": "q", "MessageBody": {"a": [1, "b"]}}));
        assert_eq!(sent.unwrap()["MessageBody"], json!("{\"a\":[1,\"b\"]}"));
        let error =
            request(Integration::SqsSendMessage, &json!({"QueueUrl": "http://no-such-queue-1a2b", "MessageBody": "m"}))
                .unwrap_err();
        assert_eq!(
            (error.error.as_str(), error.cause.as_str()),
            ("SQS.SdkClientException", "Unable to execute HTTP request: no-such-queue-1a2b: Name or service not known")
        );
        assert!(unknown_host("https://sqs.eu-west-1.amazonaws.com/123456789012/orders").is_none());
        assert!(unknown_host("http://127.0.0.1:4566/123456789012/orders").is_none());
    }

    #[test]
    fn results_carry_the_headers_aws_answered_with() {
        let body = r#"{"Item":{"data":{"S":"string-literal"},"id":{"S":"id1"}}}"#;
        let response: Map<String, Value> = serde_json::from_str(body).unwrap();
        let result = with_metadata(Integration::DynamoDbGetItem, response, body, "R", "Fri, 27 Nov 2026 12:00:00 GMT");
        // The Content-Length AWS recorded for this item (test_dynamodb_put_get_item).
        assert_eq!(result["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], json!("57"));
        assert_eq!(result["SdkHttpMetadata"]["AllHttpHeaders"]["Server"], json!(["Server"]));
        let keys: Vec<&String> = result.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Item", "SdkHttpMetadata", "SdkResponseMetadata"]);
    }
}
