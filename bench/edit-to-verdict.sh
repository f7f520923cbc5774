#!/usr/bin/env bash
# Edit to verdict: how long a learner waits after saving exercise 01's
# handler.py until `cargo test -p exercise-01` gives its verdict, with no Rust
# recompile, compared in the same run with pytest on an equivalent test file
# and with one python-lambda-local invoke.
#
#   bash bench/edit-to-verdict.sh [ROUNDS]
#
# The learner's handler.py is copied aside first and put back at the end, even
# if the script is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
file=exercises/01-first-handler/handler.py
backup=$(mktemp)
cp "$file" "$backup"
trap 'cp "$backup" "$file"; rm -f "$backup"' EXIT

venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pytest python-lambda-local
fi

cargo build -q --tests -p exercise-01   # the one-time build is not part of the loop

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

solution=solutions/01-first-handler/handler.py
event=exercises/01-first-handler/events/ada.json
harness_times=() pytest_times=() pll_times=()
for i in $(seq "$rounds"); do
  # An edit: alternate between two versions so every round sees a changed file.
  { cat "$solution"; echo "# edit $i"; } > "$file"
  t0=$(now); cargo test -q -p exercise-01 >/dev/null 2>&1; t1=$(now)
  harness_times+=("$(ms "$t0" "$t1")")
  t0=$(now); HANDLER_FILE=$PWD/$file "$venv/bin/python" -m pytest -q -p no:cacheprovider bench/pytest-equivalent >/dev/null; t1=$(now)
  pytest_times+=("$(ms "$t0" "$t1")")
  t0=$(now); "$venv/bin/python-lambda-local" -f lambda_handler -t 3 "$file" "$event" >/dev/null 2>&1; t1=$(now)
  pll_times+=("$(ms "$t0" "$t1")")
done
# Proof that no Rust was rebuilt by the edits.
rebuilt=$(cargo test -p exercise-01 2>&1 | grep -c "Compiling" || true)

h=$(printf '%s\n' "${harness_times[@]}" | median)
p=$(printf '%s\n' "${pytest_times[@]}" | median)
l=$(printf '%s\n' "${pll_times[@]}" | median)
echo "edit to verdict, median of $rounds rounds on $(nproc) cores:"
echo "  cargo test -p exercise-01 (4 checks)        ${h} ms   (Rust crates recompiled after the edit: $rebuilt)"
echo "  pytest, equivalent test file (4 tests)      ${p} ms   ($(awk "BEGIN {printf \"%.2f\", $p/$h}")x the harness)"
echo "  python-lambda-local, one invoke             ${l} ms   ($(awk "BEGIN {printf \"%.2f\", $l/$h}")x the harness)"
