#!/usr/bin/env bash
# First build: from a fresh clone (own target folder, crates already
# downloaded by `cargo fetch`) to a finished `cargo test -p exercise-01`.
# The starter fails its checks, as it should; the time is what counts.
#
#   bash bench/first-build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
clone=$(mktemp -d)
trap 'rm -rf "$clone"' EXIT
git clone -q . "$clone"
cd "$clone"
cargo fetch -q
start=$(date +%s%N)
cargo test -q -p exercise-01 >/dev/null 2>&1 || true
end=$(date +%s%N)
echo "first build and run of exercise-01 from a fresh clone, on $(nproc) cores: $(( (end - start) / 1000000 )) ms"
echo "crates compiled: $(cargo tree -p exercise-01 -e normal,dev --prefix none 2>/dev/null | sort -u | wc -l)"
