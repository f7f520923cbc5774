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
}

impl Context {
    /// `object` is the context with `Execution.Input` null; the input is put in
    /// its place when a path needs it.
    pub fn new(object: Value, execution_input: Rc<Value>) -> Context {
        Context { without_input: object, execution_input, whole: OnceCell::new() }
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
}

/// Whether a context path may reach `Execution.Input`: anything but a path
/// into `State`, `StateMachine`, `Map`, `Task` or another member of `Execution`.
fn reads_input(path: &str) -> bool {
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
