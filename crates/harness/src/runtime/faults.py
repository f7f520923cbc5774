"""Errors as the runtime reports them: the runtime's own error types, the
exceptions the platform raises into a handler (an exit, a timeout), and the
error payload awslambdaric builds from an exception (stack trace starting at
the user's first frame)."""

import traceback

# Frames from the runtime's own files are dropped from the front of stack
# traces, as awslambdaric drops its own bootstrap.py frames.
RUNTIME_FILES = "<lambda-harness>/runtime/"

MARSHAL_ERROR = "Runtime.MarshalError"
UNMARSHAL_ERROR = "Runtime.UnmarshalError"
SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
IMPORT_ERROR = "Runtime.ImportModuleError"
BUILT_IN_CONFLICT = "Runtime.BuiltInModuleConflict"
MALFORMED_HANDLER = "Runtime.MalformedHandlerName"

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



# Invocation outcomes, as returned to the platform.
RESULT, ERROR, EXIT, TIMEOUT = 0, 1, 2, 3


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
        if not frame.filename.startswith(RUNTIME_FILES):
            return frames[index:]
    return frames


# Where a frame of the runtime itself stays in a trace (the handler name
# points at something that is not a function; a print that cannot be encoded),
# Lambda shows its runtime client's frame: awslambdaric's bootstrap.py, which
# Lambda's Python runtimes keep in /var/runtime/awslambdaric/ (tracebacks of
# import errors on Lambda show "/var/runtime/awslambdaric/bootstrap.py", line
# 53, in _get_handler). The harness's own frame becomes the one awslambdaric
# 4.2.2 (the conformance suite's reference, conformance/) has at that point:
# (harness file, function) -> (line, function, source line).
LAMBDA_RUNTIME_FILE = "/var/runtime/awslambdaric/bootstrap.py"
_LAMBDA_FRAMES = {
    ("environment.py", "_invoke"): (178, "handle_event_request", "response = request_handler(event, lambda_context)"),
    ("sandbox.py", "write"): (361, "write", "self.stream.write(msg)"),
    ("sandbox.py", "writelines"): (365, "writelines", "self.stream.writelines(msgs)"),
}


def _as_lambda_shows(frames):
    """The frames as they read on Lambda: each of the runtime's own that
    awslambdaric has a counterpart for becomes that counterpart, and the
    runtime's frames after it go (on Lambda, what follows is C code: the
    stream's write, the call of a non-callable)."""
    shown = []
    replaced = False
    for f in frames:
        if not f.filename.startswith(RUNTIME_FILES):
            shown.append((f.filename, f.lineno, f.name, f.line))
            replaced = False
            continue
        if replaced:
            continue
        key = (f.filename[len(RUNTIME_FILES):], f.name)
        if key in _LAMBDA_FRAMES:
            lineno, name, line = _LAMBDA_FRAMES[key]
            shown.append((LAMBDA_RUNTIME_FILE, lineno, name, line))
            replaced = True
        else:
            shown.append((f.filename, f.lineno, f.name, f.line))
    return shown


def _frames_to_list(frames):
    return traceback.format_list(_as_lambda_shows(frames))


def error_from_exception(error, request_id=None):
    frames = _user_frames(error.__traceback__)
    return make_error(str(error), type(error).__name__, _frames_to_list(frames), request_id)


def exit_status(error):
    """The process exit status Python would give for this SystemExit."""
    code = error.code
    if code is None:
        return 0, None
    if isinstance(code, int):
        return code & 0xFF, None
    return 1, str(code) + "\n"


