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
}

impl Exercise {
    /// Read `exercise.toml` in `dir`.
    pub fn load(dir: &Path) -> Result<Exercise, String> {
        let manifest = dir.join("exercise.toml");
        let text =
            std::fs::read_to_string(&manifest).map_err(|e| format!("Could not read {}: {e}", manifest.display()))?;
        let table: toml::Table = text.parse().map_err(|e| format!("{} is not valid TOML: {e}", manifest.display()))?;
        let folder = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (number, slug) = split_folder_name(&folder)
            .ok_or_else(|| format!("The exercise folder {folder} should be named NN-slug, like 01-first-handler."))?;
        let text_field =
            |key: &str, default: &str| table.get(key).and_then(|v| v.as_str()).unwrap_or(default).to_string();
        let hints = table
            .get("hints")
            .and_then(|v| v.as_array())
            .map(|items| items.iter().filter_map(|h| h.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let file = text_field("file", "handler.py");
        let files = match table.get("files").and_then(|v| v.as_array()) {
            Some(items) => items.iter().filter_map(|f| f.as_str().map(str::to_string)).collect(),
            None => vec![file.clone()],
        };
        let functions = table
            .get("functions")
            .and_then(|v| v.as_table())
            .map(|functions| {
                functions
                    .iter()
                    .filter_map(|(name, target)| {
                        let target = target.as_str()?;
                        let (file, function) = target.split_once(':').unwrap_or((target, "lambda_handler"));
                        Some((name.clone(), file.to_string(), function.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Exercise {
            number,
            slug,
            dir: dir.to_path_buf(),
            title: text_field("title", &folder),
            chapter: text_field("chapter", ""),
            minutes: table.get("minutes").and_then(|v| v.as_integer()).unwrap_or(0) as u32,
            function: text_field("function", "lambda_handler"),
            hints,
            files,
            machine: table.get("machine").and_then(|v| v.as_str()).map(str::to_string),
            try_event: table.get("try_event").and_then(|v| v.as_str()).map(str::to_string),
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
        assert_eq!(split_folder_name("14-a-chain"), Some((14, "a-chain".into())));
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
        let dir = std::env::temp_dir().join(format!("lab-ex-chain-{}", std::process::id())).join("14-a-chain");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("exercise.toml"),
            "title = \"A chain\"\nfile = \"machine.json\"\nfiles = [\"machine.json\", \"validate.py\"]\nmachine = \"machine.json\"\n[functions]\nValidateOrder = \"validate.py\"\nPriceOrder = \"price.py:price\"\n",
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
}
