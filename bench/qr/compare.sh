#!/usr/bin/env bash
# IKD QR verification speed, one run: OpenSSL's raw ECDSA P-256 verify rate
# (the signature dominates verification), ktpel's full verification (decode,
# decrypt, ES256, claims, replay check; single core, p50/p99), the in-memory
# replay store under 8 threads and its memory, and Python `cwt` verifying
# fresh ktpel tokens. Prints the command, the machine and the ratios.
# Usage: bench/qr/compare.sh   (needs target/qr-venv from scripts/test.d/70-qr.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="$PWD/target/qr-bench" && mkdir -p "$OUT"
echo "command: bench/qr/compare.sh"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo "date:    $(date -u +%FT%TZ)"

echo "--- openssl speed -seconds 3 ecdsap256 ($(openssl version))"
openssl speed -seconds 3 ecdsap256 2>/dev/null | tee "$OUT/openssl.txt" | grep -E "ecdsa \(nistp256\)|sign/s"
OSSL=$(awk '/ecdsa \(nistp256\)/ {print $NF}' "$OUT/openssl.txt" | tail -1)

for backend in portable fast-p256; do
  feat=(); [[ $backend == fast-p256 ]] && feat=(--features fast-p256)
  echo "--- cargo bench -p ktpel-core ${feat[*]} --bench qr_latency"
  cargo bench -q -p ktpel-core "${feat[@]}" --bench qr_latency -- \
    --tokens-out "$OUT/tokens.txt" --keys-out "$OUT/verifier.jwks" 2>"$OUT/ktpel.err" \
    | tail -1 | tee "$OUT/ktpel-$backend.json" || { cat "$OUT/ktpel.err" >&2; exit 1; }
done
echo "load average after the Rust runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "--- openssl speed -seconds 3 ecdsap256 again (the ratio uses the mean of both runs)"
openssl speed -seconds 3 ecdsap256 2>/dev/null | tee "$OUT/openssl2.txt" | grep -E "ecdsa \(nistp256\)"
OSSL2=$(awk '/ecdsa \(nistp256\)/ {print $NF}' "$OUT/openssl2.txt" | tail -1)
OSSL=$(python3 -c "print(($OSSL + $OSSL2) / 2)")

PY=target/qr-venv/bin/python
if [[ -x "$PY" ]]; then
  echo "--- Python cwt on the same kind of tokens (tests/interop/qr/py_interop.py bench)"
  "$PY" tests/interop/qr/py_interop.py bench "$OUT/verifier.jwks" "$OUT/tokens.txt" | tee "$OUT/python.json"
fi

python3 - "$OUT" "$OSSL" <<'PY'
import json, sys, os
out, ossl = sys.argv[1], float(sys.argv[2])
runs = {b: json.load(open(os.path.join(out, f"ktpel-{b}.json"))) for b in ("portable", "fast-p256")}
for b, k in runs.items():
    v = k["verify_single_core"]
    print(f"ktpel verify ({b}): {v['per_second']:.0f}/s single core, p50 {v['p50_us']:.0f} us, "
          f"p99 {v['p99_us']:.0f} us; ktpel/openssl = {v['per_second']/ossl:.2f} (target >= 0.7)")
print(f"openssl ecdsap256 verify: {ossl:.0f}/s")
k = runs["fast-p256"]
v = k["verify_single_core"]
p = os.path.join(out, "python.json")
if os.path.exists(p):
    py = json.load(open(p))
    for b, k2 in runs.items():
        r = k2["verify_single_core"]["per_second"] / py["per_second"]
        print(f"python cwt verify: {py['per_second']:.0f}/s -> ktpel ({b})/cwt = {r:.1f}x")
s = k["memory_replay_store_8_threads"]
print(f"memory replay store, 8 threads: {s['per_second']:.0f} checks/s ({s['checks']} checks)")
m = k["memory_per_live_tokens"]
print(f"memory for {m['live_tokens']} live tokens: table {m['table_bytes']/2**20:.1f} MiB "
      f"({m['table_bytes_per_token']:.1f} B/token), RSS delta {(m['rss_delta_bytes'] or 0)/2**20:.1f} MiB")
PY
