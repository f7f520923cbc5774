"""Exact response bytes as the harness's runtime client would marshal them.

    python3 rawcheck.py CASE_NAME RUNTIME        (RUNTIME: python3.X)

The harness CLI prints a response as parsed JSON, which hides how it was
written (escapes, Decimal digits, separators, NaN). Until the CLI prints the
raw body, this loads the harness's own marshalling code
(crates/harness/src/runtime/faults.py and marshal.py, read-only, under the module
and file names the harness gives them), calls the case's handler with a stand-in context, and
marshals the value with the harness's JsonWriter and marshal_response, the
way Environment.invoke does. Only meaningful for marshalling cases (handlers
that do not look at the context). Prints one JSON object:
{"kind": "result", "raw": ..., "contentType": ...} or {"kind": "error", ...}.
"""

import base64
import importlib
import json
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.join(HERE, "..", "crates", "harness", "src", "runtime")


def load_runtime_module(name):
    """Load crates/harness/src/runtime/NAME.py as the harness does: module _lambda_NAME."""
    with open(os.path.join(RUNTIME, name + ".py"), encoding="utf-8") as f:
        source = f.read()
    module = types.ModuleType("_lambda_" + name)
    module.__file__ = "<lambda-harness>/runtime/" + name + ".py"
    sys.modules[module.__name__] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def main():
    name, runtime = sys.argv[1], sys.argv[2]
    with open(os.path.join(HERE, "cases.json"), encoding="utf-8") as f:
        case = {c["name"]: c for c in json.load(f)}[name]
    real_stdout = sys.stdout
    faults = load_runtime_module("faults")
    runtime_module = load_runtime_module("marshal")

    task_root = os.path.join(HERE, "cases")
    sys.path.insert(0, task_root)
    module_name, function_name = case["handler"].rsplit(".", 1)
    module = importlib.import_module(module_name.replace("/", "."))
    handler = getattr(module, function_name)
    event = json.loads(json.dumps(case.get("event", {})))
    ensure_ascii = int(runtime.rsplit(".", 1)[1]) < 12
    writer = runtime_module.JsonWriter(ensure_ascii)
    try:
        body, content_type = runtime_module.marshal_response(handler(event, None), writer)
        out = {"kind": "result", "raw": base64.b64encode(body).decode("ascii"), "contentType": content_type}
    except faults.RuntimeFault as fault:
        out = {"kind": "error", "errorType": fault.error_type, "errorMessage": fault.message}
    except Exception as exc:
        out = {"kind": "error", "errorType": type(exc).__name__, "errorMessage": str(exc)}
    real_stdout.write(json.dumps(out) + "\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
