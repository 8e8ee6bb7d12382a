#!/usr/bin/env bash
# Accuracy and speed of `ktpel match` on generator data.
# usage: bash bench/matching/run.sh POPULATION AGENCY [DIR]   (default 200000 50000 target/bench-matching)
# Generates a sample (seed 3), runs the match without and with --recover
# under /usr/bin/time -v, and scores both against the truth file.
set -euo pipefail
cd "$(dirname "$0")/../.."
pop="${1:-200000}"; agency="${2:-50000}"; dir="${3:-target/bench-matching}"
cargo build --release -q -p ktpel-cli
k=target/release/ktpel
"$k" gen --out "$dir" --population "$pop" --agency "$agency" --seed 3 --quiet
rm -f "$dir/population_later.csv" "$dir/truth_changes.csv"
for mode in match rec; do
  extra=(); [[ $mode == rec ]] && extra=(--recover)
  set +e
  /usr/bin/time -v "$k" match --agency "$dir/agency.csv" --population "$dir/population.csv" \
     --out "$dir/$mode" --reference-date 2022-11-30 -q "${extra[@]}" 2> "$dir/$mode.time"
  set -e
  grep -E "Elapsed|Maximum resident|User time" "$dir/$mode.time"
  python3 bench/matching/accuracy.py "$dir" "$dir/$mode"
done
# Memory budget 4x smaller than the register's estimated in-memory size.
budget=$(( $(stat -c %s "$dir/population.csv") / 4 ))
set +e
/usr/bin/time -v "$k" match --agency "$dir/agency.csv" --population "$dir/population.csv" \
   --out "$dir/budget" --reference-date 2022-11-30 -q --memory-budget "$budget" 2> "$dir/budget.time"
set -e
grep -E "Elapsed|Maximum resident|User time" "$dir/budget.time"
cmp "$dir/match/hasil.csv" "$dir/budget/hasil.csv" && echo "budget run: hasil.csv identical"
