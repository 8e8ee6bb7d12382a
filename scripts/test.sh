#!/usr/bin/env bash
# Runs every test suite of ktpel on a fresh machine: installs what it needs
# (apt-get as root, pip, npm), then runs each part in scripts/test.d/ in order.
# Usage: scripts/test.sh            (all parts)
#        scripts/test.sh 10-rust    (only parts whose file name contains the word)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
filter="${1:-}"
failed=()
passed=0
for part in scripts/test.d/*.sh; do
  name="$(basename "$part" .sh)"
  if [[ -n "$filter" && "$name" != *"$filter"* ]]; then continue; fi
  echo "=================== $name ==================="
  start=$(date +%s)
  if bash "$part"; then
    passed=$((passed + 1))
    echo "--- $name: ok ($(( $(date +%s) - start )) s)"
  else
    failed+=("$name")
    echo "--- $name: FAILED ($(( $(date +%s) - start )) s)"
  fi
done
echo "parts: ${passed} passed, ${#failed[@]} failed"
if ((${#failed[@]})); then
  echo "failed parts: ${failed[*]}"
  exit 1
fi
