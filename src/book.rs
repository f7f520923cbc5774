//! Building the book in-process, with mdBook 0.4.52 and mdbook-admonish 1.20
//! as libraries, so that reading the book needs no global install.
//!
//! `book.toml` stays the one configuration, and a stock `mdbook build` (with
//! `mdbook-admonish` installed) reads it too. It names the admonish
//! preprocessor as a command; mdBook would spawn `mdbook-admonish` for it, so
//! [`build`] takes that table out of the configuration while mdBook picks its
//! preprocessors, registers `mdbook_admonish::Admonish` in code instead, and
//! puts the table back for the preprocessor to read its settings from. The
//! in-code preprocessor runs after mdBook's own (`index`, `links`), the order
//! that `after = ["links"]` in `book.toml` gives the stock tools.
//!
//! Two builds share that: [`build`], for the local server, into `book/build`
//! with `site-url` set to `/` (it serves at the root), and [`build_site`],
//! the published site as `book.toml` says (`site-url` is the Pages
//! sub-path), into any folder. Before mdBook runs, every page is checked
//! for what mdBook would let through with a log line or not at all (a
//! missing include, a link to a missing page, an unknown callout kind), and
//! a failed build names each problem by page and line.

use crate::serve::{self, Server};
use mdbook::book::{Book, BookItem, MDBook, SummaryItem, parse_summary};
use mdbook::config::Config;
use mdbook::preprocess::{Preprocessor, PreprocessorContext};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The name of the admonish preprocessor's table in `book.toml`.
const ADMONISH: &str = "admonish";

/// Build the book whose `book.toml` is in `root` into its build folder
/// (`book/build`), and return that folder, which holds the HTML.
///
/// Every failure is one line saying what is wrong and where: a page named in
/// `SUMMARY.md` that does not exist, an `{{#include}}` of a missing file, a
/// malformed admonish block, a broken `book.toml`.
pub(crate) fn build(root: &Path) -> Result<PathBuf, String> {
    build_with(root, None, Some(SERVED_AT))
}

/// Where the local server serves the book: at the root of `127.0.0.1:port`,
/// whatever `site-url` says for the published site (a sub-path on GitHub
/// Pages). Only `404.html` uses the setting, for its `<base href>`.
const SERVED_AT: &str = "/";

/// Build the whole static site of the book whose `book.toml` is in `root`
/// into `dest` (HTML, search index, print page, 404 page, assets), exactly
/// as it is published: `book.toml`'s own `site-url`. `dest` must be new, empty
/// or an earlier build (mdBook empties it first), and not hold the book.
///
/// Fails, naming page and line, on a broken relative link between pages,
/// an `{{#include}}` of a missing file or an unknown admonish block, besides
/// everything [`build`] refuses; and, once built, on a link to a part of a
/// page (`page.md#part`) that no element of that page has as its id.
pub(crate) fn build_site(root: &Path, dest: &Path) -> Result<PathBuf, BuildError> {
    check_destination(root, dest).map_err(BuildError::Destination)?;
    build_with(root, Some(dest), None).map_err(BuildError::Book)
}

/// Why [`build_site`] did not build.
#[derive(Debug)]
pub(crate) enum BuildError {
    /// The folder to build into is one the build must not empty.
    Destination(String),
    /// The book has problems (one per line after the first) or did not load.
    Book(String),
}

/// `dest` may be emptied by mdBook: refuse the book's own folders, any
/// folder that holds them, and a folder of other files.
fn check_destination(root: &Path, dest: &Path) -> Result<(), String> {
    let absolute =
        |path: &Path| std::path::absolute(path).map(|p| normalize(&p)).unwrap_or_else(|_| path.to_path_buf());
    let (root_abs, dest_abs) = (absolute(root), absolute(dest));
    let src = root_abs.join(load_config(root)?.book.src);
    if root_abs.starts_with(&dest_abs) || src.starts_with(&dest_abs) || dest_abs.starts_with(&src) {
        return Err(format!(
            "{} holds the book's sources (or is inside them); build into a new folder, e.g. --build site/",
            dest.display()
        ));
    }
    if dest.exists() && !dest.is_dir() {
        return Err(format!("{} is a file; build into a new folder, e.g. --build site/", dest.display()));
    }
    let earlier_build = dest.join("searchindex.js").is_file() || dest.join("index.html").is_file();
    let empty = std::fs::read_dir(dest).map(|mut entries| entries.next().is_none()).unwrap_or(true);
    if !empty && !earlier_build {
        return Err(format!(
            "{} already holds files that are not a built book, and the build would delete them; \
             choose a new or empty folder",
            dest.display()
        ));
    }
    Ok(())
}

/// The one build: into `dest` if given, else the build folder `book.toml`
/// names; with `site_url` in place of `book.toml`'s if given.
fn build_with(root: &Path, dest: Option<&Path>, site_url: Option<&str>) -> Result<PathBuf, String> {
    let mut config = load_config(root)?;
    // mdBook copies every file of the sources onto the site but its current
    // build folder; `book/build`, where the local server builds, is inside
    // the sources, so a build elsewhere would publish a stale copy of it.
    let serve_build = Path::new(&config.build.build_dir).strip_prefix(&config.book.src).ok().map(Path::to_path_buf);
    if let Some(dest) = dest {
        config.build.build_dir = std::path::absolute(dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    if let Some(url) = site_url {
        config.set("output.html.site-url", url).map_err(|e| format!("book.toml: site-url: {}", one_line(&e)))?;
    }

    // Keep mdBook from spawning `mdbook-admonish`: it is registered below.
    let admonish =
        config.get_mut("preprocessor").and_then(|table| table.as_table_mut()).and_then(|table| table.remove(ADMONISH));

    if !config.build.create_missing {
        check_summary(root, &config)?;
    }
    let mut book =
        MDBook::load_with_config(root, config).map_err(|e| format!("the book did not load: {}", one_line(&e)))?;
    let custom: Vec<String> = admonish
        .as_ref()
        .and_then(|table| table.get("custom"))
        .and_then(|custom| custom.as_array())
        .into_iter()
        .flatten()
        .filter_map(|kind| kind.get("directive").and_then(|d| d.as_str()).map(str::to_string))
        .collect();
    check_pages(&book, &custom)?;

    if let Some(table) = admonish {
        book.config
            .set(format!("preprocessor.{ADMONISH}"), table)
            .map_err(|e| format!("book.toml: [preprocessor.{ADMONISH}]: {}", one_line(&e)))?;
        let src = PathBuf::from(&book.config.book.src);
        book.with_preprocessor(Located { inner: mdbook_admonish::Admonish, src });
    }

    book.build().map_err(|e| format!("the book did not build: {}", one_line(&e)))?;
    let built = book.build_dir_for("html");
    if dest.is_some() {
        if let Some(stale) = serve_build.filter(|p| !p.as_os_str().is_empty()) {
            let stale = built.join(stale);
            if stale.is_dir() {
                std::fs::remove_dir_all(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
            }
        }
        // A site with a link to a part of a page that is not there is not
        // published: the build fails (its pages stay in `dest`).
        check_anchors(&book, &built)?;
    }
    // The Run buttons' runtime client and exercises; a published site also
    // carries Pyodide (fetched once into .lab/pyodide), which the local
    // server serves from there instead.
    let pyodide = match dest {
        Some(_) if root.join(crate::pyodide::LOCK_FILE).is_file() => {
            let dir = crate::pyodide::ensure(root, &mut |line| eprintln!("  {line}"))?;
            crate::book_runner::copy_pyodide(&dir, &built)?;
            Some(dir)
        }
        Some(_) => {
            eprintln!("note: no {} here, so the site's Run buttons say Python is missing", crate::pyodide::LOCK_FILE);
            None
        }
        None => crate::pyodide::ready(root),
    };
    crate::book_runner::write_assets(root, &built, pyodide.as_deref())?;
    Ok(built)
}

/// Serve the book live on `127.0.0.1:port`: take the port (a port in use is
/// an error naming `command --port N` as the way out), build the book,
/// serve it, and from then on rebuild it whenever its sources change,
/// telling open pages to reload. `on_rebuild` hears of each rebuild: how long
/// it took, or its one-line error (the last good build stays served).
/// Returns the server with how long the first build took; the watching
/// thread runs as long as the process.
pub(crate) fn serve_live<F>(
    root: &Path,
    port: u16,
    command: &str,
    mut on_rebuild: F,
) -> Result<(Arc<Server>, Duration), String>
where
    F: FnMut(Result<Duration, String>) + Send + 'static,
{
    let build_dir = build_dir(root)?;
    let server = Arc::new(serve::start(&build_dir, port, command, Some(root), true)?);
    let started = Instant::now();
    build(root)?;
    let took = started.elapsed();
    server.built();
    let watched = Arc::clone(&server);
    let book_root = root.to_path_buf();
    serve::watch_book_sources(root, move || {
        let started = Instant::now();
        match build(&book_root) {
            Ok(_) => {
                watched.bump();
                on_rebuild(Ok(started.elapsed()));
            }
            Err(message) => on_rebuild(Err(message)),
        }
    })?;
    Ok((server, took))
}

/// The HTML build folder `book.toml` names, without building.
pub(crate) fn build_dir(root: &Path) -> Result<PathBuf, String> {
    Ok(root.join(load_config(root)?.build.build_dir))
}

/// `book.toml`, with the `MDBOOK_*` environment variables applied, as
/// `mdbook build` reads it.
fn load_config(root: &Path) -> Result<Config, String> {
    let config_file = root.join("book.toml");
    if !config_file.is_file() {
        return Err(format!("there is no book.toml in {}", root.display()));
    }
    let mut config =
        Config::from_disk(&config_file).map_err(|e| format!("book.toml is not valid: {}", one_line(&e)))?;
    config.update_from_env();
    Ok(config)
}

/// Every page `SUMMARY.md` links to must exist (mdBook says only
/// "Chapter file not found"); the error names the entry and the file.
fn check_summary(root: &Path, config: &Config) -> Result<(), String> {
    let src = Path::new(&config.book.src);
    let summary_file = src.join("SUMMARY.md");
    let Ok(text) = std::fs::read_to_string(root.join(&summary_file)) else {
        return Err(format!("the book has no table of contents: {} is missing", summary_file.display()));
    };
    let summary =
        parse_summary(&text).map_err(|e| format!("{} is not valid: {}", summary_file.display(), one_line(&e)))?;
    fn links<'a>(items: &'a [SummaryItem], out: &mut Vec<&'a mdbook::book::Link>) {
        for item in items {
            if let SummaryItem::Link(link) = item {
                out.push(link);
                links(&link.nested_items, out);
            }
        }
    }
    let mut all = Vec::new();
    for part in [&summary.prefix_chapters, &summary.numbered_chapters, &summary.suffix_chapters] {
        links(part, &mut all);
    }
    for link in all {
        let Some(location) = &link.location else { continue };
        let page = normalize(&src.join(location));
        if !root.join(&page).is_file() {
            return Err(format!(
                "the book did not load: {} lists \"{}\" as {}, but {} does not exist",
                summary_file.display(),
                link.name,
                location.display(),
                page.display()
            ));
        }
    }
    Ok(())
}

/// The admonish preprocessor, with the page named in its errors (it only
/// quotes the block it could not read).
struct Located<P> {
    inner: P,
    src: PathBuf,
}

impl<P: Preprocessor> Preprocessor for Located<P> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> mdbook::errors::Result<Book> {
        let whole = self.inner.run(ctx, book.clone());
        let Err(error) = whole else { return whole };
        for item in book.iter() {
            let BookItem::Chapter(chapter) = item else { continue };
            let mut one = Book::new();
            let mut alone = chapter.clone();
            alone.sub_items.clear();
            one.push_item(alone);
            if self.inner.run(ctx, one).is_err() {
                let page = chapter.source_path.as_deref().map(|p| self.src.join(p));
                let page = page.as_deref().unwrap_or(Path::new(&chapter.name));
                return Err(error.context(format!("in {}", page.display())));
            }
        }
        Err(error)
    }

    fn supports_renderer(&self, renderer: &str) -> bool {
        self.inner.supports_renderer(renderer)
    }
}

/// A path with its `.` and `..` parts worked out, without the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// How many problems one failed build lists, so the message fits a screen.
const MAX_PROBLEMS: usize = 15;

/// The admonish directives mdbook-admonish 1.20 knows (an unknown one is
/// silently drawn as a note, so a typo would go unseen).
const ADMONISH_DIRECTIVES: &[&str] = &[
    "note",
    "abstract",
    "summary",
    "tldr",
    "info",
    "todo",
    "tip",
    "hint",
    "important",
    "success",
    "check",
    "done",
    "question",
    "help",
    "faq",
    "warning",
    "caution",
    "attention",
    "failure",
    "fail",
    "missing",
    "danger",
    "error",
    "bug",
    "example",
    "quote",
    "cite",
];

/// Check every page's source before mdBook sees it, and fail naming page
/// and line for each problem (up to [`MAX_PROBLEMS`]):
/// - an `{{#include}}` (or `{{#rustdoc_include}}`, `{{#playground}}`) of a
///   file that cannot be read: mdBook only logs it and leaves the directive
///   in the page;
/// - a relative link to a `.md` page that does not exist: mdBook writes it
///   as a link to an `.html` page that is not there;
/// - an admonish block of an unknown kind (` ```admonish tipp `), which
///   mdbook-admonish draws as a note; `custom` are the book's own kinds.
fn check_pages(book: &MDBook, custom: &[String]) -> Result<(), String> {
    let src = book.root.join(&book.config.book.src);
    let mut problems = Vec::new();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else { continue };
        let Some(page) = &chapter.source_path else { continue };
        let shown_page = Path::new(&book.config.book.src).join(page);
        let folder = src.join(page).parent().map(Path::to_path_buf).unwrap_or_else(|| src.clone());
        let text = &chapter.content;
        let mut found = Vec::new();
        let mut problem = |at: usize, what: String| found.push((line_of(text, at), what));
        for (at, target) in include_targets(text) {
            let file = folder.join(&target);
            if !file.is_file() {
                let shown = normalize(file.strip_prefix(&book.root).unwrap_or(&file));
                problem(at, format!("includes {target}, but {} does not exist", shown.display()));
            }
        }
        for (at, target) in page_links(text) {
            let file = folder.join(target.split('#').next().unwrap_or_default());
            if !file.is_file() {
                let shown = normalize(file.strip_prefix(&book.root).unwrap_or(&file));
                problem(at, format!("links to {target}, but {} does not exist", shown.display()));
            }
        }
        for (at, kind) in admonish_kinds(text) {
            if !ADMONISH_DIRECTIVES.contains(&kind.as_str()) && !custom.contains(&kind) {
                problem(
                    at,
                    format!(
                        "```admonish {kind}: there is no such kind of callout (note, tip, hint, warning, example, ...)"
                    ),
                );
            }
        }
        found.sort();
        problems.extend(found.into_iter().map(|(line, what)| format!("{}:{line}: {what}", shown_page.display())));
    }
    report(problems)
}

/// No problems, or one failed build that lists them, one a line (at most
/// [`MAX_PROBLEMS`]), so the message fits a screen.
fn report(problems: Vec<String>) -> Result<(), String> {
    match problems.len() {
        0 => Ok(()),
        1 => Err(format!("the book did not build: {}", problems[0])),
        n => {
            let mut message = format!("the book did not build: {n} problems");
            for problem in problems.iter().take(MAX_PROBLEMS) {
                message.push_str("\n  ");
                message.push_str(problem);
            }
            if n > MAX_PROBLEMS {
                message.push_str(&format!("\n  ... and {} more", n - MAX_PROBLEMS));
            }
            Err(message)
        }
    }
}

/// Every link to a part of a page (`page.md#part`, `#part`) must find an
/// element with that id in the page mdBook wrote, so mdBook's own rules for
/// heading ids are the ones checked (the same check as tests/book.rs).
fn check_anchors(book: &MDBook, built: &Path) -> Result<(), String> {
    let mut pages = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else { continue };
        let Some(page) = &chapter.source_path else { continue };
        let folder = page.parent().unwrap_or(Path::new(""));
        for (at, target) in anchor_links(&chapter.content) {
            let (file, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let source = if file.is_empty() { page.clone() } else { normalize(&folder.join(file)) };
            let html = built.join(source.with_extension("html"));
            let text = pages.entry(html.clone()).or_insert_with(|| std::fs::read_to_string(&html).unwrap_or_default());
            if !text.contains(&format!("id=\"{anchor}\"")) {
                problems.push(format!(
                    "{}:{}: links to {target}, but no heading of {} has the id {anchor}",
                    Path::new(&book.config.book.src).join(page).display(),
                    line_of(&chapter.content, at),
                    Path::new(&book.config.book.src).join(&source).display(),
                ));
            }
        }
    }
    report(problems)
}

/// The links of a page to a part of a page of the book, with their offsets:
/// `#part`, or `page.md#part` for a page that exists (a missing page is
/// [`check_pages`]'s to report).
fn anchor_links(content: &str) -> Vec<(usize, String)> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(at) = content[from..].find("](") {
        let start = from + at + 2;
        from = start;
        let Some(end) = content[start..].find(')') else { break };
        let target = &content[start..start + end];
        let Some((path, anchor)) = target.split_once('#') else { continue };
        let local = path.is_empty() || (path.ends_with(".md") && !path.contains("://"));
        if local && !anchor.is_empty() && !target.contains(char::is_whitespace) {
            links.push((start, target.to_string()));
        }
    }
    links
}

/// The 1-based line of the byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// The relative links of a page to other pages (`[text](../x/page.md#part)`),
/// with their offsets: the targets that are not a URL and whose path ends in
/// `.md`. The same rule as the book's link test (tests/book_code.rs).
fn page_links(content: &str) -> Vec<(usize, String)> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(at) = content[from..].find("](") {
        let start = from + at + 2;
        from = start;
        let Some(end) = content[start..].find(')') else { break };
        let target = &content[start..start + end];
        let path = target.split('#').next().unwrap_or_default();
        let external = target.contains("://") || target.starts_with("mailto:") || path.is_empty();
        if !external && path.ends_with(".md") && !path.contains(char::is_whitespace) {
            links.push((start, target.to_string()));
        }
    }
    links
}

/// The kind of every admonish block of a page (` ```admonish warning ` or
/// ` ```admonish type="warning" `; none written is a note), with offsets.
/// Blocks inside other fenced blocks are examples, not callouts; an
/// admonish block is a container, so blocks inside it are read.
fn admonish_kinds(content: &str) -> Vec<(usize, String)> {
    let mut kinds = Vec::new();
    // The fences (character, length) of the code block and of the admonish
    // block we are inside, if any.
    let mut code: Option<(char, usize)> = None;
    let mut callout: Option<(char, usize)> = None;
    let mut offset = 0;
    for line in content.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let Some(fence) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else { continue };
        let length = trimmed.chars().take_while(|c| *c == fence).count();
        if length < 3 {
            continue;
        }
        let info = trimmed[length..].trim();
        let closes = |open: Option<(char, usize)>| {
            open.is_some_and(|(open, open_length)| fence == open && length >= open_length && info.is_empty())
        };
        if code.is_some() {
            if closes(code) {
                code = None;
            }
            continue;
        }
        if closes(callout) {
            callout = None;
            continue;
        }
        let mut words = info.split_whitespace();
        if callout.is_some() || words.next() != Some("admonish") {
            code = Some((fence, length));
            continue;
        }
        callout = Some((fence, length));
        let rest: Vec<&str> = words.collect();
        let kind = match rest.first() {
            Some(word) if !word.contains('=') && !word.starts_with('{') => {
                word.split('.').next().unwrap_or_default().to_string()
            }
            _ => rest
                .iter()
                .find_map(|word| word.strip_prefix("type="))
                .map(|value| value.trim_matches(|c| c == '"' || c == '\'').to_string())
                .unwrap_or_else(|| "note".to_string()),
        };
        kinds.push((at + (line.len() - trimmed.len()), kind));
    }
    kinds
}

/// The files named by the include-like directives of a page, as written
/// (without `:anchor` or `:line` suffixes), with their offsets; escaped ones
/// (`\{{#include}}`) are not directives.
fn include_targets(content: &str) -> Vec<(usize, String)> {
    let mut targets = Vec::new();
    let mut from = 0;
    while let Some(found) = content[from..].find("{{#") {
        let start = from + found;
        let escaped = content[..start].ends_with('\\');
        let after = &content[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let directive = &after[..end];
        from = start + 3 + end;
        if escaped {
            continue;
        }
        let mut words = directive.split_whitespace();
        let (Some(kind), Some(path)) = (words.next(), words.next()) else { continue };
        if !matches!(kind, "include" | "rustdoc_include" | "playground" | "playpen") {
            continue;
        }
        let path = path.split(':').next().unwrap_or(path);
        targets.push((start, path.to_string()));
    }
    targets
}

/// An mdBook error and its causes on one line, without repeated whitespace.
fn one_line(error: &mdbook::errors::Error) -> String {
    format!("{error:#}").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{admonish_kinds, anchor_links, include_targets, line_of, page_links};

    fn found(pairs: Vec<(usize, String)>) -> Vec<String> {
        pairs.into_iter().map(|(_, found)| found).collect()
    }

    #[test]
    fn finds_include_directives() {
        let page = "a {{#include ../x.py:anchor}} b \\{{#include no.py}} {{#title T}} {{#playground p.rs editable}}";
        assert_eq!(found(include_targets(page)), ["../x.py", "p.rs"]);
        assert_eq!(include_targets(page)[0].0, 2);
    }

    #[test]
    fn finds_links_to_pages_and_their_lines() {
        let page = "# T\n[a](../a/b.md#x) [web](https://x.org/y.md) [here](#top) [img](pic.png)\n[c](c.md)";
        let links = page_links(page);
        assert_eq!(found(links.clone()), ["../a/b.md#x", "c.md"]);
        assert_eq!(line_of(page, links[0].0), 2);
        assert_eq!(line_of(page, links[1].0), 3);
    }

    #[test]
    fn finds_links_to_parts_of_pages() {
        let page = "[a](b.md#x) [b](#y) [c](c.md) [d](https://e.org/f.md#z) [e](#) [f](g.py#h)";
        assert_eq!(found(anchor_links(page)), ["b.md#x", "#y"]);
    }

    #[test]
    fn finds_admonish_kinds_but_not_in_examples() {
        let page = "```admonish tip title=\"T\"\nx\n```\n````markdown\n```admonish tipp\n```\n````\n\
                    ```admonish\n```\n~~~admonish type=\"warning\"\n~~~\n````admonish hint.wide\n```python\n```\n````\n";
        assert_eq!(found(admonish_kinds(page)), ["tip", "note", "warning", "hint"]);
    }
}
