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


def _frames_to_list(frames):
    return traceback.format_list(
        [(f.filename, f.lineno, f.name, f.line) for f in frames]
    )


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


