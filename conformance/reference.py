"""Run ONE conformance case through AWS's own runtime interface client.

    .venv/bin/python reference.py CASE_NAME [--cases cases.json] [--runtime python3.11]

Prints one JSON object per invocation, in the shape `lab invoke --json` prints:
{"requestId", "result" | "error", "logs": [...], "report": {...}}, plus two
fields the harness CLI may or may not print: "rawResult" (the response body
exactly as awslambdaric marshalled it) and "contentType".

The runtime side is awslambdaric itself (`bootstrap._get_handler`,
`bootstrap.handle_event_request`, its logging setup, its error logging), called
the way `bootstrap.run` calls them. Only the platform around it is emulated
here, as plainly as possible:

* each execution environment is a forked child process (on Lambda, the runtime
  is a process of its own): init in it, then warm invocations in it;
* a failed init is retried once in a fresh environment during the invoke
  phase, as Lambda does (so an init error is logged twice per invocation), and
  the next invocation starts from a cold environment again;
* the environment's file descriptors 1 and 2 lead to its log (print,
  sys.stdout.buffer, os.write(1, ...), child processes), and its working
  directory is the task root, as on Lambda;
* the output of each phase (init, each invocation) is split into CloudWatch
  lines at "\\n", a trailing newline not making an empty line;
* START / END / REPORT / INIT_REPORT lines are added (the comparer ignores them).

The function's configuration mirrors what the harness derives for a case:
function name `<module>-function` (underscores as dashes), 128 MB, $LATEST,
us-east-1, account 123456789012.
"""

import argparse
import base64
import datetime
import json
import os
import secrets
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))


def function_name_for(handler):
    """What harness::FunctionConfig::new derives from a handler string."""
    module = handler.rsplit(".", 1)[0] if "." in handler else handler
    last = module.replace("/", ".").rsplit(".", 1)[-1] or "function"
    return "%s-function" % last.replace("_", "-")


def log_stream_name(version):
    today = datetime.datetime.now(datetime.timezone.utc)
    return "%s/[%s]%s" % (today.strftime("%Y/%m/%d"), version, secrets.token_hex(16))


def trace_header():
    return "Root=1-%08x-%s;Parent=%s;Sampled=0" % (
        int(time.time()), secrets.token_hex(12), secrets.token_hex(8))


def split_lines(text):
    """The platform cuts what a phase wrote at each newline."""
    if not text:
        return []
    if text.endswith("\n"):
        text = text[:-1]
    return text.split("\n")


def cli_result(raw):
    """The response body as the harness CLI prints it: parsed as strict JSON
    (no NaN/Infinity, valid UTF-8), else the body as a (lossy) string."""
    def reject(name):
        raise ValueError("not strict JSON: %s" % name)
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=reject)
    except Exception:
        return raw.decode("utf-8", "replace")


# --- the execution environment (child process) ---------------------------------


class _Channel:
    def __init__(self, read_fd, write_fd):
        self.reader = os.fdopen(read_fd, "r", encoding="utf-8")
        self.write_fd = write_fd

    def send(self, message):
        data = (json.dumps(message) + "\n").encode("utf-8")
        while data:
            written = os.write(self.write_fd, data)
            data = data[written:]

    def recv(self):
        line = self.reader.readline()
        if not line:
            return None
        return json.loads(line)


class _FakeRuntimeClient:
    """What handle_event_request talks to: the marshaller and the two posts."""

    def __init__(self):
        from awslambdaric.lambda_runtime_marshaller import LambdaMarshaller
        self.marshaller = LambdaMarshaller()
        self.posted = None

    def post_invocation_result(self, invoke_id, result_data, content_type="application/json",
                               invocation_id=None):
        body = result_data if isinstance(result_data, bytes) else result_data.encode("utf-8")
        self.posted = ("result", invoke_id, body, content_type)

    def post_invocation_error(self, invoke_id, error_response_data, xray_fault, invocation_id=None):
        self.posted = ("error", invoke_id, error_response_data, xray_fault)


def _environment_main(channel, handler_string):
    """Body of one execution environment, in its own process: what
    awslambdaric's bootstrap.run does, with stdout captured as the log."""
    import logging
    import tempfile

    from awslambdaric import bootstrap
    from awslambdaric.lambda_runtime_exception import FaultException
    from awslambdaric.lambda_literals import lambda_unhandled_exception_warning_message

    # On Lambda the runtime's file descriptors 1 and 2 lead to the log: print,
    # sys.stdout.buffer, os.write(1, ...) and child processes all land there,
    # in order. Here both lead to one temporary file, read after each phase.
    log_file = tempfile.TemporaryFile()
    os.dup2(log_file.fileno(), 1)
    os.dup2(log_file.fileno(), 2)
    # What Python itself would open on a pipe, under a UTF-8 locale, then
    # wrapped by run() in Unbuffered (flush after every write).
    sys.stdout = bootstrap.Unbuffered(open(1, "w", encoding="utf-8", errors="strict", closefd=False))
    sys.stderr = bootstrap.Unbuffered(
        open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False, buffering=1))
    read_offset = [0]

    def take_logs():
        sys.stdout.flush()
        sys.stderr.flush()
        chunks = []
        while True:
            chunk = os.pread(log_file.fileno(), 1 << 20, read_offset[0])
            if not chunk:
                break
            chunks.append(chunk)
            read_offset[0] += len(chunk)
        return b"".join(chunks).decode("utf-8", "replace")

    log_sink = bootstrap.StandardLogSink()
    error_result = None
    try:
        bootstrap._setup_logging(bootstrap._AWS_LAMBDA_LOG_FORMAT, bootstrap._AWS_LAMBDA_LOG_LEVEL, log_sink)
        bootstrap._log_preview_runtime_warning()
        request_handler = bootstrap._get_handler(handler_string)
    except FaultException as e:
        error_result = bootstrap.make_error(e.msg, e.exception_type, e.trace)
    except Exception:
        etype, value, tb = sys.exc_info()
        # In run() the traceback starts at run() itself (bootstrap.py) and is
        # trimmed by build_fault_result; start it at the same place: drop
        # this frame, which is not bootstrap.py's.
        error_result = bootstrap.build_fault_result((etype, value, tb.tb_next), None)

    if error_result is not None:
        logging.warning(lambda_unhandled_exception_warning_message)
        bootstrap.log_error(error_result, log_sink)
        channel.send({"init": "error", "error": error_result, "logs": take_logs()})
        return 1
    channel.send({"init": "ok", "logs": take_logs()})

    client = _FakeRuntimeClient()
    while True:
        command = channel.recv()
        if command is None:
            return 0
        invoke_id = command["requestId"]
        bootstrap._GLOBAL_AWS_REQUEST_ID = invoke_id
        bootstrap._GLOBAL_TENANT_ID = None
        bootstrap.update_xray_env_variable(command["traceId"])
        client.posted = None
        try:
            bootstrap.handle_event_request(
                client,
                request_handler,
                invoke_id,
                command["event"].encode("utf-8"),
                "application/json",
                None,  # client context
                None,  # cognito identity
                command["arn"],
                command["deadlineMs"],
                None,  # tenant id
                log_sink,
                None,  # invocation id
            )
        except SystemExit as e:  # the runtime process dies (Runtime.ExitError)
            code = e.code
            if code is None:
                status = 0
            elif isinstance(code, int):
                status = code & 0xFF
            else:
                sys.stderr.write(str(code) + "\n")
                status = 1
            channel.send({"kind": "exit", "status": status, "logs": take_logs()})
            return status
        kind, posted_id, body, extra = client.posted
        if kind == "result":
            channel.send({"kind": "result", "body": base64.b64encode(body).decode("ascii"),
                          "contentType": extra, "postedId": posted_id, "logs": take_logs()})
        else:
            channel.send({"kind": "error", "body": body, "postedId": posted_id, "logs": take_logs()})


class Environment:
    """A forked child running _environment_main."""

    def __init__(self, handler_string):
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(to_child_w)
            os.close(from_child_r)
            status = 70
            try:
                status = _environment_main(_Channel(to_child_r, from_child_w), handler_string)
            except BaseException as exc:  # a bug here, not in the handler
                try:
                    os.write(2, ("reference environment crashed: %r\n" % (exc,)).encode())
                finally:
                    os._exit(70)
            os._exit(status)
        os.close(to_child_r)
        os.close(from_child_w)
        self.pid = pid
        self.channel = _Channel(from_child_r, to_child_w)

    def close(self):
        try:
            os.close(self.channel.write_fd)
        except OSError:
            pass
        self.channel.reader.close()
        os.waitpid(self.pid, 0)


# --- the platform (parent process) ----------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    parser.add_argument("--cases", default=os.path.join(HERE, "cases.json"))
    parser.add_argument("--runtime", default=None,
                        help="default runtime id (python3.X) when the case names none")
    args = parser.parse_args()

    with open(args.cases, encoding="utf-8") as f:
        cases = {c["name"]: c for c in json.load(f)}
    case = cases[args.case]
    task_root = os.path.join(os.path.dirname(os.path.abspath(args.cases)), "cases")
    handler_string = case["handler"]
    runtime = case.get("runtime") or args.runtime or "python3.%d" % sys.version_info.minor
    invokes = int(case.get("invokes", 1))

    function_name = function_name_for(handler_string)
    region, account = "us-east-1", "123456789012"
    arn = "arn:aws:lambda:%s:%s:function:%s" % (region, account, function_name)
    version = "$LATEST"
    memory = "128"
    timeout_s = 3

    # The environment Lambda gives the runtime, set before awslambdaric is
    # imported (it reads the log format and level at import time).
    keep = {k: os.environ[k] for k in ("PATH", "HOME", "SYSTEMROOT") if k in os.environ}
    os.environ.clear()
    os.environ.update(keep)
    os.environ.update({
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": memory,
        "AWS_LAMBDA_FUNCTION_VERSION": version,
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/%s" % function_name,
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream_name(version),
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_EXECUTION_ENV": "AWS_Lambda_%s" % runtime,
        "_HANDLER": handler_string,
        "LAMBDA_TASK_ROOT": task_root,
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "TZ": ":UTC",
        "LANG": "en_US.UTF-8",
        "AWS_ACCESS_KEY_ID": "ASIAXAMPLELOCALLAMBDA",
        "AWS_SECRET_ACCESS_KEY": "local/reference/fake/secret",
        "AWS_SESSION_TOKEN": "FakeSessionToken",
    })
    os.environ.update(case.get("env") or {})
    time.tzset()
    sys.dont_write_bytecode = True
    sys.path.insert(0, task_root)
    os.chdir(task_root)

    import awslambdaric.bootstrap  # noqa: F401  (reads the log settings now)

    event_text = json.dumps(case.get("event", {}), separators=(",", ":"), ensure_ascii=False)
    out = sys.stdout
    environment = None

    for _ in range(invokes):
        request_id = str(uuid.uuid4())
        lines = []
        cold = False
        init_ms = 0.0
        init_error = None
        started = time.perf_counter()
        if environment is None:
            for phase in ("init", "invoke"):
                os.environ["AWS_LAMBDA_LOG_STREAM_NAME"] = log_stream_name(version)
                t0 = time.perf_counter()
                environment = Environment(handler_string)
                message = environment.channel.recv()
                init_ms += (time.perf_counter() - t0) * 1000
                if message is None:
                    raise SystemExit("reference: the environment died during init")
                lines += split_lines(message["logs"])
                if message["init"] == "ok":
                    cold = True
                    break
                init_error = message["error"]
                lines.append("INIT_REPORT Init Duration: %.2f ms\tPhase: %s\tStatus: error\tError Type: %s"
                             % (init_ms, phase, init_error["errorType"]))
                environment.close()
                environment = None
                if phase == "init":
                    lines.append("START RequestId: %s Version: %s" % (request_id, version))
        if environment is not None:
            lines.append("START RequestId: %s Version: %s" % (request_id, version))
        record = {"requestId": request_id}
        status = None
        if environment is None:
            record["error"] = init_error
            status = "Status: error\tError Type: %s" % init_error["errorType"]
        else:
            deadline_ms = int(time.time() * 1000) + timeout_s * 1000
            environment.channel.send({"requestId": request_id, "event": event_text, "arn": arn,
                                      "deadlineMs": deadline_ms, "traceId": trace_header()})
            message = environment.channel.recv()
            if message is None:
                raise SystemExit("reference: the environment died during an invocation")
            lines += split_lines(message["logs"])
            if message["kind"] == "result":
                raw = base64.b64decode(message["body"])
                record["result"] = cli_result(raw)
                record["rawResult"] = raw.decode("utf-8", "replace")
                record["contentType"] = message["contentType"]
            elif message["kind"] == "error":
                record["error"] = json.loads(message["body"])
            else:
                reason = ("Runtime exited with error: exit status %d" % message["status"]
                          if message["status"] else "Runtime exited without providing a reason")
                text = "RequestId: %s Error: %s" % (request_id, reason)
                lines += [text, "Runtime.ExitError"]
                record["error"] = {"errorMessage": text, "errorType": "Runtime.ExitError"}
                status = "Status: error\tError Type: Runtime.ExitError"
                environment.close()
                environment = None
        duration_ms = (time.perf_counter() - started) * 1000 - (init_ms if cold else 0)
        lines.append("END RequestId: %s" % request_id)
        report_line = ("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %s MB"
                       "\tMax Memory Used: 0 MB" % (request_id, duration_ms, int(duration_ms) + 1, memory))
        if cold:
            report_line += "\tInit Duration: %.2f ms" % init_ms
        if status:
            report_line += "\t" + status
        lines.append(report_line)
        record["logs"] = lines
        record["report"] = {
            "durationMs": round(duration_ms, 2),
            "billedDurationMs": int(duration_ms) + 1,
            "memorySizeMb": int(memory),
            "maxMemoryUsedMb": 0,
            "initDurationMs": round(init_ms, 2) if cold else None,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()

    if environment is not None:
        environment.close()


if __name__ == "__main__":
    main()
