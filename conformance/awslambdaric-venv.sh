#!/usr/bin/env bash
# Makes conformance/.venv with AWS's runtime interface client, awslambdaric
# 4.2.2 (the reference the harness is held to), unless it is there already,
# and prints the path of its python. Used by conformance/run.sh and by
# bench/python-vs-rust.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import awslambdaric' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check awslambdaric==4.2.2 >&2
fi
echo "$venv/bin/python"
