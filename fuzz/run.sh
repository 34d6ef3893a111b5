#!/usr/bin/env bash
# Run each fuzz target for SECONDS (default 600) on one core:
#
#   bash fuzz/run.sh [SECONDS [TARGET...]]    # default: every target
#
# The growing corpus is kept in fuzz/corpus (not committed); fuzz/seeds holds the small
# committed seed corpus; the whole log of the last run of a target is corpus/TARGET.log.
# Optimized, with debug assertions and overflow checks (-a). The
# `workbooks` target runs under a 200 MB memory limit (a workbook must never make stars
# allocate more); FUZZ_RSS_LIMIT_MB overrides the limit of every target. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); RUSTC_BOOTSTRAP lets the stable toolchain build with the
# flags cargo-fuzz passes.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(workspace_files text_inputs workbooks csv_tables)
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  case $t in
    workbooks) rss=200 ;;
    *) rss=4096 ;;
  esac
  rss=${FUZZ_RSS_LIMIT_MB:-$rss}
  mkdir -p "corpus/$t"
  cargo fuzz run --sanitizer none -O -a "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$secs" -rss_limit_mb="$rss" -max_len=65536 2>&1 |
    tee "corpus/$t.log" | tail -n 20
done
