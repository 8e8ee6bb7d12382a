#!/usr/bin/env bash
# Python binding vs Python peers, one run on the same inputs (see compare.py):
# NIK batch check (python-stdnum, business-id-nik, plain regex + date), name
# similarity (rapidfuzz, jellyfish), QR verify (cwt), per-call overhead.
# Usage: bench/python/compare.sh [N_NIKS] [N_PAIRS]     (default 1 M each)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_VENV="$PWD/target/py-build-venv"
VENV="$PWD/target/py-bench-venv"
WHEELS="$PWD/target/py-bench-wheels"
[[ -x "$BUILD_VENV/bin/maturin" ]] || { python3 -m venv "$BUILD_VENV"; "$BUILD_VENV/bin/pip" install -q "maturin>=1.14,<2"; }
rm -rf "$WHEELS"
"$BUILD_VENV/bin/maturin" build --release -q -m bindings/python/Cargo.toml -o "$WHEELS" >/dev/null
[[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --force-reinstall --no-deps "$WHEELS"/ktpel-*.whl
"$VENV/bin/pip" install -q python-stdnum business-id-nik rapidfuzz jellyfish cwt numpy
"$VENV/bin/pip" list 2>/dev/null | grep -Ei '^(ktpel|python-stdnum|business-id-nik|rapidfuzz|jellyfish|cwt|numpy) '
"$VENV/bin/python" bench/python/compare.py "$@"
