#!/usr/bin/env bash
# Rust: formatting, lints, unit/integration/doc tests, and the no_std build.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
ensure_rust
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The core must build without default features (no_std + alloc seams).
cargo build -p ktpel-core --no-default-features
# The embedded region table must match its source data.
python3 tools/gen_region_table.py --check
