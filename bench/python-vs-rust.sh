#!/usr/bin/env bash
# Python vs Rust on Lambda's own terms: the solutions of exercises 06 and 08
# (Python, under awslambdaric) and of 21 and 22 (Rust, lambda_runtime
# binaries built with the release profile), each run as a process against the
# local Runtime API on the same recorded events. Prints Init Duration, cold
# and warm Duration, and Max Memory Used for each, as markdown tables (the
# figures in book/rust/index.md and docs/benchmarks.md come from here).
#
#   bash bench/python-vs-rust.sh [COLD_STARTS] [WARM_INVOCATIONS]   (default 20 500)
set -euo pipefail
cd "$(dirname "$0")/.."
python="$(bash conformance/awslambdaric-venv.sh)"
LAB_AWSLAMBDARIC_PYTHON="$python" cargo bench -q -p rust-track --bench python_vs_rust -- "${1:-20}" "${2:-500}"
