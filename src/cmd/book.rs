//! `cargo lab book`: the book alone, without the workshop's watch loop. It
//! is built, served on the loopback interface and rebuilt whenever its
//! sources change (open pages reload), until Ctrl-C; `--open` opens it in a
//! browser.

use crate::error::CliError;

#[derive(clap::Args)]
pub(crate) struct BookArgs {
    /// The port to serve the book on (loopback only).
    #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
    port: u16,
    /// Open the book in a browser.
    #[arg(long)]
    open: bool,
}

/// `cargo lab book`: build the book, serve it on the loopback interface and
/// rebuild it (pages reload) whenever its sources change, until Ctrl-C.
pub(crate) fn run(args: BookArgs) -> Result<(), CliError> {
    let here = std::env::current_dir().unwrap_or_default();
    let root = harness::exercise::workspace_root(&here).ok_or_else(|| {
        CliError::usage("this is not inside the workshop's folder; cd into your clone of the book's repository first")
    })?;
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
