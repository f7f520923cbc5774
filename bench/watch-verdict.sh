#!/usr/bin/env bash
# Watch mode: from saving a handler to its verdict on screen, through a real
# terminal. `cargo lab` runs in tmux; each round writes exercise 01's handler
# (the solution, then the starter with a line added, in turn: the workshop
# leaves the starter itself unchecked) and waits for that round's verdict on
# the screen, which the workshop clears before each verdict.
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

# The verdict on the screen now: ✓ or ✗ (none while a run is under way).
on_screen() { tmux capture-pane -t "$session" -p | grep -oE "^(✓|✗) Exercise 01" | head -1 | cut -c1-3 || true; }
now() { date +%s%N; }
failing=$(mktemp); trap 'cleanup; rm -f "$failing"' EXIT
{ cat "$backup"; echo "# a learner's edit"; } > "$failing"
times=()
for i in $(seq "$rounds"); do
  if (( i % 2 )); then cp solutions/01-first-handler/handler.py "$file"; want="✓"; else cp "$failing" "$file"; want="✗"; fi
  t0=$(now)
  until [[ "$(on_screen)" == "$want" ]]; do sleep 0.005; done
  t1=$(now)
  times+=($(( (t1 - t0) / 1000000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "watch mode, save to verdict on screen, median of $rounds rounds on $(nproc) cores: ${median} ms (all: ${times[*]})"
