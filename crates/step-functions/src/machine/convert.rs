//! The conversion of a definition that `validate` accepts into a
//! [`Machine`]. It trusts validation: where validation guarantees a field (a
//! Task's Resource, a Catcher's Next, one of a Wait state's four fields...)
//! it `expect`s it, with a message saying so; where the runner has a default
//! (a Retrier's IntervalSeconds, a Map's ItemsPath) it fills it in.

use super::{
    Catcher, Choice, ChoiceRule, DataFlow, ErrorHandling, Fail, FailField, Machine, Map, MapFieldNotRun, MapLimit,
    Parallel, Pass, PathField, Paths, Payload, QueryLanguage, ResultFields, Retrier, State, States, Succeed,
    TYPE_NAMES, Task, TaskTimeout, Transition, Wait, WaitFor,
};
use crate::query::{Template, is_expression};
use serde_json::Value;

/// A whole machine: a States block with TimeoutSeconds. Its QueryLanguage
/// is every state's, nested ones included, unless a state sets its own.
pub(super) fn machine(definition: &Value) -> Machine {
    let language = QueryLanguage::of(definition).unwrap_or_default();
    let mut machine = Machine::block(definition, language);
    machine.timeout_seconds = definition.get("TimeoutSeconds").and_then(Value::as_u64);
    machine
}

impl QueryLanguage {
    fn of(object: &Value) -> Option<QueryLanguage> {
        match object.get("QueryLanguage").and_then(Value::as_str)? {
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => Some(QueryLanguage::JsonPath),
        }
    }
}

impl Payload {
    /// An Assign or ItemSelector field, in `language`.
    fn of(value: Option<&Value>, language: QueryLanguage) -> Option<Payload> {
        let value = value?;
        Some(match language {
            QueryLanguage::JsonPath => Payload::JsonPath(value.clone()),
            QueryLanguage::Jsonata => Payload::Jsonata(Template::from_validated(value)),
        })
    }
}

/// A JSONata field (Output, Arguments, Items, Condition...).
fn template(state: &Value, key: &str) -> Option<Template> {
    state.get(key).map(Template::from_validated)
}

impl DataFlow {
    fn of(state: &Value, language: QueryLanguage) -> DataFlow {
        DataFlow { language, assign: Payload::of(state.get("Assign"), language), output: template(state, "Output") }
    }
}

impl Machine {
    /// StartAt, States and Comment, of a machine, a branch or a processor.
    fn block(block: &Value, language: QueryLanguage) -> Machine {
        let start_at = string(block, "StartAt", "validated: a States block has a string StartAt");
        let states = block.get("States").and_then(Value::as_object).expect("validated: States is an object");
        let list: Vec<(String, State)> =
            states.iter().map(|(name, state)| (name.clone(), State::from_validated(state, language))).collect();
        let index = list.iter().enumerate().map(|(at, (name, _))| (name.clone(), at)).collect();
        let comment = block.get("Comment").and_then(Value::as_str).map(String::from);
        Machine { start_at, states: States { list, index }, comment, timeout_seconds: None }
    }
}

impl State {
    /// A state of a machine whose QueryLanguage is `machine_language`.
    fn from_validated(state: &Value, machine_language: QueryLanguage) -> State {
        let kind = state.get("Type").and_then(Value::as_str).expect("validated: every state has a Type");
        let language = QueryLanguage::of(state).unwrap_or(machine_language);
        let flow = DataFlow::of(state, language);
        match kind {
            "Task" => State::Task(Task {
                resource: string(state, "Resource", "validated: a Task has a string Resource"),
                flow,
                paths: Paths::of(state),
                parameters: state.get("Parameters").cloned(),
                arguments: template(state, "Arguments"),
                results: ResultFields::of(state),
                timeout: match (state.get("TimeoutSeconds"), state.get("TimeoutSecondsPath")) {
                    (Some(Value::String(text)), _) if is_expression(text) => {
                        Some(TaskTimeout::Expression(Template::from_validated(&Value::String(text.clone()))))
                    }
                    (Some(seconds), _) => Some(TaskTimeout::Seconds(
                        seconds.as_u64().expect("validated: TimeoutSeconds is a positive integer"),
                    )),
                    (None, Some(path)) => Some(TaskTimeout::Path(
                        path.as_str().expect("validated: TimeoutSecondsPath is a string").to_string(),
                    )),
                    (None, None) => None,
                },
                errors: ErrorHandling::of(state, language),
                transition: Transition::of(state),
            }),
            "Pass" => State::Pass(Pass {
                flow,
                paths: Paths::of(state),
                parameters: state.get("Parameters").cloned(),
                result: state.get("Result").cloned(),
                result_path: PathField::of(state, "ResultPath"),
                transition: Transition::of(state),
            }),
            "Choice" => State::Choice(Choice {
                flow,
                paths: Paths::of(state),
                choices: array(state, "Choices")
                    .map(|rule| ChoiceRule {
                        next: string(rule, "Next", "validated: a Choice rule has a string Next"),
                        condition: template(rule, "Condition"),
                        assign: Payload::of(rule.get("Assign"), language),
                        output: template(rule, "Output"),
                        rule: rule.clone(),
                    })
                    .collect(),
                default: state.get("Default").and_then(Value::as_str).map(String::from),
            }),
            "Wait" => State::Wait(Wait {
                flow,
                paths: Paths::of(state),
                until: WaitFor::of(state),
                transition: Transition::of(state),
            }),
            "Succeed" => State::Succeed(Succeed { flow, paths: Paths::of(state) }),
            "Fail" => State::Fail(Fail {
                language,
                error: FailField::of(state, "Error", "ErrorPath", language),
                cause: FailField::of(state, "Cause", "CausePath", language),
            }),
            "Parallel" => State::Parallel(Parallel {
                flow,
                paths: Paths::of(state),
                parameters: state.get("Parameters").cloned(),
                arguments: template(state, "Arguments"),
                branches: array(state, "Branches").map(|branch| Machine::block(branch, machine_language)).collect(),
                results: ResultFields::of(state),
                errors: ErrorHandling::of(state, language),
                transition: Transition::of(state),
            }),
            "Map" => State::Map(Map {
                flow,
                paths: Paths::of(state),
                items_path: state.get("ItemsPath").and_then(Value::as_str).unwrap_or("$").to_string(),
                items: template(state, "Items"),
                item_selector: Payload::of(state.get("ItemSelector").or_else(|| state.get("Parameters")), language),
                processor: Box::new(Machine::block(
                    state
                        .get("ItemProcessor")
                        .or_else(|| state.get("Iterator"))
                        .expect("validated: a Map state has an ItemProcessor or an Iterator"),
                    machine_language,
                )),
                distributed: state
                    .get("ItemProcessor")
                    .or_else(|| state.get("Iterator"))
                    .and_then(|processor| processor.pointer("/ProcessorConfig/Mode"))
                    .is_some_and(|mode| mode == "DISTRIBUTED"),
                label: state.get("Label").and_then(Value::as_str).map(String::from),
                not_run: MapFieldNotRun::ALL.into_iter().find(|field| state.get(field.field()).is_some()),
                max_concurrency: MapLimit::of(state, "MaxConcurrency", Value::as_u64),
                tolerated_failure_count: MapLimit::of(state, "ToleratedFailureCount", Value::as_u64),
                tolerated_failure_percentage: MapLimit::of(state, "ToleratedFailurePercentage", Value::as_f64),
                results: ResultFields::of(state),
                errors: ErrorHandling::of(state, language),
                transition: Transition::of(state),
            }),
            other => panic!("validated: the state type {other} is one of {TYPE_NAMES:?}"),
        }
    }
}

impl<T> MapLimit<T> {
    /// `key` as written, or `keyPath`.
    fn of(state: &Value, key: &str, read: impl Fn(&Value) -> Option<T>) -> Option<MapLimit<T>> {
        if let Some(value) = state.get(key) {
            if value.as_str().is_some_and(is_expression) {
                return Some(MapLimit::Expression(Template::from_validated(value)));
            }
            return read(value).map(MapLimit::Value);
        }
        state.get(format!("{key}Path")).and_then(Value::as_str).map(|path| MapLimit::Path(path.to_string()))
    }
}

impl Transition {
    fn of(state: &Value) -> Transition {
        match state.get("Next").and_then(Value::as_str) {
            Some(next) => Transition::Next(next.to_string()),
            None => Transition::End,
        }
    }
}

impl PathField {
    fn of(state: &Value, key: &str) -> PathField {
        match state.get(key) {
            None => PathField::Absent,
            Some(Value::String(path)) => PathField::Path(path.clone()),
            // Validation allows only a string or null here.
            Some(_) => PathField::Null,
        }
    }
}

impl Paths {
    fn of(state: &Value) -> Paths {
        Paths { input_path: PathField::of(state, "InputPath"), output_path: PathField::of(state, "OutputPath") }
    }
}

impl ResultFields {
    fn of(state: &Value) -> ResultFields {
        ResultFields {
            result_selector: state.get("ResultSelector").cloned(),
            result_path: PathField::of(state, "ResultPath"),
        }
    }
}

impl ErrorHandling {
    fn of(state: &Value, language: QueryLanguage) -> ErrorHandling {
        ErrorHandling {
            retry: array(state, "Retry").map(Retrier::from_validated).collect(),
            catch: array(state, "Catch").map(|rule| Catcher::from_validated(rule, language)).collect(),
        }
    }
}

impl Retrier {
    /// A Retry rule as validation accepts it.
    pub(crate) fn from_validated(rule: &Value) -> Retrier {
        Retrier {
            error_equals: error_equals(rule),
            interval_seconds: rule.get("IntervalSeconds").and_then(Value::as_f64).unwrap_or(1.0),
            max_attempts: rule.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3),
            backoff_rate: rule.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0),
            max_delay_seconds: rule.get("MaxDelaySeconds").and_then(Value::as_f64),
            full_jitter: rule.get("JitterStrategy").and_then(Value::as_str) == Some("FULL"),
        }
    }
}

impl Catcher {
    fn from_validated(rule: &Value, language: QueryLanguage) -> Catcher {
        Catcher {
            error_equals: error_equals(rule),
            next: string(rule, "Next", "validated: a Catcher has a string Next"),
            result_path: PathField::of(rule, "ResultPath"),
            assign: Payload::of(rule.get("Assign"), language),
            output: template(rule, "Output"),
        }
    }
}

impl WaitFor {
    fn of(state: &Value) -> WaitFor {
        let text = |value: &Value| value.as_str().expect("validated: a Wait path or timestamp is a string").to_string();
        if let Some(seconds) = state.get("Seconds") {
            if seconds.as_str().is_some_and(is_expression) {
                return WaitFor::SecondsExpression(Template::from_validated(seconds));
            }
            return WaitFor::Seconds(seconds.as_u64().expect("validated: Seconds is a whole number"));
        }
        if let Some(path) = state.get("SecondsPath") {
            return WaitFor::SecondsPath(text(path));
        }
        if let Some(stamp) = state.get("Timestamp") {
            if stamp.as_str().is_some_and(is_expression) {
                return WaitFor::TimestampExpression(Template::from_validated(stamp));
            }
            return WaitFor::Timestamp(text(stamp));
        }
        let path = state
            .get("TimestampPath")
            .expect("validated: a Wait state has one of Seconds, SecondsPath, Timestamp, TimestampPath");
        WaitFor::TimestampPath(text(path))
    }
}

impl FailField {
    fn of(state: &Value, literal: &str, path: &str, language: QueryLanguage) -> Option<FailField> {
        if let Some(text) = state.get(literal).and_then(Value::as_str) {
            if language == QueryLanguage::Jsonata && is_expression(text) {
                return Some(FailField::Expression(Template::from_validated(&Value::String(text.to_string()))));
            }
            return Some(FailField::Literal(text.to_string()));
        }
        state.get(path).and_then(Value::as_str).map(|path| FailField::Path(path.to_string()))
    }
}

fn string(object: &Value, key: &str, guaranteed: &str) -> String {
    object.get(key).and_then(Value::as_str).expect(guaranteed).to_string()
}

/// The items of an array field; none when the field is absent.
fn array<'v>(object: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    object.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn error_equals(rule: &Value) -> Vec<String> {
    array(rule, "ErrorEquals").filter_map(Value::as_str).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

    const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:fn";

    fn state<'m>(machine: &'m Machine, name: &str) -> &'m State {
        machine.states.get(name).unwrap_or_else(|| panic!("no state {name}"))
    }

    fn paths(input: PathField, output: PathField) -> Paths {
        Paths { input_path: input, output_path: output }
    }

    fn defaults() -> Paths {
        paths(PathField::Absent, PathField::Absent)
    }

    /// A machine with every state type, every field the runner reads set on
    /// one of them.
    fn every_type() -> Value {
        json!({
            "Comment": "every type", "TimeoutSeconds": 60, "Version": "1.0",
            "StartAt": "Task",
            "States": {
                "Task": {"Type": "Task", "Resource": LAMBDA, "InputPath": "$.in", "OutputPath": null,
                         "Parameters": {"x.$": "$.x"}, "ResultSelector": {"r.$": "$.r"}, "ResultPath": "$.out",
                         "TimeoutSeconds": 30,
                         "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 0,
                                    "BackoffRate": 1.5, "MaxDelaySeconds": 10, "JitterStrategy": "FULL"},
                                   {"ErrorEquals": ["States.ALL"]}],
                         "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Failed"},
                                   {"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "Failed"}],
                         "Next": "Invoke"},
                "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                           "Parameters": {"FunctionName": "other:live", "Payload.$": "$"},
                           "TimeoutSecondsPath": "$.limit", "Next": "Wait"},
                "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Until"},
                "Until": {"Type": "Wait", "TimestampPath": "$.when", "Next": "Pass"},
                "Pass": {"Type": "Pass", "Result": null, "ResultPath": "$.p", "Next": "Parallel"},
                "Parallel": {"Type": "Parallel", "Parameters": {"all.$": "$"}, "ResultPath": "$.branches", "Next": "Map",
                             "Branches": [{"Comment": "first", "StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
                                          {"StartAt": "B2", "States": {"B2": {"Type": "Succeed"}}}]},
                "Map": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"item.$": "$$.Map.Item.Value"},
                        "MaxConcurrency": 2, "ToleratedFailureCount": 1, "ToleratedFailurePercentage": 10,
                        "Next": "Choice",
                        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item",
                                          "States": {"Item": {"Type": "Task", "Resource": LAMBDA, "End": true}}}},
                "Choice": {"Type": "Choice", "InputPath": "$.c", "Default": "Done",
                           "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Done"},
                                       {"Not": {"Variable": "$.s", "StringEquals": "x"}, "Next": "Failed"}]},
                "Done": {"Type": "Succeed", "OutputPath": "$.out"},
                "Failed": {"Type": "Fail", "Error": "Oops", "CausePath": "$.why"}
            }
        })
    }

    #[test]
    fn a_machine_with_every_state_type_converts_to_its_variants() {
        let machine = Machine::parse(&every_type()).expect("valid");
        assert_eq!(machine.start_at, "Task");
        assert_eq!(machine.comment.as_deref(), Some("every type"));
        assert_eq!(machine.timeout_seconds, Some(60));
        let names: Vec<(&str, &str)> = machine.states.iter().map(|(name, s)| (name, s.type_name())).collect();
        assert_eq!(
            names,
            [
                ("Task", "Task"),
                ("Invoke", "Task"),
                ("Wait", "Wait"),
                ("Until", "Wait"),
                ("Pass", "Pass"),
                ("Parallel", "Parallel"),
                ("Map", "Map"),
                ("Choice", "Choice"),
                ("Done", "Succeed"),
                ("Failed", "Fail"),
            ]
        );
    }

    #[test]
    fn a_task_keeps_its_resource_data_fields_timeout_and_error_rules() {
        let machine = Machine::parse(&every_type()).expect("valid");
        let State::Task(task) = state(&machine, "Task") else { panic!("Task is a Task") };
        let expected = Task {
            flow: DataFlow::default(),
            arguments: None,
            resource: LAMBDA.to_string(),
            paths: paths(PathField::Path("$.in".into()), PathField::Null),
            parameters: Some(json!({"x.$": "$.x"})),
            results: ResultFields {
                result_selector: Some(json!({"r.$": "$.r"})),
                result_path: PathField::Path("$.out".into()),
            },
            timeout: Some(TaskTimeout::Seconds(30)),
            errors: ErrorHandling {
                retry: vec![
                    Retrier {
                        error_equals: vec!["Lambda.ServiceException".into()],
                        interval_seconds: 2.0,
                        max_attempts: 0,
                        backoff_rate: 1.5,
                        max_delay_seconds: Some(10.0),
                        full_jitter: true,
                    },
                    // The service's defaults.
                    Retrier {
                        error_equals: vec!["States.ALL".into()],
                        interval_seconds: 1.0,
                        max_attempts: 3,
                        backoff_rate: 2.0,
                        max_delay_seconds: None,
                        full_jitter: false,
                    },
                ],
                catch: vec![
                    Catcher {
                        error_equals: vec!["States.TaskFailed".into()],
                        next: "Failed".into(),
                        result_path: PathField::Path("$.error".into()),
                        assign: None,
                        output: None,
                    },
                    Catcher {
                        error_equals: vec!["States.ALL".into()],
                        next: "Failed".into(),
                        result_path: PathField::Null,
                        assign: None,
                        output: None,
                    },
                ],
            },
            transition: Transition::Next("Invoke".into()),
        };
        assert_eq!(task, &expected);
        assert!(!task.is_lambda_invoke());
        assert_eq!(task.function_name().as_deref(), Some("fn"));

        let State::Task(invoke) = state(&machine, "Invoke") else { panic!("Invoke is a Task") };
        assert!(invoke.is_lambda_invoke());
        assert_eq!(invoke.function_name().as_deref(), Some("other"));
        assert_eq!(invoke.timeout, Some(TaskTimeout::Path("$.limit".into())));
        assert_eq!(invoke.paths, defaults());
        assert_eq!(invoke.results, ResultFields { result_selector: None, result_path: PathField::Absent });
        assert_eq!(invoke.errors, ErrorHandling { retry: vec![], catch: vec![] });
    }

    #[test]
    fn wait_pass_choice_succeed_and_fail_keep_their_fields() {
        let machine = Machine::parse(&every_type()).expect("valid");
        assert_eq!(
            state(&machine, "Wait"),
            &State::Wait(Wait {
                flow: DataFlow::default(),
                paths: defaults(),
                until: WaitFor::Seconds(5),
                transition: Transition::Next("Until".into())
            })
        );
        assert_eq!(
            state(&machine, "Until"),
            &State::Wait(Wait {
                flow: DataFlow::default(),
                paths: defaults(),
                until: WaitFor::TimestampPath("$.when".into()),
                transition: Transition::Next("Pass".into())
            })
        );
        // `"Result": null` is a result (null), not an absent one.
        assert_eq!(
            state(&machine, "Pass"),
            &State::Pass(Pass {
                flow: DataFlow::default(),
                paths: defaults(),
                parameters: None,
                result: Some(Value::Null),
                result_path: PathField::Path("$.p".into()),
                transition: Transition::Next("Parallel".into()),
            })
        );
        let State::Choice(choice) = state(&machine, "Choice") else { panic!("Choice is a Choice") };
        assert_eq!(choice.paths, paths(PathField::Path("$.c".into()), PathField::Absent));
        assert_eq!(choice.default.as_deref(), Some("Done"));
        let nexts: Vec<&str> = choice.choices.iter().map(|rule| rule.next.as_str()).collect();
        assert_eq!(nexts, ["Done", "Failed"]);
        assert_eq!(choice.choices[1].rule["Not"], json!({"Variable": "$.s", "StringEquals": "x"}));
        assert_eq!(
            state(&machine, "Done"),
            &State::Succeed(Succeed {
                flow: DataFlow::default(),
                paths: paths(PathField::Absent, PathField::Path("$.out".into()))
            })
        );
        assert_eq!(
            state(&machine, "Failed"),
            &State::Fail(Fail {
                language: QueryLanguage::JsonPath,
                error: Some(FailField::Literal("Oops".into())),
                cause: Some(FailField::Path("$.why".into()))
            })
        );
    }

    #[test]
    fn parallel_branches_and_map_processors_are_machines_of_their_own() {
        let machine = Machine::parse(&every_type()).expect("valid");
        let State::Parallel(parallel) = state(&machine, "Parallel") else { panic!("Parallel is a Parallel") };
        assert_eq!(parallel.parameters, Some(json!({"all.$": "$"})));
        assert_eq!(parallel.results.result_path, PathField::Path("$.branches".into()));
        assert_eq!(parallel.transition, Transition::Next("Map".into()));
        assert_eq!(parallel.branches.len(), 2);
        let first = &parallel.branches[0];
        assert_eq!(
            (first.start_at.as_str(), first.comment.as_deref(), first.timeout_seconds),
            ("B1", Some("first"), None)
        );
        assert_eq!(
            first.states.get("B1"),
            Some(&State::Pass(Pass {
                flow: DataFlow::default(),
                paths: defaults(),
                parameters: None,
                result: None,
                result_path: PathField::Absent,
                transition: Transition::End,
            }))
        );
        assert_eq!(parallel.branches[1].states.get("B2").map(State::type_name), Some("Succeed"));

        let State::Map(map) = state(&machine, "Map") else { panic!("Map is a Map") };
        assert_eq!(map.items_path, "$.items");
        assert_eq!(map.item_selector, Some(Payload::JsonPath(json!({"item.$": "$$.Map.Item.Value"}))));
        assert_eq!(map.max_concurrency, Some(MapLimit::Value(2)));
        assert_eq!(map.tolerated_failure_count, Some(MapLimit::Value(1)));
        assert_eq!(map.tolerated_failure_percentage, Some(MapLimit::Value(10.0)));
        assert!(!map.distributed);
        assert_eq!(map.processor.start_at, "Item");
        assert_eq!(map.processor.states.len(), 1);
        let Some(State::Task(item)) = map.processor.states.get("Item") else { panic!("Item is a Task") };
        assert_eq!(item.transition, Transition::End);
        assert_eq!(machine.function_names(), ["fn", "other"]);
    }

    #[test]
    fn nested_machines_convert_at_any_depth() {
        // A Map whose processor holds a Parallel whose branch holds a Map,
        // with the legacy spellings: Iterator and Parameters.
        let definition = json!({"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "End": true,
        "Iterator": {"StartAt": "Fork", "States": {"Fork": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Inner", "States": {"Inner": {"Type": "Map", "Parameters": {"v.$": "$$.Map.Item.Value"},
                "End": true, "ItemProcessor": {"StartAt": "Call", "States": {
                    "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:deep", "End": true}}}}}}
        ]}}}}}});
        let machine = Machine::parse(&definition).expect("valid");
        let Some(State::Map(outer)) = machine.states.get("Outer") else { panic!("Outer is a Map") };
        assert_eq!(outer.items_path, "$", "ItemsPath defaults to $");
        assert_eq!(outer.item_selector, None);
        let Some(State::Parallel(fork)) = outer.processor.states.get("Fork") else { panic!("Fork is a Parallel") };
        let Some(State::Map(inner)) = fork.branches[0].states.get("Inner") else { panic!("Inner is a Map") };
        assert_eq!(
            inner.item_selector,
            Some(Payload::JsonPath(json!({"v.$": "$$.Map.Item.Value"}))),
            "Parameters stands for ItemSelector"
        );
        assert_eq!(inner.processor.states.get("Call").map(State::type_name), Some("Task"));
        assert_eq!(machine.function_names(), ["deep"]);
    }

    #[test]
    fn an_invalid_definition_gives_the_validation_problems() {
        let definition = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}});
        let problems = Machine::parse(&definition).expect_err("invalid");
        assert_eq!(problems, validate::validate(&definition));
        assert!(!problems.is_empty());
    }

    #[test]
    fn every_type_validation_accepts_has_a_variant_of_that_name() {
        for name in TYPE_NAMES {
            let body = match name {
                "Task" => json!({"Type": "Task", "Resource": LAMBDA, "Next": "End"}),
                "Wait" => json!({"Type": "Wait", "Seconds": 1, "Next": "End"}),
                "Choice" => {
                    json!({"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "End"}]})
                }
                "Parallel" => json!({"Type": "Parallel", "Next": "End",
                    "Branches": [{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}]}),
                "Map" => json!({"Type": "Map", "Next": "End",
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}),
                "Pass" => json!({"Type": "Pass", "Next": "End"}),
                other => json!({"Type": other}),
            };
            // Succeed and Fail end the machine themselves; the others go on to End.
            let terminal = matches!(name, "Succeed" | "Fail");
            let mut states = json!({ "S": body });
            if !terminal {
                states["End"] = json!({"Type": "Succeed"});
            }
            let definition = json!({"StartAt": "S", "States": states});
            let machine = Machine::parse(&definition).unwrap_or_else(|problems| panic!("{name}: {problems:?}"));
            assert_eq!(machine.states.get("S").map(State::type_name), Some(name));
        }
    }
}
