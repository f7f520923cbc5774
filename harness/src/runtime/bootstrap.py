"""The runtime interface client of the local Lambda.

On AWS, a Python function runs inside a process started by `awslambdaric`: it
imports the handler module once (init), then loops over invocations, building the
context object, calling the handler, marshalling its return value and shaping its
errors. This module plays that part inside the harness's embedded interpreter.
The Rust side (the platform) decides when to create an environment, when to invoke
and when a timeout has struck; everything the handler can observe is done here.

Several functions (execution environments) share this one interpreter, so each
`Environment` keeps its own module table, `sys.path`, environment variables,
logging module and output capture, and swaps them in when it becomes active. The
platform only ever lets one invocation run at a time, which makes the swap safe.
"""

import builtins
import decimal
import importlib
import json
import math
import os
import sys
import threading
import time
import traceback
from collections.abc import MutableMapping

# Frames from this file are dropped from stack traces, as awslambdaric drops its own.
BOOTSTRAP_FILE = __file__

MARSHAL_ERROR = "Runtime.MarshalError"
UNMARSHAL_ERROR = "Runtime.UnmarshalError"
SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
IMPORT_ERROR = "Runtime.ImportModuleError"
BUILT_IN_CONFLICT = "Runtime.BuiltInModuleConflict"
MALFORMED_HANDLER = "Runtime.MalformedHandlerName"

# What the runtime logs before an init error (awslambdaric's lambda_literals).
UNHANDLED_INIT_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the "
    "function code. However, in rare cases, a Lambda runtime update can cause "
    "unexpected function behavior. For functions using managed runtimes, runtime "
    "updates can be triggered by a function change, or can be applied automatically. "
    "To determine if the runtime has been updated, check the runtime version in the "
    "INIT_START log entry. If this error correlates with a change in the runtime "
    "version, you may be able to mitigate this error by temporarily rolling back to "
    "the previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html\r"
)

TEXT_LOG_FORMAT = (
    "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
)
JSON_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Record attributes that the JSON formatter never copies into the log line.
RESERVED_RECORD_FIELDS = frozenset(
    "name msg args levelname levelno pathname filename module exc_info exc_text "
    "stack_info lineno funcName created msecs relativeCreated thread threadName "
    "processName process aws_request_id tenant_id _frame_type".split()
)

# Invocation outcomes, as returned to the platform.
RESULT, ERROR, EXIT, TIMEOUT = 0, 1, 2, 3


class RuntimeFault(Exception):
    """An error the runtime itself reports (bad handler string, marshalling)."""

    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


class ProcessExit(BaseException):
    """Raised in place of `os._exit`: on Lambda the runtime process would die."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


class TimedOut(BaseException):
    """Raised asynchronously in a handler whose time is up."""


# --- one-time installation into the interpreter -------------------------------

_BASE_MODULES = set()
_REAL_SLEEP = time.sleep
_active = None  # the Environment whose modules are in sys.modules
_thread_env = {}  # thread ident -> Environment running on it
_abandoned = set()  # idents of worker threads left behind after a timeout
_real_stdout = sys.stdout
_real_stderr = sys.stderr


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
        env = _thread_env.get(ident)
        if env is None:
            if ident in _abandoned:
                return len(text)
            env = _active
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
    env = _thread_env.get(threading.get_ident())
    if env is None or not env.debug:
        if env is not None:
            env.log_chunks.append(BREAKPOINT_SKIPPED + "\n")
        return None
    import pdb

    debugger = pdb.Pdb(stdin=sys.__stdin__, stdout=_real_stdout)
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


_REAL_TIME = {name: getattr(time, name) for name in
              ("time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns")}


def _virtual_clock():
    env = _thread_env.get(threading.get_ident()) or _active
    return env.clock if env is not None else None


def _clock_function(name, virtual):
    real = _REAL_TIME[name]

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
    env = _thread_env.get(threading.get_ident())
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
    global _real_stdout, _real_stderr
    sys.dont_write_bytecode = True  # never litter a learner's folder with __pycache__
    _real_stdout, _real_stderr = sys.stdout, sys.stderr
    sys.stdout = _OutputRouter(_real_stdout)
    sys.stderr = _OutputRouter(_real_stderr)
    os.environ = _EnvironProxy(dict(os.environ))
    os._exit = _exit_instead
    sys.breakpointhook = _breakpoint
    time.sleep = _interruptible_sleep
    for name, virtual in _VIRTUAL_TIME.items():
        setattr(time, name, _clock_function(name, virtual))
    site_dirs = [p for p in sys.path if _is_site_dir(p)]
    sys.path[:] = [""] + [p for p in sys.path if p and not _is_site_dir(p)]
    sys.meta_path.append(_PreinstalledFinder(site_dirs))
    _BASE_MODULES.update(sys.modules)
    _BASE_MODULES.discard("logging")


# --- marshalling, the way awslambdaric's simplejson encoder writes ------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


def _escape_unicode(text):
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " ":
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _float_text(value):
    if value != value:
        return "NaN"
    if value == math.inf:
        return "Infinity"
    if value == -math.inf:
        return "-Infinity"
    return float.__repr__(value)


def _call_asdict(value):
    """simplejson encodes any object with a callable `_asdict()` (namedtuples
    and look-alikes) as the dict it returns; a TypeError from the call means
    "not this kind of object"."""
    method = getattr(value, "_asdict", None)
    if not callable(method):
        return None
    try:
        result = method()
    except TypeError:
        return None
    if not isinstance(result, dict):
        raise TypeError("_asdict() must return a dict, not %s" % type(result).__name__)
    return result


class JsonWriter:
    """Encodes a handler's return value as simplejson does on Lambda:
    Decimal written as its own digits, namedtuples as objects, bytes inside
    structures decoded as UTF-8, NaN and Infinity allowed, and non-ASCII escaped
    unless the runtime is python3.12 or later."""

    def __init__(self, ensure_ascii):
        self.string = json.encoder.encode_basestring_ascii if ensure_ascii else _escape_unicode

    def encode(self, value):
        parts = []
        self._write(value, parts, set())
        return "".join(parts)

    def _key(self, key):
        if isinstance(key, str):
            return key
        if isinstance(key, bytes):
            return key.decode("utf-8")
        if isinstance(key, float):
            return _float_text(key)
        if key is True:
            return "true"
        if key is False:
            return "false"
        if key is None:
            return "null"
        if isinstance(key, int):
            return int.__repr__(key)
        raise TypeError(
            "keys must be str, int, float, bool or None, not %s" % key.__class__.__name__
        )

    def _write(self, value, parts, seen):
        if isinstance(value, str):
            parts.append(self.string(value))
        elif isinstance(value, bytes):
            parts.append(self.string(value.decode("utf-8")))
        elif value is None:
            parts.append("null")
        elif value is True:
            parts.append("true")
        elif value is False:
            parts.append("false")
        elif isinstance(value, int):
            parts.append(int.__repr__(int(value)))
        elif isinstance(value, float):
            parts.append(_float_text(value))
        else:
            as_dict = _call_asdict(value)
            if as_dict is not None:
                self._container(value, parts, seen, lambda: self._object(as_dict, parts, seen))
            elif isinstance(value, (list, tuple)):
                self._container(value, parts, seen, lambda: self._array(value, parts, seen))
            elif isinstance(value, dict):
                self._container(value, parts, seen, lambda: self._object(value, parts, seen))
            elif isinstance(value, decimal.Decimal):
                # awslambdaric's default(): NaN as a float NaN, anything else raw.
                parts.append("NaN" if value.is_nan() else str(value))
            else:
                if id(value) in seen:
                    raise ValueError("Circular reference detected")
                raise TypeError(
                    "Object of type %s is not JSON serializable" % value.__class__.__name__
                )

    def _container(self, value, parts, seen, write):
        marker = id(value)
        if marker in seen:
            raise ValueError("Circular reference detected")
        seen.add(marker)
        write()
        seen.discard(marker)

    def _array(self, items, parts, seen):
        parts.append("[")
        for index, item in enumerate(items):
            if index:
                parts.append(", ")
            self._write(item, parts, seen)
        parts.append("]")

    def _object(self, mapping, parts, seen):
        parts.append("{")
        first = True
        for key, item in mapping.items():
            if not first:
                parts.append(", ")
            first = False
            parts.append(self.string(self._key(key)))
            parts.append(": ")
            self._write(item, parts, seen)
        parts.append("}")


def marshal_response(response, writer):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return writer.encode(response).encode("utf-8"), "application/json"
    except Exception as error:
        raise RuntimeFault(MARSHAL_ERROR, "Unable to marshal response: %s" % error)


# --- the context object -------------------------------------------------------


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return (
            "CognitoIdentity(["
            f"cognito_identity_id={self.cognito_identity_id},"
            f"cognito_identity_pool_id={self.cognito_identity_pool_id}"
            "])"
        )


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name",
                 "app_version_code", "app_package_name"]

    def __repr__(self):
        return (
            "Client(["
            f"installation_id={self.installation_id},"
            f"app_title={self.app_title},"
            f"app_version_name={self.app_version_name},"
            f"app_version_code={self.app_version_code},"
            f"app_package_name={self.app_package_name}"
            "])"
        )


class ClientContext:
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return f"ClientContext([custom={self.custom},env={self.env},client={self.client}])"


def _object_from(cls, fields):
    if fields is None:
        return None
    obj = cls()
    for name in cls.__slots__:
        setattr(obj, name, fields.get(name))
    return obj


class LambdaContext:
    """The second argument of every handler, with the attributes AWS gives it."""

    def __init__(self, env, request_id, client_context, identity, deadline_ms,
                 invoked_function_arn, tenant_id):
        variables = env.variables
        self.aws_request_id = request_id
        self.log_group_name = variables.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = variables.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = variables.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = variables.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = variables.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self._w3c = {}
        if isinstance(client_context, dict) and "w3c" in client_context:
            raw = client_context.pop("w3c")
            if isinstance(raw, dict):
                self._w3c = {k: raw[k] for k in ("traceparent", "tracestate", "baggage")
                             if isinstance(raw.get(k), str)}
        self.client_context = _object_from(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _object_from(Client, self.client_context.client)
        self.identity = _object_from(CognitoIdentity, {})
        if identity is not None:
            self.identity.cognito_identity_id = identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms
        self._env = env

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def w3c(self):
        return dict(self._w3c)

    def log(self, msg):
        self._env.log_chunks.append(str(msg))

    def __repr__(self):
        return (
            "LambdaContext(["
            f"aws_request_id={self.aws_request_id},"
            f"log_group_name={self.log_group_name},"
            f"log_stream_name={self.log_stream_name},"
            f"function_name={self.function_name},"
            f"memory_limit_in_mb={self.memory_limit_in_mb},"
            f"function_version={self.function_version},"
            f"invoked_function_arn={self.invoked_function_arn},"
            f"client_context={self.client_context},"
            f"identity={self.identity},"
            f"tenant_id={self.tenant_id}"
            "])"
        )


# --- errors -------------------------------------------------------------------


def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _user_frames(tb):
    """The traceback from the first frame that is not the runtime's own."""
    frames = traceback.extract_tb(tb)
    for index, frame in enumerate(frames):
        if frame.filename != BOOTSTRAP_FILE:
            return frames[index:]
    return frames


def _frames_to_list(frames):
    return traceback.format_list(
        [(f.filename, f.lineno, f.name, f.line) for f in frames]
    )


def error_from_exception(error, request_id=None):
    frames = _user_frames(error.__traceback__)
    return make_error(str(error), type(error).__name__, _frames_to_list(frames), request_id)


def _exit_status(error):
    """The process exit status Python would give for this SystemExit."""
    code = error.code
    if code is None:
        return 0, None
    if isinstance(code, int):
        return code & 0xFF, None
    return 1, str(code) + "\n"


# --- logging, as the runtime sets up the root logger ----------------------------


def _level_from_env(value):
    return {None: "", "TRACE": "DEBUG"}.get(value, value).upper()


def _setup_logging(env, logging):
    log_format = (env.variables.get("AWS_LAMBDA_LOG_FORMAT") or "").upper()
    level = _level_from_env(env.variables.get("AWS_LAMBDA_LOG_LEVEL"))
    logging.Formatter.converter = time.gmtime
    root = logging.getLogger()

    class LambdaLoggerHandler(logging.Handler):
        def __init__(self):
            logging.Handler.__init__(self)
            self.log_sink = env

        def emit(self, record):
            env.log_chunks.append(self.format(record))

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = env.request_id or ""
            record.tenant_id = env.tenant_id
            return True

    handler = LambdaLoggerHandler()
    if log_format == "JSON":
        handler.setFormatter(_json_formatter(logging))
    else:
        handler.setFormatter(logging.Formatter(TEXT_LOG_FORMAT, "%Y-%m-%dT%H:%M:%S"))
    if level in logging._nameToLevel:
        root.setLevel(level)
    handler.addFilter(LambdaLoggerFilter())
    root.addHandler(handler)
    env.json_logs = log_format == "JSON"


def _json_formatter(logging):
    encoder = json.JSONEncoder(ensure_ascii=False, default=str)

    class JsonFormatter(logging.Formatter):
        def __init__(self):
            super().__init__(datefmt=JSON_DATE_FORMAT)

        def format(self, record):
            record.levelno = min(50, max(0, record.levelno)) // 10 * 10
            record.levelname = logging.getLevelName(record.levelno)
            exc = record.exc_info
            fields = {
                "timestamp": self.formatTime(record, self.datefmt),
                "level": record.levelname,
                "message": record.msg
                if isinstance(record.msg, dict) and not record.args
                else record.getMessage(),
                "logger": record.name,
                "stackTrace": traceback.format_tb(exc[2]) if exc else None,
                "errorType": exc[0].__name__ if exc else None,
                "errorMessage": str(exc[1]) if exc else None,
                "requestId": getattr(record, "aws_request_id", None),
                "location": f"{record.pathname}:{record.funcName}:{record.lineno}"
                if exc else None,
            }
            if getattr(record, "tenant_id", None) is not None:
                fields["tenantId"] = record.tenant_id
            fields.update(
                (key, value) for key, value in record.__dict__.items()
                if key not in RESERVED_RECORD_FIELDS and key not in fields
            )
            fields = {k: v for k, v in fields.items() if v is not None}
            return encoder.encode(fields) + "\n"

    return JsonFormatter()


def _indent_with_nbsp(line):
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped


def log_error(env, error):
    """Write an unhandled error to the log the way the runtime does: one line,
    its parts joined by carriage returns, indentation turned into no-break
    spaces (text format), or one JSON object (JSON format)."""
    if env.json_logs:
        stamp = time.strftime(JSON_DATE_FORMAT, time.gmtime(time.time()))
        env.log_chunks.append(env.writer.encode({"timestamp": stamp, "level": "ERROR", **error}) + "\n")
        return
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    stack = error.get("stackTrace")
    if stack is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack:
            if element == "":
                lines.append("")
            else:
                lines.extend(_indent_with_nbsp(part) for part in element.splitlines())
    env.log_chunks.append("\r".join(lines) + "\n")


# --- execution environments -----------------------------------------------------


def _is_shared_module(module):
    """Extension modules cannot be imported twice in one process, so they are
    shared by all environments; pure-Python modules belong to one environment."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or ""
    return origin in ("built-in", "frozen") or origin.endswith((".so", ".pyd", ".dylib"))


class Environment:
    """One execution environment: a handler module imported once, then invoked
    warm until the platform throws the environment away."""

    def __init__(self, task_root, handler, variables, ensure_ascii, clock=None, debug=False):
        self.task_root = task_root
        self.handler = handler
        self.variables = dict(variables)
        self.modules = {}
        self.path = [task_root] + _BASE_PATH
        self.writer = JsonWriter(ensure_ascii)
        self.log_chunks = []
        self.request_handler = None
        self.request_id = None
        self.tenant_id = None
        self.json_logs = False
        self.cancelled = threading.Event()
        self.cwd = task_root
        self.clock = clock
        self.deadline_ns = None
        self.debug = debug

    # The swap: only one environment's modules are in sys.modules at a time.
    def activate(self):
        global _active
        if _active is not self:
            if _active is not None:
                _active._stash()
            sys.modules.update(self.modules)
            sys.path[:] = self.path
            os.environ.data = self.variables
            _active = self

    def _stash(self):
        own = {}
        for name, module in list(sys.modules.items()):
            if name in _BASE_MODULES:
                continue
            if _is_shared_module(module):
                _BASE_MODULES.add(name)
                continue
            own[name] = module
            del sys.modules[name]
        self.modules = own
        self.path = list(sys.path)

    def discard(self):
        """Forget this environment (after a timeout or an exit)."""
        global _active
        _restore_cwd()
        if _active is self:
            self._stash()
            os.environ.data = _BASE_ENVIRON
            _active = None
        self.modules = {}

    def take_logs(self):
        """Everything logged since the last call, as UTF-8 bytes (anything
        that cannot be encoded is escaped rather than lost)."""
        data = "".join(self.log_chunks).encode("utf-8", "backslashreplace")
        self.log_chunks = []
        return data

    def _enter_thread(self):
        """The function runs: in its own folder, as Lambda runs it in /var/task."""
        _thread_env[threading.get_ident()] = self
        try:
            os.chdir(self.cwd)
        except OSError:
            pass

    def _leave_thread(self):
        """Between invocations the process goes back to its own folder, so the
        tests around the function keep their relative paths."""
        _thread_env.pop(threading.get_ident(), None)
        try:
            self.cwd = os.getcwd()
        except OSError:
            pass
        _restore_cwd()

    def init(self):
        """Import the handler module. Returns None, or the init error payload
        as JSON text, or (EXIT, status) when the module's top level exits."""
        self.activate()
        self._enter_thread()
        try:
            logging = importlib.import_module("logging")
            _setup_logging(self, logging)
            try:
                self.request_handler = _resolve_handler(self.handler)
                return None
            except RuntimeFault as fault:
                error = make_error(fault.message, fault.error_type, fault.trace)
            except Exception as exc:
                error = error_from_exception(exc)
            logging.warning(UNHANDLED_INIT_WARNING)
            log_error(self, error)
            return self.writer.encode(error)
        except SystemExit as exc:
            status, message = _exit_status(exc)
            if message:
                self.log_chunks.append(message)
            return (EXIT, status)
        except ProcessExit as exc:
            return (EXIT, int(exc.status) & 0xFF)
        except TimedOut:
            return (TIMEOUT, None)
        except BaseException as exc:  # KeyboardInterrupt and friends kill the process
            self.log_chunks.append("".join(traceback.format_exception(exc)))
            return (EXIT, 1)
        finally:
            self._leave_thread()

    def invoke(self, request_id, payload, content_type, timeout_ms, arn,
               client_context_json, identity_json, trace_id, tenant_id):
        """Run one invocation. Returns (outcome, body, content_type,
        virtual_ns): virtual_ns is the time the invocation took on a virtual
        clock, or None on the real one."""
        self.activate()
        self._enter_thread()
        if self.clock is not None:
            started_ns = self.clock.now_ns
            self.deadline_ns = started_ns + int(timeout_ms) * 1_000_000
            deadline_ms = self.deadline_ns // 1_000_000
        else:
            started_ns = None
            deadline_ms = _REAL_TIME["time_ns"]() // 1_000_000 + int(timeout_ms)
        outcome = self._invoke(request_id, payload, content_type, deadline_ms, arn,
                               client_context_json, identity_json, trace_id, tenant_id)
        virtual_ns = None if started_ns is None else self.clock.now_ns - started_ns
        return outcome + (virtual_ns,)

    def _invoke(self, request_id, payload, content_type, deadline_ms, arn,
                client_context_json, identity_json, trace_id, tenant_id):
        self.request_id = request_id
        self.tenant_id = tenant_id
        if trace_id is None:
            self.variables.pop("_X_AMZN_TRACE_ID", None)
        else:
            self.variables["_X_AMZN_TRACE_ID"] = trace_id
        try:
            try:
                client_context = _parse_header(client_context_json, "Client Context")
                identity = _parse_header(identity_json, "Cognito Identity")
                context = LambdaContext(self, request_id, client_context, identity,
                                        deadline_ms, arn, tenant_id)
                event = _unmarshal(payload, content_type)
                response = self.request_handler(event, context)
                body, result_type = marshal_response(response, self.writer)
                return (RESULT, body, result_type)
            except RuntimeFault as fault:
                error = make_error(fault.message, fault.error_type, fault.trace, request_id)
            except Exception as exc:
                error = error_from_exception(exc, request_id)
            log_error(self, error)
            return (ERROR, self.writer.encode(error).encode("utf-8"), "application/json")
        except SystemExit as exc:
            status, message = _exit_status(exc)
            if message:
                self.log_chunks.append(message)
            return (EXIT, status, None)
        except ProcessExit as exc:
            return (EXIT, int(exc.status) & 0xFF, None)
        except TimedOut:
            return (TIMEOUT, None, None)
        except BaseException as exc:
            self.log_chunks.append("".join(traceback.format_exception(exc)))
            return (EXIT, 1, None)
        finally:
            self._leave_thread()


def _parse_header(text, name):
    if not text:
        return None
    try:
        return json.loads(text)
    except Exception as error:
        raise RuntimeFault(
            "Runtime.LambdaContextUnmarshalError",
            "Unable to parse %s JSON: %s" % (name, error),
        )


def _unmarshal(payload, content_type):
    if content_type != "application/json":
        return payload
    try:
        return json.loads(payload)
    except Exception as error:
        raise RuntimeFault(UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % error)


def _resolve_handler(handler):
    """Import the module and find the function, raising the runtime's own
    errors for each way this can fail."""
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        raise RuntimeFault(MALFORMED_HANDLER, "Bad handler '%s': %s" % (handler, error))
    try:
        if module_name.split(".")[0] in sys.builtin_module_names:
            raise RuntimeFault(
                BUILT_IN_CONFLICT,
                "Cannot use built-in module %s as a handler module" % module_name,
            )
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as error:
        raise RuntimeFault(
            IMPORT_ERROR, "Unable to import module '%s': %s" % (module_name, error)
        )
    except SyntaxError as error:
        trace = ['  File "%s" Line %s\n    %s' % (error.filename, error.lineno, error.text)]
        raise RuntimeFault(
            SYNTAX_ERROR, "Syntax error in module '%s': %s" % (module_name, error), trace
        )
    try:
        return getattr(module, function_name)
    except AttributeError:
        raise RuntimeFault(
            HANDLER_NOT_FOUND,
            "Handler '%s' missing on module '%s'" % (function_name, module_name),
        )


def _restore_cwd():
    try:
        os.chdir(_PROCESS_CWD)
    except OSError:
        pass


def abandon_thread(ident):
    """The platform gave up on a worker thread stuck after a timeout: whatever
    it writes from now on is dropped."""
    _abandoned.add(ident)
    _thread_env.pop(ident, None)


def register_source(source):
    """Let tracebacks show the runtime's own source lines (the platform loads
    this module from a string, so linecache cannot read it from disk)."""
    import linecache

    linecache.cache[BOOTSTRAP_FILE] = (len(source), None, source.splitlines(True), BOOTSTRAP_FILE)


install()
_PROCESS_CWD = os.getcwd()
_BASE_PATH = [p for p in sys.path if p != ""]
_BASE_ENVIRON = os.environ.data
