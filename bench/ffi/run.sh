#!/usr/bin/env bash
# NIK checking through the C API vs the Rust API, same inputs, same run.
# Usage: bash bench/ffi/run.sh [N]     (default 1,000,000 NIKs)
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000000}"
out=target/bench-ffi
mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
set -x
cargo build -q --release -p ktpel-ffi --example bench_nik_rust
gcc -std=c11 -O2 -Iffi/include bench/ffi/bench_ffi.c -o "$out/bench_ffi" -Ltarget/release -lktpel -Wl,-rpath,"$PWD/target/release"
target/release/examples/bench_nik_rust "$out/niks.txt" "$N" | tee "$out/rust.txt"
"$out/bench_ffi" "$out/niks.txt" | tee "$out/c.txt"
{ set +x; } 2>/dev/null
rate() { grep "$1" "$2" | awk '{for (i=1;i<=NF;i++) if ($i=="M") print $(i-1)}'; }
ns() { grep "$1" "$2" | awk '{for (i=1;i<=NF;i++) if ($i=="ns/NIK") print $(i-1)}'; }
r1=$(rate "1 thread" "$out/rust.txt"); c1=$(rate "1 thread" "$out/c.txt")
rn=$(rate "all cores" "$out/rust.txt"); cn=$(rate "all cores" "$out/c.txt")
n1=$(ns "1 thread" "$out/rust.txt"); m1=$(ns "1 thread" "$out/c.txt")
awk -v r1="$r1" -v c1="$c1" -v rn="$rn" -v cn="$cn" -v n1="$n1" -v m1="$m1" 'BEGIN {
  printf "single calls: C %.2f vs Rust %.2f M NIKs/s = %.2fx; per-call overhead of ktpel_nik_check %.1f ns (%.1f - %.1f)\n", c1, r1, c1 / r1, m1 - n1, m1, n1
  printf "batch:        C %.2f vs Rust %.2f M NIKs/s = %.2fx\n", cn, rn, cn / rn
}'
