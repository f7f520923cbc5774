//! Exercise 05: building the zip. The tests run your package.py the way you
//! would, `python3 package.py` in the exercise folder, after compiling the
//! modules in function/ and vendor/ (so their __pycache__ folders are there,
//! as they are after you run your code or its tests, and .pyc files beside
//! the sources, as `compileall -b` leaves them), and removing an empty
//! build/ folder, as a fresh clone has none. Then they open the zip
//! it wrote, build/function.zip, the way Lambda does: checked against the
//! upload limits, unpacked into a fresh folder standing for /var/task, and
//! run with the handler string app.lambda_handler.

use deployment_package::check::PackageBuild;
use harness::json;

/// Run package.py (once for all the tests) and open the zip it wrote.
fn build() -> PackageBuild {
    PackageBuild::run("package.py", "build/function.zip", &["function", "vendor"])
}

#[test]
fn package_py_writes_build_function_zip() {
    // Fails if the script raises, writes no build/function.zip, or writes a
    // zip Lambda would refuse (not a zip, too large, a name with '..').
    build();
}

#[test]
fn the_function_code_is_at_the_top_of_the_zip() {
    build().expect_files_at(
        "the modules in function/ are at the top of the zip: app.py and permalinks.py, not function/app.py",
        "function",
        "",
    );
}

#[test]
fn the_dependency_is_at_the_top_of_the_zip() {
    build().expect_files_at(
        "the dependency is at the top of the zip, beside app.py: tinyslug/__init__.py and tinyslug/_ascii.py",
        "vendor/tinyslug",
        "tinyslug",
    );
}

#[test]
fn no_bytecode_caches_are_shipped() {
    build().expect_no_bytecode("the zip holds no __pycache__ folder and no .pyc file");
}

#[test]
fn no_tests_are_shipped() {
    build().expect_no_tests(
        "the zip holds no tests: function/test_app.py and the tests/ folder inside tinyslug stay on your machine",
    );
}

#[test]
fn only_the_function_and_its_dependency_are_shipped() {
    build().expect_only_from(
        "everything in the zip comes from function/ or vendor/: no build script, no build folder, no workshop files",
        &[("function", ""), ("vendor", "")],
    );
}

#[test]
fn lambda_can_read_every_file() {
    build().expect_readable_by_lambda("every file in the zip may be read by everyone (644), as Lambda needs");
}

#[test]
fn the_handler_runs_from_the_zip() {
    let build = build();
    let function = build.function("app.lambda_handler");
    function.invoke(json!({"title": "Crème brûlée & Straße: a recipe", "published": "2026-11-27"})).expect_result(
        "run from the zip, the function answers with the post's slug and path, made by tinyslug",
        json!({"slug": "creme-brulee-and-strasse-a-recipe", "path": "/2026/11/27/creme-brulee-and-strasse-a-recipe"}),
    );
    function
        .invoke(json!({"title": "Ærø & Łódź: ferries of the Baltic", "published": "2027-02-03"}))
        .expect_result(
            "letters without an ASCII form of their own are spelled out by tinyslug's _ascii module",
            json!({"slug": "aero-and-lodz-ferries-of-the-baltic", "path": "/2027/02/03/aero-and-lodz-ferries-of-the-baltic"}),
        );
}
