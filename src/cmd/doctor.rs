//! `cargo lab doctor`: check that this machine can run the workshop (Rust,
//! Python and its shared libpython, Python embedded in the harness, the
//! book's port, the workshop folder) and print a fix for each problem. Exit
//! status 1 when there is one. The book's port held by the workshop itself
//! (a `cargo lab` running in another terminal) is no problem: the doctor asks
//! whatever holds it the question only the workshop's server answers.

use crate::serve::{DEFAULT_PORT, LOOPBACK, VERSION_PATH};
use harness::exercise::{self, Exercise};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// One line of the doctor's findings.
struct Finding {
    what: &'static str,
    ok: bool,
    said: String,
    fix: String,
}

impl Finding {
    fn pass(what: &'static str, said: impl Into<String>) -> Finding {
        Finding { what, ok: true, said: said.into(), fix: String::new() }
    }

    fn fail(what: &'static str, said: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding { what, ok: false, said: said.into(), fix: fix.into() }
    }
}

const RUST_NEEDED: (u32, u32) = (1, 85);
const PYTHON_NEEDED: (u32, u32) = (3, 9);
const INSTALL_RUST: &str = "install Rust with rustup (https://rustup.rs), then open a new terminal";
const INSTALL_PYTHON: &str = "install Python 3.9 or newer: `sudo apt install python3 python3-dev` (Debian, Ubuntu), `sudo dnf install python3 python3-devel` (Fedora) or `brew install python` (macOS); or point PYO3_PYTHON at one";
const SHARED_PYTHON: &str = "use a Python built with a shared libpython: on Debian or Ubuntu `sudo apt install python3-dev` (it brings libpython3.X), `brew install python` on macOS, or with pyenv `env PYTHON_CONFIGURE_OPTS=\"--enable-shared\" pyenv install 3.12`; then point PYO3_PYTHON at it and rebuild (`cargo clean -p harness`)";

pub(crate) fn run() -> ExitCode {
    println!("Checking that this machine can run the workshop:\n");
    let mut findings = vec![check_rust()];
    let python = python_facts();
    findings.push(check_python(&python));
    findings.push(check_shared_libpython(&python));
    findings.push(match harness::python::start() {
        Ok(()) => Finding::pass(
            "Python inside the workshop",
            "the harness started Python in-process and loaded its Lambda runtime client",
        ),
        Err(e) => Finding::fail(
            "Python inside the workshop",
            format!("the harness could not start Python in-process: {e}"),
            format!(
                "check the two Python lines above; then rebuild so the harness links the right Python: {SHARED_PYTHON}"
            ),
        ),
    });
    findings.push(check_port(DEFAULT_PORT));
    findings.push(check_workspace());
    if let Some(finding) = check_python_environment() {
        findings.push(finding);
    }
    if let Some(finding) = check_pyodide() {
        findings.push(finding);
    }
    let mut problems = 0;
    for finding in &findings {
        let mark = if finding.ok { '✓' } else { '✗' };
        println!("  {mark} {}: {}", finding.what, finding.said);
        if !finding.ok {
            problems += 1;
            println!("      Fix: {}", finding.fix);
        }
    }
    println!();
    match problems {
        0 => {
            println!("Everything is ready for the workshop. Run `cargo lab` to begin.");
            ExitCode::SUCCESS
        }
        1 => {
            println!("1 problem found. Fix it as shown, then run `cargo lab doctor` again.");
            ExitCode::FAILURE
        }
        n => {
            println!("{n} problems found. Fix them as shown, then run `cargo lab doctor` again.");
            ExitCode::FAILURE
        }
    }
}

/// `1.85.0` from `rustc 1.85.0 (4d91de4e4 2025-02-17)`: (major, minor, the text).
fn tool_version(program: &std::ffi::OsStr) -> Option<(u32, u32, String)> {
    let output = Command::new(program).arg("--version").stdin(std::process::Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let version = text.split_whitespace().nth(1)?.to_string();
    let mut parts = version.split(['.', '-']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor, version))
}

fn check_rust() -> Finding {
    const WHAT: &str = "Rust";
    let cargo = crate::workspace::cargo();
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let Some((rmajor, rminor, rustc_version)) = tool_version(&rustc) else {
        return Finding::fail(WHAT, "could not run `rustc --version`", INSTALL_RUST);
    };
    let Some((_, _, cargo_version)) = tool_version(&cargo) else {
        return Finding::fail(WHAT, "could not run `cargo --version`", INSTALL_RUST);
    };
    let said = format!("rustc {rustc_version}, cargo {cargo_version}");
    if (rmajor, rminor) < RUST_NEEDED {
        return Finding::fail(
            WHAT,
            format!("{said}, but the workshop needs {}.{} or newer", RUST_NEEDED.0, RUST_NEEDED.1),
            "update it with `rustup update stable`",
        );
    }
    Finding::pass(WHAT, said)
}

/// What the Python the build uses says about itself.
struct PythonFacts {
    /// `python3`, or `PYO3_PYTHON=/path/python3` when that is set.
    name: String,
    /// Its answer, or why there was none.
    answer: Result<serde_json::Value, String>,
}

const PYTHON_QUESTIONS: &str = "import json, sys, sysconfig\n\
print(json.dumps({'version': '%d.%d.%d' % sys.version_info[:3], 'major': sys.version_info[0], \
'minor': sys.version_info[1], 'platform': sys.platform, \
'shared': sysconfig.get_config_var('Py_ENABLE_SHARED'), \
'framework': sysconfig.get_config_var('PYTHONFRAMEWORK'), \
'library': sysconfig.get_config_var('LDLIBRARY')}))";

fn python_facts() -> PythonFacts {
    let (program, name) = match std::env::var_os("PYO3_PYTHON") {
        Some(path) if !path.is_empty() => (path.clone(), format!("PYO3_PYTHON ({})", path.to_string_lossy())),
        _ => ("python3".into(), "python3".to_string()),
    };
    let answer = match Command::new(&program).args(["-c", PYTHON_QUESTIONS]).stdin(std::process::Stdio::null()).output()
    {
        Err(_) => Err(format!("{name} was not found on your PATH")),
        Ok(output) if !output.status.success() => Err(format!(
            "{name} did not run: {}",
            String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("").trim()
        )),
        Ok(output) => {
            serde_json::from_slice(&output.stdout).map_err(|_| format!("{name} did not say which version it is"))
        }
    };
    PythonFacts { name, answer }
}

fn check_python(python: &PythonFacts) -> Finding {
    const WHAT: &str = "Python";
    let facts = match &python.answer {
        Ok(facts) => facts,
        Err(message) => return Finding::fail(WHAT, message.clone(), INSTALL_PYTHON),
    };
    let version = facts["version"].as_str().unwrap_or("?");
    let found = (facts["major"].as_u64().unwrap_or(0) as u32, facts["minor"].as_u64().unwrap_or(0) as u32);
    if found < PYTHON_NEEDED {
        return Finding::fail(
            WHAT,
            format!(
                "{} is Python {version}, older than the {}.{} the workshop needs",
                python.name, PYTHON_NEEDED.0, PYTHON_NEEDED.1
            ),
            INSTALL_PYTHON,
        );
    }
    Finding::pass(WHAT, format!("{} is Python {version}", python.name))
}

fn check_shared_libpython(python: &PythonFacts) -> Finding {
    const WHAT: &str = "Shared libpython";
    let Ok(facts) = &python.answer else {
        return Finding::fail(WHAT, "cannot tell without a working Python", INSTALL_PYTHON);
    };
    let platform = facts["platform"].as_str().unwrap_or("");
    let library = facts["library"].as_str().unwrap_or("").to_string();
    if platform == "win32" {
        return Finding::pass(WHAT, "Windows Pythons always come with their DLL");
    }
    if facts["shared"].as_u64() == Some(1) {
        return Finding::pass(WHAT, format!("{} has {library}", python.name));
    }
    if platform == "darwin" && facts["framework"].as_str().is_some_and(|f| !f.is_empty()) {
        return Finding::pass(WHAT, format!("{} is a framework build", python.name));
    }
    Finding::fail(
        WHAT,
        format!("{} was built without a shared libpython, which the harness needs to embed it", python.name),
        SHARED_PYTHON,
    )
}

fn check_port(port: u16) -> Finding {
    const WHAT: &str = "Book port";
    match std::net::TcpListener::bind((LOOPBACK, port)) {
        Ok(_) => Finding::pass(WHAT, format!("{LOOPBACK}:{port} is free for the book")),
        // The workshop itself (running in another terminal) is no problem
        // with this machine: it shows the machine can run the workshop.
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && is_the_workshop(port) => Finding::pass(
            WHAT,
            format!(
                "{LOOPBACK}:{port} is taken by the workshop itself: the workshop is already running \
                 (cargo lab or cargo lab book) and serving the book there, at http://{LOOPBACK}:{port}/"
            ),
        ),
        Err(e) => Finding::fail(
            WHAT,
            if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("{LOOPBACK}:{port} is already in use by another program")
            } else {
                format!("cannot listen on {LOOPBACK}:{port}: {e}")
            },
            format!(
                "stop the program using it (another `cargo lab`, or `mdbook serve`?), or serve the book on another port: cargo lab book --port {}",
                port + 1
            ),
        ),
    }
}

/// How long the doctor waits for whatever holds the book's port to answer:
/// the workshop's server answers at once, and a program that never answers
/// must not hold the doctor up.
const PORT_ANSWER_WAIT: Duration = Duration::from_secs(1);

/// Whether what listens on the port is the workshop's own book server: it
/// alone answers `GET /__lab/version` (the live-reload script's question,
/// [`VERSION_PATH`]) with 200 and the book's version, a number.
fn is_the_workshop(port: u16) -> bool {
    let address = std::net::SocketAddr::from((LOOPBACK, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&address, PORT_ANSWER_WAIT) else { return false };
    let deadline = Instant::now() + PORT_ANSWER_WAIT;
    let _ = stream.set_write_timeout(Some(PORT_ANSWER_WAIT));
    let request = format!("GET {VERSION_PATH} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    // Read the whole (short) answer, within the deadline and a few kilobytes.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 1024];
    while answer.len() < 4096 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return false;
        }
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(_) => return false,
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    let Some((head, body)) = answer.split_once("\r\n\r\n") else { return false };
    let body = body.trim();
    head.starts_with("HTTP/1.1 200 ") && !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit())
}

/// The managed environment (only inside the workshop's folder, where the
/// finding above has passed).
fn check_python_environment() -> Option<Finding> {
    const WHAT: &str = "Python environment";
    let root = exercise::workspace_root(&std::env::current_dir().ok()?)?;
    let env = harness::pyenv::PythonEnv::of_workspace(&root);
    let fix = "run `cargo lab setup` (it needs the network once; see the README for classrooms without it)";
    let version = match harness::python::embedded_version() {
        Ok(version) => version,
        Err(_) => return Some(Finding::fail(WHAT, "needs Python inside the workshop first", "see above")),
    };
    Some(match env.state(version) {
        harness::pyenv::EnvState::Ready { .. } => {
            Finding::pass(WHAT, format!("{} is ready (the AWS SDK, moto, pytest)", harness::pyenv::ENV_DIR))
        }
        harness::pyenv::EnvState::Missing => Finding::fail(
            WHAT,
            format!("{} is not set up; the exercises that call AWS need it", harness::pyenv::ENV_DIR),
            fix,
        ),
        harness::pyenv::EnvState::Stale(why) => Finding::fail(WHAT, format!("out of date: {why}"), fix),
    })
}

/// Pyodide, for the book's Run buttons (`crate::pyodide`).
fn check_pyodide() -> Option<Finding> {
    const WHAT: &str = "Python for the book's Run buttons";
    let root = exercise::workspace_root(&std::env::current_dir().ok()?)?;
    let pin = crate::pyodide::Pin::read(&root).ok()?;
    Some(match crate::pyodide::ready(&root) {
        Some(dir) => {
            Finding::pass(WHAT, format!("Pyodide {} is in {}", pin.version, crate::progress::shown(&dir, &root)))
        }
        None => Finding::fail(
            WHAT,
            format!("Pyodide {} is not fetched; the book's Run buttons need it (nothing else does)", pin.version),
            "run `cargo lab setup` (it needs the network once; see the README for classrooms without it)",
        ),
    })
}

fn check_workspace() -> Finding {
    const WHAT: &str = "Workshop folder";
    let here = std::env::current_dir().unwrap_or_default();
    match exercise::workspace_root(&here).map(|root| (Exercise::discover(&root), root)) {
        Some((Ok(found), root)) if !found.is_empty() => {
            Finding::pass(WHAT, format!("{} exercises in {}", found.len(), root.display()))
        }
        Some((Ok(_), root)) => Finding::fail(
            WHAT,
            format!("found {} but no exercises in it", root.display()),
            "clone the book's repository again, or restore its exercises/ folder",
        ),
        Some((Err(message), _)) => {
            Finding::fail(WHAT, message, "restore the exercise's files from git: git checkout -- exercises/")
        }
        None => Finding::fail(
            WHAT,
            "this is not inside the workshop's folder",
            "cd into your clone of the book's repository (the folder holding exercises/ and crates/)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_port_held_by_the_workshop_itself_is_said_to_be_the_workshop() {
        let book = tempfile::tempdir().unwrap();
        let server = crate::serve::start(book.path(), 0, "cargo lab book", None, false).unwrap();
        let url = server.url();
        let port: u16 = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();
        let finding = check_port(port);
        assert!(finding.ok, "{}", finding.said);
        assert!(
            finding
                .said
                .contains("the workshop is already running (cargo lab or cargo lab book) and serving the book there"),
            "{}",
            finding.said
        );
    }

    #[test]
    fn a_port_held_by_another_program_is_a_problem_with_a_fix() {
        // A program that holds the port and never answers: the doctor must
        // not wait on it for long either.
        let held = std::net::TcpListener::bind((LOOPBACK, 0)).unwrap();
        let port = held.local_addr().unwrap().port();
        let started = std::time::Instant::now();
        let finding = check_port(port);
        assert!(!finding.ok);
        assert_eq!(finding.said, format!("{LOOPBACK}:{port} is already in use by another program"));
        assert!(finding.fix.contains(&format!("cargo lab book --port {}", port + 1)), "{}", finding.fix);
        assert!(started.elapsed() < std::time::Duration::from_secs(3), "took {:?}", started.elapsed());

        // One that answers, but not as the workshop does.
        let port = {
            let other = std::net::TcpListener::bind((LOOPBACK, 0)).unwrap();
            let port = other.local_addr().unwrap().port();
            std::thread::Builder::new()
                .name("not-the-workshop".into())
                .spawn(move || {
                    use std::io::{Read, Write};
                    for mut stream in other.incoming().flatten() {
                        let mut request = [0u8; 1024];
                        let _ = stream.read(&mut request);
                        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot here\n");
                    }
                })
                .unwrap();
            port
        };
        let finding = check_port(port);
        assert!(!finding.ok);
        assert_eq!(finding.said, format!("{LOOPBACK}:{port} is already in use by another program"));

        drop(held);
    }
}
