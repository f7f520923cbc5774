//! `--env-vars FILE` (`-n`): environment variables from a JSON file in the
//! form `sam local invoke --env-vars` reads (AWS SAM CLI,
//! `samcli/commands/local/lib/local_lambda.py`, `_make_env_vars`):
//!
//! - `{"Parameters": {"KEY": "value"}}` applies to every function;
//! - `{"FunctionLogicalId": {"KEY": "value"}}` applies to that function only,
//!   and wins over `Parameters`. SAM tries the function's logical ID, then its
//!   function ID, its name and its full path, and takes the first object found.
//!
//! Here the function is always one, so the file's per-function object is the
//! first found under the names the function answers to (see `function_names`
//! in `invoke.rs`: the logical ID in the template.yaml beside the handler,
//! `Function` in every exercise; the function's name as
//! AWS_LAMBDA_FUNCTION_NAME gives it; the exercise's function name; the
//! handler file's stem). Objects for other functions are left alone, as SAM
//! leaves them.
//!
//! Values are turned into text as SAM's `EnvironmentVariables._stringify_value`
//! does (`samcli/local/lambdafn/env_vars.py`): a string as it is, `true` and
//! `false` in lower case, a number as its digits, and null, a list or an
//! object (an unresolved intrinsic function, to SAM) as the empty string.
//! One difference: SAM overrides only the variables the template declares,
//! and there is no template here, so every variable in the file is set.

use std::path::Path;

/// What the file gives the function: its variables in order (`Parameters`
/// first, the function's own object after, a later one replacing an earlier
/// one of the same name), and notes to show on standard error.
#[derive(Debug)]
pub(super) struct EnvVars {
    pub(super) variables: Vec<(String, String)>,
    pub(super) notes: Vec<String>,
}

/// The variables `file` sets for a function that answers to `names` (in
/// SAM's order of precedence), or what is wrong with the file.
pub(super) fn read(file: &Path, names: &[String]) -> Result<EnvVars, String> {
    let shown = file.display();
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read the env-vars file {shown}: {e}"))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "the env-vars file {shown} is not valid JSON: {e}. It holds an object such as \
             {{\"Parameters\": {{\"TABLE_NAME\": \"orders\"}}}}, as sam local invoke --env-vars reads it"
        )
    })?;
    parse(&shown.to_string(), &value, names)
}

fn parse(shown: &str, value: &serde_json::Value, names: &[String]) -> Result<EnvVars, String> {
    let Some(top) = value.as_object() else {
        return Err(format!(
            "the env-vars file {shown} holds {}, not an object: write {{\"Parameters\": {{\"KEY\": \"value\"}}}} \
             for every function, or {{\"FUNCTION\": {{\"KEY\": \"value\"}}}} for one",
            kind(value)
        ));
    };
    // SAM refuses a file with any top-level value that is not an object
    // ("Environment variables ... in incorrect format").
    for (key, inner) in top {
        if !inner.is_object() {
            return Err(format!(
                "the env-vars file {shown}: \"{key}\" holds {}, but each key of the file names Parameters or a \
                 function and holds an object of variables, as in {{\"{key}\": {{\"KEY\": \"value\"}}}}",
                kind(inner)
            ));
        }
    }
    let mut env = EnvVars { variables: Vec::new(), notes: Vec::new() };
    let mut taken = Vec::new();
    if let Some(parameters) = top.get("Parameters") {
        add(&mut env, shown, "Parameters", parameters);
        taken.push("Parameters".to_string());
    }
    let own = names.iter().find(|name| name.as_str() != "Parameters" && top.contains_key(name.as_str()));
    match own {
        Some(name) => {
            add(&mut env, shown, name, &top[name.as_str()]);
            taken.push(format!("\"{name}\""));
        }
        None => {
            let others: Vec<String> = top.keys().filter(|k| *k != "Parameters").map(|k| format!("\"{k}\"")).collect();
            if !others.is_empty() {
                let applies =
                    if top.contains_key("Parameters") { "only its Parameters apply" } else { "it sets nothing" };
                env.notes.push(format!(
                    "{shown} has variables for {}, and none for this function, which answers to {}: {applies}",
                    others.join(", "),
                    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    if !taken.is_empty() {
        env.notes.push(format!("environment variables from {shown}: {}", taken.join(" and ")));
    }
    Ok(env)
}

/// Add the variables of one object of the file, turned into text as SAM does.
fn add(env: &mut EnvVars, shown: &str, object: &str, variables: &serde_json::Value) {
    let Some(variables) = variables.as_object() else { return };
    for (name, value) in variables {
        let text = match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Bool(flag) => flag.to_string(),
            serde_json::Value::Number(number) => number.to_string(),
            other => {
                env.notes.push(format!(
                    "{shown}: {object}.{name} is {}, which SAM CLI sets as the empty string, and so does this",
                    kind(other)
                ));
                String::new()
            }
        };
        env.variables.retain(|(existing, _)| existing != name);
        env.variables.push((name.clone(), text));
    }
}

fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// The logical IDs of the functions a SAM template declares, read line by
/// line (a resource two spaces in under `Resources:` whose `Type` is
/// `AWS::Serverless::Function` or `AWS::Lambda::Function`), each with its
/// `Handler` when the template gives one. Enough for the workshop's
/// templates; a template written another way yields nothing.
pub(super) fn template_functions(template: &str) -> Vec<(String, Option<String>)> {
    let mut functions = Vec::new();
    let mut in_resources = false;
    let mut current: Option<String> = None;
    let mut is_function = false;
    let mut handler = None;
    let mut finish = |current: &mut Option<String>, is_function: &mut bool, handler: &mut Option<String>| {
        if let Some(id) = current.take() {
            if *is_function {
                functions.push((id, handler.take()));
            }
        }
        *is_function = false;
        *handler = None;
    };
    for line in template.lines() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            finish(&mut current, &mut is_function, &mut handler);
            in_resources = trimmed == "Resources:";
            continue;
        }
        if !in_resources {
            continue;
        }
        if let Some(id) = line.strip_prefix("  ").filter(|rest| !rest.starts_with(' ')) {
            finish(&mut current, &mut is_function, &mut handler);
            current = id.trim_end().strip_suffix(':').map(str::to_string);
        } else if let Some(property) = line.strip_prefix("    ").filter(|rest| !rest.starts_with(' ')) {
            if let Some(kind) = property.strip_prefix("Type:") {
                is_function = matches!(kind.trim(), "AWS::Serverless::Function" | "AWS::Lambda::Function");
            }
        } else if let Some(value) = line.trim_start().strip_prefix("Handler:") {
            if line.starts_with("      ") && !line.starts_with("       ") {
                handler = Some(value.trim().trim_matches(['"', '\'']).to_string());
            }
        }
    }
    finish(&mut current, &mut is_function, &mut handler);
    functions
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names() -> Vec<String> {
        vec!["Function".into(), "handler-function".into(), "handler".into()]
    }

    #[test]
    fn parameters_apply_and_the_functions_own_object_wins() {
        let file = json!({
            "Parameters": {"TABLE": "global", "STAGE": "dev"},
            "Other": {"TABLE": "not ours"},
            "handler": {"TABLE": "by stem"},
            "Function": {"TABLE": "by logical id"}
        });
        let env = parse("env.json", &file, &names()).unwrap();
        assert_eq!(
            env.variables,
            [("STAGE".to_string(), "dev".to_string()), ("TABLE".to_string(), "by logical id".to_string())]
        );
    }

    #[test]
    fn values_become_text_as_sam_makes_them() {
        let file = json!({"Parameters": {"N": 3, "X": 1.5, "ON": true, "OFF": false, "NONE": null, "L": [1]}});
        let env = parse("env.json", &file, &names()).unwrap();
        let got: Vec<(&str, &str)> = env.variables.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("N", "3"), ("X", "1.5"), ("ON", "true"), ("OFF", "false"), ("NONE", ""), ("L", "")]);
        assert!(env.notes.iter().any(|n| n.contains("Parameters.L is a list")), "{:?}", env.notes);
    }

    #[test]
    fn a_file_in_the_wrong_shape_is_named_with_what_is_wrong() {
        let error = parse("env.json", &json!({"Parameters": "x"}), &names()).unwrap_err();
        assert!(error.contains("env.json: \"Parameters\" holds a string"), "{error}");
        let error = parse("env.json", &json!([1]), &names()).unwrap_err();
        assert!(error.contains("env.json holds a list, not an object"), "{error}");
    }

    #[test]
    fn a_file_for_other_functions_only_says_so() {
        let env = parse("env.json", &json!({"HelloWorldFunction": {"A": "1"}}), &names()).unwrap();
        assert!(env.variables.is_empty());
        assert!(env.notes[0].contains("variables for \"HelloWorldFunction\""), "{:?}", env.notes);
    }

    #[test]
    fn the_templates_function_is_found_with_its_handler() {
        let template = "Resources:\n  FunctionLogs:\n    Type: AWS::Logs::LogGroup\n\n  Function:\n    \
                        Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: .\n      \
                        Handler: handler.lambda_handler\n  Queue:\n    Type: AWS::SQS::Queue\nOutputs:\n  \
                        Name:\n    Value: x\n";
        assert_eq!(
            template_functions(template),
            [("Function".to_string(), Some("handler.lambda_handler".to_string()))]
        );
    }
}
