#!/usr/bin/env bash
# The conformance suite: every case of cases.json through AWS's own runtime
# interface client (awslambdaric, in .venv) and through the harness CLI
# (`lab invoke --json`), compared by compare.py.
#
#   conformance/run.sh            all cases
#   conformance/run.sh NAME...    only these cases (the summary counts them only)
#
# Outputs of the last run stay in conformance/.out/ for a closer look.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"

ref_python="$(bash "$here/awslambdaric-venv.sh")"

(cd "$root" && cargo build -q -p lab)
lab="$root/target/debug/lab"

out="$here/.out"
rm -rf "$out"
mkdir -p "$out"
export PYTHONDONTWRITEBYTECODE=1

# The harness sets AWS_EXECUTION_ENV=AWS_Lambda_python3.<minor of the Python it
# embeds>; the reference runs as that same runtime unless a case names one.
probe="$("$lab" invoke probe/probe_runtime.py --handler handler --json 2>/dev/null || true)"
embedded="$(printf '%s' "$probe" | python3 -c '
import json, sys
try:
    print(".".join(map(str, json.loads(sys.stdin.readline())["result"]["version"])))
except Exception:
    pass')"
reference_version="$("$ref_python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
if [[ -z "$embedded" ]]; then
    echo "warning: could not ask the harness which Python it embeds; assuming $reference_version" >&2
    embedded="$reference_version"
elif [[ "$embedded" != "$reference_version" ]]; then
    echo "warning: the harness embeds Python $embedded, the reference runs $reference_version;" \
         "line numbers of importlib frames may differ" >&2
fi
default_runtime="python${embedded%.*}"

cli_has_runtime=0
if "$lab" invoke --help 2>/dev/null | grep -q -- '--runtime'; then
    cli_has_runtime=1
fi

if [[ $# -gt 0 ]]; then
    names=("$@")
    python3 - "$@" <<'EOF'
import json, sys
cases = json.load(open("cases.json"))
json.dump([c for c in cases if c["name"] in sys.argv[1:]], open(".out/cases.json", "w"))
EOF
else
    mapfile -t names < <(python3 -c 'import json; [print(c["name"]) for c in json.load(open("cases.json"))]')
fi

for name in "${names[@]}"; do
    base="$out/$name"
    rc=0
    timeout 60 "$ref_python" reference.py "$name" --runtime "$default_runtime" >"$base.ref.jsonl" 2>"$base.ref.err" || rc=$?
    echo "$rc" >"$base.ref.rc"

    { read -r runtime; read -r marshal; } < <(python3 compare.py info "$name" "$default_runtime")
    if [[ "$marshal" == 1 ]]; then
        timeout 60 python3 rawcheck.py "$name" "$runtime" >"$base.raw.json" 2>"$base.raw.err" || true
    fi

    rc=0
    python3 compare.py cli-args "$name" "$base.event.json" "$cli_has_runtime" >"$base.args" 2>"$base.lab.skip" || rc=$?
    if [[ $rc -eq 3 ]]; then
        continue
    elif [[ $rc -ne 0 ]]; then
        echo "compare.py cli-args failed for $name" >&2
        exit 2
    fi
    rm -f "$base.lab.skip"
    mapfile -d '' -t args <"$base.args"
    rc=0
    timeout 120 "$lab" "${args[@]}" >"$base.lab.jsonl" 2>"$base.lab.err" || rc=$?
    echo "$rc" >"$base.lab.rc"
done

if [[ $# -gt 0 ]]; then
    exec python3 compare.py report "$out" --cases "$out/cases.json"
fi
exec python3 compare.py report "$out"
