#!/usr/bin/env bash
# The mutation tools, pinned, under .ci/.mutation/ (ignored by git), never in
# the learner's managed environment (.lab/python): cosmic-ray and the
# workshop's own operators (tools/mutation/operators) in a venv, and
# cargo-mutants for the Rust track. Installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

COSMIC_RAY=8.7.0
CARGO_MUTANTS=27.1.0
HOME_DIR=.ci/.mutation

if ! "$HOME_DIR/venv/bin/cosmic-ray" --version 2>/dev/null | grep -q "$COSMIC_RAY"; then
  python3 -m venv "$HOME_DIR/venv"
  "$HOME_DIR/venv/bin/pip" install -q --disable-pip-version-check "cosmic-ray==$COSMIC_RAY"
fi
# The operators change with the repository: reinstalled every time (a second).
"$HOME_DIR/venv/bin/pip" install -q --disable-pip-version-check --no-deps --force-reinstall ./tools/mutation/operators

echo "$("$HOME_DIR/venv/bin/cosmic-ray" --version)"
# `--python-only` (CI) leaves cargo-mutants out: compiling it takes minutes on
# two cores, for the Rust track's handful of mutants.
if [ "${1:-}" != "--python-only" ]; then
  if ! "$HOME_DIR/cargo/bin/cargo-mutants" mutants --version 2>/dev/null | grep -q "$CARGO_MUTANTS"; then
    cargo install --quiet --locked "cargo-mutants@$CARGO_MUTANTS" --root "$HOME_DIR/cargo"
  fi
  "$HOME_DIR/cargo/bin/cargo-mutants" mutants --version
fi
