//! Whole invocations as insta snapshots, the way an exercise test can take
//! them (`harness::insta` is re-exported so exercise crates need nothing but
//! the harness). Review changes with `cargo insta review`.

mod common;

use harness::{Function, FunctionConfig, insta, json};

fn function(source: &str) -> (Function, std::path::PathBuf) {
    let root = common::task_root(&[("app.py", source)]);
    let mut config = FunctionConfig::new(&root, "app.handler");
    config.function_name = "orders".into();
    config.timeout = std::time::Duration::from_secs(1);
    (Function::new(config).unwrap(), root)
}

#[test]
fn a_response_and_its_logs() {
    let (f, root) = function(
        "import logging\nprint('loading')\ndef handler(event, context):\n    logging.warning('order %s', event['id'])\n    return {'id': event['id'], 'ok': True}\n",
    );
    insta::assert_snapshot!(f.invoke(&json!({"id": "A-1"})).snapshot_text(&root));
}

#[test]
fn an_error_with_its_traceback() {
    let (f, root) = function(
        "def check(order):\n    raise ValueError('order ' + order + ' has no items')\n\ndef handler(event, context):\n    check(event['id'])\n",
    );
    insta::assert_snapshot!(f.invoke(&json!({"id": "A-2"})).snapshot_text(&root));
}

#[test]
fn a_timeout() {
    let (f, root) = function("import time\ndef handler(event, context):\n    print('working')\n    time.sleep(5)\n");
    insta::assert_snapshot!(f.invoke(&json!({})).snapshot_text(&root));
}
