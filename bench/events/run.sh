#!/usr/bin/env bash
# Whole-file benchmarks of `ktpel diff` (BENCHMARKS.md ## events): generator
# snapshots of N residents, unsorted (household order, the generator's) and
# sorted by NIK (sorted copies made with `sort`, header kept), wall time and
# peak RSS from /usr/bin/time -v, and precision/recall per type against
# truth_changes.csv. Run once; it takes minutes at 10 M.
# Usage: bench/events/run.sh DATA_DIR KTPEL_BINARY [N...]
set -euo pipefail
DATA=${1:?data dir}; KTPEL=${2:?ktpel binary}; shift 2
SIZES=${*:-1000000 3000000 10000000}
echo "machine: $(nproc) cores, $(awk '/MemTotal/{print int($2/1024)" MiB"}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do
  g="$DATA/gen_$n"
  [[ -f "$g/population.csv" ]] || "$KTPEL" gen -o "$g" -n "$n" --agency 1000 -q
  if [[ ! -f "$g/population_later_sorted.csv" ]]; then
    for f in population population_later; do
      (head -1 "$g/$f.csv"; tail -n +2 "$g/$f.csv" | LC_ALL=C sort -t, -k1,1 -S 1G) > "$g/${f}_sorted.csv"
    done
  fi
  for kind in sorted unsorted; do
    suffix=$([[ $kind == sorted ]] && echo _sorted || echo "")
    out="$DATA/out_${n}_$kind"
    /usr/bin/time -v "$KTPEL" diff --old "$g/population$suffix.csv" --new "$g/population_later$suffix.csv" \
      --as-of 2023-11-30 --since 2022-11-30 --out-dir "$out" --memory-budget 2G -q --json \
      > "$out.summary.txt" 2> "$out.time.txt" || true
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out.time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out.time.txt")
    cpu=$(sed -n 's/.*Percent of CPU this job got: //p' "$out.time.txt")
    echo "$n $kind: wall $wall, peak RSS $((rss / 1024)) MiB, CPU $cpu"
  done
  cmp -s "$DATA/out_${n}_sorted/events.jsonl" "$DATA/out_${n}_unsorted/events.jsonl" \
    && echo "$n: sorted and unsorted events.jsonl identical" || echo "$n: events.jsonl DIFFER"
  python3 "$(dirname "$0")/precision_recall.py" "$g/truth_changes.csv" "$DATA/out_${n}_unsorted/events.jsonl"
done
