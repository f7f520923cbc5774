"""What the runtime changes in the interpreter once, for every environment:
where output goes, what `os.environ` is, what `os._exit`, `time.sleep`, the
time functions and `breakpoint()` do, what a signal a handler sends to its
own process does, what a forked child does, and which installed packages a
function can import. Also the registry of which environment runs on which
thread, which the rest of the runtime reads through this module.

The environments live in the test process (or `cargo lab`'s), so a handler
must not end or stop that process, and a copy of it made by `os.fork` must
never run the harness's code. On Lambda the runtime is a process of its own:
- `os._exit`, and a signal whose default action ends a process sent by the
  handler to its own process (`os.kill(os.getpid(), 9)`, `os.killpg`,
  `signal.raise_signal`, `os.abort`), end the runtime: here they raise
  `ProcessExit`, which the platform reports as Lambda does
  (`Runtime.ExitError`, "Runtime exited with error: signal: killed"). A stop
  signal (SIGSTOP) stops the runtime until the invocation times out; signals
  ignored by default do nothing; SIGINT raises KeyboardInterrupt, as Python's
  own handler does.
- a child made by `os.fork` (or `multiprocessing`, `pty.fork`) runs the
  handler's code; its output goes to the environment's log (through a pipe
  the parent drains), and when it comes back into the runtime (the handler
  returned, raised or exited in the child) it ends there with `os._exit`,
  so it never returns into the platform. The processes a handler leaves
  running are frozen and killed with the environment by the platform
  (`function/children.rs`)."""

import os
import signal
import sys
import threading
import time
from collections.abc import MutableMapping

from _lambda_faults import ProcessExit, TimedOut

base_modules = set()
_REAL_SLEEP = time.sleep
_REAL_EXIT = os._exit
_REAL_KILL = os.kill
_REAL_KILLPG = os.killpg
_REAL_RAISE_SIGNAL = signal.raise_signal
# Absent where there are no OS threads to signal: the book's browser runner
# runs this client in Python compiled to WebAssembly (Pyodide).
_REAL_PTHREAD_KILL = getattr(signal, "pthread_kill", None)
_MAIN_PID = os.getpid()
# Set in a child made by os.fork: the pipe its output goes to.
forked_child_fd = None
active = None  # the Environment whose modules are in sys.modules
process_cwd = None  # set by install(): the folder the process runs in
base_path = []  # set by install(): sys.path without the task root
base_environ = {}  # set by install(): the variables outside any function
thread_env = {}  # thread ident -> Environment running on it
abandoned = set()  # idents of worker threads left behind after a timeout
real_stdout = sys.stdout
real_stderr = sys.stderr


class _EnvironProxy(MutableMapping):
    """`os.environ` for every environment: reads and writes go to the active one.

    The process's real environment is never touched (putenv from one test thread
    while another reads would race), so each function sees exactly its own
    variables, and nothing leaks between functions.
    """

    def __init__(self, data):
        self.data = data

    def __getitem__(self, key):
        return self.data[key]

    def __setitem__(self, key, value):
        if not isinstance(key, str):
            raise TypeError("str expected, not %s" % type(key).__name__)
        if not isinstance(value, str):
            raise TypeError("str expected, not %s" % type(value).__name__)
        self.data[key] = value

    def __delitem__(self, key):
        del self.data[key]

    def __iter__(self):
        return iter(list(self.data))

    def __len__(self):
        return len(self.data)

    def copy(self):
        return dict(self.data)

    def __repr__(self):
        return "environ(%r)" % (self.data,)

    def __or__(self, other):
        merged = dict(self.data)
        merged.update(other)
        return merged


class _OutputRouter:
    """`sys.stdout` and `sys.stderr`: each write lands in the log of the
    environment running on this thread (or the active one, for threads the
    handler started). Output of a worker abandoned after a timeout is dropped."""

    def __init__(self, fallback):
        self._fallback = fallback
        self.encoding = "utf-8"
        self.errors = "strict"

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        # Lambda's stdout is a strict UTF-8 stream: a lone surrogate raises.
        data = text.encode("utf-8")
        if forked_child_fd is not None:
            _write_all(forked_child_fd, data)
            return len(text)
        ident = threading.get_ident()
        env = thread_env.get(ident)
        if env is None:
            if ident in abandoned:
                return len(text)
            env = active
        if env is None:
            return self._fallback.write(text)
        env.log_chunks.append(text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    @property
    def buffer(self):
        return _BinaryOutput(self)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        return self._fallback.fileno()

    def readable(self):
        return False

    def writable(self):
        return True


class _BinaryOutput:
    """`sys.stdout.buffer`: bytes written here reach the log as text."""

    def __init__(self, router):
        self._router = router

    def write(self, data):
        self._router.write(bytes(data).decode("utf-8", "replace"))
        return len(data)

    def flush(self):
        pass


BREAKPOINT_SKIPPED = (
    "breakpoint() skipped: nobody is at a terminal to debug here. "
    "Run `cargo lab invoke FILE --debug` to stop at it."
)


def _breakpoint(*args, **kwargs):
    """`breakpoint()`: with `cargo lab invoke --debug`, pdb at the real
    terminal; anywhere else (tests), a note in the log instead of a prompt
    that would wait for input nobody gives."""
    env = thread_env.get(threading.get_ident())
    if env is None or not env.debug:
        if env is not None:
            env.log_chunks.append(BREAKPOINT_SKIPPED + "\n")
        return None
    import pdb

    debugger = pdb.Pdb(stdin=sys.__stdin__, stdout=real_stdout)
    debugger.set_trace(sys._getframe(1))


def _exit_instead(status):
    if forked_child_fd is not None:
        _REAL_EXIT(status)
    raise ProcessExit(status)


def _write_all(fd, data):
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass


# --- forks ----------------------------------------------------------------------


def _before_fork():
    """In the parent, before any Python-level fork: make sure the environment
    forking has a pipe for its children's output."""
    env = thread_env.get(threading.get_ident()) or active
    if env is not None and forked_child_fd is None and env.child_pipe is None:
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        env.child_pipe = (read_end, write_end)


def _after_fork_in_child():
    """In a forked child: from now on, output goes to the pipe, and leaving
    the handler ends the process (see exit_forked_child)."""
    global forked_child_fd
    if forked_child_fd is not None:
        return  # a grandchild keeps its parent's pipe
    env = thread_env.get(threading.get_ident()) or active
    if env is not None and env.child_pipe is not None:
        forked_child_fd = env.child_pipe[1]
    else:
        forked_child_fd = os.open(os.devnull, os.O_WRONLY)


def in_forked_child():
    return forked_child_fd is not None


def exit_forked_child(status):
    """A forked child came back into the runtime: end it here. Its own
    handler already ran (and logged what it raised); on Lambda it would go on
    running a copy of the runtime, which nothing waits for."""
    if not isinstance(status, int) or status < 0:
        status = 1
    _REAL_EXIT(status & 0xFF)


def drain_children_output(env):
    """What forked children wrote to the environment's pipe so far."""
    if env.child_pipe is None:
        return b""
    chunks = []
    while True:
        try:
            chunk = os.read(env.child_pipe[0], 65536)
        except (BlockingIOError, OSError):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def close_children_output(env):
    if env.child_pipe is not None:
        for fd in env.child_pipe:
            try:
                os.close(fd)
            except OSError:
                pass
        env.child_pipe = None


def handler_threads():
    """Linux thread ids of the threads handlers started (threading.Thread
    objects): the platform adopts the processes they start. The threads the
    platform runs Python on are foreign to Python (_DummyThread), and the
    thread that first started Python is the platform's too (_MainThread)."""
    return [t.native_id for t in threading.enumerate()
            if type(t) not in (threading._DummyThread, threading._MainThread) and t.native_id]


# --- signals to the runtime's own process ---------------------------------------

# Signals whose default action is to ignore them, or to stop the process.
_IGNORED = {signal.SIGCHLD, signal.SIGCONT, signal.SIGURG, signal.SIGWINCH}
_STOPS = {signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU}


def _targets_this_process(pid):
    """os.kill's pid names this process: itself, its process group (0 or
    -pgid) or every process (-1), which on Lambda all end the runtime."""
    if pid in (0, -1, _MAIN_PID):
        return True
    return pid < 0 and -pid == os.getpgrp()


def _signal_self(signum):
    """What a signal sent to the runtime's own process does on Lambda, done
    to the handler instead of the test process."""
    signum = int(signum)
    if signum == 0:
        return None  # "does the process exist?": it does
    if signum in _IGNORED:
        return None
    if signum in _STOPS:
        # The runtime stops and never answers: the invocation times out.
        _interruptible_sleep(threading.TIMEOUT_MAX / 2)
        raise TimedOut()
    action = signal.getsignal(signum)
    if action == signal.SIG_IGN:
        return None
    if action is signal.default_int_handler:
        raise KeyboardInterrupt()
    if callable(action):
        action(signum, sys._getframe(1))
        return None
    raise ProcessExit(-signum)


def _kill(pid, signum):
    if forked_child_fd is None and _targets_this_process(pid):
        return _signal_self(signum)
    return _REAL_KILL(pid, signum)


def _killpg(pgid, signum):
    if forked_child_fd is None and pgid in (0, os.getpgrp()):
        return _signal_self(signum)
    return _REAL_KILLPG(pgid, signum)


def _raise_signal(signum):
    if forked_child_fd is None:
        return _signal_self(signum)
    return _REAL_RAISE_SIGNAL(signum)


def _pthread_kill(thread_id, signum):
    # Every thread id a handler can name is one of this process's threads.
    if forked_child_fd is None and int(signum) != 0:
        return _signal_self(signum)
    return _REAL_PTHREAD_KILL(thread_id, signum)


def _abort():
    if forked_child_fd is not None:
        _REAL_EXIT(134)
    raise ProcessExit(-signal.SIGABRT)



class VirtualClock:
    """A clock a test controls, for exact and instant time-budget tests: it
    moves only when the function sleeps or the test advances it. One per
    function, so it carries on across cold starts."""

    def __init__(self, start_ms):
        self.now_ns = int(start_ms) * 1_000_000
        self.origin_ns = self.now_ns

    def advance_ms(self, ms):
        self.now_ns += int(ms) * 1_000_000

    def now_ms(self):
        return self.now_ns // 1_000_000

    def elapsed_ns(self):
        """What time.monotonic and time.perf_counter count, in ns."""
        return self.now_ns - self.origin_ns + 1_000_000_000


REAL_TIME = {name: getattr(time, name) for name in
              ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns")}


def _virtual_clock():
    env = thread_env.get(threading.get_ident()) or active
    return env.clock if env is not None else None


def _clock_function(name, virtual):
    real = REAL_TIME[name]

    def clock_function():
        clock = _virtual_clock()
        return real() if clock is None else virtual(clock)

    clock_function.__name__ = clock_function.__qualname__ = name
    return clock_function


_VIRTUAL_TIME = {
    "time": lambda c: c.now_ns / 1e9,
    "time_ns": lambda c: c.now_ns,
    "monotonic": lambda c: c.elapsed_ns() / 1e9,
    "monotonic_ns": lambda c: c.elapsed_ns(),
    "perf_counter": lambda c: c.elapsed_ns() / 1e9,
    "perf_counter_ns": lambda c: c.elapsed_ns(),
}


def _interruptible_sleep(secs):
    """`time.sleep` that a timeout can cut short: on the worker thread of an
    environment it waits on that environment's cancel event; under a virtual
    clock it moves the clock instead of waiting, and a sleep past the deadline
    ends the invocation as a timeout, at once."""
    env = thread_env.get(threading.get_ident())
    if env is None or not isinstance(secs, (int, float)) or secs <= 0 or secs != secs:
        return _REAL_SLEEP(secs)  # also raises the real errors for bad arguments
    if env.clock is not None:
        target = env.clock.now_ns + int(secs * 1e9)
        if env.deadline_ns is not None and target >= env.deadline_ns:
            env.clock.now_ns = env.deadline_ns
            raise TimedOut()
        env.clock.now_ns = target
        return None
    if env.cancelled.wait(secs):
        raise TimedOut()


_interruptible_sleep.__name__ = "sleep"
_interruptible_sleep.__qualname__ = "sleep"


# What a Lambda Python runtime has besides the standard library: the AWS SDK and
# its dependencies. Anything else installed on this machine stays invisible to
# functions, so `import requests` fails here exactly as it does on Lambda.
PREINSTALLED = frozenset(
    ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six"]
)


def _is_site_dir(path):
    return "site-packages" in path or "dist-packages" in path


class _PreinstalledFinder:
    """Finds the preinstalled SDK packages in this machine's site-packages."""

    def __init__(self, site_dirs):
        self.site_dirs = site_dirs

    def find_spec(self, name, path=None, target=None):
        if path is not None or name not in PREINSTALLED:
            return None
        from importlib.machinery import PathFinder

        return PathFinder.find_spec(name, self.site_dirs)


def install():
    """Prepare the interpreter once: route output, sandbox exits and sleeps,
    and remember which modules belong to the runtime rather than to a function."""
    global real_stdout, real_stderr, process_cwd, base_path, base_environ
    sys.dont_write_bytecode = True  # never litter a learner's folder with __pycache__
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = _OutputRouter(real_stdout)
    sys.stderr = _OutputRouter(real_stderr)
    os.environ = _EnvironProxy(dict(os.environ))
    os._exit = _exit_instead
    os.kill = _kill
    os.killpg = _killpg
    os.abort = _abort
    signal.raise_signal = _raise_signal
    if _REAL_PTHREAD_KILL is not None:
        signal.pthread_kill = _pthread_kill
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
    sys.breakpointhook = _breakpoint
    time.sleep = _interruptible_sleep
    for name, virtual in _VIRTUAL_TIME.items():
        setattr(time, name, _clock_function(name, virtual))
    site_dirs = [p for p in sys.path if _is_site_dir(p)]
    sys.path[:] = [""] + [p for p in sys.path if p and not _is_site_dir(p)]
    sys.meta_path.append(_PreinstalledFinder(site_dirs))
    base_modules.update(sys.modules)
    base_modules.discard("logging")
    process_cwd = os.getcwd()
    base_path = [p for p in sys.path if p != ""]
    base_environ = os.environ.data


def restore_cwd():
    try:
        os.chdir(process_cwd)
    except OSError:
        pass


def abandon_thread(ident):
    """The platform gave up on a worker thread stuck after a timeout: whatever
    it writes from now on is dropped."""
    abandoned.add(ident)
    thread_env.pop(ident, None)

