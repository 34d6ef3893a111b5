#!/usr/bin/env bash
# Run each fuzz target for SECONDS (default 600) on one core. The growing corpus is kept in
# fuzz/corpus (not committed); fuzz/seeds holds the small committed seed corpus.
# Optimized, with debug assertions and overflow checks (-a). Needs cargo-fuzz
# (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets the stable toolchain
# build with the flags cargo-fuzz passes.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
export RUSTC_BOOTSTRAP=1
for t in workspace_files text_inputs; do
  mkdir -p "corpus/$t"
  cargo fuzz run --sanitizer none -O -a "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=4096 -max_len=65536 2>&1 | tail -n 20
done
