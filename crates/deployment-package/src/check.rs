//! Checks for an exercise whose file is a build script that makes a
//! deployment package (exercise 05). `PackageBuild::run` runs the script as
//! the learner would, `python3 package.py` in the exercise folder, then opens
//! the zip it wrote as Lambda would (see [`crate`]); each `expect_*`
//! looks at one thing in the zip's layout and, when it is wrong, names the
//! classic mistake behind it and what Lambda would do with it. Functions made
//! from the zip answer invocations like any [`Lab`](harness::check::Lab), except that a failed
//! import is the learner's mistake in the zip, and so an assertion.

use crate::{Package, PackageError};
use harness::check::report::{Failure, Kind};
use harness::check::{Call, Lab};
use harness::exercise::Exercise;
use harness::{ErrorSource, Function};
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long the build script may run.
const BUILD_TIMEOUT: Duration = Duration::from_secs(60);
/// How many entries of the zip a report lists.
const LISTING_LINES: usize = 30;

/// What the build script made, checked and unpacked.
pub struct PackageBuild {
    exercise: Exercise,
    /// The zip's path, relative to the exercise folder, as the learner knows it.
    zip_name: String,
    package: Package,
}

/// How the one run of the build script in this test process ended.
#[derive(Clone, Debug)]
enum BuildRun {
    Ran,
    NoPython(String),
    TimedOut { output: String },
    Failed { status: String, output: String },
}

static BUILD: OnceLock<BuildRun> = OnceLock::new();

impl PackageBuild {
    /// Run the exercise's build `script` (its own file) once per test
    /// process, then open the zip it must write at `zip` (both relative to
    /// the exercise folder). Before the script runs, an older zip is removed
    /// (with its folder, when that is left empty), and the modules in the
    /// `compile_first` folders are compiled, so that `__pycache__` folders
    /// are there as they are after a local run, and `.pyc` files beside the
    /// sources as `compileall -b` writes them. The script runs twice, and
    /// the zip of the second run, which replaced the first's, is checked.
    /// The check fails when the script fails, or writes no zip, or one
    /// Lambda would refuse.
    pub fn run(script: &str, zip: &str, compile_first: &[&str]) -> PackageBuild {
        let exercise = harness::check::find_exercise();
        let root = exercise.task_root();
        let check = format!("python3 {script} builds {zip}");
        let outcome = BUILD.get_or_init(|| build(&root, script, zip, compile_first));
        match outcome {
            BuildRun::Ran => {}
            BuildRun::NoPython(message) => {
                Failure::new(Kind::Setup, &check, Some(&exercise)).line(message).fail();
            }
            BuildRun::TimedOut { output } => {
                Failure::new(Kind::HandlerError, &check, Some(&exercise))
                    .line("")
                    .line(format!("{script} was still running after {} seconds, so the tests stopped it.", BUILD_TIMEOUT.as_secs()))
                    .block("What it printed:", &tail(output, 30))
                    .with_hint("Look for a loop that never ends: a folder walked while the zip is written into it, or an input() waiting for you.")
                    .hint()
                    .fail();
            }
            BuildRun::Failed { status, output } => {
                let syntax = output.contains("SyntaxError") || output.contains("IndentationError");
                let (kind, what, hint) = if syntax {
                    (
                        Kind::LoadError,
                        "Python could not read your script: there is a syntax error in it.",
                        "Look at the line shown, and the one before it: a missing colon, bracket or quote is the usual cause.",
                    )
                } else {
                    (
                        Kind::HandlerError,
                        "Your script raised an error before it finished the zip.",
                        "Read the traceback from the bottom: the last line names the error, the lines above it say where in your script it happened.",
                    )
                };
                Failure::new(kind, &check, Some(&exercise))
                    .line("")
                    .line(format!("`python3 {script}` failed ({status}). {what}"))
                    .block("What it printed:", &tail(output, 30))
                    .with_hint(hint)
                    .hint()
                    .fail();
            }
        }
        let zip_path = root.join(zip);
        if !zip_path.is_file() {
            let found = zips_under(&root);
            let mut failure = Failure::new(Kind::Assertion, &check, Some(&exercise))
                .line("")
                .line(format!("`python3 {script}` ran without an error, but there is no {zip} afterwards."));
            if found.is_empty() {
                failure = failure.line("It wrote no .zip file anywhere in the exercise folder.");
            } else {
                failure = failure.list("It wrote these instead:", found.into_iter());
            }
            failure
                .line("")
                .line(format!(
                    "The tests, the `cargo lab invoke` command and the deploy commands in the chapter all look for {zip}: \
                     write the zip there, next to {script}, making the folder when it is missing."
                ))
                .with_hint(&format!(
                    "Name the zip from the script's own folder, Path(__file__).resolve().parent / {}, and make its \
                     folder first: .parent.mkdir(parents=True, exist_ok=True).",
                    zip.split('/').map(|part| format!("{part:?}")).collect::<Vec<_>>().join(" / ")
                ))
                .hint()
                .fail();
        }
        let package = match Package::open(&zip_path) {
            Ok(package) => package,
            Err(PackageError::Harness(message)) => {
                Failure::new(Kind::Setup, &check, Some(&exercise)).line(message).fail()
            }
            Err(error) => Failure::new(Kind::Assertion, &check, Some(&exercise))
                .line("")
                .line(format!("Lambda would refuse the zip {script} wrote:"))
                .line(error.to_string())
                .hint()
                .fail(),
        };
        // A zip opened for appending keeps the old build's files, so after
        // two runs every name is there twice (and a file deleted since the
        // first build is still shipped): the zip was not replaced.
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<&str> = package.files().filter(|name| !seen.insert(*name)).collect();
        if !twice.is_empty() {
            Failure::new(Kind::Assertion, &check, Some(&exercise))
                .line("")
                .line(format!(
                    "The tests ran `python3 {script}` twice, as you do after a change, and the second run added its \
                     files to the zip of the first instead of replacing it:"
                ))
                .list("In the zip more than once:", shorten(&twice, 10))
                .line("")
                .line("A file deleted since the last build would still be shipped, and the zip grows with every build.")
                .with_hint(
                    "Open the zip with mode \"w\", which starts a new file: zipfile.ZipFile(path, \"w\", \
                     zipfile.ZIP_DEFLATED). Mode \"a\" adds to the one already there.",
                )
                .hint()
                .fail();
        }
        PackageBuild { exercise, zip_name: zip.to_string(), package }
    }

    /// The unpacked package.
    pub fn package(&self) -> &Package {
        &self.package
    }

    /// The zip's layout, as reports show it.
    pub fn listing(&self) -> String {
        self.package
            .listing_limited(LISTING_LINES)
            .replace(&self.package.source().display().to_string(), &self.zip_name)
    }

    /// Every file under the exercise's folder `from`, less bytecode caches and
    /// tests, is in the zip under `at` ("" for the top of the zip), with the
    /// same path below it: `function/app.py` as `app.py`.
    pub fn expect_files_at(&self, check: &str, from: &str, at: &str) -> &Self {
        let wanted = self.shipped_names(from, at);
        if wanted.is_empty() {
            Failure::new(Kind::Setup, check, Some(&self.exercise))
                .line("")
                .line(format!("There are no files under {from}/ in the exercise folder, so there is nothing to check."))
                .line(format!("The exercise ships them; to get them back: git checkout -- {}", {
                    let folder = self.exercise.dir.join(from);
                    harness::check::display_path(&folder)
                }))
                .fail();
        }
        let missing: Vec<&String> = wanted.iter().filter(|name| !self.package.contains(name)).collect();
        if missing.is_empty() {
            return self;
        }
        let mut nested = Vec::new();
        let mut lines = Vec::new();
        for name in &missing {
            match self.nested_copy(name) {
                Some(place) => {
                    lines.push(format!("{name}: not {}; the zip has it as {place}", where_in_zip(name)));
                    nested.push((name.to_string(), place));
                }
                None => lines.push(format!("{name}: not in the zip at all")),
            }
        }
        let mut failure = self
            .failure(check)
            .list(&format!("Files from {from}/ that Lambda needs {}:", where_in_zip(&wanted[0])), lines.into_iter());
        if let Some((name, place)) = nested.first() {
            let module = module_of(name);
            let root = source_root(from, at);
            failure = failure
                .line("")
                .line(format!(
                    "A folder inside the zip: Lambda unpacks the zip into /var/task and imports from /var/task itself, \
                     so {place} lands in /var/task/{place}, where `import {module}` does not look. The function dies \
                     before its handler runs, with Runtime.ImportModuleError and the message \"Unable to import \
                     module ...: No module named '{module}'\"."
                ))
                .line(format!(
                    "Name each file after its path inside {root}/, not inside the exercise folder: \
                     path.relative_to({}) gives {name}.",
                    folder_constant(&root)
                ));
        } else {
            let root = source_root(from, at);
            failure = failure
                .line("")
                .line(format!(
                    "Lambda has what is in the zip, the standard library and boto3, nothing else: without {}, the \
                     import fails with Runtime.ImportModuleError naming the missing module. Add every file under {from}/.",
                    missing[0]
                ))
                .with_hint(&format!(
                    "Walk {root}/ too, naming each file by its path below {root}/, so that {root}/{} lands in the \
                     zip as {}.",
                    missing[0], missing[0]
                ));
        }
        failure.block("What the zip holds:", &self.listing()).hint().fail()
    }

    /// No `__pycache__` folder and no `.pyc` file in the zip.
    pub fn expect_no_bytecode(&self, check: &str) -> &Self {
        let found: Vec<&str> = self.package.files().filter(|name| is_bytecode(name)).collect();
        if found.is_empty() {
            return self;
        }
        self.failure(check)
            .list("Bytecode caches in the zip:", shorten(&found, 10))
            .line("")
            .line(
                "Python writes these when it imports a module (your unit tests, a run on your machine), compiled for the \
                 Python you have, which need not be Lambda's. Lambda does not need them: it compiles what it imports. \
                 They only make the package bigger, and they change on every run, so the zip does too.",
            )
            .line(
                "Before running your script the tests compiled the function's modules, as a local run does (into \
                 __pycache__) and as `python3 -m compileall -b` does (app.pyc beside app.py), so the caches were there \
                 to be left out: skip any path with \"__pycache__\" in its parts, and .pyc files wherever they are.",
            )
            .block("What the zip holds:", &self.listing())
            .with_hint("For a pathlib.Path p: \"__pycache__\" in p.parts or p.suffix == \".pyc\" tells you to skip it.")
            .hint()
            .fail()
    }

    /// No test files (`test_*.py`, `*_test.py`, `conftest.py`, a `tests/` folder).
    pub fn expect_no_tests(&self, check: &str) -> &Self {
        let found: Vec<&str> = self.package.files().filter(|name| is_test(name)).collect();
        if found.is_empty() {
            return self;
        }
        self.failure(check)
            .list("Tests in the zip:", shorten(&found, 10))
            .line("")
            .line(
                "Tests run on your machine, before you build; Lambda never runs them. In the package they are dead \
                 weight, and often they import what Lambda does not have (unittest's helpers are there, pytest is not).",
            )
            .block("What the zip holds:", &self.listing())
            .with_hint(
                "Skip a file whose name starts with test_, and every file under a folder named tests (tinyslug ships \
                 its own): for a pathlib.Path p, p.name.startswith(\"test_\") or \"tests\" in p.parts.",
            )
            .hint()
            .fail()
    }

    /// Every file in the zip comes from one of `sources`, each a folder of the
    /// exercise and where its files go in the zip, as for `expect_files_at`.
    /// Caches, tests and files that are only in the wrong folder are left to
    /// the checks about them.
    pub fn expect_only_from(&self, check: &str, sources: &[(&str, &str)]) -> &Self {
        let allowed: Vec<String> = sources.iter().flat_map(|(from, at)| self.all_names(from, at)).collect();
        let extras: Vec<String> = self
            .package
            .files()
            .filter(|name| !is_bytecode(name) && !is_test(name))
            .filter(|name| !allowed.iter().any(|a| a == name || name.ends_with(&format!("/{a}"))))
            .map(|name| format!("{name}: {}", self.why_extra(name)))
            .collect();
        if extras.is_empty() {
            return self;
        }
        let folders: Vec<String> = sources.iter().map(|(from, _)| format!("{from}/")).collect();
        self.failure(check)
            .list("Files in the zip that are not part of the function:", extras.into_iter())
            .line("")
            .line(format!(
                "A deployment package holds what Lambda runs and nothing else: here, what is in {}. Everything else \
                 makes every upload and every cold start slower, and ships things that were never meant to leave \
                 your machine.",
                folders.join(" and ")
            ))
            .line(format!("Walk those folders only, not the whole exercise folder (and never {}).", self.zip_name))
            .block("What the zip holds:", &self.listing())
            .with_hint(&format!(
                "Call rglob(\"*\") on each of {} and on nothing else: the exercise folder itself holds the script, \
                 the events and the build folder.",
                folders.join(" and ")
            ))
            .hint()
            .fail()
    }

    /// Lambda can read every entry: it runs the code as a user who does not
    /// own the files, so files need the permissions 644 and folders 755.
    pub fn expect_readable_by_lambda(&self, check: &str) -> &Self {
        let unreadable: Vec<String> = self
            .package
            .entries()
            .iter()
            .filter(|e| !e.readable_by_lambda())
            .map(|e| format!("{} (permissions {:o})", e.name, e.unix_mode.unwrap_or(0)))
            .collect();
        if unreadable.is_empty() {
            return self;
        }
        let names: Vec<&str> = unreadable.iter().map(String::as_str).collect();
        self.failure(check)
            .list("Entries only their owner may read:", shorten(&names, 10))
            .line("")
            .line(
                "Lambda runs your code as a user who does not own the files in the package, so it needs files \
                 readable by everyone (644) and folders it may enter (755). With these, the import fails on \
                 Lambda: \"[Errno 13] Permission denied\".",
            )
            .line(
                "archive.write(path, name) copies each file's permissions from your disk. archive.writestr(name, \
                 data) with a plain name records 600: give it a ZipInfo whose external_attr is 0o100644 << 16, or use write.",
            )
            .with_hint("archive.write(path, name) keeps the permissions your files have on disk: 644 for the files git checked out.")
            .hint()
            .fail()
    }

    /// The function `handler` names inside the zip, ready to invoke.
    pub fn function(&self, handler: &str) -> ZipFunction<'_> {
        let mut config = self.package.config(handler);
        config.function_name = self.exercise.function_name();
        let function = match Function::new(config) {
            Ok(function) => function,
            Err(error) => Failure::new(Kind::Setup, "the function's configuration is valid", Some(&self.exercise))
                .line(error.0)
                .fail(),
        };
        ZipFunction {
            lab: Lab::with_function(self.exercise.clone(), function),
            build: self,
            handler: handler.to_string(),
        }
    }

    /// The names the files under `from` get in the zip, less caches and tests.
    fn shipped_names(&self, from: &str, at: &str) -> Vec<String> {
        self.all_names(from, at).into_iter().filter(|name| !is_bytecode(name) && !is_test(name)).collect()
    }

    /// The names every file under `from` would get in the zip under `at`.
    fn all_names(&self, from: &str, at: &str) -> Vec<String> {
        let folder = self.exercise.task_root().join(from);
        let mut names = Vec::new();
        walk(&folder, &folder, &mut names);
        names.sort();
        names
            .into_iter()
            .map(|relative| if at.is_empty() { relative } else { format!("{}/{relative}", at.trim_end_matches('/')) })
            .collect()
    }

    /// Where the zip has `name` in a folder: `function/app.py` for `app.py`.
    fn nested_copy(&self, name: &str) -> Option<String> {
        let suffix = format!("/{name}");
        self.package.files().find(|file| file.ends_with(&suffix)).map(str::to_string)
    }

    fn why_extra(&self, name: &str) -> &'static str {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base == self.exercise.file {
            "the build script itself"
        } else if name.ends_with(".zip") {
            "a zip inside the zip: the build output was packed with the rest"
        } else if name.starts_with("build/") || name.contains("/build/") {
            "from the build folder"
        } else if name.starts_with("events/") || name.contains("/events/") {
            "a test event, for cargo lab invoke"
        } else if ["exercise.toml", "Cargo.toml", "Cargo.lock"].contains(&base) || base.ends_with(".rs") {
            "one of the workshop's files"
        } else {
            "not from the function's code or its dependency"
        }
    }

    fn failure(&self, check: &str) -> Failure {
        Failure::new(Kind::Assertion, check, Some(&self.exercise))
    }
}

/// A function made from the zip.
pub struct ZipFunction<'a> {
    lab: Lab,
    build: &'a PackageBuild,
    handler: String,
}

impl ZipFunction<'_> {
    /// Invoke it with `event`. When Lambda cannot even import the handler
    /// from the zip, the check "Lambda can import HANDLER from the zip" fails
    /// here, saying where the missing module is (in a folder, or nowhere).
    pub fn invoke(&self, event: Value) -> Call<'_> {
        let call = self.lab.invoke(event);
        if let Some(error) = call.invocation.error().filter(|e| e.source == ErrorSource::Init) {
            let check = format!("Lambda can import {} from {}", self.handler, self.build.zip_name);
            let module = self.handler.rsplit_once('.').map(|(m, _)| m.replace('/', ".")).unwrap_or_default();
            let mut failure = self
                .build
                .failure(&check)
                .event(call.event())
                .line("The function failed before its handler ran, while Lambda imported it (the init phase):")
                .block("", &format!("{}: {}", error.error_type, error.error_message));
            match crate::missing_module(&error.error_message) {
                Some(missing) => {
                    if missing != module && !module.starts_with(&format!("{missing}.")) {
                        failure = failure.with_hint(
                            "Add the dependency's files the way you add your own modules, each named by its path \
                             below the folder it was installed into, so that its package folder lands at the top of the zip.",
                        );
                        failure = failure.line(format!(
                            "The message names the module Lambda was importing for the handler, {module}; the one \
                             Python could not find is after \"No module named\": {missing}, which {module} (or a \
                             module it imports) imports."
                        ));
                    }
                    if let Some(note) = self.build.package.explain_missing_module(&error.error_message) {
                        failure = failure.line(note);
                    }
                }
                None => {
                    failure = failure.line("Lambda could not start the function from this zip.");
                }
            }
            failure.block("What the zip holds:", &self.build.listing()).logs(&call.invocation).hint().fail();
        }
        call
    }

    pub fn function(&self) -> &Function {
        self.lab.function()
    }
}

/// Run the build: remove the old zip, compile the modules as a local run
/// would, run the script. The output is kept for the report.
fn build(root: &Path, script: &str, zip: &str, compile_first: &[&str]) -> BuildRun {
    let zip_path = root.join(zip);
    let _ = std::fs::remove_file(&zip_path);
    // The zip's folder goes too when nothing else is in it, as in a fresh
    // clone, where the script must make it (remove_dir refuses a folder
    // that holds anything, so nothing of the learner's is lost).
    if let Some(folder) = zip_path.parent().filter(|folder| *folder != root) {
        let _ = std::fs::remove_dir(folder);
    }
    if !compile_first.is_empty() {
        // Once as a run on the learner's machine compiles (into
        // __pycache__), once with -b as tools that precompile a package
        // do (app.pyc beside app.py): caches of both kinds must stay out.
        for legacy in [false, true] {
            let mut args = vec!["-m", "compileall", "-q"];
            if legacy {
                args.push("-b");
            }
            args.extend(compile_first);
            if let Err(problem) = run_python(root, &args) {
                return problem;
            }
        }
    }
    // Twice, as a learner builds again after a change: the first run must
    // make the folder, the second must replace the zip the first wrote (not
    // add to it, not stop because the folder is there). The second's zip is
    // the one checked.
    if let Err(problem) = run_python(root, &[script]) {
        return problem;
    }
    match run_python(root, &[script]) {
        Ok(()) => BuildRun::Ran,
        Err(BuildRun::Failed { status, output }) => BuildRun::Failed {
            status: format!("{status}, on its second run, with the zip of the first run still in {zip}"),
            output,
        },
        Err(problem) => problem,
    }
}

/// Run Python with `args` in `dir`, within the time limit.
fn run_python(dir: &Path, args: &[&str]) -> Result<(), BuildRun> {
    let mut child = None;
    for program in python_candidates() {
        match Command::new(&program)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(started) => {
                child = Some(started);
                break;
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(BuildRun::NoPython(format!("Could not start {program}: {error}"))),
        }
    }
    let Some(mut child) = child else {
        return Err(BuildRun::NoPython(
            "The tests run your script with python3, and there is no python3 (or python) on the PATH. \
             Install Python 3.9 or later, or set PYO3_PYTHON to its path."
                .into(),
        ));
    };
    let readers: Vec<_> = [
        child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
        child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|mut pipe| {
        std::thread::Builder::new()
            .name("package-output".into())
            .spawn(move || {
                let mut text = Vec::new();
                let _ = pipe.read_to_end(&mut text);
                String::from_utf8_lossy(&text).into_owned()
            })
            .expect("a thread can be started")
    })
    .collect();
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > BUILD_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    let output: String = readers.into_iter().filter_map(|r| r.join().ok()).collect::<Vec<_>>().join("");
    match status {
        Some(status) if status.success() => Ok(()),
        Some(status) => Err(BuildRun::Failed {
            status: status.code().map(|c| format!("exit status {c}")).unwrap_or_else(|| "killed by a signal".into()),
            output,
        }),
        None => Err(BuildRun::TimedOut { output }),
    }
}

/// The Python to run scripts with: PYO3_PYTHON (now, or when the harness
/// was built), else python3, else python.
fn python_candidates() -> Vec<String> {
    let mut candidates = Vec::new();
    if let Some(path) = std::env::var_os("PYO3_PYTHON").filter(|p| !p.is_empty()) {
        candidates.push(path.to_string_lossy().into_owned());
    }
    if let Some(path) = option_env!("PYO3_PYTHON").filter(|p| !p.is_empty()) {
        candidates.push(path.to_string());
    }
    candidates.extend(["python3".to_string(), "python".to_string()]);
    candidates
}

/// Every file under `dir`, as paths relative to `base` with `/` between folders.
fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(base, &path, out);
        } else if let Ok(relative) = path.strip_prefix(base) {
            let parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push(parts.join("/"));
        }
    }
}

/// The .zip files under `root`, relative to it.
fn zips_under(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    walk(root, root, &mut files);
    files.into_iter().filter(|f| f.ends_with(".zip")).collect()
}

fn is_bytecode(name: &str) -> bool {
    name.split('/').any(|part| part == "__pycache__") || name.ends_with(".pyc") || name.ends_with(".pyo")
}

fn is_test(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    let in_tests = name.split('/').rev().skip(1).any(|part| part == "tests");
    in_tests
        || base == "conftest.py"
        || (base.ends_with(".py") && (base.starts_with("test_") || base.ends_with("_test.py")))
}

/// "at the top of the zip" for `app.py`, "in tinyslug/, at the top of the zip" for `tinyslug/x.py`.
fn where_in_zip(name: &str) -> String {
    let at = name.rsplit_once('/').map(|(folder, _)| folder).unwrap_or("");
    let first = at.split('/').next().unwrap_or("");
    if at.is_empty() { "at the top of the zip".to_string() } else { format!("in {first}/, at the top of the zip") }
}

/// The folder whose contents go to the top of the zip: `vendor` for files
/// from `vendor/tinyslug` that go to `tinyslug`, `function` for `function` to "".
fn source_root(from: &str, at: &str) -> String {
    let from = from.trim_end_matches('/');
    let at = at.trim_end_matches('/');
    if at.is_empty() {
        return from.to_string();
    }
    from.strip_suffix(at)
        .map(|rest| rest.trim_end_matches('/').to_string())
        .filter(|rest| !rest.is_empty())
        .unwrap_or_else(|| from.to_string())
}

/// `app.py` → `app`; `tinyslug/_ascii.py` → `tinyslug`: what `import` names first.
fn module_of(name: &str) -> String {
    let first = name.split('/').next().unwrap_or(name);
    first.strip_suffix(".py").unwrap_or(first).to_string()
}

/// How the starter's script names a folder: `function` → SOURCE, `vendor` → VENDOR.
fn folder_constant(from: &str) -> String {
    match from {
        "function" => "SOURCE".to_string(),
        other => other.to_uppercase(),
    }
}

fn shorten(items: &[&str], max: usize) -> impl Iterator<Item = String> {
    let mut shown: Vec<String> = items.iter().take(max).map(|s| s.to_string()).collect();
    if items.len() > max {
        shown.push(format!("... and {} more", items.len() - max));
    }
    shown.into_iter()
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let shown = all[start..].join("\n");
    if shown.trim().is_empty() { "(nothing)".to_string() } else { shown }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caches_and_tests_are_recognised() {
        assert!(is_bytecode("__pycache__/app.cpython-312.pyc"));
        assert!(is_bytecode("tinyslug/__pycache__/x.pyc"));
        assert!(is_bytecode("old.pyc"));
        assert!(!is_bytecode("app.py"));
        assert!(is_test("test_app.py"));
        assert!(is_test("function/test_app.py"));
        assert!(is_test("tests/helpers.py"));
        assert!(is_test("conftest.py"));
        assert!(is_test("app_test.py"));
        assert!(!is_test("app.py"));
        assert!(!is_test("testing.py"));
        assert!(!is_test("tests"));
    }

    #[test]
    fn places_and_modules_are_named() {
        assert_eq!(where_in_zip("app.py"), "at the top of the zip");
        assert_eq!(where_in_zip("tinyslug/_ascii.py"), "in tinyslug/, at the top of the zip");
        assert_eq!(source_root("vendor/tinyslug", "tinyslug"), "vendor");
        assert_eq!(source_root("function", ""), "function");
        assert_eq!(module_of("app.py"), "app");
        assert_eq!(module_of("tinyslug/_ascii.py"), "tinyslug");
        assert_eq!(folder_constant("function"), "SOURCE");
        assert_eq!(folder_constant("vendor"), "VENDOR");
        assert_eq!(tail("a\nb\nc", 2), "b\nc");
    }
}
