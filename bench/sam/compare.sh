#!/usr/bin/env bash
# Compares ktpel's ECDSA P-256 verification and 3DES-CBC with OpenSSL in one run.
# Usage: bash bench/sam/compare.sh     (from the repository root; ~1 minute)
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "command: openssl speed -seconds 3 ecdsap256 des-ede3"
ossl=$(openssl speed -seconds 3 ecdsap256 des-ede3 2>/dev/null)
ossl_verify=$(awk '/nistp256/ {print $NF}' <<<"$ossl")
ossl_des=$(awk '/^des-ede3/ {print $(NF-1)}' <<<"$ossl" | tr -d k)
echo "command: cargo bench -p ktpel-core --bench sam -- 'ecdsa_p256_verify|tdes3_cbc'"
cargo bench -q -p ktpel-core --bench sam -- 'ecdsa_p256_verify|tdes3_cbc' >/dev/null 2>&1
median_ns() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['median']['point_estimate'])" "target/criterion/sam/$1/new/estimates.json"; }
python3 - "$ossl_verify" "$ossl_des" "$(median_ns ecdsa_p256_verify_ring)" "$(median_ns ecdsa_p256_verify_rustcrypto)" "$(median_ns tdes3_cbc_encrypt_8KiB)" <<'PY'
import sys
ov, od, ring, rc, tdes = (float(x) for x in sys.argv[1:])
r, c = 1e9 / ring, 1e9 / rc
print(f"ECDSA P-256 verify/s: openssl {ov:,.0f}  ring {r:,.0f} ({r/ov:.2f}x)  rustcrypto {c:,.0f} ({c/ov:.2f}x)")
mb = 8192 / tdes * 1e9 / 1e6
print(f"3DES-CBC MB/s (8 KiB): openssl {od/1000:.1f}  ktpel/rustcrypto {mb:.1f} ({mb/(od/1000):.2f}x)")
PY
