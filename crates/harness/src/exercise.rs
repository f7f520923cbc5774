//! An exercise as the workshop knows it: a folder `exercises/NN-slug/` with the
//! file the learner edits and a manifest, `exercise.toml`, holding its title,
//! chapter, minutes and hints. Read by the exercise tests (for hints) and by
//! the `lab` CLI (for lists and progress).

use std::path::{Path, PathBuf};

/// Set by the workshop's own tests to run an exercise's checks against another
/// copy of its files (the solution, or the pristine starter).
pub const TASK_ROOT_OVERRIDE: &str = "LAB_TASK_ROOT";

#[derive(Clone, Debug)]
pub struct Exercise {
    /// The number in the folder and package name (`exercise-01`).
    pub number: u32,
    /// The stable id, also the folder name without its number (`first-handler`).
    pub slug: String,
    pub dir: PathBuf,
    pub title: String,
    /// The book page that teaches it, relative to `book/`.
    pub chapter: String,
    pub minutes: u32,
    /// The file the learner edits, relative to the exercise folder.
    pub file: String,
    /// The Python function Lambda calls.
    pub function: String,
    pub hints: Vec<String>,
    /// Which hint fits each check: a test's name and the number of the hint
    /// (1 for the first) its failure shows (`[hint_for]` in the manifest).
    /// A failed check shows the hint of its test, so a learner who wrote
    /// `"statusCode": "200"` is not told about `event.get("name")`.
    pub hint_for: std::collections::BTreeMap<String, usize>,
    /// Every file the learner edits (`file` alone unless the manifest lists
    /// `files`, as a chaining exercise does with its handlers and machine).
    pub files: Vec<String>,
    /// A chaining exercise's state machine definition, relative to the folder.
    pub machine: Option<String>,
    /// A chaining exercise's functions: the name Task states use, the file,
    /// and the Python function (`[functions] Name = "file.py[:function]"`).
    pub functions: Vec<(String, String, String)>,
    /// The event to suggest trying the handler with: a name from the event
    /// catalog (`try_event = "s3-special-keys"`), for an exercise that ships
    /// no event files of its own.
    pub try_event: Option<String>,
    /// What the function finds at the local AWS (`[aws.s3.BUCKET]`,
    /// `[aws.dynamodb.TABLE]`, `[aws.sqs]`), as JSON in the form of
    /// [`crate::FunctionConfig::aws_state`].
    pub aws_state: Option<serde_json::Value>,
    /// The oldest Python the exercise runs on (`python = "3.11"`), for one
    /// whose packages need a newer Python than the workshop's own floor.
    pub min_python: Option<(u32, u32)>,
    /// The layers the function has (`layers = ["powertools"]`), by name:
    /// the workshop installs each (see [`crate::pyenv::LAYERS`]).
    pub layers: Vec<String>,
}

impl Exercise {
    /// Read `exercise.toml` in `dir`. A key the workshop does not know, a
    /// value of the wrong type, a missing title, chapter, minutes or hint, or
    /// an empty hint is refused, naming the file and the key: a typo (`hint`
    /// for `hints`) would otherwise give an exercise with no hints and no
    /// warning.
    pub fn load(dir: &Path) -> Result<Exercise, String> {
        let manifest = dir.join("exercise.toml");
        let text =
            std::fs::read_to_string(&manifest).map_err(|e| format!("Could not read {}: {e}", manifest.display()))?;
        let table: toml::Table = text.parse().map_err(|e| format!("{} is not valid TOML: {e}", manifest.display()))?;
        let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (number, slug) = split_folder_name(&folder)
            .ok_or_else(|| format!("The exercise folder {folder} should be named NN-slug, like 01-first-handler."))?;
        let fields = Manifest { path: &manifest, table: &table };
        fields.refuse_unknown_keys()?;
        let hints = fields.texts("hints")?.unwrap_or_default();
        if hints.is_empty() {
            return Err(fields.problem("hints", "must list at least one hint (hints = [\"...\"])"));
        }
        if hints.iter().any(|hint| hint.trim().is_empty()) {
            return Err(fields.problem("hints", "holds an empty hint"));
        }
        let hint_for = fields.hint_numbers(hints.len())?;
        let file = fields.text("file")?.unwrap_or_else(|| "handler.py".into());
        let files = fields.texts("files")?.unwrap_or_else(|| vec![file.clone()]);
        let functions = match table.get("functions") {
            None => Vec::new(),
            Some(toml::Value::Table(functions)) => functions
                .iter()
                .map(|(name, target)| {
                    let target = target.as_str().ok_or_else(|| {
                        fields.problem(&format!("functions.{name}"), "must be \"file.py\" or \"file.py:function\"")
                    })?;
                    let (file, function) = target.split_once(':').unwrap_or((target, "lambda_handler"));
                    Ok((name.clone(), file.to_string(), function.to_string()))
                })
                .collect::<Result<_, String>>()?,
            Some(_) => return Err(fields.problem("functions", "must be a table: [functions] Name = \"file.py\"")),
        };
        let minutes = match table.get("minutes") {
            Some(toml::Value::Integer(minutes)) if (1..=600).contains(minutes) => *minutes as u32,
            Some(_) => return Err(fields.problem("minutes", "must be a whole number of minutes, 1 to 600")),
            None => return Err(fields.problem("minutes", "is missing")),
        };
        let aws_state = match table.get("aws") {
            None => None,
            Some(toml::Value::Table(state)) => {
                Some(serde_json::to_value(state).map_err(|e| fields.problem("aws", &e.to_string()))?)
            }
            Some(_) => {
                return Err(fields.problem("aws", "must be a table: [aws.s3.BUCKET], [aws.dynamodb.TABLE], [aws.sqs]"));
            }
        };
        let min_python = match fields.text("python")? {
            None => None,
            Some(text) => Some(
                text.split_once('.')
                    .and_then(|(major, minor)| Some((major.parse().ok()?, minor.parse().ok()?)))
                    .ok_or_else(|| fields.problem("python", "must be a version such as \"3.11\""))?,
            ),
        };
        let layers = fields.texts("layers")?.unwrap_or_default();
        if let Some(unknown) = layers.iter().find(|name| !crate::pyenv::LAYERS.iter().any(|(known, _)| known == name)) {
            let known: Vec<&str> = crate::pyenv::LAYERS.iter().map(|(name, _)| *name).collect();
            return Err(fields.problem(
                "layers",
                &format!("names {unknown}, which is not a layer the workshop installs ({})", known.join(", ")),
            ));
        }
        Ok(Exercise {
            layers,
            aws_state,
            min_python,
            number,
            slug,
            dir: dir.to_path_buf(),
            title: fields.text("title")?.ok_or_else(|| fields.problem("title", "is missing"))?,
            chapter: fields.text("chapter")?.ok_or_else(|| fields.problem("chapter", "is missing"))?,
            minutes,
            function: fields.text("function")?.unwrap_or_else(|| "lambda_handler".into()),
            hints,
            hint_for,
            files,
            machine: fields.text("machine")?,
            try_event: fields.text("try_event")?,
            functions,
            file,
        })
    }

    /// Every exercise under `root/exercises`, in order.
    pub fn discover(root: &Path) -> Result<Vec<Exercise>, String> {
        let folder = root.join("exercises");
        let entries = std::fs::read_dir(&folder).map_err(|e| format!("Could not list {}: {e}", folder.display()))?;
        let mut found = Vec::new();
        for entry in entries.flatten() {
            if entry.path().join("exercise.toml").is_file() {
                found.push(Exercise::load(&entry.path())?);
            }
        }
        found.sort_by_key(|e| e.number);
        Ok(found)
    }

    /// `exercise-01`, the package name for `cargo test -p`.
    pub fn package(&self) -> String {
        format!("exercise-{:02}", self.number)
    }

    /// The folder the handler is imported from: the exercise folder, unless
    /// the workshop's own tests point it elsewhere.
    pub fn task_root(&self) -> PathBuf {
        match std::env::var_os(TASK_ROOT_OVERRIDE) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => self.dir.clone(),
        }
    }

    /// The learner's file, where it is read from.
    pub fn handler_path(&self) -> PathBuf {
        self.task_root().join(&self.file)
    }

    /// The name the exercise's Lambda function gets, `exercise-06-s3-events`.
    pub fn function_name(&self) -> String {
        format!("exercise-{:02}-{}", self.number, self.slug)
    }

    /// The hint that fits a failure of the test `test`: its `[hint_for]`
    /// entry; the first hint when the manifest ties no hint to any test; and
    /// none for a test left out of a manifest that ties hints (the page's
    /// hints are still named), rather than a hint about something else.
    pub fn hint_for_test(&self, test: &str) -> Option<&str> {
        if self.hint_for.is_empty() {
            return self.hints.first().map(String::as_str);
        }
        self.hint_for.get(test).and_then(|n| self.hints.get(n - 1)).map(String::as_str)
    }

    /// The folders of the function's layers (each standing for /opt), in
    /// the workspace that holds this exercise.
    pub fn layer_dirs(&self) -> Vec<PathBuf> {
        let root = self.dir.parent().and_then(Path::parent).unwrap_or(&self.dir);
        let env = crate::pyenv::PythonEnv::of_workspace(root);
        self.layers.iter().map(|name| env.layer_dir(name)).collect()
    }

    /// A Rust exercise: the learner edits Rust source (`src/lib.rs`), and the
    /// checks call the compiled handler rather than import a file.
    pub fn is_rust(&self) -> bool {
        self.file.ends_with(".rs")
    }

    /// Lambda's handler string for it, like `handler.lambda_handler`.
    pub fn handler_string(&self) -> String {
        let module = self.file.strip_suffix(".py").unwrap_or(&self.file).replace('/', ".");
        format!("{module}.{}", self.function)
    }
}

/// The keys `exercise.toml` may hold; anything else is refused.
const MANIFEST_KEYS: [&str; 14] = [
    "title",
    "chapter",
    "minutes",
    "hints",
    "hint_for",
    "file",
    "files",
    "function",
    "machine",
    "functions",
    "try_event",
    "aws",
    "python",
    "layers",
];

/// An `exercise.toml` being read: its path, for messages, and its table.
struct Manifest<'a> {
    path: &'a Path,
    table: &'a toml::Table,
}

impl Manifest<'_> {
    fn problem(&self, key: &str, what: &str) -> String {
        format!("{}: `{key}` {what}.", self.path.display())
    }

    fn refuse_unknown_keys(&self) -> Result<(), String> {
        match self.table.keys().find(|key| !MANIFEST_KEYS.contains(&key.as_str())) {
            Some(key) => {
                Err(self.problem(key, &format!("is not a key exercise.toml takes ({})", MANIFEST_KEYS.join(", "))))
            }
            None => Ok(()),
        }
    }

    /// A string field, if present.
    fn text(&self, key: &str) -> Result<Option<String>, String> {
        match self.table.get(key) {
            None => Ok(None),
            Some(toml::Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(self.problem(key, "must be a string")),
        }
    }

    /// `[hint_for]`: each test's hint, by number, each number one of the
    /// `count` hints.
    fn hint_numbers(&self, count: usize) -> Result<std::collections::BTreeMap<String, usize>, String> {
        let key = "hint_for";
        let Some(value) = self.table.get(key) else { return Ok(Default::default()) };
        let toml::Value::Table(table) = value else {
            return Err(self.problem(key, "must be a table: [hint_for] test_name = 2"));
        };
        table
            .iter()
            .map(|(test, number)| match number {
                toml::Value::Integer(n) if (1..=count as i64).contains(n) => Ok((test.clone(), *n as usize)),
                _ => Err(self.problem(
                    &format!("{key}.{test}"),
                    &format!("must be the number of one of the {count} hints (1 to {count})"),
                )),
            })
            .collect()
    }

    /// A list of strings, if present.
    fn texts(&self, key: &str) -> Result<Option<Vec<String>>, String> {
        let not_texts = || self.problem(key, "must be a list of strings");
        match self.table.get(key) {
            None => Ok(None),
            Some(toml::Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string).ok_or_else(not_texts))
                .collect::<Result<_, _>>()
                .map(Some),
            Some(_) => Err(not_texts()),
        }
    }
}

/// `01-first-handler` → (1, "first-handler").
pub fn split_folder_name(folder: &str) -> Option<(u32, String)> {
    let (number, slug) = folder.split_once('-')?;
    let number = number.parse().ok()?;
    (!slug.is_empty()).then(|| (number, slug.to_string()))
}

/// The workspace root (the folder holding `exercises/` and `crates/`),
/// searched upwards from `start`.
pub fn workspace_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|dir| dir.join("exercises").is_dir() && dir.join("crates").is_dir()).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_give_number_and_slug() {
        assert_eq!(split_folder_name("01-first-handler"), Some((1, "first-handler".into())));
        assert_eq!(split_folder_name("17-a-chain"), Some((17, "a-chain".into())));
        assert_eq!(split_folder_name("first-handler"), None);
        assert_eq!(split_folder_name("01-"), None);
    }

    #[test]
    fn manifest_fields_are_read() {
        let dir = std::env::temp_dir().join(format!("lab-ex-{}", std::process::id())).join("07-http-api");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("exercise.toml"),
            "title = \"An HTTP API\"\nchapter = \"events/http.md\"\nminutes = 25\nhints = [\"one\", \"two\"]\n",
        )
        .unwrap();
        let exercise = Exercise::load(&dir).unwrap();
        assert_eq!(exercise.number, 7);
        assert_eq!(exercise.slug, "http-api");
        assert_eq!(exercise.title, "An HTTP API");
        assert_eq!(exercise.minutes, 25);
        assert_eq!(exercise.hints, ["one", "two"]);
        assert_eq!(exercise.package(), "exercise-07");
        assert_eq!(exercise.handler_string(), "handler.lambda_handler");
        assert_eq!(exercise.files, ["handler.py"]);
        assert!(exercise.machine.is_none() && exercise.functions.is_empty());
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    #[test]
    fn a_chaining_exercise_lists_its_files_machine_and_functions() {
        let dir = std::env::temp_dir().join(format!("lab-ex-chain-{}", std::process::id())).join("17-a-chain");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("exercise.toml"),
            "title = \"A chain\"\nchapter = \"chaining/index.md\"\nminutes = 30\nhints = [\"one\"]\nfile = \"machine.json\"\nfiles = [\"machine.json\", \"validate.py\"]\nmachine = \"machine.json\"\n[functions]\nValidateOrder = \"validate.py\"\nPriceOrder = \"price.py:price\"\n",
        )
        .unwrap();
        let exercise = Exercise::load(&dir).unwrap();
        assert_eq!(exercise.files, ["machine.json", "validate.py"]);
        assert_eq!(exercise.machine.as_deref(), Some("machine.json"));
        assert_eq!(
            exercise.functions,
            [
                ("PriceOrder".to_string(), "price.py".to_string(), "price".to_string()),
                ("ValidateOrder".to_string(), "validate.py".to_string(), "lambda_handler".to_string())
            ]
        );
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    }

    /// A manifest in a fresh `NN-slug` folder of its own.
    fn manifest(name: &str, text: &str) -> Result<Exercise, String> {
        let dir =
            std::env::temp_dir().join(format!("lab-ex-{name}-{}", std::process::id())).join("03-validating-input");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("exercise.toml"), text).unwrap();
        let loaded = Exercise::load(&dir);
        let _ = std::fs::remove_dir_all(dir.parent().unwrap());
        loaded
    }

    const GOOD: &str =
        "title = \"Validating input\"\nchapter = \"handlers/index.md\"\nminutes = 20\nhints = [\"one\"]\n";

    #[test]
    fn the_oldest_python_an_exercise_runs_on_is_read_as_a_version() {
        assert_eq!(manifest("no-python", GOOD).unwrap().min_python, None);
        let newer = manifest("python", &format!("python = \"3.11\"\n{GOOD}")).unwrap();
        assert_eq!(newer.min_python, Some((3, 11)));
        let error = manifest("python-bad", &format!("python = \"three\"\n{GOOD}")).unwrap_err();
        assert!(error.contains("`python` must be a version such as \"3.11\""), "{error}");
    }

    #[test]
    fn a_mistyped_key_is_refused_naming_the_file_and_the_key() {
        assert!(manifest("good", GOOD).is_ok());
        let typo = GOOD.replace("hints =", "hint =");
        let error = manifest("typo", &typo).unwrap_err();
        assert!(
            error.contains("03-validating-input/exercise.toml: `hint` is not a key exercise.toml takes"),
            "{error}"
        );
        let error = manifest("extra", &format!("{GOOD}handler = \"app.py\"\n")).unwrap_err();
        assert!(error.contains("`handler` is not a key"), "{error}");
    }

    #[test]
    fn missing_or_empty_hints_are_refused() {
        let error = manifest("no-hints", &GOOD.replace("hints = [\"one\"]\n", "")).unwrap_err();
        assert!(error.contains("`hints` must list at least one hint"), "{error}");
        let error = manifest("empty-list", &GOOD.replace("[\"one\"]", "[]")).unwrap_err();
        assert!(error.contains("`hints` must list at least one hint"), "{error}");
        let error = manifest("blank", &GOOD.replace("[\"one\"]", "[\"one\", \"  \"]")).unwrap_err();
        assert!(error.contains("`hints` holds an empty hint"), "{error}");
    }

    #[test]
    fn values_of_the_wrong_type_are_refused() {
        for (name, from, to, says) in [
            ("minutes-text", "minutes = 20", "minutes = \"20\"", "`minutes` must be a whole number"),
            ("minutes-zero", "minutes = 20", "minutes = 0", "`minutes` must be a whole number"),
            ("title-number", "title = \"Validating input\"", "title = 3", "`title` must be a string"),
            ("hints-text", "hints = [\"one\"]", "hints = \"one\"", "`hints` must be a list of strings"),
            ("hints-number", "hints = [\"one\"]", "hints = [\"one\", 2]", "`hints` must be a list of strings"),
            ("no-chapter", "chapter = \"handlers/index.md\"\n", "", "`chapter` is missing"),
        ] {
            let error = manifest(name, &GOOD.replace(from, to)).unwrap_err();
            assert!(error.contains(says), "{name}: {error}");
        }
        let functions = format!("{GOOD}[functions]\nValidate = 3\n");
        assert!(manifest("functions", &functions).unwrap_err().contains("`functions.Validate` must be"));
    }

    #[test]
    fn every_exercise_of_the_workshop_has_a_manifest_that_loads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let exercises = Exercise::discover(&root).unwrap();
        assert_eq!(exercises.len(), std::fs::read_dir(root.join("exercises")).unwrap().count());
        for exercise in exercises {
            assert!(!exercise.hints.is_empty(), "{}", exercise.slug);
        }
    }

    #[test]
    fn each_check_is_tied_to_the_hint_that_fits_it() {
        let text = format!(
            "{}[hint_for]\nrejects_a_missing_name = 2\nanswers_200 = 1\n",
            GOOD.replace("[\"one\"]", "[\"one\", \"two\"]")
        );
        let exercise = manifest("hint-for", &text).unwrap();
        assert_eq!(exercise.hint_for_test("rejects_a_missing_name"), Some("two"));
        assert_eq!(exercise.hint_for_test("answers_200"), Some("one"));
        assert_eq!(exercise.hint_for_test("another_test"), None, "no hint rather than one about something else");
        assert_eq!(manifest("no-hint-for", GOOD).unwrap().hint_for_test("any"), Some("one"));
        let error = manifest("hint-for-range", &format!("{GOOD}[hint_for]\nsome_test = 2\n")).unwrap_err();
        assert!(error.contains("`hint_for.some_test` must be the number of one of the 1 hints"), "{error}");
        let error = manifest("hint-for-type", &format!("{GOOD}hint_for = 3\n")).unwrap_err();
        assert!(error.contains("`hint_for` must be a table"), "{error}");
    }

    /// The names of the `#[test]` functions in an exercise's tests/*.rs.
    fn test_names(dir: &Path) -> Vec<String> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dir.join("tests")).into_iter().flatten().flatten() {
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let mut after_attribute = false;
            for line in text.lines().map(str::trim) {
                if line == "#[test]" {
                    after_attribute = true;
                } else if after_attribute && let Some(rest) = line.strip_prefix("fn ") {
                    names.push(rest.split('(').next().unwrap_or_default().to_string());
                    after_attribute = false;
                }
            }
        }
        names
    }

    #[test]
    fn every_check_of_every_exercise_has_the_hint_that_fits_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut missing = Vec::new();
        for exercise in Exercise::discover(&root).unwrap() {
            let tests = test_names(&exercise.dir);
            assert!(!tests.is_empty(), "{}: no tests found", exercise.slug);
            for test in &tests {
                if !exercise.hint_for.contains_key(test) {
                    missing.push(format!("{}: {test}", exercise.slug));
                }
            }
            for tied in exercise.hint_for.keys() {
                assert!(
                    tests.contains(tied),
                    "{}: [hint_for] names {tied}, which is not one of its tests",
                    exercise.slug
                );
            }
        }
        assert!(missing.is_empty(), "tests with no [hint_for] entry:\n{}", missing.join("\n"));
    }
}
