"""What the runtime changes in the interpreter once, for every environment:
where output goes, what `os.environ` is, what `os._exit`, `time.sleep`, the
time functions and `breakpoint()` do, and which installed packages a function
can import. Also the registry of which environment runs on which thread,
which the rest of the runtime reads through this module."""

import os
import sys
import threading
import time
from collections.abc import MutableMapping

from _lambda_faults import ProcessExit, TimedOut

base_modules = set()
_REAL_SLEEP = time.sleep
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
        text.encode("utf-8")
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
    raise ProcessExit(status)


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

