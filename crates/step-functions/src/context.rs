//! The context object `$$` a state reads (`$$.Execution.Input`,
//! `$$.State.Name`, `$$.Map.Item.Value`...), built cheaply.
//!
//! The runner makes a context for every state it enters and every Map item,
//! and the execution's input is part of it. Copying that input each time made
//! a Map over the items of its own execution input cost quadratically (5,000
//! items: 5,000 copies of a 5,000-item array). A [`Context`] therefore holds
//! the execution input shared, and builds the whole object, input included,
//! only when a path reads the input or the whole object (once per context).
//!
//! The functions that read `$$` paths (`data`, `choice`, `intrinsics`) take a
//! `&dyn ContextObject`: a runner's [`Context`], or any JSON value standing
//! for the whole object (what tests and callers without an execution pass).

use crate::jsonpath::{self, PathError};
use crate::variables::Variables;
use serde_json::Value;
use std::cell::OnceCell;
use std::rc::Rc;

/// Where `$$...` paths are read.
pub trait ContextObject {
    /// The document a context path, as written (`$$.Map.Item.Value`), is read from.
    fn document_for(&self, path: &str) -> &Value;

    /// The whole object, as quoted in the cause of a path not found.
    fn whole(&self) -> &Value {
        self.document_for("$$")
    }

    /// The value of the variable `$name`, if the state can see one.
    fn variable(&self, _name: &str) -> Option<&Value> {
        None
    }
}

/// The value a reading path names: a path into the input (`$...`), the
/// context object (`$$...`), or a variable (`$name`, `$name.field[0]`).
pub fn read(path: &str, input: &Value, context: &dyn ContextObject) -> Result<Value, PathError> {
    if let Some((name, rest)) = jsonpath::variable(path) {
        let Some(value) = context.variable(name) else {
            // LocalStack's wording (held to AWS) for a variable no scope holds.
            return Err(PathError { path: path.to_string(), message: format!("No such variable '{name}' in scope") });
        };
        return if rest == "$" { Ok(value.clone()) } else { jsonpath::get(value, &rest) };
    }
    let document = if jsonpath::is_context_path(path) { context.document_for(path) } else { input };
    jsonpath::get(document, path)
}

impl ContextObject for Value {
    fn document_for(&self, _path: &str) -> &Value {
        self
    }
}

/// A context object whose `Execution.Input` is shared, not copied.
pub struct Context {
    /// The object with `Execution.Input` null (in its place, so the whole
    /// object keeps the order of its members).
    without_input: Value,
    execution_input: Rc<Value>,
    whole: OnceCell<Value>,
    /// The workflow variables the state sees.
    variables: Variables,
}

impl Context {
    /// `object` is the context with `Execution.Input` null; the input is put in
    /// its place when a path needs it.
    pub fn new(object: Value, execution_input: Rc<Value>) -> Context {
        Context { without_input: object, execution_input, whole: OnceCell::new(), variables: Variables::default() }
    }

    /// The same context, with the variables the state sees.
    pub fn with_variables(mut self, variables: Variables) -> Context {
        self.variables = variables;
        self
    }

    /// The variables the state sees.
    pub fn variables(&self) -> &Variables {
        &self.variables
    }

    /// The whole context object, `Execution.Input` included.
    pub fn object(&self) -> &Value {
        self.document_for("$$")
    }
}

impl ContextObject for Context {
    fn document_for(&self, path: &str) -> &Value {
        if reads_input(path) {
            self.whole.get_or_init(|| {
                let mut whole = self.without_input.clone();
                whole["Execution"]["Input"] = (*self.execution_input).clone();
                whole
            })
        } else {
            &self.without_input
        }
    }

    fn variable(&self, name: &str) -> Option<&Value> {
        self.variables.get(name)
    }
}

/// Whether a context path may reach `Execution.Input`: anything but a path
/// into `State`, `StateMachine`, `Map`, `Task` or another member of `Execution`.
pub(crate) fn reads_input(path: &str) -> bool {
    let rest = path.trim_start_matches('$');
    if [".State", ".Map", ".Task"].iter().any(|member| rest.starts_with(member)) {
        return false;
    }
    match rest.strip_prefix(".Execution.") {
        Some(member) => member.starts_with("Input") || member.starts_with('*'),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_input_is_only_copied_for_paths_that_can_reach_it() {
        let object = json!({"Execution": {"Id": "e", "Input": null, "Name": "n"}, "State": {"Name": "S"}});
        let context = Context::new(object, Rc::new(json!({"items": [1, 2]})));
        assert_eq!(context.document_for("$$.State.Name")["Execution"]["Input"], Value::Null);
        assert_eq!(context.document_for("$$.Execution.Id")["Execution"]["Input"], Value::Null);
        assert!(context.whole.get().is_none());
        for path in ["$$", "$$.Execution", "$$.Execution.Input.items", "$$['Execution']", "$$..items", "$$.Execution.*"]
        {
            assert_eq!(context.document_for(path)["Execution"]["Input"], json!({"items": [1, 2]}), "{path}");
        }
        // The input stays in its place among the members.
        let keys: Vec<&String> = context.whole()["Execution"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Id", "Input", "Name"]);
    }
}
