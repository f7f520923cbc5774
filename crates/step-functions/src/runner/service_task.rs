//! One attempt of a Task calling DynamoDB or SQS (`crate::integrations`):
//! its events, as recorded against AWS (LocalStack's
//! test_dynamodb_task_service, test_sqs_task_service and
//! test_task_service_* snapshots): TaskScheduled with `resourceType` (the
//! service), `resource` (the action), the region and the parameters as
//! text; TaskStarted; then TaskSucceeded with the result, or TaskFailed
//! with the service's error.

use super::task::http_date;
use super::{Attempt, Failure, Run};
use crate::context::Context;
use crate::history::with_payload;
use crate::integrations::{Account, Integration};
use crate::machine::Task;
use crate::{StatesError, limits};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// What one service Task attempt works on: the state, its input and the
/// request its Parameters (or Arguments) made.
pub(super) struct ServiceCall<'a> {
    pub(super) name: &'a str,
    pub(super) entered: u64,
    pub(super) task: &'a Task,
    pub(super) integration: Integration,
    pub(super) input: &'a Value,
    pub(super) parameters: Value,
    pub(super) timeout_seconds: Option<u64>,
}

impl Run<'_> {
    pub(super) fn service_task(
        &mut self,
        call: ServiceCall<'_>,
        previous: u64,
        context: &Context,
    ) -> Result<Attempt, Failure> {
        let integration = call.integration;
        let names = || {
            let mut fields = Map::new();
            fields.insert("resourceType".into(), json!(integration.resource_type()));
            fields.insert("resource".into(), json!(integration.resource()));
            fields
        };
        self.tick(1);
        let mut details = Value::Object(names());
        details["region"] = json!(self.options.region);
        details["parameters"] = json!(call.parameters.to_string());
        if let Some(seconds) = call.timeout_seconds {
            details["timeoutInSeconds"] = json!(seconds);
        }
        let scheduled = self.history.add(previous, self.now_ms, "TaskScheduled", Some(details));
        self.tick(1);
        let started = self.history.add(scheduled, self.now_ms, "TaskStarted", Some(Value::Object(names())));
        let began = std::time::Instant::now();
        let outcome = match self.account(&self.options.region.clone()) {
            Ok(account) => account.call(integration, &call.parameters, &http_date(self.now_ms)),
            Err(why) => Err(StatesError::new(
                format!("{}.SdkClientException", if integration.resource_type() == "sqs" { "SQS" } else { "DynamoDB" }),
                format!("Unable to execute HTTP request: {why}"),
            )),
        };
        self.tick((began.elapsed().as_millis() as u64).max(1));
        let failed = |run: &mut Run, error: StatesError| {
            let mut details = names();
            details.insert("error".into(), json!(error.error));
            details.insert("cause".into(), json!(error.cause));
            let failed = run.history.add(started, run.now_ms, "TaskFailed", Some(Value::Object(details)));
            Failure { error, event_id: failed, uncatchable: false, state_failed: None }
        };
        let result = match outcome {
            Ok(result) => result,
            Err(error) => return Err(failed(self, error)),
        };
        if limits::exceeds_payload_limit(&result) {
            let error =
                StatesError::new(limits::DATA_LIMIT_EXCEEDED, limits::data_limit_cause(integration.resource_type()));
            return Err(failed(self, error));
        }
        let succeeded =
            self.history.add(started, self.now_ms, "TaskSucceeded", Some(with_payload(names(), "output", &result)));
        let task = call.task;
        self.conclude(
            (call.name, call.entered),
            &task.flow,
            (&task.results, &task.paths),
            call.input,
            result,
            succeeded,
            context,
        )
    }

    /// The execution's account at the local AWS: the one its options name,
    /// or a new, empty one made now (the first service Task).
    fn account(&mut self, region: &str) -> Result<Arc<Account>, String> {
        if let Some(account) = &self.aws {
            return Ok(account.clone());
        }
        let account = Arc::new(Account::new(region)?);
        self.aws = Some(account.clone());
        Ok(account)
    }
}
