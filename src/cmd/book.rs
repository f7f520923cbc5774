//! `cargo lab book`: the book alone, without the workshop's watch loop. It
//! is built, served on the loopback interface and rebuilt whenever its
//! sources change (open pages reload), until Ctrl-C; `--open` opens it in a
//! browser. `--build DIR` instead writes the site as it is published (the
//! versions of mdBook and mdbook-admonish in Cargo.lock) and exits: 0 when
//! it built, 1 when the book has a problem (each named by page and line),
//! 2 when the command itself is wrong.

use crate::book::BuildError;
use crate::error::CliError;

#[derive(clap::Args)]
pub(crate) struct BookArgs {
    /// The port to serve the book on (loopback only).
    #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
    port: u16,
    /// Open the book in a browser.
    #[arg(long)]
    open: bool,
    /// Build the whole site into DIR (as published: HTML, search index,
    /// print page, 404 page) and exit, instead of serving it.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["open", "port"])]
    build: Option<std::path::PathBuf>,
}

/// `cargo lab book`: build the book, serve it on the loopback interface and
/// rebuild it (pages reload) whenever its sources change, until Ctrl-C.
pub(crate) fn run(args: BookArgs) -> Result<(), CliError> {
    let here = std::env::current_dir().unwrap_or_default();
    let root = harness::exercise::workspace_root(&here).ok_or_else(|| {
        CliError::usage("this is not inside the workshop's folder; cd into your clone of the book's repository first")
    })?;
    if let Some(dest) = args.build {
        return build_site(&root, &dest);
    }
    crate::cmd::setup::prepare_pyodide(&root);
    let on_rebuild = |result: Result<std::time::Duration, String>| match result {
        Ok(took) => println!("Rebuilt the book in {:.1} s; open pages reload.", took.as_secs_f64()),
        Err(message) => eprintln!("error: {message} (still serving the last good build)"),
    };
    let (server, took) =
        crate::book::serve_live(&root, args.port, "cargo lab book", on_rebuild).map_err(CliError::Usage)?;
    println!("Built the book in {:.1} s.", took.as_secs_f64());
    println!("The book is at {}", server.url());
    println!("Pages reload when you save a file under book/. Ctrl-C to stop.");
    if args.open {
        if let Err(note) = crate::serve::open_in_browser(&server.url()) {
            println!("note: {note}");
        }
    }
    loop {
        std::thread::park();
    }
}

/// `cargo lab book --build DIR`: the site, checked, in DIR. A folder that
/// must not be built into is a usage error (2); a problem in the book is a
/// failed build (1), listed page by page.
fn build_site(root: &std::path::Path, dest: &std::path::Path) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let built = match crate::book::build_site(root, dest) {
        Ok(built) => built,
        Err(BuildError::Destination(message)) => return Err(CliError::Usage(message)),
        Err(BuildError::Book(message)) => return Err(CliError::Failed(message)),
    };
    println!("Built the book in {:.1} s into {}", started.elapsed().as_secs_f64(), built.display());
    Ok(())
}
