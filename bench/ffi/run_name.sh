#!/usr/bin/env bash
# Name similarity through the C API vs the Rust API, same pairs, same run.
# Usage: bash bench/ffi/run_name.sh [N]     (default 200,000 pairs)
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-200000}"
out=target/bench-ffi
mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
set -x
cargo build -q --release -p ktpel-ffi --example bench_name_rust
gcc -std=c11 -O2 -Iffi/include bench/ffi/bench_name.c -o "$out/bench_name" -Ltarget/release -lktpel -Wl,-rpath,"$PWD/target/release"
target/release/examples/bench_name_rust "$out/name_pairs.tsv" "$N" | tee "$out/name_rust.txt"
"$out/bench_name" "$out/name_pairs.tsv" | tee "$out/name_c.txt"
