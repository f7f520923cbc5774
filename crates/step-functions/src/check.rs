//! Checks for chaining exercises: the learner writes the handlers and the
//! state machine; a check runs the machine over those handlers and compares
//! what the execution did with the task. Failures read like the other
//! checks': the check, the input, expected and got, and the execution's
//! trace (states, calls, retries, errors), then the hint.

use crate::machine::Machine;
use crate::runner::{self, Execution, Options, Status};
use crate::{trace, validate};
use harness::check::report::{Failure, Kind};
use harness::check::{diff, pretty};
use harness::exercise::Exercise;
use harness::{Function, FunctionConfig};
use serde_json::Value;
use std::collections::HashMap;

/// A chaining exercise: its state machine and the functions it calls.
pub struct Workflow {
    exercise: Exercise,
    machine: Machine,
    functions: HashMap<String, Function>,
}

impl Workflow {
    /// The exercise whose tests are running: `machine` and `[functions]`
    /// from its exercise.toml, read from the learner's files.
    pub fn exercise() -> Workflow {
        let exercise = harness::check::find_exercise();
        let fail = |check: &str| Failure::new(Kind::Setup, check, Some(&exercise));
        let Some(machine) = exercise.machine.clone() else {
            fail("the exercise names its state machine").line("exercise.toml has no `machine = \"...\"`.").fail();
        };
        let path = exercise.task_root().join(&machine);
        let shown = harness::check::display_path(&path);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => fail("the state machine file is there")
                .line(format!("Could not read {shown}: {error}"))
                .line(format!("To start over, restore it with: git checkout -- {shown}"))
                .fail(),
        };
        let problems = match serde_json::from_str::<Value>(&text) {
            Ok(definition) => {
                let problems = validate::validate(&definition);
                if problems.is_empty() {
                    return Workflow::with_machine(exercise, Machine::from_validated(&definition));
                }
                problems
            }
            Err(error) => vec![validate::Diagnostic {
                code: "INVALID_JSON_DESCRIPTION".into(),
                message: format!("{shown} is not valid JSON: {error}"),
                pointer: "/".into(),
            }],
        };
        Failure::new(Kind::LoadError, "the state machine is valid", Some(&exercise))
            .line(format!("Step Functions would refuse {shown}:"))
            .list(
                "Problems (each with where it is, as a JSON pointer):",
                problems.iter().map(|p| format!("{}: {} at {}", p.code, p.message, p.pointer)),
            )
            .line(format!("Check it on its own with: cargo lab states validate {shown}"))
            .fail()
    }

    fn with_machine(exercise: Exercise, machine: Machine) -> Workflow {
        let root = exercise.task_root();
        let mut functions = HashMap::new();
        for (name, file, function) in &exercise.functions {
            let path = root.join(file);
            if !path.is_file() {
                Failure::new(Kind::Setup, "the exercise's handler files are there", Some(&exercise))
                    .line(format!("There is no file at {} (the function {name}).", harness::check::display_path(&path)))
                    .fail();
            }
            let mut config = FunctionConfig::from_file(&path, function);
            config.function_name = name.clone();
            let made = Function::new(config).unwrap_or_else(|error| {
                Failure::new(Kind::Setup, "the functions' configuration is valid", Some(&exercise)).line(error.0).fail()
            });
            functions.insert(name.clone(), made);
        }
        for name in machine.function_names() {
            if !functions.contains_key(&name) {
                let known: Vec<&String> = functions.keys().collect();
                Failure::new(Kind::Assertion, "every Task calls one of the exercise's functions", Some(&exercise))
                    .line(format!(
                        "A Task state calls the Lambda function '{name}', which this exercise does not have."
                    ))
                    .line(format!(
                        "Its functions are: {known:?}. Check the name at the end of the Resource ARN (or FunctionName)."
                    ))
                    .hint()
                    .fail();
            }
        }
        Workflow { exercise, machine, functions }
    }

    /// Run the machine on `input`, as StartExecution would.
    pub fn run(&self, input: Value) -> WorkflowRun<'_> {
        let options =
            Options { state_machine_name: format!("exercise-{:02}", self.exercise.number), ..Options::default() };
        let execution = runner::execute_machine(&self.machine, &input, &self.functions, &options);
        WorkflowRun { workflow: self, input, execution }
    }

    /// One of the exercise's functions, to invoke on its own.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.get(name)
    }

    /// The function `name`, invoked on its own with `event`, returned exactly
    /// `expected` (what a Task state would receive as its result).
    pub fn expect_function_result(&self, check: &str, name: &str, event: Value, expected: Value) -> &Self {
        let Some(function) = self.functions.get(name) else {
            Failure::new(Kind::Setup, check, Some(&self.exercise))
                .line(format!("The exercise has no function {name}."))
                .fail();
        };
        let call = function.invoke(&event);
        let fail = || {
            Failure::new(Kind::Assertion, check, Some(&self.exercise))
                .block(&format!("Event sent to {name} on its own:"), &event.to_string())
        };
        let Some(got) = call.result() else {
            let error = call.error().map(|e| e.text.clone()).unwrap_or_default();
            fail()
                .line(format!("Expected {name} to return a result, but it raised an error:"))
                .block("", &error)
                .hint()
                .fail();
        };
        let differences = diff::differences(&expected, &got);
        if !differences.is_empty() {
            fail()
                .block(&format!("Expected {name} to return:"), &pretty(&expected))
                .block("It returned:", &pretty(&got))
                .list("Differences:", differences.iter().map(|d| format!("{}: {}", d.path, d.text)))
                .hint()
                .fail();
        }
        self
    }
}

/// One execution, ready to be checked.
pub struct WorkflowRun<'a> {
    workflow: &'a Workflow,
    input: Value,
    pub execution: Execution,
}

impl WorkflowRun<'_> {
    /// The execution succeeded with exactly this output.
    pub fn expect_output(&self, check: &str, expected: Value) -> &Self {
        let got = self.succeeded_output(check);
        self.expect_value(check, "the execution's output", expected, got)
    }

    /// The execution failed with this error name.
    pub fn expect_failure(&self, check: &str, error: &str) -> &Self {
        let got = self.execution.error.clone().unwrap_or_default();
        if self.execution.status != Status::Failed || got != error {
            let outcome = match self.execution.status {
                Status::Succeeded => "it succeeded".to_string(),
                Status::Failed => format!("it failed with {got}"),
                Status::TimedOut => "it timed out".to_string(),
            };
            self.failure(check)
                .line(format!("Expected the execution to fail with the error {error}, but {outcome}."))
                .trace(self)
                .hint()
                .fail();
        }
        self
    }

    /// A value taken from the execution (an output field, a count of calls,
    /// the states it went through) equals `expected`.
    pub fn expect_value(&self, check: &str, what: &str, expected: Value, got: Value) -> &Self {
        let differences = diff::differences(&expected, &got);
        if !differences.is_empty() {
            self.failure(check)
                .block(&format!("Expected {what} to be:"), &pretty(&expected))
                .block("It is:", &pretty(&got))
                .list("Differences:", differences.iter().map(|d| format!("{}: {}", d.path, d.text)))
                .trace(self)
                .hint()
                .fail();
        }
        self
    }

    /// A check of your own.
    pub fn expect(&self, check: &str, ok: bool, explanation: &str) -> &Self {
        if !ok {
            self.failure(check).line(explanation).trace(self).hint().fail();
        }
        self
    }

    /// The output, failing the check when the execution did not succeed.
    pub fn succeeded_output(&self, check: &str) -> Value {
        if self.execution.status != Status::Succeeded {
            self.failure(check)
                .line(format!(
                    "Expected the execution to succeed, but it failed with {}: {}",
                    self.execution.error.as_deref().unwrap_or(""),
                    self.execution.cause.as_deref().unwrap_or("")
                ))
                .trace(self)
                .hint()
                .fail();
        }
        self.execution.output.clone().unwrap_or(Value::Null)
    }

    /// The names of the states entered, in order.
    pub fn states_entered(&self) -> Vec<String> {
        self.events_of_kind("StateEntered").map(|e| detail_text(e, "name")).collect()
    }

    /// How many times the function `name` was called (retries included).
    pub fn calls_of(&self, name: &str) -> usize {
        let suffix = format!(":function:{name}");
        self.execution
            .history
            .events
            .iter()
            .filter(|e| match e.kind.as_str() {
                "LambdaFunctionScheduled" => detail_text(e, "resource").ends_with(&suffix),
                "TaskScheduled" => detail_text(e, "parameters").contains(&format!("\"FunctionName\":\"{name}\"")),
                _ => false,
            })
            .count()
    }

    /// The waits before each retry, in seconds, in order.
    pub fn retry_waits(&self) -> Vec<f64> {
        let events = &self.execution.history.events;
        let mut waits = Vec::new();
        for (index, event) in events.iter().enumerate() {
            if event.kind == "LambdaFunctionFailed" || event.kind == "TaskFailed" {
                let next =
                    events[index + 1..].iter().find(|e| e.kind != "LambdaFunctionStarted" && e.kind != "TaskStarted");
                if let Some(next) = next.filter(|n| n.kind == "LambdaFunctionScheduled" || n.kind == "TaskScheduled") {
                    waits.push(((next.timestamp_ms - event.timestamp_ms) as f64 / 1000.0).floor());
                }
            }
        }
        waits
    }

    fn events_of_kind<'e>(&'e self, suffix: &'e str) -> impl Iterator<Item = &'e crate::history::Event> + 'e {
        self.execution.history.events.iter().filter(move |e| e.kind.ends_with(suffix))
    }

    fn failure(&self, check: &str) -> Failure {
        Failure::new(Kind::Assertion, check, Some(&self.workflow.exercise))
            .block("Input of the execution:", &self.input.to_string())
    }
}

fn detail_text(event: &crate::history::Event, key: &str) -> String {
    event.details.as_ref().and_then(|d| d.get(key)).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// A workflow check's failure shows what the execution did.
trait WithTrace {
    fn trace(self, run: &WorkflowRun<'_>) -> Failure;
}

impl WithTrace for Failure {
    fn trace(self, run: &WorkflowRun<'_>) -> Failure {
        self.block("What the execution did:", &trace::lines(&run.execution).join("\n"))
    }
}
