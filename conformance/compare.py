"""Compare the harness CLI's output with awslambdaric's, case by case.

    python3 compare.py cli-args NAME EVENT_FILE CLI_HAS_RUNTIME
        Print the arguments of `lab invoke` for case NAME, NUL-separated, and
        write the case's event to EVENT_FILE. Exit 3 (printing the reason on
        stderr) when the CLI cannot express the case.
    python3 compare.py info NAME DEFAULT_RUNTIME
        Print the case's runtime (or DEFAULT_RUNTIME) and 1/0: marshalling case.
    python3 compare.py report OUT_DIR [--cases CASES_JSON]
        Compare every case of cases.json from the files run.sh left in OUT_DIR
        (NAME.ref.jsonl/.err/.rc from reference.py, NAME.lab.jsonl/.err/.rc
        from the CLI, NAME.lab.skip when it could not run, NAME.raw.json from
        rawcheck.py). Prints `ok NAME` or `FAIL NAME` plus the differences,
        then `conformance: N passed, M failed`; exits 1 if any failed.

Per invocation it compares: the outcome kind (result or error); the result as
JSON (types and key order included) and, when available, the exact body and
content type; the error payload's keys, errorType, errorMessage, requestId and
every stackTrace entry; the function's own log lines (START, END, REPORT and
INIT_REPORT dropped). Before comparing, text is normalised: the case folder
becomes /var/task, Python's standard library folder /var/lang/lib/python3.x,
timestamps <timestamp>, the invocation's own request id <request-id>, any
other UUID <other-uuid>, log stream names <log-stream>, trace ids <trace-id>,
and a frame of the runtime client's own code (awslambdaric's bootstrap.py, or
the harness's) a placeholder frame: where the runtime's own frame stays in a
trace (a handler that is not callable, a print that cannot be encoded), both
keep one, but its file, line and source can never be the same.
"""

import base64
import difflib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "cases")

PLATFORM_PREFIXES = ("START RequestId: ", "END RequestId: ", "REPORT RequestId: ", "INIT_REPORT ")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z")
LOG_STREAM = re.compile(r"\d{4}/\d\d/\d\d/\[[^\]]*\][0-9a-f]{32}")
TRACE_ID = re.compile(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]")
STDLIB = re.compile(r"/[^\s\"':]*?/lib/python3\.\d+(?=/)")
RUNTIME_FRAME = re.compile(
    r'File "[^"]*(?:awslambdaric/bootstrap\.py|<lambda-harness>/runtime/\w+\.py)", '
    r"line \d+, in \w+([\n\r])([ \xa0]+)[^\r\n]*"
)


def load_cases():
    with open(os.path.join(HERE, "cases.json"), encoding="utf-8") as f:
        return json.load(f)


# --- cli-args ---------------------------------------------------------------------


def cli_args(case, event_file, cli_has_runtime):
    with open(event_file, "w", encoding="utf-8") as f:
        json.dump(case.get("event", {}), f, separators=(",", ":"), ensure_ascii=False)
    handler = case["handler"]
    module, _, function = handler.rpartition(".")
    file = case.get("file")
    args = ["invoke"]
    if (file and module and "/" not in module and "." not in module
            and os.path.splitext(os.path.basename(file))[0] == module
            and os.path.isfile(os.path.join(CASES_DIR, file))):
        args += [os.path.join("cases", file), "--handler", function]
    else:
        args += ["--handler-string", handler, "--task-root", "cases"]
    args += ["--event", event_file]
    for key, value in (case.get("env") or {}).items():
        args += ["--env", "%s=%s" % (key, value)]
    args += ["--repeat", str(int(case.get("invokes", 1)))]
    if case.get("runtime"):
        if not cli_has_runtime:
            sys.stderr.write("the case runs as %s, and `lab invoke` has no --runtime option\n" % case["runtime"])
            sys.exit(3)
        args += ["--runtime", case["runtime"]]
    args.append("--json")
    sys.stdout.write("\0".join(args) + "\0")


# --- normalisation ------------------------------------------------------------------


def normalise_text(text, request_id):
    text = text.replace(CASES_DIR, "/var/task")
    text = STDLIB.sub("/var/lang/lib/python3.x", text)
    text = RUNTIME_FRAME.sub(r'File "<runtime client>", line <n>, in <runtime>\1\2<runtime source>', text)
    text = TIMESTAMP.sub("<timestamp>", text)
    text = LOG_STREAM.sub("<log-stream>", text)
    text = TRACE_ID.sub("<trace-id>", text)
    if request_id:
        text = text.replace(request_id, "<request-id>")
    text = UUID.sub("<other-uuid>", text)
    return text


def normalise_value(value, request_id):
    if isinstance(value, str):
        return normalise_text(value, request_id)
    if isinstance(value, list):
        return [normalise_value(v, request_id) for v in value]
    if isinstance(value, dict):
        return {normalise_text(k, request_id): normalise_value(v, request_id) for k, v in value.items()}
    return value


def function_lines(record):
    return [line for line in record.get("logs", []) if not line.startswith(PLATFORM_PREFIXES)]


# --- structural comparison ---------------------------------------------------------


def kind_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def first_difference(ref, lab, path="$"):
    """None when equal (types and key order included), else a description."""
    if kind_of(ref) != kind_of(lab):
        return "%s: reference is %s %s, harness is %s %s" % (
            path, kind_of(ref), short(ref), kind_of(lab), short(lab))
    if isinstance(ref, dict):
        if list(ref) != list(lab):
            if set(ref) == set(lab):
                return "%s: same keys in another order: reference %s, harness %s" % (path, list(ref), list(lab))
            return "%s: keys differ: reference %s, harness %s" % (path, list(ref), list(lab))
        for key in ref:
            diff = first_difference(ref[key], lab[key], "%s[%s]" % (path, json.dumps(key, ensure_ascii=False)))
            if diff:
                return diff
        return None
    if isinstance(ref, list):
        if len(ref) != len(lab):
            return "%s: reference has %d items, harness %d: reference %s, harness %s" % (
                path, len(ref), len(lab), short(ref), short(lab))
        for i, (a, b) in enumerate(zip(ref, lab)):
            diff = first_difference(a, b, "%s[%d]" % (path, i))
            if diff:
                return diff
        return None
    if ref != lab:
        return "%s: reference %s, harness %s" % (path, short(ref), short(lab))
    return None


def short(value, limit=400):
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= limit else text[:limit] + "...(%d chars)" % len(text)


def show(text):
    """A line with its invisible characters made visible."""
    return ascii(text)


def lines_diff(ref_lines, lab_lines):
    out = []
    for line in difflib.unified_diff([show(l) for l in ref_lines], [show(l) for l in lab_lines],
                                     "reference (awslambdaric)", "harness", lineterm="", n=2):
        out.append("      " + line)
    return out


# --- one case -------------------------------------------------------------------------


def read_records(path):
    records = []
    if not os.path.exists(path):
        return records
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except ValueError as e:
                    records.append({"_unparsable": "line %d: %s: %r" % (n, e, line[:300])})
    return records


def read_text(path):
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().strip()


def compare_invocation(i, ref, lab, problems):
    p = "invocation %d: " % (i + 1)
    ref_id, lab_id = ref.get("requestId"), lab.get("requestId")
    if not isinstance(lab_id, str) or not UUID4.fullmatch(lab_id):
        problems.append(p + "requestId is not a lowercase UUID v4: %r" % (lab_id,))

    ref_kind = "result" if "result" in ref else "error"
    lab_kind = "result" if "result" in lab else ("error" if "error" in lab else "nothing")
    if ref_kind != lab_kind:
        what = ref.get("result") if ref_kind == "result" else ref.get("error")
        got = lab.get("result") if lab_kind == "result" else lab.get("error")
        problems.append(p + "outcome: reference gives %s %s, harness gives %s %s" % (
            ref_kind, short(normalise_value(what, ref_id)), lab_kind, short(normalise_value(got, lab_id))))
    elif ref_kind == "result":
        a = normalise_value(ref["result"], ref_id)
        b = normalise_value(lab["result"], lab_id)
        diff = first_difference(a, b)
        if diff:
            problems.append(p + "result: " + diff)
        if "rawResult" in lab:
            ra = normalise_text(ref["rawResult"], ref_id)
            rb = normalise_text(lab["rawResult"], lab_id)
            if ra != rb:
                problems.append(p + "raw body: reference %s, harness %s" % (show(ra), show(rb)))
        if "contentType" in lab and lab["contentType"] != ref.get("contentType"):
            problems.append(p + "content type: reference %r, harness %r" % (ref.get("contentType"), lab["contentType"]))
    else:
        a = ref["error"]
        b = lab["error"]
        if not isinstance(b, dict):
            problems.append(p + "error payload is not an object: %s" % short(b))
        else:
            if list(a) != list(b):
                problems.append(p + "error payload keys: reference %s, harness %s" % (list(a), list(b)))
            for key in ("errorType", "errorMessage", "requestId"):
                if key in a or key in b:
                    va = normalise_value(a.get(key), ref_id)
                    vb = normalise_value(b.get(key), lab_id)
                    if va != vb or type(va) is not type(vb):
                        problems.append(p + "%s: reference %s, harness %s" % (
                            key, show(va) if isinstance(va, str) else short(va),
                            show(vb) if isinstance(vb, str) else short(vb)))
            sa = normalise_value(a.get("stackTrace"), ref_id)
            sb = normalise_value(b.get("stackTrace"), lab_id)
            if sa != sb:
                if not isinstance(sa, list) or not isinstance(sb, list):
                    problems.append(p + "stackTrace: reference %s, harness %s" % (short(sa), short(sb)))
                else:
                    msg = p + "stackTrace: reference has %d entries, harness %d" % (len(sa), len(sb))
                    problems.append(msg + ("" if len(sa) != len(sb) else " (same count, entries differ)"))
                    out = []
                    for line in difflib.unified_diff([show(x) for x in sa], [show(x) for x in sb],
                                                     "reference (awslambdaric)", "harness", lineterm="", n=1):
                        out.append("      " + line)
                    problems.extend(out)
            for key in set(a) | set(b):
                if key not in ("errorType", "errorMessage", "requestId", "stackTrace"):
                    va, vb = normalise_value(a.get(key), ref_id), normalise_value(b.get(key), lab_id)
                    if va != vb:
                        problems.append(p + "%s: reference %s, harness %s" % (key, short(va), short(vb)))

    ref_lines = [normalise_text(l, ref_id) for l in function_lines(ref)]
    lab_lines = [normalise_text(l, lab_id) for l in function_lines(lab)]
    if ref_lines != lab_lines:
        problems.append(p + "function log lines differ (%d reference, %d harness):" % (len(ref_lines), len(lab_lines)))
        problems.extend(lines_diff(ref_lines, lab_lines))


def compare_raw(case, ref_records, raw, problems):
    """The harness's JsonWriter (out of process) against awslambdaric's body."""
    if not ref_records:
        return
    ref = ref_records[0]
    p = "raw marshalling (harness JsonWriter, run out of process): "
    if raw is None:
        problems.append(p + "rawcheck.py produced nothing")
        return
    if "result" in ref:
        if raw.get("kind") != "result":
            problems.append(p + "reference returns %s, harness raises %s: %s" % (
                show(ref["rawResult"]), raw.get("errorType"), show(raw.get("errorMessage"))))
            return
        body = base64.b64decode(raw["raw"]).decode("utf-8", "replace")
        if body != ref["rawResult"]:
            problems.append(p + "body differs:")
            problems.append("      reference: " + show(ref["rawResult"]))
            problems.append("      harness:   " + show(body))
        if raw.get("contentType") != ref.get("contentType"):
            problems.append(p + "content type: reference %r, harness %r" % (ref.get("contentType"), raw.get("contentType")))
    else:
        err = ref["error"]
        if raw.get("kind") != "error":
            problems.append(p + "reference raises %s: %s, harness returns %s" % (
                err.get("errorType"), show(err.get("errorMessage")),
                show(base64.b64decode(raw["raw"]).decode("utf-8", "replace"))))
        elif (raw.get("errorType"), raw.get("errorMessage")) != (err.get("errorType"), err.get("errorMessage")):
            problems.append(p + "reference raises %s: %s, harness raises %s: %s" % (
                err.get("errorType"), show(err.get("errorMessage")), raw.get("errorType"), show(raw.get("errorMessage"))))


def compare_case(case, out_dir):
    name = case["name"]
    base = os.path.join(out_dir, name)
    problems = []
    ref_records = read_records(base + ".ref.jsonl")
    expected = int(case.get("invokes", 1))
    ref_rc = read_text(base + ".ref.rc") or "0"
    if ref_rc != "0" or len(ref_records) != expected or any("_unparsable" in r for r in ref_records):
        problems.append("the REFERENCE run failed (exit %s, %d of %d records): %s" % (
            ref_rc, len(ref_records), expected, read_text(base + ".ref.err")[-2000:]))
        return problems

    raw = None
    if case.get("marshal"):
        raw_path = base + ".raw.json"
        raw = json.loads(read_text(raw_path)) if read_text(raw_path) else None

    skip = read_text(base + ".lab.skip")
    if skip:
        problems.append("harness not run: " + skip)
        if case.get("marshal"):
            compare_raw(case, ref_records, raw, problems)
        return problems

    lab_records = read_records(base + ".lab.jsonl")
    lab_rc = read_text(base + ".lab.rc") or "0"
    lab_err = read_text(base + ".lab.err")
    if lab_rc not in ("0", "1") or not lab_records:
        problems.append("the harness CLI failed (exit %s): %s" % (lab_rc, lab_err[-2000:] or "(no stderr)"))
        return problems
    bad = [r["_unparsable"] for r in lab_records if "_unparsable" in r]
    if bad:
        problems.append("harness printed lines that are not JSON: %s" % "; ".join(bad))
        return problems
    if len(lab_records) != expected:
        problems.append("harness printed %d invocations, expected %d" % (len(lab_records), expected))
    all_returned = all("result" in r for r in lab_records)
    if lab_rc != ("0" if all_returned else "1"):
        problems.append("harness exit status %s with %s" % (
            lab_rc, "every invocation returning" if all_returned else "an invocation failing"))
    ids = [r.get("requestId") for r in lab_records]
    if len(set(ids)) != len(ids):
        problems.append("harness reused a request id across invocations: %s" % ids)
    for i, (ref, lab) in enumerate(zip(ref_records, lab_records)):
        compare_invocation(i, ref, lab, problems)
    if case.get("marshal") and "rawResult" not in lab_records[0]:
        compare_raw(case, ref_records, raw, problems)
    return problems


def report(out_dir, cases):
    passed = failed = 0
    for case in cases:
        problems = compare_case(case, out_dir)
        if problems:
            failed += 1
            print("FAIL %s" % case["name"])
            for problem in problems:
                print("    " + problem if not problem.startswith("      ") else problem)
        else:
            passed += 1
            print("ok %s" % case["name"])
    print("conformance: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "cli-args" and len(sys.argv) == 5:
        cases = {c["name"]: c for c in load_cases()}
        cli_args(cases[sys.argv[2]], sys.argv[3], sys.argv[4] == "1")
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "info":
        case = {c["name"]: c for c in load_cases()}[sys.argv[2]]
        print(case.get("runtime") or sys.argv[3])
        print(1 if case.get("marshal") else 0)
        return 0
    if len(sys.argv) in (3, 5) and sys.argv[1] == "report":
        cases = load_cases()
        if len(sys.argv) == 5 and sys.argv[3] == "--cases":
            with open(sys.argv[4], encoding="utf-8") as f:
                cases = json.load(f)
        return report(sys.argv[2], cases)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
