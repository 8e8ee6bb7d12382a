#!/usr/bin/env bash
# Compares ktpel's name kernels with Python RapidFuzz on the same 1 M pairs.
#
#   bash bench/name/compare_rapidfuzz.sh            # 1 M pairs
#   PAIRS=200000 bash bench/name/compare_rapidfuzz.sh
#
# Creates a venv under target/name-bench/, pip-installs rapidfuzz, runs the
# Rust example `name_speed` (which also times strsim and the rapidfuzz crate)
# writing the pairs to target/name-bench/pairs.tsv, then times Python
# RapidFuzz on the same matching keys and prints the ratios. All timings are
# single-thread CPU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/name-bench
mkdir -p "$out"
if [[ ! -x "$out/venv/bin/python" ]]; then
  python3 -m venv "$out/venv"
fi
"$out/venv/bin/pip" install -q --disable-pip-version-check rapidfuzz numpy
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "rustc: $(rustc --version); python: $("$out/venv/bin/python" --version 2>&1); rapidfuzz: $("$out/venv/bin/python" -c 'import rapidfuzz; print(rapidfuzz.__version__)')"
echo
cargo run -q -p ktpel-core --release --example name_speed -- --pairs "${PAIRS:-1000000}" --write "$out/pairs.tsv" | tee "$out/rust.txt"
echo
"$out/venv/bin/python" bench/name/rapidfuzz_bench.py "$out/pairs.tsv" "$out/rust.txt"
