"""Logging as the runtime sets it up: a handler on the ROOT logger (so
`logging.basicConfig()` does nothing and the level stays WARNING unless
AWS_LAMBDA_LOG_LEVEL says otherwise), the text and JSON record formats, and
the one-line record of an unhandled error."""

import json
import time
import traceback

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




def _level_from_env(value):
    return {None: "", "TRACE": "DEBUG"}.get(value, value).upper()


def setup_logging(env, logging):
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

    class WorkshopEndpointFilter(logging.Filter):
        def filter(self, record):
            return not str(record.msg).startswith("Found endpoint for")

    # The SDK reaches the workshop's local AWS through AWS_ENDPOINT_URL, which
    # Lambda never sets; botocore announces it at INFO ("Found endpoint for s3
    # via: environment_global."), a line no function on Lambda writes.
    logging.getLogger("botocore.configprovider").addFilter(WorkshopEndpointFilter())
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


