#!/usr/bin/env bash
# An SDK exercise's warm verdict: `cargo test -p exercise-NN` with the
# exercise's solution in place (already built; the local AWS started once per
# test process, as a learner's run starts it), against what a Python team
# would otherwise run: pytest with moto's in-process mock_aws on equivalent
# checks (bench/anchors/test_s3_to_dynamodb.py, for exercise 12). Medians of
# ROUNDS runs, alternating, in one session.
#
#   bash bench/sdk-verdict.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo run -q -p lab -- setup >/dev/null
python=.lab/python/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of each exercise with its solution, as tests/exercises.rs makes one,
# so the learner's files are never touched.
for ex in 12-s3-to-dynamodb 13-exactly-once 14-testing-a-handler; do
  mkdir -p "$work/$ex"
  (cd "exercises/$ex" && tar --exclude=./tests --exclude=./Cargo.toml -cf - .) | tar -xf - -C "$work/$ex"
  cp -r "solutions/$ex/." "$work/$ex/"
done
cp -r exercises/14-testing-a-handler/tests "$work/14-testing-a-handler/" 2>/dev/null || true
for n in 12 13 14; do cargo test -q -p "exercise-$n" --no-run 2>/dev/null; done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
declare -A took
run() { # name, command...
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "$name failed" >&2; exit 1; }; t1=$(date +%s%N)
  took[$name]+="$(ms "$t0" "$t1") "
}
for _ in $(seq "$rounds"); do
  run ex12 env LAB_TASK_ROOT="$work/12-s3-to-dynamodb" cargo test -q -p exercise-12
  run anchor env HANDLER_DIR="$work/12-s3-to-dynamodb" "$python" -m pytest -q -p no:cacheprovider bench/anchors/test_s3_to_dynamodb.py
  run ex13 env LAB_TASK_ROOT="$work/13-exactly-once" cargo test -q -p exercise-13
  run ex14 env LAB_TASK_ROOT="$work/14-testing-a-handler" cargo test -q -p exercise-14
done
echo "on $(nproc) cores, median of $rounds rounds (wall time of the whole command):"
echo "  cargo test -p exercise-12 (9 checks, its solution)                    $(printf '%s\n' ${took[ex12]} | median) ms"
echo "  pytest + moto mock_aws, 6 equivalent checks of the same solution       $(printf '%s\n' ${took[anchor]} | median) ms"
echo "  cargo test -p exercise-13 (8 checks, its solution)                    $(printf '%s\n' ${took[ex13]} | median) ms"
echo "  cargo test -p exercise-14 (the learner's tests run against 8 handlers) $(printf '%s\n' ${took[ex14]} | median) ms"
