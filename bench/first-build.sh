#!/usr/bin/env bash
# First build: from a fresh clone (own target folder, crates already
# downloaded by `cargo fetch`) to a finished first command.
#
#   bash bench/first-build.sh              # cargo test -p exercise-01 (a learner's first check)
#   bash bench/first-build.sh lab          # cargo build -p lab (what the first `cargo lab` compiles)
#   bash bench/first-build.sh exercise-17  # any exercise
#
# For an exercise the starter fails its checks, as it should; the time is
# what counts. It also prints how many crates the package's build compiles
# and how many lines of this workspace's own Rust are on that path (each
# workspace crate's src/ and build.rs, plus an exercise's own tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
package=${1:-exercise-01}
clone=$(mktemp -d)
trap 'rm -rf "$clone"' EXIT
git clone -q . "$clone"
cd "$clone"
cargo fetch -q
start=$(date +%s%N)
if [ "$package" = lab ]; then
  cargo build -q -p lab
  edges=normal,build
else
  cargo test -q -p "$package" >/dev/null 2>&1 || true
  edges=normal,dev,build
fi
end=$(date +%s%N)
echo "first build of $package from a fresh clone, on $(nproc) cores: $(( (end - start) / 1000000 )) ms"
tree=$(cargo tree -p "$package" -e "$edges" --prefix none 2>/dev/null | sed 's/ (\*)$//' | sort -u)
echo "crates compiled: $(echo "$tree" | wc -l)"
lines=0
while read -r name version path; do
  dir=${path#(}; dir=${dir%)}
  # Only this project's own crates: not the registry's, nor vendor/'s copies.
  case "$dir" in "$clone"/vendor/*) continue ;; "$clone"*) ;; *) continue ;; esac
  # A library counts its src/ and build.rs; an exercise its own tests too.
  n=$( (find "$dir/src" -name '*.rs' -print0 2>/dev/null || true
        if [ -f "$dir/build.rs" ]; then printf '%s\0' "$dir/build.rs"; fi
        if [ "$name" = "$package" ] && [ "$package" != lab ] && [ -d "$dir/tests" ]; then find "$dir/tests" -name '*.rs' -print0; fi) |
      xargs -0 cat | wc -l)
  echo "  $name: $n lines"
  lines=$((lines + n))
done < <(echo "$tree" | grep ' (/')
echo "workspace Rust on the path: $lines lines"
