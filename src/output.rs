//! The CLI's own standard output, kept apart from the handler's, and
//! printing that survives a reader who stops reading.
//!
//! A handler's `print` goes into its log, but a write straight to file
//! descriptor 1 (`os.write(1, ...)`, a C extension, a child process) would land
//! in the middle of the CLI's output and break `--json` for whatever reads it.
//! So the CLI keeps a private copy of standard output for itself and points
//! descriptor 1 at standard error, where such output stays visible.
//!
//! `cargo lab reset 01 | head -1` closes the pipe after one line. Rust's own
//! `println!` panics on the next write ("failed printing to stdout: Broken
//! pipe"), which stops the command halfway: a reset that had kept the
//! learner's files but not yet put the starter back. `main.rs` therefore
//! replaces `println!`, `print!`, `eprintln!` and `eprint!` for the whole
//! crate with macros that write through [`print_out`] and [`print_err`]: once
//! the reader has gone, the rest of the output is dropped and the command
//! finishes its work and exits as it would have. (Setting SIGPIPE back to its
//! default would end the process at that write instead, in the middle of
//! whatever it was doing, and would also kill the long-running workshop when
//! embedded Python or a child's pipe hits a closed pipe.)

use std::fs::File;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether standard output's (standard error's) reader has gone away.
static STDOUT_GONE: AtomicBool = AtomicBool::new(false);
static STDERR_GONE: AtomicBool = AtomicBool::new(false);

/// Write to standard output, as `print!` does, but drop the text quietly once
/// the reader has gone away (a closed pipe).
pub(crate) fn print_out(text: std::fmt::Arguments<'_>) {
    write_unless_gone(std::io::stdout().lock(), text, &STDOUT_GONE, "stdout");
}

/// The same for standard error (`cargo lab invoke ... 2>&1 | head`).
pub(crate) fn print_err(text: std::fmt::Arguments<'_>) {
    write_unless_gone(std::io::stderr().lock(), text, &STDERR_GONE, "stderr");
}

fn write_unless_gone(mut stream: impl Write, text: std::fmt::Arguments<'_>, gone: &AtomicBool, name: &str) {
    if gone.load(Ordering::Relaxed) {
        return;
    }
    match stream.write_fmt(text) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => gone.store(true, Ordering::Relaxed),
        // Anything else (a full disk behind `> file`) is a real failure to
        // say: std's own macros panic with the same words.
        Err(e) => panic!("failed printing to {name}: {e}"),
    }
}

/// Take standard output for the CLI's own use; from now on, anything else
/// written to descriptor 1 goes to standard error.
#[allow(unsafe_code)] // the SAFETY comment is at the block
#[cfg(unix)]
pub(crate) fn claim_stdout() -> std::io::BufWriter<File> {
    use std::os::fd::FromRawFd;
    let _ = std::io::stdout().flush();
    // SAFETY: plain descriptor calls on descriptors this process owns; the
    // duplicate is handed to a File that owns it from here on.
    let file = unsafe {
        let private = libc::dup(1);
        if private < 0 {
            return std::io::BufWriter::new(File::from_raw_fd(libc::dup(1).max(1)));
        }
        libc::dup2(2, 1);
        File::from_raw_fd(private)
    };
    std::io::BufWriter::new(file)
}

#[cfg(not(unix))]
pub(crate) fn claim_stdout() -> std::io::Stdout {
    std::io::stdout()
}
