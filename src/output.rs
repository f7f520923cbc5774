//! The CLI's own standard output, kept apart from the handler's.
//!
//! A handler's `print` goes into its log, but a write straight to file
//! descriptor 1 (`os.write(1, ...)`, a C extension, a child process) would land
//! in the middle of the CLI's output and break `--json` for whatever reads it.
//! So the CLI keeps a private copy of standard output for itself and points
//! descriptor 1 at standard error, where such output stays visible.

use std::fs::File;

/// Take standard output for the CLI's own use; from now on, anything else
/// written to descriptor 1 goes to standard error.
#[allow(unsafe_code)] // the SAFETY comment is at the block
#[cfg(unix)]
pub(crate) fn claim_stdout() -> std::io::BufWriter<File> {
    use std::io::Write;
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
