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
    let mut config = load_config(root)?;

    // Keep mdBook from spawning `mdbook-admonish`: it is registered below.
    let admonish =
        config.get_mut("preprocessor").and_then(|table| table.as_table_mut()).and_then(|table| table.remove(ADMONISH));

    if !config.build.create_missing {
        check_summary(root, &config)?;
    }
    let mut book =
        MDBook::load_with_config(root, config).map_err(|e| format!("the book did not load: {}", one_line(&e)))?;
    check_includes(&book)?;

    if let Some(table) = admonish {
        book.config
            .set(format!("preprocessor.{ADMONISH}"), table)
            .map_err(|e| format!("book.toml: [preprocessor.{ADMONISH}]: {}", one_line(&e)))?;
        let src = PathBuf::from(&book.config.book.src);
        book.with_preprocessor(Located { inner: mdbook_admonish::Admonish, src });
    }

    book.build().map_err(|e| format!("the book did not build: {}", one_line(&e)))?;
    Ok(book.build_dir_for("html"))
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
    let server = Arc::new(serve::start(&build_dir, port, command)?);
    let started = Instant::now();
    build(root)?;
    let took = started.elapsed();
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

/// mdBook only logs an `{{#include}}` (or `{{#rustdoc_include}}`,
/// `{{#playground}}`) of a file that cannot be read, and leaves the directive
/// in the page; here it is an error naming the page and the file.
fn check_includes(book: &MDBook) -> Result<(), String> {
    let src = book.root.join(&book.config.book.src);
    for item in book.iter() {
        let BookItem::Chapter(chapter) = item else { continue };
        let Some(page) = &chapter.source_path else { continue };
        let folder = src.join(page).parent().map(Path::to_path_buf).unwrap_or_else(|| src.clone());
        for target in include_targets(&chapter.content) {
            let file = folder.join(&target);
            if !file.is_file() {
                let shown = normalize(file.strip_prefix(&book.root).unwrap_or(&file));
                return Err(format!(
                    "the book did not build: {} includes {target}, but {} does not exist",
                    Path::new(&book.config.book.src).join(page).display(),
                    shown.display(),
                ));
            }
        }
    }
    Ok(())
}

/// The files named by the include-like directives of a page, as written
/// (without `:anchor` or `:line` suffixes); escaped ones (`\{{#include}}`)
/// are not directives.
fn include_targets(content: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut rest = content;
    while let Some(start) = rest.find("{{#") {
        let escaped = rest[..start].ends_with('\\');
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let directive = &after[..end];
        rest = &after[end..];
        if escaped {
            continue;
        }
        let mut words = directive.split_whitespace();
        let (Some(kind), Some(path)) = (words.next(), words.next()) else { continue };
        if !matches!(kind, "include" | "rustdoc_include" | "playground" | "playpen") {
            continue;
        }
        let path = path.split(':').next().unwrap_or(path);
        targets.push(path.to_string());
    }
    targets
}

/// An mdBook error and its causes on one line, without repeated whitespace.
fn one_line(error: &mdbook::errors::Error) -> String {
    format!("{error:#}").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::include_targets;

    #[test]
    fn finds_include_directives() {
        let page = "a {{#include ../x.py:anchor}} b \\{{#include no.py}} {{#title T}} {{#playground p.rs editable}}";
        assert_eq!(include_targets(page), ["../x.py", "p.rs"]);
    }
}
