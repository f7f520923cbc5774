//! A local AWS Step Functions: state machines in the Amazon States Language
//! (JSONPath and JSONata), validated as the service validates them and
//! executed over local Lambda functions, with the execution history AWS writes.
//!
//! - `validate`: every problem in a definition, in the service's format;
//! - `machine`: a valid definition as typed values, one per state type;
//! - `jsonpath`: reading and writing JSON documents by path;
//! - `intrinsics`: the `States.*` functions usable in payload templates;
//! - `data`: InputPath, Parameters, ResultSelector, ResultPath, OutputPath;
//! - `query`: JSONata expressions in states (`{% … %}`), `$states`;
//! - `variables`: workflow variables (`Assign`, `$name`), their scopes and limits;
//! - `choice`: Choice state rules;
//! - `context`: the context object `$$`, with the execution input shared;
//! - `runner` and `history`: executions, their events, retries and catches;
//! - `integrations`: the DynamoDB and SQS Tasks, called at the local AWS;
//! - `limits`: the quotas an execution runs under (history, time, payload size);
//! - `trace`: an execution told as lines a person reads.

pub mod check;
pub mod choice;
pub mod context;
pub mod data;
pub mod history;
pub mod integrations;
pub mod intrinsics;
pub mod jsonpath;
pub mod limits;
pub mod machine;
pub mod query;
pub mod runner;
pub mod trace;
pub mod validate;
pub mod variables;

/// An error as Step Functions names it: an error code (`States.Runtime`,
/// `States.TaskFailed`, a Lambda function's errorType...) and a cause.
#[derive(Clone, Debug, PartialEq)]
pub struct StatesError {
    pub error: String,
    pub cause: String,
}

impl StatesError {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        StatesError { error: error.into(), cause: cause.into() }
    }
}
