//! `cargo lab book`, driven as a learner runs it: the binary builds the book
//! in-process, serves it on the loopback interface and rebuilds it when a
//! source changes. The tests talk to it over plain HTTP/1.1.
//!
//! Only one test builds the repository's own book (into `book/build`); the
//! others work on copies in temporary folders, so they can run in parallel.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

#[path = "support/book_copy.rs"]
mod support;
use support::book_copy;
const LIVE_RELOAD: &str = r#"<script id="lab-live-reload">"#;
/// How long the book may take to build and come up (a debug build on a slow
/// machine; it takes about half a second on two cores).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A `lab book` child process; it is killed when this goes out of scope,
/// also when a test fails halfway.
struct Served {
    child: Child,
    port: u16,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    /// Start `lab book --port 0` in `dir` and wait until it says where the
    /// book is.
    fn start(dir: &Path) -> Served {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("lab"))
            .args(["book", "--port", "0"])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("lab starts");
        let (send, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::Builder::new()
            .name("book-stdout".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            })
            .expect("a thread can be started");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut pipe = child.stderr.take().unwrap();
        std::thread::Builder::new()
            .name("book-stderr".into())
            .spawn(move || {
                let mut buffer = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
                }
            })
            .expect("a thread can be started");
        let mut served = Served { child, port: 0, lines, stderr };
        let line = served.wait_for_line("The book is at http://127.0.0.1:", START_TIMEOUT);
        let port = line.rsplit(':').next().unwrap().trim_end_matches('/');
        served.port = port.parse().unwrap_or_else(|_| panic!("no port in {line:?}"));
        served
    }

    /// Wait for a line of standard output containing `text`.
    fn wait_for_line(&self, text: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(_) => {
                    panic!("lab book never printed {text:?}\nstdout:\n{}\nstderr:\n{}", seen.join("\n"), self.stderr())
                }
            }
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Response {
        request(self.port, "GET", path)
    }

    fn version(&self) -> String {
        let response = self.get("/__lab/version");
        assert_eq!(response.status, 200);
        response.text()
    }
}

struct Response {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim().to_string())
        })
    }
}

/// A minimal HTTP/1.1 client: one request per connection, the target sent
/// exactly as given (no normalising of `..`).
fn request(port: u16, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects to the book");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(stream, "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads the answer");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let body = raw[split + 4..].to_vec();
    let (status_line, headers) = head.split_once("\r\n").unwrap_or((&head, ""));
    let status = status_line.split_whitespace().nth(1).unwrap().parse().unwrap();
    if let Some(length) = headers
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
    {
        if method != "HEAD" {
            assert_eq!(body.len(), length.parse::<usize>().unwrap(), "Content-Length matches the body");
        }
    }
    Response { status, headers: headers.replace("\r\n", "\n"), body }
}

/// The pages SUMMARY.md links to, as paths of their HTML files.
fn summary_pages(book: &Path) -> Vec<String> {
    let summary = std::fs::read_to_string(book.join("SUMMARY.md")).unwrap();
    summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|target| target.ends_with(".md"))
        .map(|target| target.trim_end_matches(".md").to_string() + ".html")
        .collect()
}

/// Every link of a built page to `page.html#anchor` (or `#anchor` on the
/// same page) whose target has no element with that id, read from the HTML
/// mdBook wrote, so its own rules for heading ids are the ones checked.
fn broken_anchors(build: &Path, pages: &[String]) -> Vec<String> {
    let mut broken = Vec::new();
    for page in pages {
        let html = std::fs::read_to_string(build.join(page)).unwrap();
        for chunk in html.split("href=\"").skip(1) {
            let target = chunk.split('"').next().unwrap_or_default();
            let Some((file, anchor)) = target.split_once('#') else { continue };
            if target.contains("://") || anchor.is_empty() {
                continue;
            }
            let target_page =
                if file.is_empty() { build.join(page) } else { build.join(page).parent().unwrap().join(file) };
            let Ok(target_html) = std::fs::read_to_string(&target_page) else {
                broken.push(format!("{page} links to {target}, a page that was not built"));
                continue;
            };
            if !target_html.contains(&format!("id=\"{anchor}\"")) {
                broken.push(format!("{page} links to {target}: no heading there has the id {anchor}"));
            }
        }
    }
    broken
}

/// `lab book` in `dir`, expected to fail with status 2 and one line on
/// standard error, which is returned.
fn failing_book(dir: &Path, args: &[&str]) -> String {
    let output = assert_cmd::Command::cargo_bin("lab")
        .unwrap()
        .arg("book")
        .args(args)
        .current_dir(dir)
        .timeout(START_TIMEOUT)
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one line on standard error: {stderr}");
    stderr
}

#[test]
fn the_book_builds_and_every_page_is_served_with_live_reload() {
    let served = Served::start(Path::new(REPO));
    let build: PathBuf = Path::new(REPO).join("book/build");

    let pages = summary_pages(&Path::new(REPO).join("book"));
    assert!(pages.len() >= 20, "SUMMARY.md lists the chapters: {pages:?}");
    for page in &pages {
        assert!(build.join(page).is_file(), "{page} was built");
        let response = served.get(&format!("/{page}"));
        assert_eq!(response.status, 200, "GET /{page}");
        assert_eq!(response.header("content-type").as_deref(), Some("text/html; charset=utf-8"));
        let html = response.text();
        assert!(html.contains(LIVE_RELOAD), "/{page} has the live-reload script");
        assert!(html.contains("/__lab/version"), "/{page} polls the version");
        // The admonish blocks were turned into callouts, in-process.
        assert!(!html.contains("```admonish"), "/{page} has a raw admonish block");
        assert!(!html.contains("{{#include"), "/{page} has an unexpanded include");
    }
    let first_exercise = served.get("/introduction/first-handler.html").text();
    assert!(first_exercise.contains(r#"class="admonition admonish-"#), "callouts are rendered");
    assert!(first_exercise.contains("book/theme/mdbook-admonish.css"), "the callouts' stylesheet is linked");

    let css = served.get("/book/theme/mdbook-admonish.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type").as_deref(), Some("text/css; charset=utf-8"));
    assert!(css.text().contains(".admonition"));
    assert!(!css.text().contains(LIVE_RELOAD), "only HTML pages get the script");

    let index = served.get("/");
    assert_eq!(index.status, 200);
    assert!(index.text().contains(LIVE_RELOAD));
    let folder = served.get("/setup");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location").as_deref(), Some("/setup/"));
    assert_eq!(served.get("/setup/").status, 200);

    for (path, kind) in [
        ("/searchindex.js", "text/javascript; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/favicon.png", "image/png"),
    ] {
        let response = served.get(path);
        assert_eq!(response.status, 200, "GET {path}");
        assert_eq!(response.header("content-type").as_deref(), Some(kind), "GET {path}");
    }

    let head = request(served.port, "HEAD", "/introduction/first-handler.html");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert!(head.header("content-length").unwrap().parse::<usize>().unwrap() > 1000);
    let post = request(served.port, "POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow").as_deref(), Some("GET, HEAD"));

    let missing = served.get("/introduction/no-such-page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains(LIVE_RELOAD));

    for climb in [
        "/../book.toml",
        "/../../etc/passwd",
        "/introduction/../../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E%2Fbook.toml",
        "/..%5cbook.toml",
    ] {
        let response = served.get(climb);
        assert_eq!(response.status, 403, "GET {climb} is refused");
        assert!(!response.text().contains("[preprocessor.admonish]"), "GET {climb} leaked book.toml");
    }

    // The print page holds the whole book, every page once, in SUMMARY order:
    // each page's title heading is found after the previous page's.
    let print = std::fs::read_to_string(build.join("print.html")).unwrap();
    let mut after = 0;
    for page in &pages {
        let html = std::fs::read_to_string(build.join(page)).unwrap();
        let title = html
            .split("<h1 id=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{page} has no title heading"));
        let marker = format!("<h1 id=\"{title}\"");
        let at = print[after..]
            .find(&marker)
            .unwrap_or_else(|| panic!("print.html lacks {page} (heading {title}) after the page before it"));
        after += at + marker.len();
    }

    let broken = broken_anchors(&build, &pages);
    assert!(broken.is_empty(), "links to anchors that are not on the page:\n{}", broken.join("\n"));

    let version = served.version();
    assert!(version.parse::<u64>().is_ok(), "the version is a counter: {version}");
    assert!(served.stderr().is_empty(), "no warnings or errors: {}", served.stderr());
}

#[test]
fn a_saved_page_is_rebuilt_and_the_version_changes() {
    let copy = book_copy();
    let served = Served::start(copy.path());
    let before = served.version();
    assert_eq!(served.version(), before, "the version holds still without changes");

    let page = copy.path().join("book/introduction/first-handler.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("# Exercise 01: a first handler", "# Exercise 01: a first handler, edited", 1))
        .unwrap();

    served.wait_for_line("Rebuilt the book", Duration::from_secs(30));
    let after = served.version();
    assert_ne!(after, before, "the version changes after a rebuild");
    assert!(after.parse::<u64>().unwrap() > before.parse::<u64>().unwrap());
    let html = served.get("/introduction/first-handler.html").text();
    assert!(html.contains("a first handler, edited"), "the new text is served");

    // A change to the built output itself is not a change to the sources.
    std::fs::write(copy.path().join("book/build/extra.html"), "<p>x</p>").unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(served.version(), after, "writing into book/build does not trigger a rebuild");
    assert!(served.stderr().is_empty(), "{}", served.stderr());
}

#[test]
fn a_broken_page_is_one_line_and_the_last_good_build_stays_served() {
    let copy = book_copy();
    let served = Served::start(copy.path());
    let before = served.version();
    let summary = copy.path().join("book/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, format!("{text}\n- [Gone](introduction/gone.md)\n")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !served.stderr().contains("gone.md") {
        assert!(Instant::now() < deadline, "no error for the missing page: {}", served.stderr());
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(served.stderr().starts_with("error: "), "{}", served.stderr());
    assert_eq!(served.version(), before, "a failed build does not reload the pages");
    assert_eq!(served.get("/introduction/first-handler.html").status, 200);
}

#[test]
fn a_page_missing_from_the_book_is_a_clear_error() {
    let copy = book_copy();
    let summary = copy.path().join("book/SUMMARY.md");
    let text = std::fs::read_to_string(&summary).unwrap();
    std::fs::write(&summary, text.replace("introduction/first-handler.md", "introduction/first-handlr.md")).unwrap();
    let error = failing_book(copy.path(), &["--port", "0"]);
    assert!(error.starts_with("error: "), "{error}");
    assert!(error.contains("introduction/first-handlr.md"), "{error}");
}

#[test]
fn a_broken_include_is_a_clear_error() {
    let copy = book_copy();
    let page = copy.path().join("book/handlers/init-once.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n```python\n{{{{#include ../../exercises/04-init-once/handlr.py}}}}\n```\n"))
        .unwrap();
    let error = failing_book(copy.path(), &["--port", "0"]);
    assert!(error.contains("book/handlers/init-once.md"), "{error}");
    assert!(error.contains("handlr.py"), "{error}");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let error = failing_book(Path::new(REPO), &["--port", &port.to_string()]);
    assert!(error.contains(&format!("port {port} is in use")), "{error}");
    assert!(error.contains(&format!("cargo lab book --port {}", port + 1)), "{error}");
}

#[test]
fn outside_the_workshop_is_a_clear_error() {
    let elsewhere = tempfile::tempdir().unwrap();
    let error = failing_book(elsewhere.path(), &[]);
    assert!(error.contains("not inside the workshop's folder"), "{error}");
}

/// The book in a real browser: headless Chromium (Debian's `chromium`, or
/// the program named by `CHROMIUM`) renders the first chapter and an
/// exercise page, finds a term with the search box, and prints the whole
/// book to a PDF. Screenshots are left in target/book-screenshots/ for a
/// person to look at. Ignored by a plain `cargo test` because it needs a
/// browser; CI installs one and runs it with `-- --ignored`.
#[test]
#[ignore = "needs headless Chromium; CI runs it"]
fn the_book_renders_searches_and_prints_in_a_browser() {
    let browser = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_string());
    let copy = book_copy();
    let served = Served::start(copy.path());
    let url = |path: &str| format!("http://127.0.0.1:{}/{path}", served.port);
    let chromium = |args: &[&str]| -> String {
        let output = Command::new(&browser)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1000"])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("could not run {browser} (set CHROMIUM to the browser's path): {e}"));
        assert!(output.status.success(), "{browser} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };

    // The pages after the browser ran their scripts: the title, the
    // callouts and the sidebar are there.
    for (page, title) in [
        ("introduction.html", "What Lambda is and how this book works"),
        ("introduction/first-handler.html", "Exercise 01"),
    ] {
        let dom = chromium(&["--virtual-time-budget=3000", "--dump-dom", &url(page)]);
        assert!(dom.contains(title), "{page} shows its title");
        assert!(dom.contains("class=\"chapter\""), "{page} has the table of contents");
        assert!(!dom.contains("```"), "{page} has no raw fenced block");
        if page.ends_with("first-handler.html") {
            assert!(dom.contains("admonition"), "the exercise page's callouts are rendered");
        }
    }

    let shots = Path::new(REPO).join("target/book-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (page, name) in
        [("introduction.html", "first-chapter.png"), ("introduction/first-handler.html", "exercise-page.png")]
    {
        let file = shots.join(name);
        let _ = std::fs::remove_file(&file);
        chromium(&["--virtual-time-budget=3000", &format!("--screenshot={}", file.display()), &url(page)]);
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        assert!(size > 50_000, "{name} is {size} bytes: a blank page?");
    }

    // The search box: mdBook opens it with ?search= and lists the hits.
    let dom = chromium(&["--virtual-time-budget=5000", "--dump-dom", &url("index.html?search=cold%20start")]);
    let results = dom.split("id=\"searchresults\"").nth(1).unwrap_or_default();
    assert!(
        results.contains("handlers/index.html"),
        "searching 'cold start' finds the handlers chapter: {}",
        &results[..results.len().min(500)]
    );

    // Printing: the print page becomes one PDF of the whole book.
    let pdf = shots.join("book.pdf");
    let _ = std::fs::remove_file(&pdf);
    chromium(&["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display()), &url("print.html")]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "a PDF was written");
    let pages = bytes.windows(11).filter(|w| w.starts_with(b"/Type /Page") && w[10] != b's').count();
    assert!(pages > 100, "the PDF has {pages} pages; the whole book has well over 100");
}

/// The Run buttons, in headless Chromium driven by puppeteer-core
/// (`tests/browser/run-examples.mjs`; `npm ci` in tests/browser installs
/// it) over the book `lab book` serves from this repository, offline: Pyodide
/// comes from `.lab/pyodide` (`cargo lab setup` fetches it). Every runnable
/// block of the book is pressed and must show the output its page shows; a page only read loads no Python; warm and cold starts, a timeout
/// and an exercise panel behave as on Lambda. Then a set of handlers runs
/// both in the browser and through the harness (`cargo lab invoke`'s
/// platform), and their log lines and responses must agree line for line
/// once ids, times and figures are masked. Screenshots are left in
/// target/book-screenshots/ to be looked at.
#[test]
#[ignore = "needs headless Chromium, Node with tests/browser's packages, and Pyodide; CI runs it"]
fn the_run_buttons_give_the_pages_outputs_and_lambdas_logs_in_a_browser() {
    let repo = Path::new(REPO);
    assert!(
        repo.join("tests/browser/node_modules/puppeteer-core").is_dir(),
        "run `npm ci --ignore-scripts` in tests/browser first"
    );
    let served = Served::start(repo);
    // Pyodide's files come from .lab/pyodide, with the types a browser needs.
    let wasm = served.get("/pyodide/pyodide.asm.wasm");
    assert_eq!(wasm.status, 200, "Pyodide is served (run `cargo lab setup` to fetch it)");
    assert_eq!(wasm.header("Content-Type").as_deref(), Some("application/wasm"));
    assert_eq!(served.get("/pyodide/console.html").status, 404, "only the files a page loads are served");
    assert_eq!(served.get("/pyodide/../Cargo.toml").status, 403);

    let shots = repo.join("target/book-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let cases = parity_cases();
    let cases_file = tempfile::NamedTempFile::new().unwrap();
    let listed: Vec<_> = cases
        .iter()
        .map(|(name, code, event)| serde_json::json!({"name": name, "code": code, "event": event}))
        .collect();
    std::fs::write(cases_file.path(), serde_json::Value::Array(listed).to_string()).unwrap();
    let output = Command::new("node")
        .arg(repo.join("tests/browser/run-examples.mjs"))
        .arg(format!("http://127.0.0.1:{}/", served.port))
        .args(pages_with_runnable_examples())
        .arg("--cases")
        .arg(cases_file.path())
        .arg("--shots")
        .arg(&shots)
        .output()
        .expect("node runs (Node 20 or later)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!("the browser test printed no report ({e}):\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr))
    });
    eprintln!("browser timings: {}", report["timings"]);
    let failures: Vec<&str> = report["failures"].as_array().unwrap().iter().filter_map(|f| f.as_str()).collect();
    assert!(failures.is_empty(), "In the browser:\n\n{}", failures.join("\n\n"));

    let mut differences = Vec::new();
    for (name, code, event) in &cases {
        let browser = &report["cases"][name];
        let (lines, response) = harness_run(code, event);
        let shown: Vec<String> = browser["lines"]
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|l| masked(l.as_str().unwrap_or("")))
            .collect();
        let browser_response = masked(browser["body"].as_str().unwrap_or("<no body>"));
        if shown != lines || browser_response != response {
            differences.push(format!(
                "{name}:\n  harness:  {response}\n{}\n  browser:  {browser_response}\n{}",
                lines.join("\n"),
                shown.join("\n")
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "The browser's platform differs from the harness's:\n\n{}",
        differences.join("\n\n")
    );
}

/// The built pages that hold a `python,invoke` block, the handlers
/// chapter first (the warm, edited and timed-out runs happen on its first
/// block).
fn pages_with_runnable_examples() -> Vec<String> {
    fn walk(dir: &Path, book: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "build") {
                walk(&path, book, found);
            } else if path.extension().is_some_and(|e| e == "md")
                && std::fs::read_to_string(&path).unwrap().contains("```python,invoke")
            {
                let page = path.strip_prefix(book).unwrap().with_extension("html");
                found.push(page.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let book = Path::new(REPO).join("book");
    let mut found = Vec::new();
    walk(&book, &book, &mut found);
    found.sort_by_key(|page| (page != "handlers/index.html", page.clone()));
    assert!(found.len() >= 10, "the book's runnable examples are on {} pages", found.len());
    found
}

/// Handlers run both ways: what each outcome looks like to the caller and in the log.
fn parity_cases() -> Vec<(String, String, String)> {
    let case = |name: &str, code: &str, event: &str| (name.to_string(), code.to_string(), event.to_string());
    vec![
        case(
            "logs",
            "import logging\nlogger = logging.getLogger()\nlogger.setLevel(\"INFO\")\nprint(\"init line\")\n\ndef lambda_handler(event, context):\n    print(\"hello\", event[\"name\"])\n    logger.info(\"logged %s\", event)\n    logger.warning(\"careful\")\n    return {\"statusCode\": 200, \"body\": \"hi \" + event[\"name\"], \"price\": 12.50}\n",
            "{\"name\": \"Ada\"}",
        ),
        case(
            "raises",
            "class Declined(Exception):\n    pass\n\ndef lambda_handler(event, context):\n    raise Declined(\"card ending 4242 was declined\")\n",
            "{}",
        ),
        case("exits", "import sys\n\ndef lambda_handler(event, context):\n    print(\"bye\")\n    sys.exit(3)\n", "{}"),
        case("import-error", "import not_a_module\n\ndef lambda_handler(event, context):\n    return 1\n", "{}"),
        case("syntax-error", "def lambda_handler(event, context)\n    return 1\n", "{}"),
        case("no-handler", "def handler(event, context):\n    return 1\n", "{}"),
        case(
            "unmarshal",
            "from decimal import Decimal\n\ndef lambda_handler(event, context):\n    return {\"tags\": {\"a\"}}\n",
            "{}",
        ),
        case(
            "context",
            "def lambda_handler(event, context):\n    return [context.function_name, context.memory_limit_in_mb, context.invoked_function_arn, context.get_remaining_time_in_millis() > 2000]\n",
            "[1, 2]",
        ),
        // Ended by the page at the timeout (3 s) in the browser, by the harness's thread here.
        case(
            "timeout",
            "import time\n\ndef lambda_handler(event, context):\n    print(\"waiting\")\n    time.sleep(5)\n",
            "{}",
        ),
        // Init past its 10 s, then the retry in the invoke phase past the 3 s timeout.
        case(
            "init-timeout",
            "print(\"loading\")\nwhile True:\n    pass\n\ndef lambda_handler(event, context):\n    return 1\n",
            "{}",
        ),
        case(
            "unicode",
            "def lambda_handler(event, context):\n    return {\"city\": \"Zürich\", \"echo\": event}\n",
            "\"ünïcode\"",
        ),
    ]
}

/// The harness's run of `code` as /…/handler.py: the log lines and the
/// response (or error payload), masked.
fn harness_run(code: &str, event: &str) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let handler = dir.path().join("handler.py");
    std::fs::write(&handler, code).unwrap();
    let mut config = harness::FunctionConfig::from_file(&handler, "lambda_handler");
    config.runtime = Some("python3.14".into());
    let function = harness::Function::new(config).unwrap();
    let invocation = function.invoke(&serde_json::from_str::<serde_json::Value>(event).unwrap());
    let folder = dir.path().to_string_lossy().into_owned();
    let fix = |text: &str| masked(&text.replace(&folder, "/var/task"));
    let response = match &invocation.outcome {
        harness::Outcome::Returned { payload, .. } => fix(&String::from_utf8_lossy(payload)),
        harness::Outcome::Failed(error) => fix(&error.text),
    };
    (invocation.logs.iter().map(|line| fix(line)).collect(), response)
}

/// Ids, clocks and measured figures masked, so two runs can be compared.
fn masked(text: &str) -> String {
    use regex_lite::Regex;
    let rules = [
        (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>"),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", "<time>"),
        (r"(Duration|Billed Duration|Init Duration): [0-9.]+ ms", "$1: <ms>"),
        (r"Max Memory Used: \d+ MB", "Max Memory Used: <mb>"),
    ];
    let mut text = text.to_string();
    for (pattern, replacement) in rules {
        text = Regex::new(pattern).unwrap().replace_all(&text, replacement).into_owned();
    }
    text
}
