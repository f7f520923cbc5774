//! The working directory: the task root while the function runs (Lambda runs
//! it in /var/task), the process's own folder otherwise. Alone in its test
//! binary, since the working directory is shared by every thread.

mod common;

use serde_json::json;

#[test]
fn the_function_runs_in_its_task_root_and_the_process_keeps_its_folder() {
    let before = std::env::current_dir().unwrap();
    let f = common::function("import os\ndef handler(e, c):\n    return os.getcwd()\n", "handler");
    let root = f.config().task_root.clone();
    assert_eq!(f.invoke(&json!({})).result(), Some(json!(root.to_string_lossy())));
    assert_eq!(std::env::current_dir().unwrap(), before);
}
