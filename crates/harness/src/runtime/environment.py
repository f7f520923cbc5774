"""Execution environments: a handler module imported once (init), then
invoked warm until the platform throws the environment away. Several share
one interpreter, so each keeps its own module table, `sys.path`, environment
variables, logging module and output capture, and swaps them in when it runs;
the platform lets only one invocation run at a time, which makes that safe.

This module is the runtime's entry point: the platform (Rust) creates
`Environment` objects and calls `init` and `invoke` on them."""

import importlib
import json
import os
import sys
import threading
import traceback

import _lambda_sandbox as sandbox
from _lambda_context import LambdaContext
from _lambda_faults import (
    BUILT_IN_CONFLICT, ERROR, EXIT, HANDLER_NOT_FOUND, IMPORT_ERROR, MALFORMED_HANDLER, RESULT,
    SYNTAX_ERROR, TIMEOUT, UNMARSHAL_ERROR, ProcessExit, RuntimeFault, TimedOut,
    error_from_exception, exit_status, make_error,
)
from _lambda_logs import UNHANDLED_INIT_WARNING, log_error, setup_logging
from _lambda_marshal import JsonWriter, marshal_response
# The platform (Rust) finds everything it calls in this module: Environment,
# TimedOut (from faults, above), VirtualClock, abandon_thread, handler_threads,
# register_source.
from _lambda_sandbox import VirtualClock, abandon_thread, handler_threads  # noqa: F401

def _is_shared_module(module):
    """Extension modules cannot be imported twice in one process, so they are
    shared by all environments; pure-Python modules belong to one environment."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or ""
    return origin in ("built-in", "frozen") or origin.endswith((".so", ".pyd", ".dylib"))


class Environment:
    """One execution environment: a handler module imported once, then invoked
    warm until the platform throws the environment away."""

    def __init__(self, task_root, handler, variables, ensure_ascii, clock=None, debug=False, layer_paths=()):
        self.task_root = task_root
        self.handler = handler
        self.variables = dict(variables)
        self.modules = {}
        # The task root, then the layers' folders (as /opt/python/lib/
        # pythonN.N/site-packages and /opt/python come on Lambda), then the
        # runtime's own.
        self.path = [task_root] + list(layer_paths) + sandbox.base_path
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
        self.child_pipe = None  # (read, write): what forked children write

    # The swap: only one environment's modules are in sys.modules at a time.
    def activate(self):
        if sandbox.active is not self:
            if sandbox.active is not None:
                sandbox.active._stash()
            sys.modules.update(self.modules)
            sys.path[:] = self.path
            os.environ.data = self.variables
            sandbox.active = self

    def _stash(self):
        own = {}
        for name, module in list(sys.modules.items()):
            if name in sandbox.base_modules:
                continue
            if _is_shared_module(module):
                sandbox.base_modules.add(name)
                continue
            own[name] = module
            del sys.modules[name]
        self.modules = own
        self.path = list(sys.path)

    def discard(self):
        """Forget this environment (after a timeout or an exit)."""
        sandbox.restore_cwd()
        if sandbox.active is self:
            self._stash()
            os.environ.data = sandbox.base_environ
            sandbox.active = None
        self.modules = {}
        sandbox.close_children_output(self)

    def take_logs(self):
        """Everything logged since the last call, as UTF-8 bytes (anything
        that cannot be encoded is escaped rather than lost)."""
        data = "".join(self.log_chunks).encode("utf-8", "backslashreplace")
        self.log_chunks = []
        return data + sandbox.drain_children_output(self)

    def _enter_thread(self):
        """The function runs: in its own folder, as Lambda runs it in /var/task."""
        sandbox.thread_env[threading.get_ident()] = self
        try:
            os.chdir(self.cwd)
        except OSError:
            pass

    def _leave_thread(self):
        """Between invocations the process goes back to its own folder, so the
        tests around the function keep their relative paths."""
        sandbox.thread_env.pop(threading.get_ident(), None)
        try:
            self.cwd = os.getcwd()
        except OSError:
            pass
        sandbox.restore_cwd()

    def init(self, limit_ms=None):
        """Import the handler module. Returns None, or the init error payload
        as JSON text, or (EXIT, status) when the module's top level exits.
        On a virtual clock, a sleep past `limit_ms` ends init as a timeout."""
        if self.clock is not None and limit_ms is not None:
            self.deadline_ns = self.clock.now_ns + int(limit_ms) * 1_000_000
        try:
            outcome = self._init()
        finally:
            self.deadline_ns = None
        if sandbox.in_forked_child():
            sandbox.exit_forked_child(outcome[1] if isinstance(outcome, tuple) else 0)
        return outcome

    def _init(self):
        self.activate()
        self._enter_thread()
        try:
            logging = importlib.import_module("logging")
            setup_logging(self, logging)
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
            status, message = exit_status(exc)
            if message:
                self.log_chunks.append(message)
            return (EXIT, status)
        except ProcessExit as exc:
            return (EXIT, _status(exc))
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
            deadline_ms = sandbox.REAL_TIME["time_ns"]() // 1_000_000 + int(timeout_ms)
        outcome = self._invoke(request_id, payload, content_type, deadline_ms, arn,
                               client_context_json, identity_json, trace_id, tenant_id)
        if sandbox.in_forked_child():
            code, body = outcome[0], outcome[1]
            sandbox.exit_forked_child(body if code == EXIT else (0 if code == RESULT else 1))
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
            status, message = exit_status(exc)
            if message:
                self.log_chunks.append(message)
            return (EXIT, status, None)
        except ProcessExit as exc:
            return (EXIT, _status(exc), None)
        except TimedOut:
            return (TIMEOUT, None, None)
        except BaseException as exc:
            self.log_chunks.append("".join(traceback.format_exception(exc)))
            return (EXIT, 1, None)
        finally:
            self._leave_thread()


def _status(exit):
    """The status an os._exit gave (0-255), or minus the signal that ended
    the process."""
    status = int(exit.status)
    return status if status < 0 else status & 0xFF


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
        # As awslambdaric's simplejson.loads reads bytes: decoded as UTF-8
        # (UTF-16 fails here, where the standard library's json would guess
        # it), a UTF-8 byte order mark skipped.
        text = payload.decode("utf-8") if isinstance(payload, (bytes, bytearray)) else payload
        return json.loads(text[1:] if text.startswith("\ufeff") else text)
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




def register_source(filename, source):
    """Let tracebacks show the runtime's own source lines (the platform loads
    these modules from strings, so linecache cannot read them from disk)."""
    import linecache

    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)




sandbox.install()
