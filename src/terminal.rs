//! What the CLI does differently when a person is at a terminal: keys read
//! one at a time without Enter, colour for pass and fail, file paths a click
//! opens, a cleared screen before each verdict. Each falls back to plain
//! text when the output is a pipe or a file, and colour also when the
//! learner sets `NO_COLOR` (<https://no-color.org>) or the terminal is
//! `dumb`.
//!
//! Single keys use the terminal's "cbreak" setting (no line editing, no
//! echo; Ctrl-C still interrupts, and output is unchanged), which the
//! standard library cannot set: libc's termios calls do, and the setting
//! the terminal had is put back when the reader stops, when the process
//! ends normally, and from a signal handler on Ctrl-C or a kill, so a
//! learner's shell is never left without echo. When standard input is not a
//! terminal (a pipe, the workshop's own tests), keys are read a line at a
//! time, each line one key.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::mpsc;

/// Whether standard output is a terminal a person reads.
pub(crate) fn is_interactive() -> bool {
    std::io::stdout().is_terminal() && std::env::var("TERM").map_or(true, |term| term != "dumb")
}

/// Whether to colour what is printed: a terminal, and `NO_COLOR` unset or empty.
pub(crate) fn colour() -> bool {
    colour_for(is_interactive(), std::env::var_os("NO_COLOR"))
}

fn colour_for(interactive: bool, no_color: Option<std::ffi::OsString>) -> bool {
    interactive && no_color.is_none_or(|value| value.is_empty())
}

/// Text in green (a pass), when colour is on.
pub(crate) fn green(text: &str) -> String {
    paint(text, "32", colour())
}

/// Text in red (a failure), when colour is on.
pub(crate) fn red(text: &str) -> String {
    paint(text, "31", colour())
}

fn paint(text: &str, code: &str, on: bool) -> String {
    if on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

/// `shown` (a path as the learner reads it), made a link to the file at
/// `path` that a click opens, in terminals that know OSC 8 hyperlinks
/// (others ignore the escape and show the text).
pub(crate) fn file_link(path: &Path, shown: &str) -> String {
    link_for(path, shown, is_interactive())
}

fn link_for(path: &Path, shown: &str, interactive: bool) -> String {
    if !interactive {
        return shown.to_string();
    }
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let url: String = absolute
        .to_string_lossy()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect();
    format!("\x1b]8;;file://{url}\x1b\\{shown}\x1b]8;;\x1b\\")
}

/// Clear the screen and put the cursor at the top (a terminal only), so a
/// verdict and the keys under it start on a fresh screen. The scrollback is
/// kept: an earlier verdict is still there to scroll back to.
pub(crate) fn clear_screen() {
    if is_interactive() {
        print!("\x1b[2J\x1b[H");
    }
}

/// Keys typed by the learner, as they come: one key per message (single
/// keys at a terminal, whole lines otherwise). Dropping it puts the
/// terminal's setting back.
pub(crate) struct Keys {
    pub(crate) received: mpsc::Receiver<String>,
    /// Whether keys arrive without Enter.
    pub(crate) single: bool,
    _cbreak: Option<cbreak::Guard>,
}

impl Keys {
    pub(crate) fn start() -> Keys {
        let (tx, received) = mpsc::channel();
        let guard = if std::io::stdin().is_terminal() { cbreak::Guard::enter() } else { None };
        let single = guard.is_some();
        let spawned = std::thread::Builder::new().name("keys".into()).spawn(move || {
            if single {
                let mut byte = [0u8; 1];
                let mut stdin = std::io::stdin().lock();
                while let Ok(1) = stdin.read(&mut byte) {
                    let key = (byte[0] as char).to_string();
                    if tx.send(key).is_err() {
                        break;
                    }
                }
            } else {
                for line in std::io::BufRead::lines(std::io::stdin().lock()) {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            }
        });
        drop(spawned);
        Keys { received, single, _cbreak: guard }
    }
}

#[cfg(unix)]
mod cbreak {
    //! The terminal's cbreak setting, and putting the old one back.
    #![allow(unsafe_code)] // termios and signal calls; SAFETY comments at each block

    use std::sync::Mutex;

    /// The setting the terminal had, for the signal handler to put back.
    static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);

    pub(crate) struct Guard;

    impl Guard {
        pub(crate) fn enter() -> Option<Guard> {
            // SAFETY: tcgetattr/tcsetattr on standard input with a termios
            // this function owns; zeroed is a valid termios to fill.
            unsafe {
                let mut old: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(libc::STDIN_FILENO, &mut old) != 0 {
                    return None;
                }
                let mut new = old;
                new.c_lflag &= !(libc::ICANON | libc::ECHO);
                new.c_cc[libc::VMIN] = 1;
                new.c_cc[libc::VTIME] = 0;
                *SAVED.lock().unwrap_or_else(|p| p.into_inner()) = Some(old);
                install_restoring_handlers();
                if libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &new) != 0 {
                    return None;
                }
            }
            Some(Guard)
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            restore();
        }
    }

    fn restore() {
        let saved = *SAVED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = saved {
            // SAFETY: putting back the setting read from this terminal.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &old);
            }
        }
    }

    /// On Ctrl-C, a kill or a hang-up: put the setting back, then die of the
    /// signal as the process would have.
    fn install_restoring_handlers() {
        extern "C" fn on_signal(signal: libc::c_int) {
            // Only async-signal-safe calls here: no lock (the main thread may
            // hold it), so the copy taken at entry is used.
            // SAFETY: tcsetattr, signal and raise are async-signal-safe.
            unsafe {
                if let Some(old) = COPY {
                    libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &raw const old);
                }
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
            }
        }
        let saved = *SAVED.lock().unwrap_or_else(|p| p.into_inner());
        // SAFETY: written once, before the handlers that read it are set.
        unsafe {
            COPY = saved;
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
                libc::signal(signal, on_signal as *const () as libc::sighandler_t);
            }
        }
    }

    /// What the signal handler puts back (a plain copy: it cannot lock).
    static mut COPY: Option<libc::termios> = None;
}

#[cfg(not(unix))]
mod cbreak {
    pub(crate) struct Guard;
    impl Guard {
        pub(crate) fn enter() -> Option<Guard> {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_at_a_terminal_and_never_with_no_color() {
        assert!(colour_for(true, None));
        assert!(colour_for(true, Some("".into())), "an empty NO_COLOR does not count (no-color.org)");
        assert!(!colour_for(true, Some("1".into())));
        assert!(!colour_for(false, None));
        assert_eq!(paint("✗", "31", true), "\x1b[31m✗\x1b[0m");
        assert_eq!(paint("✗", "31", false), "✗");
    }

    #[test]
    fn a_path_is_a_file_link_only_at_a_terminal() {
        let path = Path::new("/tmp/a b/handler.py");
        assert_eq!(link_for(path, "handler.py", false), "handler.py");
        assert_eq!(
            link_for(path, "handler.py", true),
            "\x1b]8;;file:///tmp/a%20b/handler.py\x1b\\handler.py\x1b]8;;\x1b\\"
        );
    }
}
