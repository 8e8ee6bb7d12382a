#!/usr/bin/env bash
# Verification speed and memory of `ktpel match` at 1 M, 3 M and 10 M rows
# (agency = register size), plus a run whose memory budget is a quarter of
# the one-pass peak RSS (10 M register, 1 M agency rows).
# usage: bash bench/matching/scaling.sh [DATA_DIR]   (default /work/data-match)
# Data: `ktpel gen --out DIR/mN --population N --agency N --seed 3` for N in
# 1000000 3000000 10000000 (generated once; ~1.8 GB of CSV for 10 M).
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:-/work/data-match}"
k="${K:-target/release/ktpel}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # name agency population out [extra...]
  local name=$1 a=$2 p=$3 o=$4; shift 4
  local load_before; load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  set +e
  /usr/bin/time -v "$k" match --agency "$a" --population "$p" --out "$o" --reference-date 2022-11-30 -q "$@" > /dev/null 2> "$o.time"
  set -e
  local user sys
  user=$(grep 'User time' "$o.time" | awk '{print $NF}')
  sys=$(grep 'System time' "$o.time" | awk '{print $NF}')
  printf '%s | wall %s | user %ss + sys %ss = %ss CPU | peak RSS %s kB | passes %s | load before %s, after %s\n' "$name" \
    "$(grep Elapsed "$o.time" | awk '{print $NF}')" "$user" "$sys" "$(echo "$user + $sys" | bc)" \
    "$(grep 'Maximum resident' "$o.time" | awk '{print $NF}')" \
    "$(grep -o '"passes": [0-9]*' "$o/summary.json" | awk '{print $2}')" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
for n in 1 3 10; do
  [ -f "$data/m$n/agency.csv" ] || { echo "skipped ${n}M x ${n}M: no $data/m$n"; continue; }
  run "${n}M x ${n}M" "$data/m$n/agency.csv" "$data/m$n/population.csv" "$data/m$n/out"
done
head -n 1000001 "$data/m10/agency.csv" > "$data/m10/agency_1m.csv"
run "10M register x 1M agency" "$data/m10/agency_1m.csv" "$data/m10/population.csv" "$data/m10/out1m"
peak=$(grep 'Maximum resident' "$data/m10/out1m.time" | awk '{print $NF}')
budget=$(( peak / 4 ))K
run "10M register x 1M agency, --memory-budget $budget (peak/4)" "$data/m10/agency_1m.csv" "$data/m10/population.csv" "$data/m10/out1m_budget" --memory-budget "$budget"
cmp "$data/m10/out1m/hasil.csv" "$data/m10/out1m_budget/hasil.csv" && echo "budget run: hasil.csv identical"
cmp "$data/m10/out1m/anomali.csv" "$data/m10/out1m_budget/anomali.csv" && cmp "$data/m10/out1m/ganda.csv" "$data/m10/out1m_budget/ganda.csv" && echo "budget run: anomali.csv, ganda.csv identical"
