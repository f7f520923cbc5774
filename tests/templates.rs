//! Every exercise has a SAM template, `exercises/NN-slug/template.yaml`, that
//! a learner with an AWS account could deploy with `sam deploy --guided`.
//! Nothing in the workshop deploys them; this test keeps them true to the
//! exercises:
//!
//! - each template runs what the exercise runs: the handler string from
//!   exercise.toml (`file` and `function`, or each of `[functions]`), the
//!   runtime, the memory and timeout the checks give the function, the code
//!   folder, and the event source the exercise's events come from;
//! - each function has a role of its own making, least privilege as in
//!   exercise 02: only Lambda may assume it, it may write only to the
//!   function's own log group, and no statement grants `*` or `service:*`;
//! - cfn-lint and `sam validate --lint` accept every template.
//!
//! The templates are read by a small reader of the YAML they are written in
//! (block mappings and sequences, plain and quoted scalars, flow sequences,
//! comments), which refuses anything else by line: the short tags (`!Ref`,
//! `!GetAtt`, `!Sub`), so the templates use the long forms (`Ref`,
//! `Fn::GetAtt`, `Fn::Sub`); block scalars, anchors and flow mappings; and
//! the plain scalars that YAML 1.1, which cfn-lint and SAM read with, takes
//! for something else than YAML 1.2 does (`yes`, `2012-10-17`, `0755`).
//!
//! cfn-lint and SAM CLI come from PyPI (`pip install cfn-lint aws-sam-cli`);
//! .ci/run installs pinned versions into .ci/.sam/venv. The test takes them
//! from there, or else from PATH. On a machine without them it says so and
//! passes, unless CI is set, so the README's `cargo test` still works on a
//! fresh machine with Rust and Python. Neither needs AWS credentials or the
//! network: the test gives SAM a Region and fake credentials, so that it
//! could not reach an account even if it tried.

use harness::exercise::Exercise;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn exercises() -> Vec<Exercise> {
    let found = Exercise::discover(&root()).expect("the exercises can be listed");
    assert!(!found.is_empty(), "no exercises found under exercises/");
    found
}

/// The runtime of every Python function: the newest Python runtime Lambda
/// has (since November 2025) and the newest cfn-lint accepts.
const PYTHON_RUNTIME: &str = "python3.14";
/// A Rust function runs on an OS-only runtime, as the file `bootstrap`.
const RUST_RUNTIME: &str = "provided.al2023";

/// The exercises whose checks configure the function's memory or timeout
/// (`config.memory_mb`, `config.timeout` in their tests): MB and seconds.
/// Every other function has Lambda's defaults, as the checks do.
const SIZES: &[(&str, u32, u64)] = &[
    // thumbnail-maker: 256 MB, 10 s (tests/invocation_metadata.rs, the book's table).
    ("invocation-metadata", 256, 10),
    // `function(10)`: a 10-second timeout in all but one check.
    ("working-against-the-clock", 128, 10),
];

fn template_path(exercise: &Exercise) -> PathBuf {
    exercise.dir.join("template.yaml")
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

fn read_template(exercise: &Exercise) -> Result<Value, String> {
    let path = template_path(exercise);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", shown(&path)))?;
    yaml::parse(&text).map_err(|e| format!("{}:{e}", shown(&path)))
}

#[test]
fn every_exercise_has_a_template_this_test_can_read() {
    let problems: Vec<String> = exercises()
        .iter()
        .filter_map(|exercise| {
            let path = template_path(exercise);
            if !path.is_file() {
                return Some(format!(
                    "{} has no template.yaml: write the SAM template that deploys its function",
                    shown(&exercise.dir)
                ));
            }
            read_template(exercise).err()
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_template_runs_what_its_exercise_runs() {
    let mut problems = Vec::new();
    for exercise in exercises() {
        let Ok(template) = read_template(&exercise) else { continue };
        let mut check = Check { exercise: &exercise, template: &template, problems: &mut problems };
        check.template();
    }
    assert!(problems.is_empty(), "the templates do not match their exercises:\n{}", problems.join("\n"));
}

/// One template held against its exercise; what does not match goes into
/// `problems`, named by the template's path.
struct Check<'a> {
    exercise: &'a Exercise,
    template: &'a Value,
    problems: &'a mut Vec<String>,
}

impl<'a> Check<'a> {
    fn problem(&mut self, what: impl std::fmt::Display) {
        self.problems.push(format!("{}: {what}", shown(&template_path(self.exercise))));
    }

    fn expect(&mut self, what: &str, expected: &Value, got: Option<&Value>) {
        if got != Some(expected) {
            let got = got.map_or("nothing".to_string(), Value::to_string);
            self.problem(format!("{what} should be {expected}, not {got}"));
        }
    }

    fn resources(&self) -> Vec<(&'a str, &'a Value)> {
        let template: &'a Value = self.template;
        let resources = template.get("Resources").and_then(Value::as_object);
        resources.into_iter().flatten().map(|(name, resource)| (name.as_str(), resource)).collect()
    }

    fn resources_of(&self, kind: &str) -> Vec<(&'a str, &'a Value)> {
        self.resources().into_iter().filter(|(_, resource)| resource["Type"] == kind).collect()
    }

    fn template(&mut self) {
        let version = self.template.get("AWSTemplateFormatVersion").cloned();
        self.expect("AWSTemplateFormatVersion", &json!("2010-09-09"), version.as_ref());
        if self.exercise.machine.is_none() && self.exercise.files.iter().all(|file| file.ends_with(".json")) {
            self.policies_only();
            return;
        }
        let transform = self.template.get("Transform").cloned();
        self.expect("Transform", &json!("AWS::Serverless-2016-10-31"), transform.as_ref());
        let functions: Vec<(String, Value)> = self
            .resources_of("AWS::Serverless::Function")
            .into_iter()
            .map(|(name, resource)| (name.to_string(), resource.clone()))
            .collect();
        let expected = self.expected_functions();
        if functions.len() != expected.len() {
            self.problem(format!(
                "holds {} AWS::Serverless::Function resources, the exercise has {} ({})",
                functions.len(),
                expected.len(),
                expected.iter().map(|f| f.handler.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        let mut by_handler = Vec::new();
        for want in &expected {
            let found =
                functions.iter().find(|(_, resource)| resource["Properties"]["Handler"] == want.handler.as_str());
            if let Some((name, resource)) = found {
                by_handler.push((want.name.clone(), name.clone()));
                self.function(name, resource, want);
            } else if let [(name, resource)] = &functions[..] {
                // One function: hold it to the exercise, whatever its handler.
                self.function(name, resource, want);
            } else {
                self.problem(format!("has no function with Handler {}", want.handler));
            }
        }
        self.event_sources(&functions);
        self.least_privilege();
        if let Some(machine) = &self.exercise.machine {
            self.state_machine(machine, &by_handler);
        }
    }

    /// The functions the exercise runs, as its manifest and checks say.
    fn expected_functions(&mut self) -> Vec<Expected> {
        let exercise = self.exercise;
        let (memory, timeout) = SIZES
            .iter()
            .find(|(slug, ..)| *slug == exercise.slug)
            .map(|&(_, memory, timeout)| (memory, timeout))
            .unwrap_or((harness::config::DEFAULT_MEMORY_MB, harness::config::DEFAULT_TIMEOUT.as_secs()));
        let python = |name: &str, handler: String| Expected {
            name: name.to_string(),
            handler,
            runtime: PYTHON_RUNTIME,
            code_uri: ".".into(),
            memory,
            timeout,
            binary: None,
        };
        if !exercise.functions.is_empty() {
            return exercise
                .functions
                .iter()
                .map(|(name, file, function)| python(name, format!("{}.{function}", module_of(file))))
                .collect();
        }
        if exercise.is_rust() {
            return vec![Expected {
                runtime: RUST_RUNTIME,
                binary: Some(exercise.package()),
                ..python(&exercise.slug, "bootstrap".into())
            }];
        }
        if exercise.slug == "building-the-zip" {
            // package.py is the file the learner edits; the function is the
            // zip it writes, whose handler string the checks invoke.
            let checks = text_of(&exercise.dir.join("tests"));
            if !checks.contains("\"app.lambda_handler\"") {
                self.problem("exercise 05's checks no longer invoke app.lambda_handler: update this test");
            }
            return vec![Expected {
                code_uri: "build/function.zip".into(),
                ..python("app", "app.lambda_handler".into())
            }];
        }
        // A test file (test_handler.py) is the learner's; the function is
        // the handler it tests (handler.py).
        let file = exercise.file.strip_prefix("test_").unwrap_or(&exercise.file);
        vec![python(&exercise.slug, format!("{}.{}", module_of(file), exercise.function))]
    }

    fn function(&mut self, name: &str, resource: &Value, want: &Expected) {
        let properties = &resource["Properties"];
        let label = |property: &str| format!("{name}'s {property}");
        self.expect(&label("Handler"), &json!(want.handler), properties.get("Handler"));
        self.expect(&label("Runtime"), &json!(want.runtime), properties.get("Runtime"));
        self.expect(&label("MemorySize"), &json!(want.memory), properties.get("MemorySize"));
        self.expect(&label("Timeout"), &json!(want.timeout), properties.get("Timeout"));
        self.expect(&label("CodeUri"), &json!(want.code_uri), properties.get("CodeUri"));
        if want.runtime == PYTHON_RUNTIME && want.code_uri == "." {
            let module = want.handler.rsplit_once('.').map_or("", |(module, _)| module).replace('.', "/");
            let file = self.exercise.dir.join(format!("{module}.py"));
            if !file.is_file() {
                self.problem(format!("{name}'s Handler {} names {}, which does not exist", want.handler, shown(&file)));
            }
        }
        if let Some(binary) = &want.binary {
            self.expect(
                &label("Metadata.BuildMethod"),
                &json!("rust-cargolambda"),
                resource["Metadata"].get("BuildMethod"),
            );
            let built = resource["Metadata"]["BuildProperties"].get("Binary");
            self.expect(&label("Metadata.BuildProperties.Binary"), &json!(binary), built);
            if !self.exercise.dir.join("src/main.rs").is_file() {
                self.problem(format!("the binary {binary} needs src/main.rs"));
            }
        }
        self.environment(name, properties);
        self.layers(name, properties, want.runtime);
        self.logging(name, properties);
        self.role(name, properties);
        if want.runtime == PYTHON_RUNTIME && self.handler_source().contains("durable_execution") {
            self.durable(name, properties);
        }
    }

    /// The handler modules' text: the starter's, and the worked answer's
    /// (a variable may come with the answer).
    fn handler_source(&self) -> String {
        let solution = root().join("solutions").join(self.exercise.dir.file_name().unwrap());
        let mut text = String::new();
        for folder in [&self.exercise.dir, &solution] {
            for file in python_files(folder) {
                if !file.file_name().is_some_and(|n| n.to_string_lossy().starts_with("test_")) {
                    text.push_str(&std::fs::read_to_string(&file).unwrap_or_default());
                }
            }
        }
        text
    }

    /// Every variable the handler reads (`os.environ.get("TABLE_NAME", ...)`,
    /// `os.environ["TABLE_NAME"]`) or the checks give the function
    /// (`config.environment.push(("POWERTOOLS_SERVICE_NAME".into(), ...))`)
    /// is set, apart from Lambda's own.
    fn environment(&mut self, name: &str, properties: &Value) {
        let source = self.handler_source();
        let checks = text_of(&self.exercise.dir.join("tests"));
        let read = regex_lite::Regex::new(r#"os\.environ(?:\.get\(|\[)\s*"([A-Z0-9_]+)""#).unwrap();
        let given = regex_lite::Regex::new(r#"environment\.push\(\("([A-Z0-9_]+)""#).unwrap();
        let needed: BTreeSet<&str> = read
            .captures_iter(&source)
            .chain(given.captures_iter(&checks))
            .map(|c| c.get(1).unwrap().as_str())
            .filter(|variable| !variable.starts_with("AWS_") && !variable.starts_with("LAMBDA_"))
            .collect();
        let variables = properties["Environment"]["Variables"].as_object();
        let set: BTreeSet<&str> = variables.into_iter().flatten().map(|(key, _)| key.as_str()).collect();
        for variable in needed.difference(&set) {
            self.problem(format!("{name} does not set {variable}, which the handler reads or the checks set"));
        }
    }

    /// A function with layers (`layers = ["powertools"]`) has them: for
    /// Powertools, AWS's public layer of the version the workshop pins, for
    /// the function's runtime, found by its public SSM parameter.
    fn layers(&mut self, name: &str, properties: &Value, runtime: &str) {
        let layers = as_list(&properties["Layers"]);
        for layer in &self.exercise.layers {
            let wanted = match layer.as_str() {
                "powertools" => {
                    let pins = std::fs::read_to_string(root().join("python/powertools-layer.in")).unwrap_or_default();
                    let version = pins
                        .lines()
                        .find_map(|line| line.trim().strip_prefix("aws-lambda-powertools=="))
                        .unwrap_or("(no pin in python/powertools-layer.in)");
                    format!("{{{{resolve:ssm:/aws/service/powertools/python/x86_64/{runtime}/{version}}}}}")
                }
                other => {
                    self.problem(format!("{name} has the layer {other}, which this test does not know yet"));
                    continue;
                }
            };
            if !layers.contains(&json!(wanted)) {
                self.problem(format!("{name}'s Layers should hold {wanted}"));
            }
        }
        if layers.len() != self.exercise.layers.len() {
            self.problem(format!("{name} has {} Layers, the exercise {}", layers.len(), self.exercise.layers.len()));
        }
    }

    /// The function logs to a group of the template's own, and at the level
    /// the checks show its lines at (`AWS_LAMBDA_LOG_LEVEL`), which Lambda
    /// offers only with the JSON log format.
    fn logging(&mut self, name: &str, properties: &Value) {
        let group = properties["LoggingConfig"]["LogGroup"]["Ref"].as_str().unwrap_or_default();
        if !self.resources_of("AWS::Logs::LogGroup").iter().any(|(id, _)| *id == group) {
            self.problem(format!(
                "{name}'s LoggingConfig.LogGroup should be a Ref to an AWS::Logs::LogGroup of the template"
            ));
        }
        // A check that sets WARN or above is about hiding lines; one that
        // sets INFO or DEBUG, about showing them, which the function must do.
        let checks = text_of(&self.exercise.dir.join("tests"));
        let level = regex_lite::Regex::new(r#""AWS_LAMBDA_LOG_LEVEL"\.into\(\),\s*"([A-Z]+)""#).unwrap();
        let levels: Vec<String> = level.captures_iter(&checks).map(|c| c[1].to_string()).collect();
        let shown = ["TRACE", "DEBUG", "INFO"].into_iter().find(|wanted| levels.iter().any(|level| level == wanted));
        if let Some(level) = shown {
            let config = &properties["LoggingConfig"];
            self.expect(
                &format!("{name}'s LoggingConfig.ApplicationLogLevel"),
                &json!(level),
                config.get("ApplicationLogLevel"),
            );
            self.expect(&format!("{name}'s LoggingConfig.LogFormat"), &json!("JSON"), config.get("LogFormat"));
        }
    }

    /// The function's role is the template's own (SAM's would bring
    /// AWSLambdaBasicExecutionRole, which writes to every log group), only
    /// Lambda may assume it, and its logs statements name log groups of the
    /// template.
    fn role(&mut self, name: &str, properties: &Value) {
        if properties.get("Policies").is_some() {
            self.problem(format!("{name} has Policies: give the permissions to its role instead"));
        }
        let role = get_att(&properties["Role"]).map(|(id, _)| id.to_string()).unwrap_or_default();
        let Some(resource) =
            self.resources_of("AWS::IAM::Role").into_iter().find(|(id, _)| *id == role).map(|r| r.1.clone())
        else {
            return self.problem(format!(
                "{name}'s Role should be Fn::GetAtt [ROLE, Arn] of an AWS::IAM::Role of the template"
            ));
        };
        let trust = &resource["Properties"]["AssumeRolePolicyDocument"];
        let statements = trust["Statement"].as_array().cloned().unwrap_or_default();
        let only_lambda = statements.len() == 1
            && statements[0]["Effect"] == "Allow"
            && statements[0]["Principal"] == json!({"Service": "lambda.amazonaws.com"})
            && statements[0]["Action"] == "sts:AssumeRole"
            && statements[0].get("Condition").is_none();
        if !only_lambda {
            self.problem(format!(
                "{role}'s trust policy should let lambda.amazonaws.com, and only it, assume the role"
            ));
        }
        let groups: Vec<Value> =
            self.resources_of("AWS::Logs::LogGroup").iter().map(|(id, _)| json!({"Fn::GetAtt": [id, "Arn"]})).collect();
        for statement in statements_of(&resource["Properties"]["Policies"]) {
            if as_list(&statement["Action"])
                .iter()
                .any(|action| action.as_str().is_some_and(|a| a.starts_with("logs:")))
                && !as_list(&statement["Resource"]).iter().all(|resource| groups.contains(resource))
            {
                self.problem(format!(
                    "{role} may write logs outside the template's log groups: {}",
                    statement["Resource"]
                ));
            }
        }
    }

    /// No statement of a role or of a SAM resource's Policies grants every
    /// action (`*`, `s3:*`) or every resource (`*`).
    fn least_privilege(&mut self) {
        let mut policies = Vec::new();
        for (id, resource) in self.resources() {
            let properties = &resource["Properties"];
            policies.extend(statements_of(&properties["Policies"]).into_iter().map(|statement| (id, statement)));
        }
        for (id, statement) in policies {
            let actions = as_list(&statement["Action"]);
            let wide_action =
                actions.iter().any(|action| action.as_str().is_some_and(|a| a == "*" || a.ends_with(":*")));
            if wide_action || as_list(&statement["Resource"]).contains(&json!("*")) {
                self.problem(format!("{id} grants more than it needs: {statement}"));
            }
        }
    }

    /// A durable function, as AWS's page on deploying them with SAM lists
    /// it: DurableConfig, a version to invoke, and the two checkpoint
    /// permissions on its role.
    fn durable(&mut self, name: &str, properties: &Value) {
        if properties["DurableConfig"].get("ExecutionTimeout").is_none() {
            self.problem(format!("{name} is a durable function: it needs DurableConfig with an ExecutionTimeout"));
        }
        if properties.get("AutoPublishAlias").is_none() {
            self.problem(format!("{name} is a durable function: it needs AutoPublishAlias, to be invoked by version"));
        }
        let role = get_att(&properties["Role"]).map(|(id, _)| id.to_string()).unwrap_or_default();
        let policies =
            self.resources().into_iter().find(|(id, _)| *id == role).map(|r| r.1["Properties"]["Policies"].clone());
        let actions: BTreeSet<String> = statements_of(&policies.unwrap_or_default())
            .iter()
            .flat_map(|statement| as_list(&statement["Action"]))
            .filter_map(|action| action.as_str().map(str::to_string))
            .collect();
        for action in ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"] {
            if !actions.contains(action) {
                self.problem(format!("{name} is a durable function: its role needs {action}"));
            }
        }
    }

    /// The functions' event sources are those of the exercise's events (its
    /// events/ folder, or the catalog event it suggests), and an SQS source
    /// reports batch item failures.
    fn event_sources(&mut self, functions: &[(String, Value)]) {
        let mut payloads = Vec::new();
        for file in json_files(&self.exercise.dir.join("events")) {
            let text = std::fs::read_to_string(&file).unwrap();
            payloads.push(serde_json::from_str::<Value>(&text).unwrap_or(Value::Null));
        }
        if let Some(name) = &self.exercise.try_event {
            payloads.push(harness::events::load(name).unwrap_or_else(|e| panic!("the catalog event {name}: {e}")));
        }
        let expected: BTreeSet<&str> = payloads.iter().filter_map(source_of).collect();
        let mut found = BTreeSet::new();
        for (name, resource) in functions {
            for (event, source) in resource["Properties"]["Events"].as_object().into_iter().flatten() {
                let kind = source["Type"].as_str().unwrap_or_default().to_string();
                let responses = &source["Properties"]["FunctionResponseTypes"];
                if kind == "SQS" && !as_list(responses).contains(&json!("ReportBatchItemFailures")) {
                    self.problem(format!(
                        "{name}'s SQS source {event} needs FunctionResponseTypes: [ReportBatchItemFailures]"
                    ));
                }
                found.insert(kind);
            }
        }
        let found: BTreeSet<&str> = found.iter().map(String::as_str).collect();
        if found != expected {
            self.problem(format!(
                "the functions' event sources are {found:?}, the exercise's events come from {expected:?}"
            ));
        }
    }

    /// A chaining exercise's machine: machine.json, with a substitution for
    /// each function, and a role that may invoke those functions only.
    fn state_machine(&mut self, machine: &str, functions: &[(String, String)]) {
        let machines = self.resources_of("AWS::Serverless::StateMachine");
        let [(id, resource)] = machines[..] else {
            return self.problem("should hold one AWS::Serverless::StateMachine");
        };
        let (id, properties) = (id.to_string(), resource["Properties"].clone());
        self.expect(&format!("{id}'s DefinitionUri"), &json!(machine), properties.get("DefinitionUri"));
        let substitutions: Map<String, Value> =
            functions.iter().map(|(name, function)| (name.clone(), json!({"Fn::GetAtt": [function, "Arn"]}))).collect();
        self.expect(
            &format!("{id}'s DefinitionSubstitutions"),
            &Value::Object(substitutions),
            properties.get("DefinitionSubstitutions"),
        );
        let arns: Vec<Value> = functions.iter().map(|(_, function)| json!({"Fn::GetAtt": [function, "Arn"]})).collect();
        for statement in statements_of(&properties["Policies"]) {
            let actions = as_list(&statement["Action"]);
            let resources = as_list(&statement["Resource"]);
            if actions != [json!("lambda:InvokeFunction")] || !resources.iter().all(|r| arns.contains(r)) {
                self.problem(format!("{id} may do more than invoke its functions: {statement}"));
            }
        }
        let names: BTreeSet<&str> = functions.iter().map(|(name, _)| name.as_str()).collect();
        let definition = std::fs::read_to_string(self.exercise.dir.join(machine)).unwrap_or_default();
        let named = regex_lite::Regex::new(r":function:([A-Za-z0-9_-]+)").unwrap();
        for called in named.captures_iter(&definition).map(|c| c.get(1).unwrap().as_str()) {
            if !names.contains(called) {
                self.problem(format!("{machine} calls {called}, which is not one of the template's functions"));
            }
        }
    }

    /// Exercise 02: no function, a role made from the trust and permissions
    /// policies the learner writes (the files named as crates/iam says:
    /// "trust" in the name, and the other one that is not "invoke").
    fn policies_only(&mut self) {
        if !self.resources_of("AWS::Serverless::Function").is_empty() {
            self.problem("exercise 02 is policies only: its template should hold the role and no function");
        }
        let files = &self.exercise.files;
        let trust = files.iter().find(|f| f.contains("trust")).cloned().unwrap_or_default();
        let permissions =
            files.iter().find(|f| f.ends_with(".json") && !f.contains("trust") && !f.contains("invoke")).cloned();
        let include = |file: &str| json!({"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": file}}});
        let roles = self.resources_of("AWS::IAM::Role");
        let built = roles.iter().any(|(_, role)| {
            let properties = &role["Properties"];
            properties["AssumeRolePolicyDocument"] == include(&trust)
                && as_list(&properties["Policies"]).iter().any(|policy| {
                    permissions.as_deref().is_some_and(|permissions| policy["PolicyDocument"] == include(permissions))
                })
        });
        if !built {
            self.problem(format!(
                "should hold an AWS::IAM::Role whose AssumeRolePolicyDocument includes {trust} and one of whose \
                 Policies includes {} (Fn::Transform, AWS::Include)",
                permissions.unwrap_or_default()
            ));
        }
    }
}

struct Expected {
    /// The function's name in the exercise (a `[functions]` key), for the
    /// machine's substitutions.
    name: String,
    handler: String,
    runtime: &'static str,
    code_uri: String,
    memory: u32,
    timeout: u64,
    /// A Rust function's binary, built by cargo-lambda.
    binary: Option<String>,
}

/// `order.py` or `src/app.py` as a module: `order`, `src.app`.
fn module_of(file: &str) -> String {
    file.strip_suffix(".py").unwrap_or(file).replace('/', ".")
}

/// Where an event comes from, as a SAM event source type.
fn source_of(event: &Value) -> Option<&'static str> {
    let record = event["Records"].get(0);
    match record.and_then(|r| r.get("eventSource").or_else(|| r.get("EventSource"))).and_then(Value::as_str) {
        Some("aws:s3") => Some("S3"),
        Some("aws:sqs") => Some("SQS"),
        Some("aws:dynamodb") => Some("DynamoDB"),
        Some("aws:kinesis") => Some("Kinesis"),
        Some("aws:sns") => Some("SNS"),
        Some(_) => None,
        None if event.get("routeKey").is_some() || event.get("httpMethod").is_some() => Some("HttpApi"),
        None => None,
    }
}

/// `Fn::GetAtt: [ID, ATTRIBUTE]`, as (ID, ATTRIBUTE).
fn get_att(value: &Value) -> Option<(&str, &str)> {
    match value.get("Fn::GetAtt")?.as_array()?.as_slice() {
        [id, attribute] => Some((id.as_str()?, attribute.as_str()?)),
        _ => None,
    }
}

/// A value or a list of values, as a list.
fn as_list(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

/// The statements of a list of policies: a role's (`PolicyDocument`) or a
/// SAM resource's (inline documents).
fn statements_of(policies: &Value) -> Vec<Value> {
    as_list(policies)
        .iter()
        .flat_map(|policy| as_list(&policy.get("PolicyDocument").unwrap_or(policy)["Statement"]))
        .collect()
}

fn files_in(folder: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

fn json_files(folder: &Path) -> Vec<PathBuf> {
    files_in(folder, "json")
}

fn python_files(folder: &Path) -> Vec<PathBuf> {
    files_in(folder, "py")
}

/// The Rust checks of an exercise, as one text.
fn text_of(folder: &Path) -> String {
    files_in(folder, "rs").iter().map(|file| std::fs::read_to_string(file).unwrap_or_default()).collect()
}

#[test]
fn the_sizes_table_names_the_exercises_whose_checks_size_the_function() {
    for exercise in exercises() {
        let checks = text_of(&exercise.dir.join("tests"));
        let sized = checks.contains("config.memory_mb =") || checks.contains("config.timeout =");
        let listed = SIZES.iter().any(|(slug, ..)| *slug == exercise.slug);
        assert_eq!(
            sized,
            listed,
            "{}'s checks {} the function's memory or timeout, and SIZES {} it",
            exercise.package(),
            if sized { "set" } else { "do not set" },
            if listed { "lists" } else { "does not list" }
        );
    }
}

/// A linter from PyPI: the pinned one of the venv .ci/run makes, or else the
/// first on PATH; None (and a note) when there is none, unless CI is set,
/// where that is a failure.
fn linter(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    let pinned = root().join(".ci/.sam/venv/bin").join(name);
    let found = std::iter::once(pinned).chain(on_path).find(|path| path.is_file());
    if found.is_none() {
        let install = "python3 -m venv .ci/.sam/venv && .ci/.sam/venv/bin/pip install cfn-lint==1.58.0 \
                       aws-sam-cli==1.170.0 (the versions .ci/run pins)";
        assert!(std::env::var_os("CI").is_none(), "{name} is not installed in CI; install it with {install}");
        eprintln!("note: templates not checked with {name}, which is not installed: {install}");
    }
    found
}

fn templates() -> Vec<PathBuf> {
    exercises().iter().map(template_path).filter(|path| path.is_file()).collect()
}

#[test]
fn cfn_lint_accepts_every_template() {
    let Some(cfn_lint) = linter("cfn-lint") else { return };
    let output = Command::new(&cfn_lint)
        .current_dir(root())
        .arg("--")
        .args(templates().iter().map(|path| shown(path)))
        .output()
        .unwrap_or_else(|e| panic!("{} does not start: {e}", cfn_lint.display()));
    assert!(
        output.status.success(),
        "cfn-lint finds problems in the templates:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `sam validate --lint`: SAM's own transform of the template, then
/// cfn-lint on what it gives. Offline: a Region, fake credentials, no
/// profile, no telemetry.
fn sam_validate(sam: &Path, template: &Path) -> Result<(), String> {
    let output = Command::new(sam)
        .current_dir(template.parent().unwrap())
        .args(["validate", "--lint", "--region", "us-east-1", "--template-file"])
        .arg(template)
        .env("SAM_CLI_TELEMETRY", "0")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "not-a-key")
        .env("AWS_SECRET_ACCESS_KEY", "not-a-secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .output()
        .map_err(|e| format!("{} does not start: {e}", sam.display()))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{}:\n{}{}",
        shown(template),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

#[test]
fn sam_validate_accepts_every_template() {
    let Some(sam) = linter("sam") else { return };
    let templates = templates();
    // About two seconds each, mostly Python starting: a few at a time.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(8);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let problems = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..workers {
            std::thread::Builder::new()
                .name(format!("sam-validate-{worker}"))
                .spawn_scoped(scope, || {
                    while let Some(template) = templates.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                        if let Err(problem) = sam_validate(&sam, template) {
                            problems.lock().unwrap().push(problem);
                        }
                    }
                })
                .unwrap();
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(problems.is_empty(), "sam validate --lint refuses templates:\n{}", problems.join("\n"));
}

/// The YAML the templates are written in, read into JSON values.
mod yaml {
    use serde_json::{Map, Value};

    struct Line {
        number: usize,
        indent: usize,
        text: String,
    }

    /// The template as a value, or `LINE: what is wrong` for the first thing
    /// this reader does not read.
    pub(super) fn parse(text: &str) -> Result<Value, String> {
        let mut lines = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let content = raw.trim_start_matches(' ');
            if content.starts_with('\t') {
                return Err(format!("{}: a tab in the indentation", index + 1));
            }
            let content = strip_comment(content);
            if content.is_empty() {
                continue;
            }
            lines.push(Line {
                number: index + 1,
                indent: raw.len() - raw.trim_start_matches(' ').len(),
                text: content,
            });
        }
        let mut reader = Reader { lines, at: 0 };
        if reader.lines.is_empty() {
            return Err("1: an empty template".into());
        }
        if reader.lines[0].indent != 0 {
            return Err(format!("{}: the first line is indented", reader.lines[0].number));
        }
        let value = reader.block(0)?;
        match reader.lines.get(reader.at) {
            Some(line) => Err(format!("{}: indented as no block above it is", line.number)),
            None => Ok(value),
        }
    }

    /// The line without its comment: a `#` at its start or after a space,
    /// outside a quoted scalar (which starts only where a scalar can).
    fn strip_comment(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut at_scalar_start = true;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if at_scalar_start && (c == '"' || c == '\'') {
                i += 1;
                while i < chars.len() {
                    if chars[i] == c && !(c == '\'' && chars.get(i + 1) == Some(&'\'')) {
                        break;
                    }
                    i += if (c == '"' && chars[i] == '\\') || (c == '\'' && chars[i] == '\'') { 2 } else { 1 };
                }
                i += 1;
                at_scalar_start = false;
                continue;
            }
            if c == '#' && (i == 0 || chars[i - 1] == ' ') {
                return chars[..i].iter().collect::<String>().trim_end().to_string();
            }
            let next_is_space = chars.get(i + 1).is_none_or(|n| *n == ' ');
            at_scalar_start = match c {
                ' ' => at_scalar_start,
                '[' | ',' => true,
                ':' | '-' => next_is_space,
                _ => false,
            };
            i += 1;
        }
        text.trim_end().to_string()
    }

    struct Reader {
        lines: Vec<Line>,
        at: usize,
    }

    impl Reader {
        fn block(&mut self, indent: usize) -> Result<Value, String> {
            if is_item(&self.lines[self.at].text) { self.sequence(indent) } else { self.mapping(indent) }
        }

        fn sequence(&mut self, indent: usize) -> Result<Value, String> {
            let mut items = Vec::new();
            while let Some(line) = self.lines.get(self.at).filter(|l| l.indent == indent && is_item(&l.text)) {
                let number = line.number;
                let rest = line.text[1..].trim_start_matches(' ').to_string();
                let offset = line.text.len() - rest.len();
                if rest.is_empty() {
                    self.at += 1;
                    items.push(self.nested(indent, number)?);
                } else if split_key(&rest, number)?.is_some() {
                    // `- Key: value` opens a mapping whose keys line up with Key.
                    self.lines[self.at] = Line { number, indent: indent + offset, text: rest };
                    items.push(self.mapping(indent + offset)?);
                } else {
                    self.at += 1;
                    items.push(scalar(&rest, number)?);
                    self.no_deeper(indent, number)?;
                }
            }
            Ok(Value::Array(items))
        }

        fn mapping(&mut self, indent: usize) -> Result<Value, String> {
            let mut map = Map::new();
            while let Some(line) = self.lines.get(self.at).filter(|l| l.indent == indent) {
                let number = line.number;
                if is_item(&line.text) {
                    return Err(format!("{number}: a sequence item where a key was expected"));
                }
                let Some((key, rest)) = split_key(&line.text, number)? else {
                    return Err(format!("{number}: expected `key: value`, found {:?}", line.text));
                };
                self.at += 1;
                let value = if rest.is_empty() {
                    self.nested(indent, number)?
                } else {
                    let value = scalar(&rest, number)?;
                    self.no_deeper(indent, number)?;
                    value
                };
                if map.insert(key.clone(), value).is_some() {
                    return Err(format!("{number}: the key {key} twice"));
                }
            }
            Ok(Value::Object(map))
        }

        /// The block under a key or item with nothing after it: deeper
        /// lines, or null.
        fn nested(&mut self, indent: usize, number: usize) -> Result<Value, String> {
            match self.lines.get(self.at) {
                Some(next) if next.indent > indent => {
                    let inner = next.indent;
                    self.block(inner)
                }
                _ => Err(format!("{number}: nothing after the colon (write null or \"\" if you mean it)")),
            }
        }

        fn no_deeper(&self, indent: usize, number: usize) -> Result<(), String> {
            match self.lines.get(self.at) {
                Some(next) if next.indent > indent => {
                    Err(format!("{}: indented under line {number}, whose value is already given", next.number))
                }
                _ => Ok(()),
            }
        }
    }

    fn is_item(text: &str) -> bool {
        text == "-" || text.starts_with("- ")
    }

    /// `key: rest` as (key, rest), for a plain or quoted key.
    fn split_key(text: &str, number: usize) -> Result<Option<(String, String)>, String> {
        let (key, after) = if text.starts_with('"') || text.starts_with('\'') {
            let end = quoted_end(text).ok_or_else(|| format!("{number}: a quote that does not close"))?;
            match text[end..].strip_prefix(':') {
                Some(after) if after.is_empty() || after.starts_with(' ') => {
                    (scalar(&text[..end], number)?.as_str().unwrap_or_default().to_string(), after)
                }
                _ => return Ok(None),
            }
        } else {
            let at = match (text.find(": "), text.ends_with(':')) {
                (Some(at), _) => at,
                (None, true) => text.len() - 1,
                (None, false) => return Ok(None),
            };
            if text.starts_with(['[', '{', '!', '&', '*', '?', '|', '>', '%', '@', '`']) {
                return Ok(None);
            }
            (text[..at].to_string(), &text[at + 1..])
        };
        Ok(Some((key, after.trim_start_matches(' ').to_string())))
    }

    /// Where the quoted scalar that starts `text` ends (just after its
    /// closing quote).
    fn quoted_end(text: &str) -> Option<usize> {
        let quote = text.chars().next()?;
        let mut chars = text.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            if quote == '"' && c == '\\' {
                chars.next();
            } else if c == quote {
                if quote == '\'' && text[i + 1..].starts_with('\'') {
                    chars.next();
                } else {
                    return Some(i + 1);
                }
            }
        }
        None
    }

    fn scalar(text: &str, number: usize) -> Result<Value, String> {
        let refuse = |what: &str| Err(format!("{number}: {what}: {text:?}"));
        match text.chars().next() {
            Some('"') | Some('\'') => {
                if quoted_end(text) != Some(text.len()) {
                    return refuse("a quoted scalar should be the whole value, on one line");
                }
                let inner = &text[1..text.len() - 1];
                if text.starts_with('\'') {
                    return Ok(Value::String(inner.replace("''", "'")));
                }
                let mut out = String::new();
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    if c != '\\' {
                        out.push(c);
                        continue;
                    }
                    match chars.next() {
                        Some('"') => out.push('"'),
                        Some('\\') => out.push('\\'),
                        Some('/') => out.push('/'),
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        _ => return refuse("an escape this reader does not know"),
                    }
                }
                Ok(Value::String(out))
            }
            Some('[') => {
                let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
                    return refuse("a flow sequence should be the whole value, on one line");
                };
                let mut items = Vec::new();
                let mut rest = inner.trim();
                while !rest.is_empty() {
                    let end = if rest.starts_with(['"', '\'']) {
                        quoted_end(rest).ok_or_else(|| format!("{number}: a quote that does not close"))?
                    } else {
                        rest.find(',').unwrap_or(rest.len())
                    };
                    let item = rest[..end].trim();
                    if item.starts_with(['[', '{']) {
                        return refuse("a flow collection inside another");
                    }
                    items.push(scalar(item, number)?);
                    rest = rest[end..].trim_start();
                    rest = match rest.strip_prefix(',') {
                        Some(after) => after.trim_start(),
                        None if rest.is_empty() => rest,
                        None => return refuse("a flow sequence item followed by more than a comma"),
                    };
                }
                Ok(Value::Array(items))
            }
            Some('{') if text == "{}" => Ok(Value::Object(Map::new())),
            Some('{') => refuse("a flow mapping (write it as a block)"),
            Some('!') => refuse("a tag, such as !Ref or !GetAtt (write the long form: Ref, Fn::GetAtt, Fn::Sub)"),
            Some('&') | Some('*') => refuse("an anchor or alias"),
            Some('|') | Some('>') => refuse("a block scalar (write a quoted scalar on one line)"),
            Some('%') | Some('@') | Some('`') | Some('?') => refuse("a reserved indicator"),
            _ => plain(text, number),
        }
    }

    /// A plain scalar, refused where YAML 1.1 (PyYAML, which cfn-lint and
    /// SAM read with) and YAML 1.2 would read it differently.
    fn plain(text: &str, number: usize) -> Result<Value, String> {
        let refuse = |what: &str| Err(format!("{number}: {what} (quote it): {text:?}"));
        if text.contains(": ") || text.ends_with(':') {
            return refuse("a colon and a space in a plain scalar");
        }
        let lower = text.to_ascii_lowercase();
        match lower.as_str() {
            "true" => return Ok(Value::Bool(true)),
            "false" => return Ok(Value::Bool(false)),
            "null" | "~" => return Ok(Value::Null),
            "yes" | "no" | "on" | "off" | "y" | "n" => return refuse("a YAML 1.1 boolean"),
            _ => {}
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if digits(unsigned) {
            if unsigned.len() > 1 && unsigned.starts_with('0') {
                return refuse("a number with a leading zero, octal in YAML 1.1");
            }
            return text.parse::<i64>().map(Value::from).or_else(|_| refuse("an integer out of range"));
        }
        if unsigned.split_once('.').is_some_and(|(whole, fraction)| digits(whole) && digits(fraction)) {
            return refuse("a decimal number");
        }
        let parts: Vec<&str> = text.split(['-', ':', '_']).collect();
        if parts.len() > 1 && parts.iter().all(|part| digits(part)) {
            return refuse("digits with - : or _, a date, time or number in YAML 1.1");
        }
        if lower.starts_with('.') && ["inf", "nan"].contains(&lower.trim_start_matches(['.', '-', '+'])) {
            return refuse("a special number");
        }
        Ok(Value::String(text.to_string()))
    }

    #[cfg(test)]
    mod tests {
        use super::parse;
        use serde_json::json;

        #[test]
        fn reads_blocks_items_quotes_flows_and_comments() {
            let text = "# head\nA: 1 # one\nB:\n  - x:y\n  - Fn::GetAtt: [Role, Arn]\n    Other: 'it''s'\n  -\n    - \"a # b\"\nC: {}\nD: true\nE: The API's address # note\n";
            assert_eq!(
                parse(text).unwrap(),
                json!({"A": 1, "B": ["x:y", {"Fn::GetAtt": ["Role", "Arn"], "Other": "it's"}, ["a # b"]], "C": {}, "D": true, "E": "The API's address"})
            );
        }

        #[test]
        fn refuses_what_it_does_not_read_by_line() {
            for (text, line) in [
                ("A: !Ref B\n", "1:"),
                ("A:\n  B: |\n    text\n", "2:"),
                ("A: 1\n  B: 2\n", "2:"),
                ("A: 1\nA: 2\n", "2:"),
                ("A: {B: 1}\n", "1:"),
                ("Version: 2012-10-17\n", "1:"),
                ("A: yes\n", "1:"),
                ("A: 0755\n", "1:"),
                ("A: b: c\n", "1:"),
                ("A:\n- b\n", "1:"),
                ("A:\n", "1:"),
            ] {
                let error = parse(text).expect_err(text);
                assert!(error.starts_with(line), "{text:?}: {error}");
            }
        }
    }
}
