//! The embedded CPython: started once per process, with the runtime client
//! (the Python modules in `runtime/`) loaded into it. Everything that touches Python goes
//! through here, and one lock keeps invocations one at a time (the runtime
//! client swaps each environment's modules and variables in and out, which is
//! only sound when a single invocation runs).

use pyo3::prelude::*;
use pyo3::types::PyModule;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// The runtime client's modules, in the order they are loaded (each imports
/// only the ones before it); the last is its entry point.
const RUNTIME_MODULES: &[(&str, &str)] = &[
    ("faults", include_str!("runtime/faults.py")),
    ("marshal", include_str!("runtime/marshal.py")),
    ("context", include_str!("runtime/context.py")),
    ("logs", include_str!("runtime/logs.py")),
    ("sandbox", include_str!("runtime/sandbox.py")),
    ("environment", include_str!("runtime/environment.py")),
];
/// The runtime client's sources, name and text, in the order they are loaded:
/// also what the book's browser runner loads into Pyodide (`lab book`).
pub fn runtime_sources() -> &'static [(&'static str, &'static str)] {
    RUNTIME_MODULES
}

/// The file names the runtime's frames carry; stack traces drop them.
const RUNTIME_FILES: &str = "<lambda-harness>/runtime/";

static RUNTIME: OnceLock<Result<Py<PyModule>, String>> = OnceLock::new();
static INVOKE_LOCK: Mutex<()> = Mutex::new(());
/// Set when a timed-out handler is stuck inside a C call that never gives the
/// interpreter back: from then on no Python can run in this process.
static WEDGED: AtomicBool = AtomicBool::new(false);

/// Why Python could not be used at all.
#[derive(Debug, Clone)]
pub struct InterpreterError(pub String);

impl std::fmt::Display for InterpreterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InterpreterError {}

/// What a caller says when [`wedged`] is true.
pub const WEDGED_MESSAGE: &str = "An earlier handler that timed out is still stuck \
inside Python (in a C call that never returns), so no more Python code can run in this \
process. Stop it (Ctrl-C) and run again; then look at what that handler was waiting on.";

/// One invocation at a time in this process: hold the guard while running
/// any Python (the runtime swaps module tables between environments).
pub fn exclusive() -> MutexGuard<'static, ()> {
    INVOKE_LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether a timed-out handler is still stuck inside Python holding its lock.
pub fn wedged() -> bool {
    WEDGED.load(Ordering::SeqCst)
}

pub(crate) fn mark_wedged() {
    WEDGED.store(true, Ordering::SeqCst);
}

/// The runtime client module, starting Python and loading it on first use.
pub(crate) fn runtime(py: Python<'_>) -> Result<Bound<'_, PyModule>, InterpreterError> {
    // The first load runs Python, so it needs the interpreter; a thread that
    // waited for another thread's first load while holding the interpreter
    // would never let it finish. Wait, and load, detached.
    let loaded = match RUNTIME.get() {
        Some(loaded) => loaded,
        None => py.detach(|| RUNTIME.get_or_init(|| Python::attach(load_runtime))),
    };
    match loaded {
        Ok(module) => Ok(module.bind(py).clone()),
        Err(message) => Err(InterpreterError(message.clone())),
    }
}

fn load_runtime(py: Python<'_>) -> Result<Py<PyModule>, String> {
    let fail = |err: PyErr| format!("The harness could not start its Python runtime client: {err}");
    add_managed_sdk(py).map_err(fail)?;
    let mut loaded = Vec::new();
    for (name, source) in RUNTIME_MODULES {
        let code = std::ffi::CString::new(*source).expect("no NUL in the runtime's sources");
        let file = std::ffi::CString::new(format!("{RUNTIME_FILES}{name}.py")).expect("plain file name");
        let module = std::ffi::CString::new(format!("_lambda_{name}")).expect("plain module name");
        loaded.push(PyModule::from_code(py, &code, &file, &module).map_err(fail)?);
    }
    let entry = loaded.pop().expect("the runtime has modules");
    for (name, source) in RUNTIME_MODULES {
        entry.call_method1("register_source", (format!("{RUNTIME_FILES}{name}.py"), *source)).map_err(fail)?;
    }
    Ok(entry.unbind())
}

/// Put the managed environment's site-packages first on `sys.path`, when it
/// is ready for this Python, so that handlers import its pinned SDK rather
/// than whatever this machine has (the sandbox keeps every other package in
/// it invisible, as on Lambda).
fn add_managed_sdk(py: Python<'_>) -> PyResult<()> {
    let (major, minor) = version(py);
    let state = crate::pyenv::PythonEnv::here_state((u32::from(major), u32::from(minor)));
    if let crate::pyenv::EnvState::Ready { site_packages } = state {
        py.import("sys")?.getattr("path")?.call_method1("insert", (0, site_packages.to_string_lossy().into_owned()))?;
    }
    Ok(())
}

/// The Python program the embedded interpreter comes from (the one the
/// build found as `python3`, or `PYO3_PYTHON`): what the managed environment
/// is made with, so its packages fit the harness's Python.
pub fn executable() -> Result<std::path::PathBuf, InterpreterError> {
    start()?;
    let _turn = exclusive();
    Python::attach(|py| {
        let code = c"import os, sys\nname = 'python.exe' if os.name == 'nt' else 'bin/python%d.%d' % sys.version_info[:2]\npath = os.path.join(sys.base_prefix, name)\nresult = path if os.path.exists(path) else os.path.join(sys.base_prefix, 'bin', 'python3')";
        let globals = pyo3::types::PyDict::new(py);
        py.run(code, Some(&globals), None)?;
        globals.get_item("result")?.map(|v| v.extract::<String>()).transpose()?.ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err("no result")
        })
    })
    .map(std::path::PathBuf::from)
    .map_err(|e| InterpreterError(format!("cannot tell which Python the harness embeds: {e}")))
}

/// Start Python now (it is otherwise started on the first invocation), so
/// that its start-up cost is not counted as a function's init.
pub fn start() -> Result<(), InterpreterError> {
    if let Some(loaded) = RUNTIME.get() {
        return loaded.as_ref().map(|_| ()).map_err(|e| InterpreterError(e.clone()));
    }
    set_process_timezone();
    Python::attach(|py| runtime(py).map(|_| ()))
}

/// Lambda runs with `TZ=:UTC`, so `time.localtime()` and naive
/// `datetime.now()` are UTC there; make them so here before Python reads TZ.
#[allow(unsafe_code)] // the SAFETY comment is at the block
fn set_process_timezone() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: done once, before the interpreter starts; Rust's own readers
        // of the environment take the same lock as set_var.
        unsafe { std::env::set_var("TZ", ":UTC") };
    });
}

/// Run `f` with the interpreter, but give up after `limit` if the interpreter
/// cannot be had (a stuck C call holds it). Returns None when it gave up.
pub(crate) fn attach_within<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce(Python<'_>) -> T + Send + 'static,
) -> Option<T> {
    if wedged() {
        return None;
    }
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("python-attach".into())
        .spawn(move || {
            let value = Python::attach(f);
            let _ = tx.send(value);
        })
        .expect("a thread can be started");
    match rx.recv_timeout(limit) {
        Ok(value) => Some(value),
        Err(_) => {
            mark_wedged();
            None
        }
    }
}

/// Ask the thread `ident` to stop by raising `TimedOut` in it at its next
/// bytecode, and wake it if it sleeps through `time.sleep`.
#[allow(unsafe_code)] // the SAFETY comment is at the block
pub(crate) fn interrupt_thread(py: Python<'_>, ident: u64, env: &Py<PyAny>) -> PyResult<()> {
    let runtime = runtime(py).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.0))?;
    env.bind(py).getattr("cancelled")?.call_method0("set")?;
    let timed_out = runtime.getattr("TimedOut")?;
    // SAFETY: called with the interpreter attached; the exception type is a
    // live object for the duration of the call.
    unsafe {
        pyo3::ffi::PyThreadState_SetAsyncExc(ident as std::os::raw::c_long, timed_out.as_ptr());
    }
    Ok(())
}

/// The interpreter's id for the calling thread (what `threading.get_ident()` says).
#[allow(unsafe_code)] // the SAFETY comment is at the block
pub(crate) fn thread_ident() -> u64 {
    // SAFETY: a plain query of the current thread's id.
    unsafe { pyo3::ffi::PyThread_get_thread_ident() as u64 }
}

/// Major and minor version of the embedded Python, like `(3, 11)`.
pub fn version(py: Python<'_>) -> (u8, u8) {
    let info = py.version_info();
    (info.major, info.minor)
}

/// The same, from outside Python (starting it if need be).
pub fn embedded_version() -> Result<(u32, u32), InterpreterError> {
    start()?;
    let (major, minor) = Python::attach(version);
    Ok((u32::from(major), u32::from(minor)))
}
