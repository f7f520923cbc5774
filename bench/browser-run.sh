#!/usr/bin/env bash
# The book's Run buttons: how long a reader waits, against what they would
# otherwise do (copy the handler to their machine and run `cargo lab
# invoke`), and what the site weighs.
#
#   bash bench/browser-run.sh [ROUNDS]
#
# Needs what the browser test needs: chromium, `npm ci` in tests/browser,
# and Pyodide (`cargo lab setup`). The book is served by `lab book` on the
# loopback interface, as a learner's machine serves it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
cargo build -q -p lab
lab=target/debug/lab
log=$(mktemp)
$lab book --port 0 >"$log" 2>&1 &
server=$!
site=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$log" "$site"' EXIT
for _ in $(seq 100); do grep -q "The book is at" "$log" && break; sleep 0.2; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log")
echo "== in Chromium, $rounds warm rounds"
node tests/browser/bench.mjs "$url" "$rounds"

echo "== the same handler with cargo lab invoke (a fresh process each time, the first invoke of which is a cold start)"
folder=$(mktemp -d)
handler=$folder/handler.py
printf 'from decimal import Decimal\n\n\ndef lambda_handler(event, context):\n    return {"sku": "BOOK-1", "price": Decimal("12.50"), "stock": Decimal("3")}\n' >"$handler"
times=()
for _ in $(seq "$rounds"); do
  start=$(date +%s%N)
  $lab invoke "$handler" >/dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
rm -rf "$folder"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "cargo lab invoke, median of " NR ": " a[int((NR+1)/2)] " ms"}'

echo "== the published site"
$lab book --build "$site/site" >/dev/null 2>&1
for part in site site/pyodide; do
  du -sk "$site/$part" | awk -v name="$part" '{printf "%s: %.1f MB\n", name, $1/1024}'
done
echo "what every page adds for the Run buttons (runner.js and runner.css, before compression): $(( ($(stat -c %s "$site/site/runner/runner.js") + $(stat -c %s "$site/site/runner/runner.css")) / 1024 )) KB"
