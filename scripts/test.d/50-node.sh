#!/usr/bin/env bash
# node: build the napi-rs package from a clean npm ci, check the committed
# native.d.ts, pack the tarball, install it into a scratch project under
# target/, run the node:test suite and the examples there.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
ensure_rust
command -v node >/dev/null || apt_install nodejs
command -v npm >/dev/null || apt_install npm
ROOT="$PWD"
PKG="$ROOT/bindings/node"
SCRATCH="$ROOT/target/node-scratch"

echo "--- node: npm ci && npm run build"
(cd "$PKG" && npm ci --no-audit --no-fund && npm run build)

echo "--- node: index.d.ts and native.d.ts type-check (tsc --strict)"
(cd "$PKG" && npm run typecheck)

echo "--- node: the committed native.d.ts / native.js match the build"
git -C "$ROOT" diff --exit-code -- bindings/node/native.d.ts bindings/node/native.js

echo "--- node: npm pack, install into $SCRATCH"
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
TARBALL=$(cd "$PKG" && npm pack --silent --pack-destination "$SCRATCH" | tail -1)
cd "$SCRATCH"
printf '{"name":"ktpel-scratch","private":true}\n' > package.json
npm install --no-audit --no-fund "./$TARBALL" >/dev/null
cp -r "$PKG/test" "$SCRATCH/test"
mkdir -p "$SCRATCH/examples" && cp "$ROOT"/examples/node/*.js "$SCRATCH/examples/"

echo "--- node: node:test from the installed tarball"
export KTPEL_ROOT="$ROOT" KTPEL_VECTORS="$ROOT/tests/vectors" KTPEL_EXAMPLES="$SCRATCH/examples"
node --test --test-reporter=tap test/*.test.js | tee "$SCRATCH/test.log"
grep -q '^# fail 0$' "$SCRATCH/test.log"
grep -Eq '^# pass [1-9][0-9]*$' "$SCRATCH/test.log"
grep -q '^# skipped 0$' "$SCRATCH/test.log"

echo "--- node: examples"
for ex in nik-check.js qr-issue-verify.js sam-chip.js pemadanan.js events-diff.js privacy-tokens.js; do
  echo "+ node examples/$ex"
  node "examples/$ex"
done
