//! The processes a handler starts, kept to the life of its execution
//! environment, as on Lambda.
//!
//! On Lambda a function may start processes (`subprocess.Popen`, `os.fork`,
//! `multiprocessing`). When the invocation ends the whole execution
//! environment is frozen: processes left running stop where they are and go
//! on when the next invocation thaws the environment; when the environment is
//! shut down they are killed with it ("Lambda execution environment
//! lifecycle", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html:
//! "After the function and all extensions have completed, Lambda maintains the
//! execution environment for some time in anticipation of another function
//! invocation. In effect, Lambda freezes the execution environment.").
//!
//! Here the environment lives in the test process (or `cargo lab`'s), so the
//! rule is imitated on the handler's processes only:
//! - at the end of each init and invocation, the children of the environment's
//!   worker thread and of the Python threads the handler started are adopted by
//!   the environment, and each one's whole tree is stopped (SIGSTOP): frozen;
//! - at the start of the next invocation they are continued (SIGCONT): thawed;
//! - when the environment goes (a timeout, an exit, `reset`, the function
//!   dropped) and when the process exits (an `atexit` hook), they are killed
//!   (SIGKILL) and the direct children reaped.
//!
//! So nothing a handler starts can keep running after its checks, hold the
//! test's output open, or delay a verdict; and a background process a handler
//! relies on across warm invocations still works. A process that left the
//! tree before the freeze (a daemon whose parent exited, now a child of init)
//! cannot be found this way; `cargo lab check` kills the whole process group
//! of its test run as the last resort (`src/checks.rs`).
//!
//! Only threads known to run handler code are looked at, never the harness's
//! own (which start the local AWS and runtime processes), and a process is
//! signalled only while it is still the one adopted: its start time, read
//! from /proc, must match, so a reused process id is never hit. Linux only
//! (/proc); elsewhere nothing is adopted.

use std::collections::HashMap;
use std::sync::Mutex;

/// A process, named by its id and its start time (clock ticks since boot),
/// which together cannot be reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Process {
    pid: i32,
    started: u64,
}

/// Every process adopted by any environment of this process, with the id of
/// the environment that owns it: what the exit hook kills.
static ADOPTED: Mutex<Option<HashMap<Process, u64>>> = Mutex::new(None);

/// The processes one execution environment started.
#[derive(Debug)]
pub(crate) struct Children {
    environment: u64,
}

impl Children {
    pub(crate) fn new() -> Children {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        install_exit_hook();
        Children { environment: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) }
    }

    /// Adopt the children of these threads (Linux thread ids) that no
    /// environment owns yet, then freeze every process of this environment.
    pub(crate) fn adopt_and_freeze(&self, threads: &[i32]) {
        let mut adopted = lock();
        let table = adopted.get_or_insert_with(HashMap::new);
        for &thread in threads {
            for pid in thread_children(thread) {
                if let Some(process) = identify(pid) {
                    table.entry(process).or_insert(self.environment);
                }
            }
        }
        table.retain(|process, _| alive(*process));
        for process in owned(table, self.environment) {
            signal_tree(process, libc::SIGSTOP);
        }
    }

    /// Let this environment's processes run again (the next invocation).
    pub(crate) fn thaw(&self) {
        let adopted = lock();
        if let Some(table) = adopted.as_ref() {
            for process in owned(table, self.environment) {
                signal_tree(process, libc::SIGCONT);
            }
        }
    }

    /// Kill this environment's processes and reap those that are ours.
    pub(crate) fn kill(&self) {
        let mut adopted = lock();
        if let Some(table) = adopted.as_mut() {
            let mine = owned(table, self.environment);
            table.retain(|_, owner| *owner != self.environment);
            kill_all(&mine);
        }
    }
}

fn lock() -> std::sync::MutexGuard<'static, Option<HashMap<Process, u64>>> {
    ADOPTED.lock().unwrap_or_else(|p| p.into_inner())
}

fn owned(table: &HashMap<Process, u64>, environment: u64) -> Vec<Process> {
    table.iter().filter(|(_, owner)| **owner == environment).map(|(process, _)| *process).collect()
}

/// Kill each process's whole tree: every member is found first, while the
/// tree is stopped, so none can start another in between; then all are
/// killed, and the direct children of this process reaped.
fn kill_all(processes: &[Process]) {
    let mut members = Vec::new();
    for process in processes {
        if alive(*process) {
            send(*process, libc::SIGSTOP);
            tree(*process, &mut members);
        }
    }
    for member in &members {
        send(*member, libc::SIGKILL);
    }
    for member in &members {
        reap(*member);
    }
}

/// Send `signal` to `process` and all its descendants, parents first (so a
/// stopped parent cannot start a child the walk would miss).
fn signal_tree(process: Process, signal: i32) {
    if !alive(process) {
        return;
    }
    send(process, signal);
    for child in children_of(process.pid) {
        if let Some(child) = identify(child) {
            signal_tree(child, signal);
        }
    }
}

/// `process` and its descendants, parents first.
fn tree(process: Process, into: &mut Vec<Process>) {
    into.push(process);
    for child in children_of(process.pid) {
        if let Some(child) = identify(child) {
            if alive(child) {
                send(child, libc::SIGSTOP);
            }
            tree(child, into);
        }
    }
}

#[cfg(target_os = "linux")]
fn thread_children(thread: i32) -> Vec<i32> {
    let path = format!("/proc/self/task/{thread}/children");
    std::fs::read_to_string(path).map(|text| parse_pids(&text)).unwrap_or_default()
}

/// The children of every thread of `pid`.
#[cfg(target_os = "linux")]
fn children_of(pid: i32) -> Vec<i32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    let mut pids = Vec::new();
    for task in tasks.flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("children")) {
            pids.extend(parse_pids(&text));
        }
    }
    pids
}

fn parse_pids(text: &str) -> Vec<i32> {
    text.split_whitespace().filter_map(|p| p.parse().ok()).collect()
}

/// The process `pid` is now, with its start time; None once it is gone.
#[cfg(target_os = "linux")]
fn identify(pid: i32) -> Option<Process> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold anything;
    // the fields after its last ')' are plain: state is field 3, start time 22.
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let started = fields.get(19)?.parse().ok()?;
    Some(Process { pid, started })
}

#[cfg(not(target_os = "linux"))]
fn thread_children(_thread: i32) -> Vec<i32> {
    Vec::new()
}

#[cfg(not(target_os = "linux"))]
fn children_of(_pid: i32) -> Vec<i32> {
    Vec::new()
}

#[cfg(not(target_os = "linux"))]
fn identify(_pid: i32) -> Option<Process> {
    None
}

/// Still the same process, and not a zombie.
fn alive(process: Process) -> bool {
    identify(process.pid) == Some(process) && !zombie(process.pid)
}

#[cfg(target_os = "linux")]
fn zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat[stat.rfind(')')? + 1..].split_whitespace().next().map(|s| s == "Z"))
        .unwrap_or(true)
}

#[cfg(not(target_os = "linux"))]
fn zombie(_pid: i32) -> bool {
    true
}

#[allow(unsafe_code)] // the SAFETY comment is at the block
fn send(process: Process, signal: i32) {
    if identify(process.pid) != Some(process) {
        return;
    }
    // SAFETY: a plain system call on a process just identified by its start
    // time (a zombie keeps its id until reaped, so the id is still its own).
    unsafe {
        libc::kill(process.pid, signal);
    }
}

/// Wait for a killed child of this process (others are reaped by their own
/// parent, or by init): at most a moment, never blocking.
#[allow(unsafe_code)] // the SAFETY comment is at the block
fn reap(process: Process) {
    // SAFETY: getpid never fails.
    let me = unsafe { libc::getpid() };
    if parent_of(process.pid) != Some(me) {
        return;
    }
    for _ in 0..100 {
        let mut status = 0;
        // SAFETY: waitpid on our own child, without blocking.
        let reaped = unsafe { libc::waitpid(process.pid, &mut status, libc::WNOHANG) };
        if reaped != 0 {
            return; // reaped, or already reaped by Python's Popen (ECHILD)
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[cfg(target_os = "linux")]
fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat[stat.rfind(')')? + 1..].split_whitespace().nth(1)?.parse().ok()
}

#[cfg(not(target_os = "linux"))]
fn parent_of(_pid: i32) -> Option<i32> {
    None
}

/// The id of the calling thread, as /proc/self/task names it.
#[allow(unsafe_code)] // the SAFETY comment is at the block
pub(crate) fn current_thread() -> i32 {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid has no preconditions.
        unsafe { libc::gettid() }
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

/// Kill every adopted process when this process exits normally (the test
/// harness ends with `exit`, which runs `atexit` handlers; a `Function` kept
/// in a static is never dropped).
#[allow(unsafe_code)] // the SAFETY comment is at the block
fn install_exit_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    extern "C" fn at_exit() {
        // try_lock: never wait at exit for a thread that was stopped holding it.
        let Ok(mut adopted) = ADOPTED.try_lock() else { return };
        if let Some(table) = adopted.take() {
            let all: Vec<Process> = table.into_keys().collect();
            kill_all(&all);
        }
    }
    ONCE.call_once(|| {
        // SAFETY: registers a function with no arguments that does not unwind
        // (it only reads /proc and sends signals).
        unsafe {
            libc::atexit(at_exit);
        }
    });
}
