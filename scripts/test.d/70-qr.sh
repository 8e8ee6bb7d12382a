#!/usr/bin/env bash
# qr: the Redis replay store against a real redis-server (loopback only), and
# interop in both directions with Python `cwt` and Node `cose-js`: the shared
# vectors, tokens issued by the ktpel CLI, and tokens issued by them.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
ensure_rust
apt_install redis-server redis-tools python3 python3-venv
# NodeSource's nodejs bundles npm and conflicts with Debian's npm package.
command -v node >/dev/null || apt_install nodejs
command -v npm >/dev/null || apt_install npm

ROOT="$PWD"
WORK="$ROOT/target/qr-interop"
VENV="$ROOT/target/qr-venv"
NODE_DIR="$ROOT/target/qr-node"
rm -rf "$WORK" && mkdir -p "$WORK"

# ---- Redis on loopback, stopped on exit -------------------------------------
PORT=$((20000 + RANDOM % 20000))
redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no \
  --protected-mode yes >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$PORT" ping | grep -q PONG

echo "--- qr: Redis replay store (redis-server on 127.0.0.1:$PORT), and the qr tests on the ring backend"
KTPEL_REDIS_URL="redis://127.0.0.1:$PORT/" \
  cargo test -q -p ktpel-core --features redis,fast-p256 --test qr --test qr_vectors \
  -- --include-ignored 2>&1 | tee "$WORK/redis-test.log"
# The Redis test is #[ignore]d in the plain run: here it must have run, and
# passed (15 = 14 tests + the Redis one), not been skipped.
grep -q "test result: ok. 15 passed; 0 failed; 0 ignored" "$WORK/redis-test.log"
grep -q "test result: ok. 1 passed; 0 failed" "$WORK/redis-test.log"

# ---- Tools -------------------------------------------------------------------
cargo build -q -p ktpel-cli
KTPEL="$ROOT/target/debug/ktpel"
[[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "cwt==3.3.0"
PY="$VENV/bin/python"
mkdir -p "$NODE_DIR"
if [[ ! -d "$NODE_DIR/node_modules/cose-js" ]]; then
  (cd "$NODE_DIR" && { [[ -f package.json ]] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --silent cose-js@0.9.0)
fi
export NODE_PATH="$NODE_DIR/node_modules"
PYI="$ROOT/tests/interop/qr/py_interop.py"
JSI="$ROOT/tests/interop/qr/node_interop.js"

# ---- Shared vectors, read by the other implementations -----------------------
echo "--- qr: vectors verified by Python cwt and Node cose-js"
"$PY" "$PYI" vectors tests/vectors/qr.json
node "$JSI" vectors tests/vectors/qr.json

# ---- ktpel issues, others verify --------------------------------------------
cd "$WORK"
"$KTPEL" qr keygen --sign-kid dukcapil-sig-test --enc-kid ikd-enc-test \
  --out keys.jwks --public-out verifier.jwks
cat >claims.json <<'EOF'
{"iss":"dukcapil.kemendagri.go.id","aud":"bank-xyz",
 "identity":{"nik":"3174011501900001","nama":"BUDI SANTOSO","tgl_lhr":"1990-01-15",
  "jenis_klmin":"LAKI-LAKI","doc":["KTP","KK"],
  "kl":{"BPJS_KESEHATAN":"0001234567890","NPWP":"0912345678901000"}}}
EOF
for _ in 1 2 3 4 5; do "$KTPEL" qr issue --keys keys.jwks --claims claims.json --ttl 90; done >ktpel.txt
echo "--- qr: ktpel-issued tokens verified by Python cwt and Node cose-js"
"$PY" "$PYI" verify verifier.jwks claims.json bank-xyz ktpel.txt
node "$JSI" verify verifier.jwks claims.json bank-xyz ktpel.txt

# ---- Others issue, ktpel verifies -------------------------------------------
"$PY" "$PYI" issue keys.jwks claims.json 60 python.txt 5
node "$JSI" issue keys.jwks claims.json 60 node.txt 5
for src in python node; do
  echo "--- qr: $src-issued tokens verified by ktpel"
  "$KTPEL" qr verify --keys verifier.jwks --aud bank-xyz - <"$src.txt" >"$src.out"
  [[ $(grep -c '"ok":true' "$src.out") -eq 5 ]]
  echo "ktpel: 5 $src-issued tokens verified"
  # The same tokens again: every one is now a replay (exit 1).
  if "$KTPEL" qr verify --keys verifier.jwks --aud bank-xyz - <<<"$(cat "$src.txt" "$src.txt")" >"$src.replay"; then
    echo "replayed tokens were accepted" >&2; exit 1
  fi
  [[ $(grep -c '"code":"REPLAYED"' "$src.replay") -eq 5 ]]
  # A tampered token (one Base45 character changed) fails.
  tok=$(head -1 "$src.txt")
  mid=$(( ${#tok} / 2 ))
  ch=${tok:$mid:1}; [[ "$ch" == "A" ]] && new=B || new=A
  if "$KTPEL" qr verify --keys verifier.jwks --aud bank-xyz "${tok:0:$mid}$new${tok:$((mid + 1))}" >"$src.tampered"; then
    echo "a tampered token was accepted" >&2; exit 1
  fi
  grep -q '"ok":false' "$src.tampered"
  # Time and audience checks apply to foreign tokens too.
  if "$KTPEL" qr verify --keys verifier.jwks --aud bank-xyz --now $(( $(date +%s) + 3600 )) "$tok" >"$src.expired"; then
    echo "an expired token was accepted" >&2; exit 1
  fi
  grep -q '"code":"EXPIRED"' "$src.expired"
  if "$KTPEL" qr verify --keys verifier.jwks --aud kpu "$tok" >"$src.aud"; then
    echo "a token for another audience was accepted" >&2; exit 1
  fi
  grep -q '"code":"WRONG_AUDIENCE"' "$src.aud"
done
echo "qr: interop ok (Python cwt $("$PY" -c 'import cwt; print(cwt.__version__)'), Node cose-js $(node -p 'require("cose-js/package.json").version'))"
