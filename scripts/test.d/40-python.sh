#!/usr/bin/env bash
# python: build the abi3 wheel with maturin, install it in a FRESH venv and run
# the pytest suite there (not against the source tree), then mypy --strict on
# the tests and examples, mypy.stubtest on the installed package, the examples,
# and `pip install ./bindings/python` from source in a second fresh venv.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
ensure_rust
apt_install python3 python3-venv python3-pip

ROOT="$PWD"
BUILD_VENV="$ROOT/target/py-build-venv"
TEST_VENV="$ROOT/target/py-test-venv"
SRC_VENV="$ROOT/target/py-src-venv"
WHEELS="$ROOT/target/py-wheels"
LOG="$ROOT/target/py-test.log"

echo "--- python: maturin wheel"
[[ -x "$BUILD_VENV/bin/maturin" ]] || {
  python3 -m venv "$BUILD_VENV"
  "$BUILD_VENV/bin/pip" install -q --upgrade pip
  "$BUILD_VENV/bin/pip" install -q "maturin>=1.14,<2"
}
rm -rf "$WHEELS"
"$BUILD_VENV/bin/maturin" build --release -m bindings/python/Cargo.toml -o "$WHEELS"
WHEEL=$(ls "$WHEELS"/ktpel-*-abi3-*.whl)
echo "wheel: $WHEEL"

echo "--- python: fresh venv with the wheel"
rm -rf "$TEST_VENV"
python3 -m venv "$TEST_VENV"
PY="$TEST_VENV/bin/python"
"$PY" -m pip install -q --upgrade pip
"$PY" -m pip install -q "$WHEEL" pytest hypothesis mypy numpy pandas

echo "--- python: pytest (installed package)"
# Run from the tests directory: the source tree's python/ktpel is not on sys.path,
# and a test asserts that ktpel was imported from site-packages.
set +e
(cd bindings/python/tests && "$PY" -m pytest -p no:cacheprovider -q -rs .) 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
if [[ $rc -ne 0 ]]; then
  echo "pytest failed (exit $rc)" >&2
  exit "$rc"
fi
summary=$(grep -E '^[0-9]+ passed' "$LOG" | tail -1)
echo "pytest summary: $summary"
# numpy and pandas are installed here: nothing may be skipped.
if grep -Eq 'skipped|xfail|deselected' <<<"$summary"; then
  echo "pytest skipped tests in the python part: $summary" >&2
  exit 1
fi

echo "--- python: mypy --strict on tests and examples, stubtest on the package"
(cd bindings/python/tests && "$PY" -m mypy --strict --cache-dir /dev/null .)
(cd examples/python && "$PY" -m mypy --strict --cache-dir /dev/null .)
(cd /tmp && "$PY" -m mypy.stubtest --mypy-config-file /dev/null ktpel)

echo "--- python: examples"
for ex in examples/python/*.py; do
  echo "# $ex"
  (cd /tmp && "$PY" "$ROOT/$ex")
done

echo "--- python: pip install ./bindings/python (from source) in a fresh venv"
rm -rf "$SRC_VENV"
python3 -m venv "$SRC_VENV"
"$SRC_VENV/bin/pip" install -q ./bindings/python
(cd /tmp && "$SRC_VENV/bin/python" -c 'import ktpel; r = ktpel.nik.check("3174015708900123"); assert r.valid, r; print("from source:", ktpel.__version__, r)')
echo "python: OK"
