#!/usr/bin/env bash
# Watch mode: from saving a handler to its verdict on screen, through a real
# terminal. `cargo lab` runs in tmux; each round writes exercise 01's handler
# (the solution and the starter in turn, so every round is a change) and
# waits for the next verdict line in the pane.
#
#   bash bench/watch-verdict.sh [ROUNDS]
#
# The learner's handler.py is copied aside first and put back at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
command -v tmux >/dev/null || { echo "needs tmux (apt-get install tmux)"; exit 2; }
file=exercises/01-first-handler/handler.py
backup=$(mktemp)
state=$(mktemp -d)
cp "$file" "$backup"
session="lab-bench-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; cp "$backup" "$file"; rm -rf "$backup" "$state"; }
trap cleanup EXIT

cargo build -q -p lab -p exercise-01 --tests
port=$((20000 + $$ % 10000))
tmux new-session -d -s "$session" -x 200 -y 50 "LAB_STATE_DIR=$state cargo lab --port $port"
until tmux capture-pane -t "$session" -p | grep -q "^Keys"; do sleep 0.2; done

verdicts() { tmux capture-pane -t "$session" -p -S -10000 | grep -cE "^(✓|✗) Exercise 01" || true; }
now() { date +%s%N; }
times=()
for i in $(seq "$rounds"); do
  before=$(verdicts)
  if (( i % 2 )); then cp solutions/01-first-handler/handler.py "$file"; else cp "$backup" "$file"; fi
  t0=$(now)
  until (( $(verdicts) > before )); do sleep 0.005; done
  t1=$(now)
  times+=($(( (t1 - t0) / 1000000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "watch mode, save to verdict on screen, median of $rounds rounds on $(nproc) cores: ${median} ms (all: ${times[*]})"
