"""The platform around the runtime client when the book's examples run in
the reader's browser (Python compiled to WebAssembly by Pyodide, in a Web
Worker). On a learner's machine the harness (Rust) is the platform; here
this module is. It does the same few things, in the same words:

- one execution environment per function (a runnable block of a page),
  created on the first invocation (a cold start: the handler module is
  imported, with Lambda's 10 s init limit) and kept warm until the code
  changes, as a new deployment would replace it;
- a failed init reported with its INIT_REPORT line and tried once more in the
  invoke phase, as Lambda does;
- the START, END and REPORT lines around what the function logs, the
  `Runtime.ExitError` of a handler that exits, and the error payloads.

The wording and the figures come from the harness's `record.rs`, itself
checked against AWS's documented log lines and against awslambdaric in the
conformance suite; `tests/browser/` runs the same handlers here and through
`cargo lab invoke` and compares the two.

What this platform cannot do from inside the worker is stop a handler that
never returns: the page does it, by ending the worker when the time is up,
as Lambda ends the environment (`runner.js`). Everything the function
writes is also sent to the page as it is written (`post_log`), so the page
can show it after ending the worker. Memory is not limited here, and Max
Memory Used is the size of the WebAssembly heap, the nearest figure a
browser gives."""

import json
import linecache
import math
import os
import secrets
import sys
import time
import uuid

import _lambda_environment as runtime
from _lambda_faults import ERROR, EXIT, RESULT, TIMEOUT

TASK_ROOT = "/var/task"
HANDLER_FILE = TASK_ROOT + "/handler.py"
INIT_LIMIT_MS = 10_000


class _StreamedLog(list):
    """An environment's log chunks, each also sent to the page as written."""

    def __init__(self, post):
        super().__init__()
        self.post = post

    def append(self, chunk):
        super().append(chunk)
        self.post(chunk)


class _Record:
    """One invocation's log lines and figures, as `record.rs` writes them."""

    def __init__(self, request_id, memory_size_mb, lines=None, init_ms=0.0):
        self.request_id = request_id
        self.memory_size_mb = memory_size_mb
        self.lines = list(lines or [])
        self.init_ms = init_ms
        self.cold = False
        self.init_given_up = False
        self.status = None

    def add_logs(self, text):
        if not text:
            return
        if text.endswith("\n"):
            text = text[:-1]
        self.lines.extend(text.split("\n"))

    def start(self):
        self.lines.append("START RequestId: %s Version: $LATEST" % self.request_id)

    def init_failed(self, phase, error_type):
        self.lines.append(
            "INIT_REPORT Init Duration: %.2f ms\tPhase: %s\tStatus: error\tError Type: %s"
            % (self.init_ms, phase, error_type)
        )
        self.status = "Status: error\tError Type: %s" % error_type

    def exited(self, status):
        if status < 0:
            reason = "Runtime exited with error: signal: %s" % _SIGNALS.get(-status, "signal %d" % -status)
        elif status == 0:
            reason = "Runtime exited without providing a reason"
        else:
            reason = "Runtime exited with error: exit status %d" % status
        message = "RequestId: %s Error: %s" % (self.request_id, reason)
        self.lines.append(message)
        self.lines.append("Runtime.ExitError")
        self.status = "Status: error\tError Type: Runtime.ExitError"
        return {"errorMessage": message, "errorType": "Runtime.ExitError"}

    def finish(self, duration_ms, max_memory_mb):
        if not any(line.startswith("START RequestId: ") for line in self.lines):
            self.start()
        self.lines.append("END RequestId: %s" % self.request_id)
        init_ms = self.init_ms if self.cold and not self.init_given_up else None
        billed = max(1, math.ceil(duration_ms + (init_ms or 0.0)))
        line = "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB" % (
            self.request_id, duration_ms, billed, self.memory_size_mb, max_memory_mb)
        if init_ms is not None:
            line += "\tInit Duration: %.2f ms" % init_ms
        if self.status:
            line += "\t" + self.status
        self.lines.append(line)


# Go's names for the signals, as Lambda's platform writes them (record.rs).
_SIGNALS = {1: "hangup", 2: "interrupt", 3: "quit", 4: "illegal instruction", 5: "trace/breakpoint trap",
            6: "aborted", 7: "bus error", 8: "floating point exception", 9: "killed",
            10: "user defined signal 1", 11: "segmentation fault", 12: "user defined signal 2",
            13: "broken pipe", 14: "alarm clock", 15: "terminated"}


class _Function:
    def __init__(self, code, function_name, environment):
        self.code = code
        self.function_name = function_name
        self.environment = environment


class Platform:
    """The functions of one page, each with its warm environment."""

    def __init__(self, settings, post_log, post_phase, heap_mb):
        # settings: what the build wrote in runner/runtime.json (the
        # variables Lambda sets, from the harness's config.rs).
        self.settings = settings
        self.post_log = post_log
        self.post_phase = post_phase
        self.heap_mb = heap_mb
        self.functions = {}
        os.makedirs(TASK_ROOT, exist_ok=True)

    def invoke(self, name, code, event_text, timeout_ms, memory_mb, carried=None, function_name="lambda_handler"):
        """Invoke function `name` (its source `code`) with the event, in
        its warm environment when its code has not changed. `carried` holds
        what the page kept of an init attempt it ended (lines, init_ms): this
        call is then the retry in the invoke phase. Returns a dict the page
        shows: ok, body, content_type, lines, cold, request_id."""
        request_id = str(uuid.uuid4())
        record = _Record(request_id, memory_mb, **(carried or {}))
        function = self.functions.get(name)
        if function is not None and (function.code, function.function_name) != (code, function_name):
            self._discard(name)
            function = None
        self._write_handler(code)
        if function is None:
            phases = ["invoke"] if carried else ["init", "invoke"]
            environment, error = self._cold_start(record, phases, timeout_ms, memory_mb, function_name)
            if environment is None:
                record.init_given_up = True
                record.finish(0.0, self.heap_mb())
                return self._reply(record, False, error, "application/json")
            function = self.functions[name] = _Function(code, function_name, environment)
        environment = function.environment
        # take_logs() starts a new plain list: stream this invocation's too.
        environment.log_chunks = _StreamedLog(self.post_log)
        record.start()
        self._phase("invoke", record, timeout_ms)
        started = time.perf_counter()
        outcome = environment.invoke(
            request_id, event_text.encode("utf-8"), "application/json", timeout_ms,
            self._arn(), None, None, _trace_header(), None)
        duration_ms = (time.perf_counter() - started) * 1000.0
        code_, body, content_type, _virtual = outcome
        record.add_logs(environment.take_logs().decode("utf-8"))
        if code_ == RESULT:
            ok, shown, kind = True, bytes(body), content_type
        elif code_ == ERROR:
            ok, shown, kind = False, bytes(body), "application/json"
        else:
            # An exit (TIMEOUT cannot come back on the real clock: the page
            # ends the worker first).
            status = body if code_ == EXIT else 1
            ok, shown, kind = False, _json(record.exited(int(status))), "application/json"
            self._discard(name)
        record.finish(duration_ms, self.heap_mb())
        return self._reply(record, ok, shown, kind)

    def _cold_start(self, record, phases, timeout_ms, memory_mb, function_name):
        error = None
        for phase in phases:
            limit = INIT_LIMIT_MS if phase == "init" else timeout_ms
            environment = runtime.Environment(TASK_ROOT, "handler." + function_name, self._variables(memory_mb),
                                              self.settings["ensure_ascii"])
            environment.log_chunks = _StreamedLog(self.post_log)
            self._phase("init-" + phase, record, limit)
            started = time.perf_counter()
            outcome = environment.init(limit)
            record.init_ms += (time.perf_counter() - started) * 1000.0
            record.add_logs(environment.take_logs().decode("utf-8"))
            if outcome is None:
                record.cold = True
                return environment, None
            if isinstance(outcome, tuple) and outcome[0] == EXIT:
                error = _json(record.exited(int(outcome[1])))
                error_type = "Runtime.ExitError"
            elif isinstance(outcome, tuple) and outcome[0] == TIMEOUT:
                error = _json({"errorMessage": "RequestId: %s Error: Task timed out after %.2f seconds"
                               % (record.request_id, limit / 1000), "errorType": "Sandbox.Timedout"})
                error_type = "Sandbox.Timedout"
            else:
                error = outcome.encode("utf-8")
                error_type = _error_type(outcome)
            record.init_failed(phase, error_type)
            environment.discard()
        return None, error

    def invoke_json(self, request_text):
        """`invoke` for the worker: a JSON request in, a JSON reply out."""
        request = json.loads(request_text)
        return json.dumps(self.invoke(request["name"], request["code"], request["event"], request["timeout_ms"],
                                      request["memory_mb"], request.get("carried"),
                                      request.get("function") or "lambda_handler"))

    def _phase(self, phase, record, limit_ms):
        """Tell the page a phase starts, with all it needs to finish the
        record itself if it has to end the worker when `limit_ms` is up."""
        self.post_phase(json.dumps({
            "phase": phase,
            "request_id": record.request_id,
            "limit_ms": limit_ms,
            "lines": record.lines,
            "init_ms": record.init_ms if (record.cold or phase.startswith("init")) else None,
            "memory_mb": self.heap_mb(),
        }))

    def _discard(self, name):
        function = self.functions.pop(name, None)
        if function is not None:
            function.environment.discard()

    def _write_handler(self, code):
        """The function's code at /var/task/handler.py, where the traceback
        reads its lines from: one page's functions take turns in one folder."""
        with open(HANDLER_FILE, "w", encoding="utf-8") as file:
            file.write(code)
        linecache.checkcache(HANDLER_FILE)

    def _variables(self, memory_mb):
        variables = dict(self.settings["variables"])
        variables["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = str(memory_mb)
        variables["AWS_LAMBDA_LOG_STREAM_NAME"] = "%s/[$LATEST]%s" % (
            time.strftime("%Y/%m/%d", time.gmtime()), secrets.token_hex(16))
        return variables

    def _arn(self):
        return self.settings["function_arn"]

    @staticmethod
    def _reply(record, ok, body, content_type):
        return {
            "ok": ok,
            "body": body.decode("utf-8", "replace"),
            "content_type": content_type,
            "lines": record.lines,
            # This invocation made the environment (even if its init failed).
            "cold": record.cold or record.init_given_up or bool(record.init_ms),
            "request_id": record.request_id,
        }


def _json(value):
    # Compact, as the harness writes the platform's own errors (serde_json).
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def _error_type(payload_text):
    try:
        return json.loads(payload_text).get("errorType", "")
    except Exception:
        return ""


def _trace_header():
    """_X_AMZN_TRACE_ID as Lambda sets it for a function without active tracing."""
    return "Root=1-%08x-%s;Parent=%s;Sampled=0" % (int(time.time()), secrets.token_hex(12), secrets.token_hex(8))


def runtime_sources_registered(sources):
    """Let tracebacks show the runtime's own lines, as the harness does."""
    for name, source in sources:
        runtime.register_source("<lambda-harness>/runtime/%s.py" % name, source)


sys.dont_write_bytecode = True
