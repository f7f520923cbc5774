//! The DynamoDB and SQS integrations run against the local AWS (moto
//! behind the gateway), in an account of the execution's own: the result
//! shapes and errors AWS's integrations give (recorded by LocalStack against
//! AWS, see `tests/recorded.rs` for the recorded executions themselves).
//! These tests need the managed Python environment (`cargo lab setup`),
//! which has moto, as the harness's own AWS tests do.

use harness::digest::md5_hex;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use step_functions::integrations::Account;
use step_functions::runner::{self, Execution, Options, Status};

fn account(state: Value) -> Arc<Account> {
    let account = Account::new("us-east-1").expect("the local AWS starts");
    account.seed(&state).expect("the tables and queues are created");
    Arc::new(account)
}

fn run(definition: Value, input: Value, aws: &Arc<Account>) -> Execution {
    let options = Options { aws: Some(aws.clone()), ..Options::default() };
    runner::execute(&definition, &input, &HashMap::new(), &options).expect("a valid machine")
}

fn types(execution: &Execution) -> Vec<&str> {
    execution.history.events.iter().map(|e| e.kind.as_str()).collect()
}

fn orders() -> Value {
    json!({"dynamodb": {"orders": {"key": {"id": "S"}, "items": [{"id": {"S": "o-1"}, "total": {"N": "5"}}]}}})
}

#[test]
fn put_get_update_and_delete_give_the_results_aws_gives() {
    let aws = account(orders());
    let machine = json!({
        "StartAt": "Put",
        "States": {
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": "orders", "Item": {"id": {"S": "o-2"}, "total.$": "$.total"}},
                    "ResultPath": "$.put", "Next": "Update"},
            "Update": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                       "Parameters": {"TableName": "orders", "Key": {"id": {"S": "o-2"}},
                                      "UpdateExpression": "SET paid = :p",
                                      "ExpressionAttributeValues": {":p": {"BOOL": true}},
                                      "ReturnValues": "UPDATED_NEW"},
                       "ResultPath": "$.update", "Next": "Get"},
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                    "Parameters": {"TableName": "orders", "Key": {"id": {"S": "o-2"}}},
                    "ResultPath": "$.get", "Next": "Delete"},
            "Delete": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:deleteItem",
                       "Parameters": {"TableName": "orders", "Key": {"id": {"S": "o-1"}}},
                       "ResultPath": "$.delete", "End": true}
        }
    });
    let execution = run(machine, json!({"total": {"N": "12"}}), &aws);
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    let output = execution.output.unwrap();
    // putItem and deleteItem answer `{}`: only the SDK's metadata.
    for step in ["put", "delete"] {
        let keys: Vec<&String> = output[step].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["SdkHttpMetadata", "SdkResponseMetadata"], "{step}");
        assert_eq!(output[step]["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], json!("2"));
        assert_eq!(output[step]["SdkHttpMetadata"]["HttpStatusCode"], json!(200));
    }
    assert_eq!(output["update"]["Attributes"], json!({"paid": {"BOOL": true}}));
    assert_eq!(output["get"]["Item"], json!({"id": {"S": "o-2"}, "total": {"N": "12"}, "paid": {"BOOL": true}}));
    let request_id = &output["get"]["SdkResponseMetadata"]["RequestId"];
    assert_eq!(&output["get"]["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"], request_id);
    // The events name the service and the action.
    let scheduled = execution.history.events.iter().find(|e| e.kind == "TaskScheduled").unwrap();
    let details = scheduled.details.as_ref().unwrap();
    assert_eq!((&details["resourceType"], &details["resource"]), (&json!("dynamodb"), &json!("putItem")));
    // The table holds what the machine wrote.
    let state = aws.state().unwrap();
    assert_eq!(state["dynamodb"]["orders"].as_array().unwrap().len(), 1, "{state}");
}

#[test]
fn a_failed_condition_is_an_error_a_catch_can_take() {
    let aws = account(orders());
    let machine = json!({
        "StartAt": "PutOnce",
        "States": {
            "PutOnce": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                        "Parameters": {"TableName": "orders", "Item": {"id": {"S": "o-1"}},
                                       "ConditionExpression": "attribute_not_exists(id)"},
                        "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"],
                                   "ResultPath": "$.error", "Next": "AlreadyThere"}],
                        "End": true},
            "AlreadyThere": {"Type": "Pass", "End": true}
        }
    });
    let execution = run(machine, json!({}), &aws);
    assert_eq!(execution.status, Status::Succeeded);
    let output = execution.output.clone().unwrap();
    let error = &output["error"];
    assert_eq!(error["Error"], json!("DynamoDB.ConditionalCheckFailedException"));
    let cause = error["Cause"].as_str().unwrap();
    assert!(
        cause.starts_with(
            "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: "
        ),
        "{cause}"
    );
    assert!(types(&execution).contains(&"TaskFailed"));
}

#[test]
fn a_missing_table_is_dynamodbs_resource_not_found() {
    let aws = account(json!({}));
    let machine = json!({"StartAt": "Get", "States": {"Get": {
        "Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "Parameters": {"TableName": "no-such-table", "Key": {"id": {"S": "1"}}}, "End": true}}});
    let execution = run(machine, json!({}), &aws);
    assert_eq!(execution.status, Status::Failed);
    assert_eq!(execution.error.as_deref(), Some("DynamoDB.ResourceNotFoundException"));
    let cause = execution.cause.clone().unwrap();
    assert!(cause.starts_with("Requested resource not found (Service: AmazonDynamoDBv2; Status Code: 400;"), "{cause}");
    assert_eq!(
        types(&execution),
        ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "ExecutionFailed"]
    );
}

#[test]
fn send_message_sends_a_json_body_as_text_and_answers_its_md5() {
    let aws = account(json!({"sqs": {"shipping": []}}));
    let url = aws.queue_url("shipping");
    let machine = json!({"StartAt": "Send", "States": {"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": url, "MessageBody.$": "$"}, "End": true}}});
    let execution = run(machine, json!({"order": "o-1", "items": [1, 2]}), &aws);
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    let output = execution.output.unwrap();
    let keys: Vec<&String> = output.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["MD5OfMessageBody", "MessageId", "SdkHttpMetadata", "SdkResponseMetadata"]);
    // md5 of `{"order":"o-1","items":[1,2]}`, the body as AWS serialises it.
    assert_eq!(output["MD5OfMessageBody"], json!(md5_hex(br#"{"order":"o-1","items":[1,2]}"#)));
    assert_eq!(output["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], json!("106"));
    assert_eq!(aws.state().unwrap()["sqs"]["shipping"], json!([r#"{"order":"o-1","items":[1,2]}"#]));
}

#[test]
fn a_missing_queue_is_sqss_queue_does_not_exist() {
    let aws = account(json!({}));
    let url = aws.queue_url("nowhere");
    let machine = json!({"StartAt": "Send", "States": {"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": url, "MessageBody": "hello"}, "End": true}}});
    let execution = run(machine, json!({}), &aws);
    assert_eq!(execution.error.as_deref(), Some("SQS.QueueDoesNotExistException"));
    let cause = execution.cause.unwrap();
    assert!(
        cause.starts_with(
            "The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue; Request ID: "
        ),
        "{cause}"
    );
}

#[test]
fn jsonata_arguments_are_the_request_and_a_retry_calls_again() {
    let aws = account(orders());
    let machine = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Put",
        "States": {
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Arguments": {"TableName": "orders", "Item": {"id": {"S": "{% $states.input.id %}"}, "total": {"N": "1.50"}}},
                    "Next": "Get"},
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                    "Arguments": {"TableName": "{% $tableName %}", "Key": {"id": {"S": "o-9"}}},
                    "Retry": [{"ErrorEquals": ["DynamoDB.ResourceNotFoundException"], "MaxAttempts": 1}],
                    "Output": "{% $states.result.Item %}", "End": true}
        }
    });
    let mut machine = machine;
    // A table name that does not exist: the Get fails twice (one retry), as AWS would.
    machine["States"]["Put"]["Assign"] = json!({"tableName": "no-such-table"});
    let execution = run(machine.clone(), json!({"id": "o-9"}), &aws);
    assert_eq!(execution.error.as_deref(), Some("DynamoDB.ResourceNotFoundException"));
    assert_eq!(types(&execution).iter().filter(|kind| **kind == "TaskFailed").count(), 2);
    machine["States"]["Put"]["Assign"] = json!({"tableName": "orders"});
    let execution = run(machine, json!({"id": "o-9"}), &aws);
    assert_eq!(execution.status, Status::Succeeded, "{:?}", execution.cause);
    // DynamoDB keeps the number, not its text: 1.50 comes back as 1.5.
    assert_eq!(execution.output.unwrap(), json!({"id": {"S": "o-9"}, "total": {"N": "1.5"}}));
}

#[test]
fn wait_for_task_token_is_refused_with_a_reason() {
    let machine = json!({"StartAt": "Send", "States": {"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": "m"}, "End": true}}});
    // No account: the refusal comes before any call.
    let execution = runner::execute(&machine, &json!({}), &HashMap::new(), &Options::default()).unwrap();
    assert_eq!(execution.error.as_deref(), Some("States.Runtime"));
    let cause = execution.cause.unwrap();
    assert!(cause.contains("SendTaskSuccess"), "{cause}");
}
