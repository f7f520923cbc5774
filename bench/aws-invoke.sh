#!/usr/bin/env bash
# The AWS around the function, as `cargo lab invoke` meets it: the whole
# command for a handler that never calls AWS (the local AWS must cost it
# nothing), and for one that reads an S3 object from a declared state (the
# state set up by boto3, moto started on the first call), with the REPORT
# Durations of a cold invoke and four warm ones.
#
#   bash bench/aws-invoke.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
cargo build -q -p lab
cargo run -q -p lab -- setup >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/plain.py" <<'PY'
def lambda_handler(event, context):
    return 1
PY
cat >"$work/reader.py" <<'PY'
import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    return s3.get_object(Bucket="photo-uploads", Key="cat.jpg")["Body"].read().decode()
PY
printf '{"s3": {"photo-uploads": {"cat.jpg": "meow"}}}' >"$work/state.json"
lab=target/debug/lab
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
plain=() reader=() cold=() warm=()
for _ in $(seq "$rounds"); do
  t0=$(date +%s%N); "$lab" invoke "$work/plain.py" >/dev/null; t1=$(date +%s%N)
  plain+=("$(ms "$t0" "$t1")")
  t0=$(date +%s%N)
  out=$("$lab" invoke "$work/reader.py" --aws "$work/state.json" --repeat 5 --json)
  t1=$(date +%s%N)
  reader+=("$(ms "$t0" "$t1")")
  durations=$(echo "$out" | python3 -c 'import sys, json; print(" ".join(str(json.loads(l)["report"]["durationMs"]) for l in sys.stdin))')
  cold+=("$(echo "$durations" | cut -d' ' -f1)")
  for d in $(echo "$durations" | cut -d' ' -f2-); do warm+=("$d"); done
done
echo "on $(nproc) cores, median of $rounds rounds:"
echo "  cargo lab invoke, a handler that never calls AWS      $(printf '%s\n' "${plain[@]}" | median) ms"
echo "  cargo lab invoke --aws --repeat 5, an S3 reader       $(printf '%s\n' "${reader[@]}" | median) ms"
echo "  its first invoke's Duration (GetObject)               $(printf '%s\n' "${cold[@]}" | median) ms"
echo "  a warm invoke's Duration (GetObject)                  $(printf '%s\n' "${warm[@]}" | median) ms"
