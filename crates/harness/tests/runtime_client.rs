//! What the runtime client does, case by case, with the forms awslambdaric
//! produces (checked against its source: bootstrap.py, lambda_context.py,
//! lambda_runtime_marshaller.py).

mod common;

use harness::{ErrorSource, Function, FunctionConfig, InvokeOptions, Outcome};
use serde_json::json;

fn init_error(files: &[(&str, &str)], handler: &str) -> harness::FunctionError {
    let root = common::task_root(files);
    let f = Function::new(FunctionConfig::new(&root, handler)).unwrap();
    let call = f.invoke(&json!({}));
    let error = call.error().cloned().expect("init should fail");
    assert_eq!(error.source, ErrorSource::Init);
    error
}

#[test]
fn a_handler_string_without_a_dot_is_malformed() {
    let e = init_error(&[("app.py", "")], "app");
    assert_eq!(e.error_type, "Runtime.MalformedHandlerName");
    assert_eq!(e.error_message, "Bad handler 'app': not enough values to unpack (expected 2, got 1)");
    assert_eq!(
        e.payload,
        json!({"errorMessage": e.error_message, "errorType": e.error_type, "requestId": "", "stackTrace": []})
    );
}

#[test]
fn a_built_in_module_cannot_be_the_handler_module() {
    let e = init_error(&[], "sys.handler");
    assert_eq!(e.error_type, "Runtime.BuiltInModuleConflict");
    assert_eq!(e.error_message, "Cannot use built-in module sys as a handler module");
}

#[test]
fn a_missing_import_is_an_import_module_error() {
    let e = init_error(&[("app.py", "import not_a_real_package\n")], "app.handler");
    assert_eq!(e.error_type, "Runtime.ImportModuleError");
    assert_eq!(e.error_message, "Unable to import module 'app': No module named 'not_a_real_package'");
    assert!(e.stack_trace.is_empty());
    let missing_file = init_error(&[], "app.handler");
    assert_eq!(missing_file.error_message, "Unable to import module 'app': No module named 'app'");
}

#[test]
fn packages_installed_on_this_machine_are_not_on_lambda() {
    // Lambda's runtime has the standard library and the AWS SDK, nothing else:
    // a locally installed package must not make a handler pass here that
    // fails there. (`pip` is installed wherever Python is.)
    let e = init_error(&[("app.py", "import pip\n")], "app.handler");
    assert_eq!(e.error_message, "Unable to import module 'app': No module named 'pip'");
}

#[test]
fn a_syntax_error_has_the_runtimes_odd_stack_trace() {
    let e = init_error(&[("app.py", "def handler(event, context)\n    return 1\n")], "app.handler");
    assert_eq!(e.error_type, "Runtime.UserCodeSyntaxError");
    assert_eq!(e.error_message, "Syntax error in module 'app': expected ':' (app.py, line 1)");
    assert_eq!(e.stack_trace.len(), 1);
    let frame = &e.stack_trace[0];
    assert!(
        frame.starts_with("  File \"") && frame.contains("app.py\" Line 1\n    def handler(event, context)"),
        "{frame:?}"
    );
}

#[test]
fn a_missing_handler_function_is_handler_not_found() {
    let e = init_error(&[("app.py", "def main(e, c): pass\n")], "app.handler");
    assert_eq!(e.error_type, "Runtime.HandlerNotFound");
    assert_eq!(e.error_message, "Handler 'handler' missing on module 'app'");
}

#[test]
fn an_exception_at_import_keeps_its_own_type() {
    let e = init_error(&[("app.py", "CONFIG = {}\nTABLE = CONFIG['table']\n")], "app.handler");
    assert_eq!(e.error_type, "KeyError");
    assert_eq!(e.error_message, "'table'");
    let last = e.stack_trace.last().unwrap();
    assert!(last.contains("app.py\", line 2, in <module>\n    TABLE = CONFIG['table']\n"), "{last:?}");
    assert!(e.stack_trace.iter().all(|f| !f.contains("<lambda-harness>")));
}

#[test]
fn an_unhandled_exception_starts_its_trace_at_the_users_frame() {
    let source = "class OrderError(Exception):\n    pass\n\ndef check(order):\n    raise OrderError('no items in order ' + order)\n\ndef handler(event, context):\n    check('A-1')\n";
    let f = common::function(source, "handler");
    let call = f.invoke(&json!({}));
    let e = call.error().unwrap();
    assert_eq!(e.error_type, "OrderError");
    assert_eq!(e.error_message, "no items in order A-1");
    assert_eq!(e.payload["requestId"], json!(call.request_id));
    assert_eq!(e.stack_trace.len(), 2);
    assert!(e.stack_trace[0].ends_with("app.py\", line 8, in handler\n    check('A-1')\n"), "{:?}", e.stack_trace[0]);
    assert!(
        e.stack_trace[1].ends_with("app.py\", line 5, in check\n    raise OrderError('no items in order ' + order)\n")
    );
    let keys: Vec<&String> = e.payload.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["errorMessage", "errorType", "requestId", "stackTrace"]);
}

#[test]
fn an_exception_without_arguments_has_an_empty_message() {
    let f = common::function("def handler(e, c):\n    raise ValueError()\n", "handler");
    assert_eq!(f.invoke(&json!({})).error().unwrap().error_message, "");
}

#[test]
fn the_error_record_is_one_log_line_with_carriage_returns_and_no_break_spaces() {
    let f = common::function("def handler(e, c):\n    raise ValueError('boom')\n", "handler");
    let call = f.invoke(&json!({}));
    let record = call.function_logs().into_iter().find(|l| l.starts_with("[ERROR]")).unwrap().to_string();
    let parts: Vec<&str> = record.split('\r').collect();
    assert_eq!(parts[0], "[ERROR] ValueError: boom");
    assert_eq!(parts[1], "Traceback (most recent call last):");
    assert!(parts[2].starts_with("\u{a0}\u{a0}File \""), "{:?}", parts[2]);
    assert!(parts[2].ends_with("app.py\", line 2, in handler"));
    assert_eq!(parts[3], "\u{a0}\u{a0}\u{a0}\u{a0}raise ValueError('boom')");
}

#[test]
fn decimals_are_written_as_their_digits() {
    let f = common::function(
        "from decimal import Decimal\ndef handler(e, c):\n    return {'price': Decimal('1.10'), 'big': Decimal('12345678901234567890.5'), 'nan': Decimal('NaN')}\n",
        "handler",
    );
    let Outcome::Returned { payload, .. } = f.invoke(&json!({})).outcome else { panic!("should return") };
    assert_eq!(String::from_utf8(payload).unwrap(), r#"{"price": 1.10, "big": 12345678901234567890.5, "nan": NaN}"#);
}

#[test]
fn floats_nan_and_infinity_are_allowed() {
    let f = common::function(
        "def handler(e, c):\n    return [float('nan'), float('inf'), -float('inf'), 0.1]\n",
        "handler",
    );
    let Outcome::Returned { payload, .. } = f.invoke(&json!({})).outcome else { panic!("should return") };
    assert_eq!(payload, b"[NaN, Infinity, -Infinity, 0.1]");
}

#[test]
fn bytes_are_returned_raw() {
    let f = common::function("def handler(e, c):\n    return b'\\x00\\xffraw'\n", "handler");
    let Outcome::Returned { payload, content_type } = f.invoke(&json!({})).outcome else { panic!() };
    assert_eq!(payload, b"\x00\xffraw");
    assert_eq!(content_type, "application/unknown");
}

#[test]
fn none_is_null() {
    let f = common::function("def handler(e, c):\n    return None\n", "handler");
    let Outcome::Returned { payload, .. } = f.invoke(&json!({})).outcome else { panic!() };
    assert_eq!(payload, b"null");
}

#[test]
fn a_set_cannot_be_marshalled() {
    let f = common::function("def handler(e, c):\n    return {'tags': {1, 2}}\n", "handler");
    let call = f.invoke(&json!({}));
    let e = call.error().unwrap();
    assert_eq!(e.error_type, "Runtime.MarshalError");
    assert_eq!(e.error_message, "Unable to marshal response: Object of type set is not JSON serializable");
    assert!(e.stack_trace.is_empty());
    assert_eq!(e.payload["requestId"], json!(call.request_id));
}

#[test]
fn a_response_over_six_megabytes_is_refused() {
    let f = common::function("def handler(e, c):\n    return 'x' * 6_291_555\n", "handler");
    let e = f.invoke(&json!({})).error().cloned().unwrap();
    assert_eq!(e.error_type, "Function.ResponseSizeTooLarge");
    assert_eq!(
        e.error_message,
        "Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes)."
    );
    let fits = common::function("def handler(e, c):\n    return 'x' * 6_291_554\n", "handler");
    assert!(fits.invoke(&json!({})).succeeded());
}

#[test]
fn non_ascii_is_escaped_before_python_3_12_and_kept_after() {
    let old = common::configured("def handler(e, c):\n    return 'café'\n", "handler", |c| {
        c.runtime = Some("python3.11".into())
    });
    let Outcome::Returned { payload, .. } = old.invoke(&json!({})).outcome else { panic!() };
    assert_eq!(payload, br#""caf\u00e9""#);
    let new = common::configured("def handler(e, c):\n    return 'café'\n", "handler", |c| {
        c.runtime = Some("python3.12".into())
    });
    let Outcome::Returned { payload, .. } = new.invoke(&json!({})).outcome else { panic!() };
    assert_eq!(String::from_utf8(payload).unwrap(), "\"café\"");
}

#[test]
fn the_context_has_lambdas_attributes_in_their_real_forms() {
    let source = "
def handler(event, context):
    c = context
    return {
        'request_id': c.aws_request_id, 'name': c.function_name, 'version': c.function_version,
        'memory': c.memory_limit_in_mb, 'arn': c.invoked_function_arn, 'group': c.log_group_name,
        'stream': c.log_stream_name, 'identity': [c.identity.cognito_identity_id, c.identity.cognito_identity_pool_id],
        'client_context': c.client_context, 'tenant': c.tenant_id,
        'remaining_is_int': isinstance(c.get_remaining_time_in_millis(), int),
    }
";
    let f = common::configured(source, "handler", |c| {
        c.function_name = "orders".into();
        c.memory_mb = 256;
    });
    let call = f.invoke(&json!({}));
    let r = call.result().unwrap();
    assert_eq!(r["request_id"], json!(call.request_id));
    assert_eq!(r["name"], json!("orders"));
    assert_eq!(r["version"], json!("$LATEST"));
    assert_eq!(r["memory"], json!("256"));
    assert_eq!(r["arn"], json!("arn:aws:lambda:us-east-1:123456789012:function:orders"));
    assert_eq!(r["group"], json!("/aws/lambda/orders"));
    let stream = r["stream"].as_str().unwrap();
    assert!(stream.contains("/[$LATEST]") && stream.len() == 10 + 10 + 32, "{stream}");
    assert_eq!(r["identity"], json!([null, null]));
    assert_eq!(r["client_context"], json!(null));
    assert_eq!(r["tenant"], json!(null));
    assert_eq!(r["remaining_is_int"], json!(true));
    assert!(call.logs.last().unwrap().contains("\tMemory Size: 256 MB\t"));
}

#[test]
fn client_context_identity_and_tenant_are_passed_when_sent() {
    let source = "
def handler(event, context):
    cc = context.client_context
    return [cc.client.app_title, cc.custom, cc.env, context.identity.cognito_identity_id, context.tenant_id]
";
    let f = common::function(source, "handler");
    let options = InvokeOptions {
        client_context: Some(json!({"client": {"app_title": "Shop"}, "custom": {"a": 1}, "env": {"locale": "en"}})),
        identity: Some(json!({"cognitoIdentityId": "us-east-1:abc", "cognitoIdentityPoolId": "pool"})),
        tenant_id: Some("tenant-7".into()),
    };
    let r = f.invoke_with(&json!({}), &options).result().unwrap();
    assert_eq!(r, json!(["Shop", {"a": 1}, {"locale": "en"}, "us-east-1:abc", "tenant-7"]));
}

#[test]
fn the_function_sees_lambdas_environment_and_fake_credentials() {
    let source = "
import os
def handler(event, context):
    keys = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
            'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_LOG_GROUP_NAME', '_HANDLER', 'LAMBDA_RUNTIME_DIR',
            'TZ', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'TABLE']
    out = {k: os.environ.get(k) for k in keys}
    out['execution_env'] = os.environ['AWS_EXECUTION_ENV'].startswith('AWS_Lambda_python3.')
    out['stream_matches'] = os.environ['AWS_LAMBDA_LOG_STREAM_NAME'] == context.log_stream_name
    out['task_root_is_mine'] = os.path.exists(os.path.join(os.environ['LAMBDA_TASK_ROOT'], 'app.py'))
    out['has_credentials'] = all(os.getenv(k) for k in ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
    out['trace'] = os.environ['_X_AMZN_TRACE_ID'].startswith('Root=1-')
    return out
";
    let f = common::configured(source, "handler", |c| c.environment.push(("TABLE".into(), "orders".into())));
    let r = f.invoke(&json!({})).result().unwrap();
    assert_eq!(r["AWS_REGION"], json!("us-east-1"));
    assert_eq!(r["AWS_DEFAULT_REGION"], json!("us-east-1"));
    assert_eq!(r["AWS_LAMBDA_FUNCTION_NAME"], json!("app-function"));
    assert_eq!(r["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], json!("128"));
    assert_eq!(r["AWS_LAMBDA_FUNCTION_VERSION"], json!("$LATEST"));
    assert_eq!(r["AWS_LAMBDA_LOG_GROUP_NAME"], json!("/aws/lambda/app-function"));
    assert_eq!(r["_HANDLER"], json!("app.handler"));
    assert_eq!(r["LAMBDA_RUNTIME_DIR"], json!("/var/runtime"));
    assert_eq!(r["TZ"], json!(":UTC"));
    assert_eq!(r["AWS_LAMBDA_INITIALIZATION_TYPE"], json!("on-demand"));
    assert_eq!(r["TABLE"], json!("orders"));
    for key in ["execution_env", "stream_matches", "task_root_is_mine", "has_credentials", "trace"] {
        assert_eq!(r[key], json!(true), "{key}");
    }
}

#[test]
fn the_trace_header_changes_with_every_invoke() {
    let f = common::function("import os\ndef handler(e, c):\n    return os.environ['_X_AMZN_TRACE_ID']\n", "handler");
    let a = f.invoke(&json!({})).result().unwrap();
    let b = f.invoke(&json!({})).result().unwrap();
    assert_ne!(a, b);
    let text = a.as_str().unwrap();
    let parts: Vec<&str> = text.split(';').collect();
    assert_eq!(parts.len(), 3, "{text}");
    let root: Vec<&str> = parts[0].trim_start_matches("Root=").split('-').collect();
    assert_eq!((root[0], root[1].len(), root[2].len()), ("1", 8, 24));
    assert_eq!(parts[1].len(), "Parent=".len() + 16);
}

#[test]
fn reserved_variables_and_bad_limits_are_refused_like_lambda_does() {
    let root = common::task_root(&[("app.py", "")]);
    let mut config = FunctionConfig::new(&root, "app.handler");
    config.environment.push(("AWS_REGION".into(), "eu-west-1".into()));
    assert!(Function::new(config).err().unwrap().0.contains("AWS_REGION is set by Lambda itself"));
    let mut config = FunctionConfig::new(&root, "app.handler");
    config.memory_mb = 64;
    assert!(Function::new(config).is_err());
    let mut config = FunctionConfig::new(&root, "app.handler");
    config.timeout = std::time::Duration::from_secs(901);
    assert!(Function::new(config).is_err());
}

#[test]
fn environment_changes_stay_inside_their_function() {
    let writer =
        common::function("import os\ndef handler(e, c):\n    os.environ['LEAK'] = 'yes'\n    return 1\n", "handler");
    let reader = common::function("import os\ndef handler(e, c):\n    return os.environ.get('LEAK')\n", "handler");
    writer.invoke(&json!({}));
    assert_eq!(reader.invoke(&json!({})).result(), Some(json!(null)));
    assert!(std::env::var("LEAK").is_err(), "the test process's own environment is untouched");
}

// Regressions found by the conformance suite (conformance/run.sh).

#[test]
fn any_object_with_asdict_is_written_as_an_object() {
    let source = "
class Record:
    def __init__(self, name):
        self.name = name
    def _asdict(self):
        return {'name': self.name}
def handler(e, c):
    return {'one': Record('r1'), 'many': [Record('r2')]}
";
    let Outcome::Returned { payload, .. } = common::function(source, "handler").invoke(&json!({})).outcome else {
        panic!()
    };
    assert_eq!(payload, br#"{"one": {"name": "r1"}, "many": [{"name": "r2"}]}"#);
}

#[test]
fn line_separators_are_not_escaped_from_python_3_12() {
    let f = common::configured("def handler(e, c):\n    return 'a\\u2028b'\n", "handler", |c| {
        c.runtime = Some("python3.12".into())
    });
    let Outcome::Returned { payload, .. } = f.invoke(&json!({})).outcome else { panic!() };
    assert_eq!(String::from_utf8(payload).unwrap(), "\"a\u{2028}b\"");
}

#[test]
fn printing_a_lone_surrogate_raises_and_keeps_the_log_so_far() {
    let f = common::function("def handler(e, c):\n    print('before')\n    print('bad \\ud800')\n", "handler");
    let call = f.invoke(&json!({}));
    let error = call.error().unwrap();
    assert_eq!(error.error_type, "UnicodeEncodeError");
    assert_eq!(call.function_logs()[0], "before");
}

#[test]
fn bytes_written_to_stdout_buffer_reach_the_log() {
    let f =
        common::function("import sys\ndef handler(e, c):\n    sys.stdout.buffer.write(b'raw bytes\\n')\n", "handler");
    assert_eq!(f.invoke(&json!({})).function_logs(), ["raw bytes"]);
}

#[test]
fn layers_are_imported_after_the_task_root_site_packages_before_python() {
    // Each layer stands for /opt: its python/lib/pythonX.Y/site-packages
    // comes before its python/ folder, and the function's own files before
    // both (awslambdaric's bootstrap sets that order).
    let (major, minor) = pyo3::Python::attach(harness::python::version);
    let layer = common::task_root(&[
        ("python/greeting.py", "WHERE = 'layer python/'\n"),
        (&format!("python/lib/python{major}.{minor}/site-packages/greeting.py"), "WHERE = 'layer site-packages'\n"),
        ("python/only_in_layer.py", "WHERE = 'layer python/'\n"),
        ("python/shadowed.py", "WHERE = 'layer'\n"),
    ]);
    let root = common::task_root(&[
        (
            "app.py",
            "import greeting, only_in_layer, shadowed\n\ndef handler(event, context):\n    return [greeting.WHERE, only_in_layer.WHERE, shadowed.WHERE]\n",
        ),
        ("shadowed.py", "WHERE = 'task root'\n"),
    ]);
    let mut config = harness::FunctionConfig::new(&root, "app.handler");
    config.layers = vec![layer.clone()];
    let function = harness::Function::new(config).unwrap();
    let result = function.invoke(&serde_json::json!({})).result();
    assert_eq!(result, Some(serde_json::json!(["layer site-packages", "layer python/", "task root"])));

    // Without the layer the module is not there, as on Lambda.
    let bare = harness::Function::new(harness::FunctionConfig::new(&root, "app.handler")).unwrap();
    let error = bare.invoke(&serde_json::json!({})).error().cloned().unwrap();
    assert_eq!(error.error_type, "Runtime.ImportModuleError");
    assert!(error.error_message.contains("No module named 'greeting'"), "{}", error.error_message);
}
