#!/usr/bin/env bash
# ktpel's main job on bundled-free sample data (everything is generated here):
#   1. build the `ktpel` tool (release);
#   2. generate a sample population register, an agency file with labelled
#      corruption and a later register snapshot (deterministic, seed 1);
#   3. validate the agency file's NIK column and print the counts per code.
# Later steps (matching, diff, QR) are added as those jobs land.
# Usage: bash scripts/demo.sh [POPULATION_ROWS]   (default 100000; output in ./sample/)
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-100000}"
out=sample
cargo build --release -q -p ktpel-cli
ktpel=target/release/ktpel
mkdir -p "$out"

echo "== 1. generate a sample register of $rows people and an agency file"
"$ktpel" gen --out "$out" --population "$rows" --seed 1 --quiet
ls -l "$out"

echo
echo "== 2. validate the NIK column of the agency file (reference date = the register's as-of date)"
set +e
"$ktpel" nik validate "$out/agency.csv" --column NIK --ref-date 2022-11-30 --out "$out/agency_nik_checked.csv"
status=$?
set -e
# Exit status 1 only means some NIKs are invalid, which the sample is built to contain.
if [[ $status -gt 1 ]]; then exit "$status"; fi

echo
echo "== 3. one NIK in detail"
"$ktpel" nik check --ref-date 2022-11-30 "$(sed -n 2p "$out/population.csv" | cut -d, -f1)"
echo
echo "Done. Files are in ./$out/"
