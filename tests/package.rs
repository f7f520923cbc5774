//! Deployment packages: the harness runs a function from a .zip as Lambda
//! does (crates/deployment-package/src/lib.rs), and `cargo lab invoke` accepts one.

use assert_cmd::Command;
use deployment_package::{self as package, Limits, MAX_UNZIPPED_BYTES, MAX_ZIPPED_BYTES, Package, PackageError};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const APP: &str = "def lambda_handler(event, context):\n    return {\"hello\": event.get(\"name\", \"world\")}\n";

/// A zip at `dir/name` holding `files` (name in the zip, text).
fn zip_of(dir: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let path = dir.join(name);
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, text)| (*n, text.as_bytes())).collect();
    package::write_zip(&path, &files).unwrap();
    path
}

/// The files of exercise 05's vendored dependency, as (name in the zip, text).
fn tinyslug() -> Vec<(String, String)> {
    let vendor = Path::new(ROOT).join("exercises/05-building-the-zip/vendor");
    ["tinyslug/__init__.py", "tinyslug/_ascii.py"]
        .iter()
        .map(|name| (name.to_string(), std::fs::read_to_string(vendor.join(name)).unwrap()))
        .collect()
}

#[test]
fn a_handler_at_the_root_of_the_zip_is_invoked() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(dir.path(), "function.zip", &[("app.py", APP)]);
    let package = Package::open(&zip).unwrap();
    assert_eq!(package.files().collect::<Vec<_>>(), ["app.py"]);
    let function = package.function("app.lambda_handler").unwrap();
    let invocation = function.invoke(&json!({"name": "Ada"}));
    assert_eq!(invocation.result(), Some(json!({"hello": "Ada"})), "{:?}", invocation.logs);
    // LAMBDA_TASK_ROOT and the working folder are the unpacked package, as /var/task is.
    let probe = zip_of(
        dir.path(),
        "probe.zip",
        &[(
            "probe.py",
            "import os\ndef handler(event, context):\n    return [os.environ['LAMBDA_TASK_ROOT'], os.getcwd()]\n",
        )],
    );
    let probed = Package::open(&probe).unwrap();
    let answer = probed.function("probe.handler").unwrap().invoke(&json!({})).result().unwrap();
    let root = probed.task_root().to_string_lossy().into_owned();
    assert_eq!(answer, json!([root, root]));
}

#[test]
fn a_handler_in_a_nested_folder_is_an_import_module_error() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(dir.path(), "function.zip", &[("src/app.py", APP)]);
    let package = Package::open(&zip).unwrap();
    let invocation = package.function("app.lambda_handler").unwrap().invoke(&json!({}));
    let error = invocation.error().expect("app is not at the top of the zip");
    assert_eq!(error.error_type, "Runtime.ImportModuleError");
    assert_eq!(error.error_message, "Unable to import module 'app': No module named 'app'");
    // As on Lambda, an error of the init phase carries no request id.
    assert_eq!(
        error.payload,
        json!({
            "errorMessage": "Unable to import module 'app': No module named 'app'",
            "errorType": "Runtime.ImportModuleError",
            "requestId": "",
            "stackTrace": []
        })
    );
    let note = package.explain_missing_module(&error.error_message).unwrap();
    assert!(note.starts_with("The zip has app.py, but at src/app.py"), "{note}");
    // Named with its folder, the same file is found, as Lambda finds it.
    for handler in ["src/app.lambda_handler", "src.app.lambda_handler"] {
        let invocation = package.function(handler).unwrap().invoke(&json!({}));
        assert_eq!(invocation.result(), Some(json!({"hello": "world"})), "{handler}");
    }
}

#[test]
fn a_vendored_pure_python_dependency_is_importable() {
    let dir = tempfile::tempdir().unwrap();
    let app = "import tinyslug\ndef lambda_handler(event, context):\n    return tinyslug.slugify(event['title'])\n";
    let vendored = tinyslug();
    let mut files: Vec<(&str, &str)> = vec![("app.py", app)];
    files.extend(vendored.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    let zip = zip_of(dir.path(), "function.zip", &files);
    let package = Package::open(&zip).unwrap();
    let invocation = package.function("app.lambda_handler").unwrap().invoke(&json!({"title": "Ærø & Straße!"}));
    assert_eq!(invocation.result(), Some(json!("aero-and-strasse")), "{:?}", invocation.logs);

    // Without it, Lambda names the handler's module and the missing one.
    let alone = zip_of(dir.path(), "alone.zip", &[("app.py", app)]);
    let package = Package::open(&alone).unwrap();
    let invocation = package.function("app.lambda_handler").unwrap().invoke(&json!({"title": "x"}));
    let error = invocation.error().unwrap();
    assert_eq!(error.error_type, "Runtime.ImportModuleError");
    assert_eq!(error.error_message, "Unable to import module 'app': No module named 'tinyslug'");
    let note = package.explain_missing_module(&error.error_message).unwrap();
    assert!(note.starts_with("Nothing in the zip provides the module tinyslug"), "{note}");
}

#[test]
fn lambdas_size_limits_are_refused() {
    assert_eq!(MAX_ZIPPED_BYTES, 52_428_800);
    assert_eq!(MAX_UNZIPPED_BYTES, 262_144_000);
    let dir = tempfile::tempdir().unwrap();

    // One byte over 50 MB: refused on its size alone, before it is read (a
    // sparse file, so the test writes almost nothing to disk).
    let big = dir.path().join("big.zip");
    std::fs::File::create(&big).unwrap().set_len(MAX_ZIPPED_BYTES + 1).unwrap();
    let error = Package::open(&big).unwrap_err();
    assert_eq!(
        error,
        PackageError::TooLargeZipped { path: big.clone(), size: MAX_ZIPPED_BYTES + 1, limit: MAX_ZIPPED_BYTES }
    );
    assert!(error.to_string().contains("RequestEntityTooLargeException"), "{error}");

    // A small zip that unpacks to exactly 250 MB: Lambda wants less.
    let bomb = dir.path().join("bomb.zip");
    let script = format!(
        "import zipfile\nwith zipfile.ZipFile({:?}, 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:\n    \
         z.writestr('app.py', 'x = 1\\n')\n    with z.open('zeros.bin', 'w') as f:\n        \
         chunk = bytes(1 << 20)\n        for _ in range(250):\n            f.write(chunk)\n",
        bomb.to_string_lossy()
    );
    let ran = std::process::Command::new(python()).args(["-c", &script]).status().unwrap();
    assert!(ran.success());
    assert!(std::fs::metadata(&bomb).unwrap().len() < MAX_ZIPPED_BYTES);
    let error = Package::open(&bomb).unwrap_err();
    let size = MAX_UNZIPPED_BYTES + 6;
    assert_eq!(error, PackageError::TooLargeUnzipped { path: bomb.clone(), size, limit: MAX_UNZIPPED_BYTES });
    assert!(error.to_string().contains("Unzipped size must be smaller than 262144000 bytes"), "{error}");

    // Other limits, for tests of one's own.
    let small = zip_of(dir.path(), "small.zip", &[("app.py", APP)]);
    let tight = Limits { zipped_bytes: 10, ..Limits::LAMBDA };
    assert!(matches!(Package::open_with_limits(&small, tight), Err(PackageError::TooLargeZipped { .. })));
}

#[test]
fn entries_escaping_the_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["../evil.py", "lib/../../evil.py", "/tmp/evil.py"] {
        let zip = zip_of(dir.path(), "function.zip", &[("app.py", APP), (name, "print('escaped')\n")]);
        let error = Package::open(&zip).unwrap_err();
        assert_eq!(error, PackageError::UnsafeEntry { path: zip.clone(), entry: name.to_string() });
        assert!(error.to_string().contains("outside the function's folder"), "{error}");
    }
    assert!(!dir.path().join("evil.py").exists());
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("function.zip");
    std::fs::write(&fake, APP).unwrap();
    let error = Package::open(&fake).unwrap_err();
    assert!(matches!(error, PackageError::NotAZip { .. }));
    assert!(
        error.to_string().contains("Could not unzip uploaded file. Please check your file, then try to upload again.")
    );
}

fn python() -> String {
    std::env::var("PYO3_PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "python3".into())
}

fn lab() -> Command {
    let mut cmd = Command::cargo_bin("lab").unwrap();
    cmd.current_dir(ROOT);
    let state = std::env::temp_dir().join(format!("lab-package-tests-{}", std::process::id()));
    cmd.env("LAB_STATE_DIR", state);
    cmd
}

#[test]
fn cargo_lab_invoke_runs_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(dir.path(), "function.zip", &[("app.py", APP)]);
    let event = dir.path().join("event.json");
    std::fs::write(&event, r#"{"name": "Grace"}"#).unwrap();
    let zip_arg = zip.to_string_lossy().into_owned();
    let event_arg = event.to_string_lossy().into_owned();

    let output = lab()
        .args(["invoke", &zip_arg, "--handler-string", "app.lambda_handler", "--event", &event_arg, "--json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["result"], json!({"hello": "Grace"}));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1 file,") && stderr.contains("handler app.lambda_handler"), "{stderr}");

    // Without --handler-string, the console's default: lambda_function.lambda_handler.
    let default = zip_of(dir.path(), "default.zip", &[("lambda_function.py", APP)]);
    let output = lab().args(["invoke", &default.to_string_lossy(), "--json"]).assert().code(0).get_output().clone();
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["result"], json!({"hello": "world"}));
    assert!(String::from_utf8_lossy(&output.stderr).contains("handler lambda_function.lambda_handler"));
}

#[test]
fn cargo_lab_invoke_explains_a_zip_with_a_folder_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(dir.path(), "function.zip", &[("function/app.py", APP)]);
    let output = lab()
        .args(["invoke", &zip.to_string_lossy(), "--handler-string", "app.lambda_handler"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("\"errorType\": \"Runtime.ImportModuleError\""), "{stdout}");
    assert!(stdout.contains("Unable to import module 'app': No module named 'app'"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("note: The zip has app.py, but at function/app.py"), "{stderr}");
    assert!(stderr.contains("What the zip holds:") && stderr.contains("  function/app.py"), "{stderr}");
}

#[test]
fn cargo_lab_invoke_suggests_the_handler_string_when_the_default_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let zip = zip_of(dir.path(), "function.zip", &[("app.py", APP)]);
    let output = lab().args(["invoke", &zip.to_string_lossy()]).assert().code(1).get_output().clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("No module named 'lambda_function'"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("but app.py defines lambda_handler: try --handler-string app.lambda_handler"), "{stderr}");
}

#[test]
fn cargo_lab_invoke_refuses_what_lambda_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let usage_error = |args: &[&str], expected: &str| {
        let output = lab().args(args).assert().code(2).get_output().clone();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(expected), "expected {expected:?} in:\n{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line:\n{stderr}");
        assert!(output.stdout.is_empty());
    };
    let missing = dir.path().join("missing.zip");
    usage_error(&["invoke", &missing.to_string_lossy()], "no such deployment package");
    let fake = dir.path().join("fake.zip");
    std::fs::write(&fake, "not a zip").unwrap();
    usage_error(&["invoke", &fake.to_string_lossy()], "is not a zip file");
    let escaping = zip_of(dir.path(), "escaping.zip", &[("../app.py", APP)]);
    usage_error(&["invoke", &escaping.to_string_lossy()], "outside the function's folder");
    let good = zip_of(dir.path(), "good.zip", &[("app.py", APP)]);
    let good = good.to_string_lossy();
    usage_error(&["invoke", &good, "--handler", "lambda_handler"], "--handler names a function in a .py file");
    usage_error(&["invoke", &good, "--task-root", "."], "a .zip is unpacked into a fresh task root of its own");
    usage_error(
        &["invoke", "tests/fixtures/handlers.py", "--handler-string", "handlers.greet"],
        "--handler-string goes with a .zip FILE",
    );
}
