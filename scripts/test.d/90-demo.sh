#!/usr/bin/env bash
# The README's main command must work: run it on a small sample.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/demo.sh 3000
test -s sample/agency_nik_checked.csv
