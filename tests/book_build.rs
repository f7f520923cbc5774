//! `cargo lab book --build DIR`: the published site, built with the versions
//! of mdBook and mdbook-admonish in Cargo.lock, and refused (exit 1, each
//! problem named by page and line) when a link, an include or a callout of
//! the book is broken. The same command the Pages workflow
//! (.github/workflows/book.yml) runs.

use std::path::Path;

const REPO: &str = env!("CARGO_MANIFEST_DIR");

#[path = "support/book_copy.rs"]
mod support;
use support::book_copy;

/// `lab book --build <dest>` run in `dir`.
fn build(dir: &Path, dest: &Path) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("lab")
        .unwrap()
        .args(["book", "--build"])
        .arg(dest)
        .current_dir(dir)
        .timeout(std::time::Duration::from_secs(120))
        .assert()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn the_whole_site_is_built_into_the_folder_given() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let assert = build(Path::new(REPO), &site).success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.starts_with("Built the book in "), "{stdout}");
    for file in [
        "index.html",
        "print.html",
        "searchindex.js",
        "404.html",
        ".nojekyll",
        "chaining/index.html",
        "introduction.html",
        "introduction/first-handler.html",
        "book/theme/mdbook-admonish.css",
        "css/general.css",
    ] {
        assert!(site.join(file).is_file(), "{file} was built");
    }
    // The published settings, from book.toml: 404.html finds its styles
    // under the sub-path, and every page links to its source.
    let not_found = std::fs::read_to_string(site.join("404.html")).unwrap();
    assert!(not_found.contains(r#"<base href="/python-on-aws-lambda/">"#), "404.html base");
    let page = std::fs::read_to_string(site.join("introduction/first-handler.html")).unwrap();
    assert!(page.contains("/edit/main/book/introduction/first-handler.md"), "an edit link");
    assert!(page.contains(r#"class="admonition admonish-"#), "callouts are rendered");
    assert!(!page.contains("lab-live-reload"), "no live reload on the published site");
    assert!(!site.join("build").exists() && !site.join("book/build").exists(), "no copy of a local build");

    // The landing page is mdBook's copy of the first chapter at the site's
    // root: its relative links must lead to pages that exist from there
    // (they did not while the chapter lived in introduction/).
    let landing = std::fs::read_to_string(site.join("index.html")).unwrap();
    let links = regex_lite::Regex::new(r#"href="([a-z][a-z0-9/_-]*\.html)(#[^"]*)?""#).unwrap();
    let mut checked = 0;
    for link in links.captures_iter(&landing) {
        checked += 1;
        assert!(site.join(&link[1]).is_file(), "the landing page links to {}, which the site lacks", &link[1]);
    }
    assert!(checked >= 2, "the landing page's links were read ({checked})");
    assert!(landing.contains(r#"href="introduction/how-this-book-works.html""#), "the landing page links on");

    // The Run buttons: their scripts, the runtime client the harness runs
    // (the same sources), Lambda's variables for /var/task on the Python
    // Pyodide is, the exercises a page can try, and Pyodide itself.
    for file in ["runner/runner.js", "runner/worker.mjs", "runner/runner.css", "pyodide/pyodide.asm.wasm"] {
        assert!(site.join(file).is_file(), "{file} was built");
    }
    let runtime: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("runner/runtime.json")).unwrap()).unwrap();
    let modules: Vec<(&str, &str)> = runtime["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair[0].as_str().unwrap(), pair[1].as_str().unwrap()))
        .collect();
    assert_eq!(modules, harness::python::runtime_sources(), "the browser runs the harness's own runtime client");
    assert!(runtime["missing"].is_null(), "Pyodide is in the site: {}", runtime["missing"]);
    assert!(runtime["runtime"].as_str().unwrap().starts_with("python3."), "{}", runtime["runtime"]);
    let variables = &runtime["variables"];
    assert_eq!(variables["LAMBDA_TASK_ROOT"], "/var/task");
    assert_eq!(variables["_HANDLER"], "handler.lambda_handler");
    assert_eq!(variables["PATH"], "/usr/local/bin:/usr/bin/:/bin:/opt/bin", "Lambda's PATH, not this machine's");
    let exercise: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("runner/exercises/first-handler.json")).unwrap())
            .unwrap();
    let committed = std::process::Command::new("git")
        .args(["show", "HEAD:exercises/01-first-handler/handler.py"])
        .current_dir(REPO)
        .output()
        .unwrap();
    assert_eq!(exercise["starter"].as_str().unwrap().as_bytes(), committed.stdout, "the starter as committed");
    assert_eq!(exercise["events"][0]["name"], "events/ada.json");
    assert!(!site.join("runner/exercises/a-chain.json").exists(), "a state machine exercise has no panel");
    // Every panel a page places has its exercise's files.
    for page in ["introduction/first-handler.html", "events/http-api.html", "monitoring/emf-metrics.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        let slug = html.split("data-exercise=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        assert!(site.join(format!("runner/exercises/{slug}.json")).is_file(), "{page}: no files for {slug}");
    }

    // A second build into the same folder replaces the first.
    build(Path::new(REPO), &site).success();
}

#[test]
fn a_pyodide_that_is_not_the_pinned_one_is_refused() {
    // A tarball whose sha512 is not the lock's is never unpacked: the build
    // stops and says why (here a classroom's copy, given as a file).
    let copy = book_copy();
    std::fs::create_dir_all(copy.path().join("tools/pyodide")).unwrap();
    std::fs::copy(
        Path::new(REPO).join("tools/pyodide/package-lock.json"),
        copy.path().join("tools/pyodide/package-lock.json"),
    )
    .unwrap();
    let tarball = copy.path().join("pyodide.tgz");
    std::fs::write(&tarball, b"not the release").unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = assert_cmd::Command::cargo_bin("lab")
        .unwrap()
        .args(["book", "--build"])
        .arg(out.path().join("site"))
        .env("LAB_PYODIDE_TARBALL", &tarball)
        .current_dir(copy.path())
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(1);
    let error = stderr(&assert);
    assert!(error.contains("Pyodide could not be fetched: the download's sha512 is "), "{error}");
    assert!(error.contains("as tools/pyodide/package-lock.json pins it"), "{error}");
    assert!(
        !copy
            .path()
            .join(".lab/pyodide")
            .read_dir()
            .unwrap()
            .flatten()
            .any(|e| !e.file_name().to_string_lossy().starts_with('.')),
        "nothing unpacked"
    );
}

#[test]
fn a_broken_link_include_or_callout_fails_naming_page_and_line() {
    let copy = book_copy();
    let page = copy.path().join("book/handlers/init-once.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let lines = text.lines().count();
    std::fs::write(
        &page,
        format!(
            "{text}\nSee [the gone page](../chaining/gone.md#top).\n\n```admonish tipp\nA typo.\n```\n\n\
             ```python\n{{{{#include ../../exercises/04-init-once/handlr.py}}}}\n```\n"
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = build(copy.path(), &out.path().join("site")).code(1);
    let error = stderr(&assert);
    assert!(error.starts_with("error: the book did not build: 3 problems\n"), "{error}");
    let page = "book/handlers/init-once.md";
    assert!(error.contains(&format!("{page}:{}: links to ../chaining/gone.md#top", lines + 2)), "{error}");
    assert!(error.contains(&format!("{page}:{}: ```admonish tipp", lines + 4)), "{error}");
    assert!(
        error.contains(&format!("{page}:{}: includes ../../exercises/04-init-once/handlr.py", lines + 9)),
        "{error}"
    );
    assert_eq!(error.lines().count(), 4, "{error}");
}

#[test]
fn one_broken_link_is_one_line() {
    let copy = book_copy();
    let page = copy.path().join("book/chaining/index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen(".md)", "-typo.md)", 1)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let error = stderr(&build(copy.path(), &out.path().join("site")).code(1));
    assert_eq!(error.lines().count(), 1, "{error}");
    assert!(error.starts_with("error: the book did not build: book/chaining/index.md:"), "{error}");
    assert!(error.contains("-typo.md"), "{error}");
    assert!(!out.path().join("site/index.html").exists(), "nothing is built from a broken book");
}

#[test]
fn a_folder_the_build_would_empty_is_refused_with_exit_2() {
    let copy = book_copy();
    for dest in [".", "book", "book/chaining"] {
        let error = stderr(&build(copy.path(), Path::new(dest)).code(2));
        assert!(error.contains("holds the book's sources"), "{dest}: {error}");
    }
    std::fs::create_dir(copy.path().join("notes")).unwrap();
    std::fs::write(copy.path().join("notes/mine.txt"), "keep me").unwrap();
    let error = stderr(&build(copy.path(), Path::new("notes")).code(2));
    assert!(error.contains("not a built book"), "{error}");
    assert!(copy.path().join("notes/mine.txt").is_file(), "nothing was deleted");

    let elsewhere = tempfile::tempdir().unwrap();
    let error = stderr(&build(elsewhere.path(), Path::new("site")).code(2));
    assert!(error.contains("not inside the workshop's folder"), "{error}");
}

#[test]
fn the_local_server_builds_its_404_page_for_the_root_not_the_sub_path() {
    use std::io::{BufRead, BufReader};
    let copy = book_copy();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lab"))
        .args(["book", "--port", "0"])
        .current_dir(copy.path())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let served = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .any(|line| line.starts_with("The book is at "));
    let _ = child.kill();
    let _ = child.wait();
    assert!(served, "lab book came up");
    let not_found = std::fs::read_to_string(copy.path().join("book/build/404.html")).unwrap();
    assert!(not_found.contains(r#"<base href="/">"#), "the local 404.html is for the root");
}

#[test]
fn build_does_not_go_with_serving_flags() {
    for flag in ["--open", "--port=3001"] {
        let assert = assert_cmd::Command::cargo_bin("lab")
            .unwrap()
            .args(["book", "--build", "site", flag])
            .current_dir(REPO)
            .assert()
            .code(2);
        assert!(stderr(&assert).contains("cannot be used with"), "{flag}");
    }
    assert!(!Path::new(REPO).join("site").exists(), "nothing was built");
}

#[test]
fn a_link_to_a_missing_part_of_a_page_fails_naming_page_line_and_id() {
    let copy = book_copy();
    let page = copy.path().join("book/context/index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let lines = text.lines().count();
    std::fs::write(
        &page,
        format!("{text}\nSee [the end](../chaining/index.md#no-such-part) and [above](#nor-this).\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let error = stderr(&build(copy.path(), &out.path().join("site")).code(1));
    assert!(error.starts_with("error: the book did not build: 2 problems\n"), "{error}");
    let line = lines + 2;
    assert!(
        error.contains(&format!(
            "book/context/index.md:{line}: links to ../chaining/index.md#no-such-part, \
             but no heading of book/chaining/index.md has the id no-such-part"
        )),
        "{error}"
    );
    assert!(error.contains(&format!("book/context/index.md:{line}: links to #nor-this")), "{error}");
}
