#!/usr/bin/env bash
# ktpel's main job on bundled-free sample data (everything is generated here):
#   1. build the `ktpel` tool (release);
#   2. generate a sample population register, an agency file with labelled
#      corruption and a later register snapshot (deterministic, seed 1);
#   3. validate the agency file's NIK column and print the counts per code.
#   4. match the agency file against the register (pemadanan), recovering the
#      NIK of rows that do not verify, and score the result against the truth file;
#   5. clean and compare names the way the matcher does;
#   6. issue an IKD QR token for a resident and verify it (then see the replay refused);
#   7. run the KTP-el reader self-test against the virtual chip.
# Later steps (register diff and events) are added as those jobs land.
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
echo "== 4. pemadanan: match the agency file against the register, with NIK recovery"
set +e
"$ktpel" match --agency "$out/agency.csv" --population "$out/population.csv" --out "$out/match" \
  --reference-date 2022-11-30 --recover --quiet
status=$?
set -e
# Exit status 1 only means some rows did not match, which the sample is built to contain.
if [[ $status -gt 1 ]]; then exit "$status"; fi
ls "$out/match"
echo "-- scored against the generator's truth file (bench/matching/accuracy.py):"
python3 bench/matching/accuracy.py "$out" "$out/match" | tail -4

echo
echo "== 5. names: normalize, check and compare"
"$ktpel" name normalize "Hj. Siti Aminah, S.Pd." "MOCH. ARIEF"
"$ktpel" name similarity "SOEKARNO" "SUKARNO" || true
"$ktpel" name check "BAYI NY. SITI" || true

echo
echo "== 6. IKD QR token: issue for the first resident, verify, verify again (replay)"
"$ktpel" qr keygen --out "$out/qr_keys.jwks" --public-out "$out/qr_public.jwks" >/dev/null
IFS=, read -r nik _ name _ tgl sex _ < <(sed -n 2p "$out/population.csv")
printf '{"iss":"dukcapil-demo","aud":"demo-agency","identity":{"nik":"%s","nama":"%s","tgl_lhr":"%s","jenis_klmin":"%s","doc":["KTP"]}}\n' \
  "$nik" "$name" "${tgl:6:4}-${tgl:3:2}-${tgl:0:2}" "$sex" > "$out/qr_claims.json"
token=$("$ktpel" qr issue --keys "$out/qr_keys.jwks" --claims "$out/qr_claims.json")
echo "token: ${token:0:60}… (${#token} characters)"
set +e
"$ktpel" qr verify --keys "$out/qr_public.jwks" --aud demo-agency "$token" "$token"
set -e

echo
echo "== 7. KTP-el reader self-test against the virtual chip"
"$ktpel" sam selftest | tail -4

echo
echo "Done. Files are in ./$out/"
