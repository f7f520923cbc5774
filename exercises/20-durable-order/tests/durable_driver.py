"""Runs a learner's durable function with the official testing SDK
(aws-durable-execution-sdk-python-testing) in a few situations, and prints
what happened as one JSON object on standard output, for the exercise's
checks (tests/durable_order.rs) to read.

    python durable_driver.py TASK_FILE FUNCTION

Each situation is one execution in a DurableFunctionTestRunner, which runs
the function in this process, checkpoints its operations, and invokes it
again after each wait and retry, replaying it from the checkpoints, as
Lambda does. The runner skips the time a wait or a retry's delay lasts
(its history keeps the modelled times), and the function's own clock is
moved on by the same amount, so that a replay after a 30-minute wait reads
a time 30 minutes later, as it would on Lambda. time.sleep is recorded and
returns at once. The function gets the pretend shop (shop.py, beside this
file), reset for each situation, whose card service fails as the situation
says.
"""

import datetime as _datetime
import importlib.util
import io
import json
import logging
import os
import sys
import time as _time
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
EVENT = {"order_id": "o-1001", "items": ["book", "lamp"], "amount": 42.5}

# (name, what the card service does on its first calls)
SITUATIONS = [
    ("busy", ["busy", "busy"]),
    ("busy-thrice", ["busy", "busy", "busy"]),
    ("lost-answer", ["timeout"]),
]


def main():
    task_file, function = sys.argv[1], sys.argv[2]
    out = {"python": "%d.%d" % sys.version_info[:2]}
    try:
        from aws_durable_execution_sdk_python_testing.runner import DurableFunctionTestRunner
    except ImportError as error:
        out["setup"] = "the durable execution SDK cannot be imported: %s" % error
        print(json.dumps(out))
        return
    # The SDK logs each failed attempt with its traceback: keep it for the report.
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.dirname(os.path.abspath(task_file)))
    import shop

    clock = {"runner": None}
    sleeps = []
    try:
        module = load(task_file)
    except BaseException:
        out["load_error"] = traceback.format_exc()
        print(json.dumps(out))
        return
    patch_time(module, clock, sleeps)
    target = getattr(module, function, None)
    if target is None:
        out["load_error"] = "%s has no function named %s" % (task_file, function)
        print(json.dumps(out))
        return

    invocations = []

    def counted(event, context):
        runner = clock["runner"]
        invocations.append(runner._clock.now() if runner is not None else _datetime.datetime.now(_datetime.timezone.utc))
        return target(event, context)

    out["situations"] = {}
    for name, trouble in SITUATIONS:
        shop._reset(trouble)
        sleeps.clear()
        invocations.clear()
        log.seek(0)
        log.truncate()
        started = _time.monotonic()
        report = {}
        try:
            with DurableFunctionTestRunner(handler=counted) as runner:
                clock["runner"] = runner
                result = runner.run(input=json.dumps(EVENT), execution_timeout=60)
            report["status"] = result.status.value
            report["result"] = parse(result.result)
            report["error"] = error_of(result.error)
            report["operations"] = operations(result)
        except BaseException:
            report["status"] = "RUNNER_ERROR"
            report["runner_error"] = traceback.format_exc()
        finally:
            clock["runner"] = None
        report["wall_seconds"] = round(_time.monotonic() - started, 3)
        report["invocations"] = len(invocations)
        report["accepted_offset_seconds"] = offset(report.get("result"), invocations)
        report["calls"] = list(shop.calls)
        report["charges"] = len(shop.charges)
        report["sleeps"] = list(sleeps)
        report["log"] = log.getvalue()[-4000:]
        out["situations"][name] = report
    print(json.dumps(out, default=str))


def load(task_file):
    spec = importlib.util.spec_from_file_location("order", task_file)
    module = importlib.util.module_from_spec(spec)
    sys.modules["order"] = module
    spec.loader.exec_module(module)
    return module


def patch_time(module, clock, sleeps):
    """The learner's clock: the runner's, which jumps over skipped waits."""

    def now_seconds():
        runner = clock["runner"]
        if runner is None:
            return _time.time()
        return runner._clock.now().timestamp()

    def sleep(seconds):
        sleeps.append(seconds)

    class DateTime(_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return _datetime.datetime.fromtimestamp(now_seconds(), tz)

        @classmethod
        def utcnow(cls):
            return _datetime.datetime.fromtimestamp(now_seconds(), _datetime.timezone.utc).replace(tzinfo=None)

        @classmethod
        def today(cls):
            return cls.now()

    fake_time = types.ModuleType("time")
    fake_time.__dict__.update(_time.__dict__)
    fake_time.time = now_seconds
    fake_time.time_ns = lambda: int(now_seconds() * 1e9)
    fake_time.sleep = sleep
    fake_datetime = types.ModuleType("datetime")
    fake_datetime.__dict__.update(_datetime.__dict__)
    fake_datetime.datetime = DateTime
    for key, value in list(vars(module).items()):
        if value is _time:
            setattr(module, key, fake_time)
        elif value is _datetime:
            setattr(module, key, fake_datetime)
        elif value is _datetime.datetime:
            setattr(module, key, DateTime)
        elif value is _time.time:
            setattr(module, key, now_seconds)
        elif value is _time.sleep:
            setattr(module, key, sleep)


def offset(result, invocations):
    """Seconds from the first invocation to the result's accepted_at."""
    if not isinstance(result, dict) or not invocations or not isinstance(result.get("accepted_at"), str):
        return None
    try:
        accepted = _datetime.datetime.fromisoformat(result["accepted_at"])
    except ValueError:
        return None
    if accepted.tzinfo is None:
        accepted = accepted.replace(tzinfo=_datetime.timezone.utc)
    return round((accepted - invocations[0]).total_seconds(), 3)


def parse(payload):
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return payload


def error_of(error):
    if error is None:
        return None
    return {"type": getattr(error, "type", None), "message": getattr(error, "message", None)}


def operations(result):
    found = []
    for op in sorted(result.get_all_operations(), key=lambda o: (o.start_timestamp or 0, o.operation_id)):
        entry = {
            "type": op.operation_type.value,
            "name": op.name,
            "status": op.status.value,
            "attempt": getattr(op, "attempt", None),
            "seconds": seconds_between(op.start_timestamp, op.end_timestamp),
        }
        if op.operation_type.value == "WAIT":
            entry["wait_seconds"] = seconds_between(op.start_timestamp, getattr(op, "scheduled_end_timestamp", None))
        if getattr(op, "error", None) is not None:
            entry["error"] = error_of(op.error)
        found.append(entry)
    return found


def seconds_between(start, end):
    if start is None or end is None:
        return None
    return round((end - start).total_seconds(), 3)


if __name__ == "__main__":
    main()
