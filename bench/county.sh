#!/usr/bin/env bash
# Benchmarks for issue 16 "A county of towns, and a nation on one laptop". See bench/README.md
# and BENCHMARKS.md ("County and nation (issue 16)").
#
#   bash bench/county.sh county   # a: a county of 5,000 towns × 100 branches (3 years) against
#                                 #    the single 500,000-branch workspace: evaluate, rectify, adjust
#   bash bench/county.sh nation   # b: 5,000,000 branches as 5,000 towns × 1,000 (1 year):
#                                 #    evaluate against the floor of the same files; rectify, adjust
#   bash bench/county.sh flat     # d: one workspace of 2,000,000 branches (3 years): evaluate's peak
#   bash bench/county.sh all      # the three
#
# (c, against DuckDB, is bench/duck.sh.)
#
# Environment: BENCH_RUNS (default 5): pairs of runs A B A B …; the ratio is taken pair by pair
# and its median (with the least and the largest) is printed, so that a machine whose speed
# drifts (a shared one) still gives a fair ratio; wall times are the medians, peak memory the
# largest of the runs (GNU time's %M, max RSS). NATION_MEMBERS (default 5000): the towns of the
# nation (50000 gives 100 branches a town). CARGO_TARGET_DIR (default ./target): where the
# binaries and the generated workspaces go (county-…, bench-…; reused while examples/gen.rs and
# the parameters are unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RUNS=${BENCH_RUNS:-5}
NATION_MEMBERS=${NATION_MEMBERS:-5000}
STARS=$TARGET/release/stars
GEN=$TARGET/release/examples/gen
FLOOR=$TARGET/release/examples/floor

usage() {
  echo "usage: bash bench/county.sh county|nation|flat|all" >&2
  exit 2
}
[[ $# -eq 1 ]] || usage
case $1 in county | nation | flat | all) ;; *) usage ;; esac
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
  echo "bench: needs GNU time as /usr/bin/time (Debian: apt-get install time)" >&2
  exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "building (cargo build --release --bin stars --example gen --example floor)…" >&2
cargo build --quiet --release --bin stars --example gen --example floor

# ws NAME N YEARS [MEMBERS]: make sure $TARGET/NAME holds that generated workspace (a county
# of MEMBERS towns when given); sets WS.
ws() {
  local name=$1 n=$2 years=$3 members=${4:-} stamp
  WS=$TARGET/$name
  # the same stamp as bench/run.sh's for a single workspace: the two share bench-N
  stamp="gen $n --years $years${members:+ --members $members} $(cksum <"$ROOT/examples/gen.rs" | cut -d' ' -f1)"
  if [[ -f $WS/.bench-complete && $(cat "$WS/.bench-complete") == "$stamp" ]]; then
    return
  fi
  echo "generating $name: $n branches × $years years${members:+ in $members towns}…" >&2
  rm -rf "$WS"
  "$GEN" "$WS" "$n" --years "$years" ${members:+--members "$members"} >&2
  echo "$stamp" >"$WS/.bench-complete"
}

# once FILE CMD…: run CMD (output to /dev/null), append "wall user sys maxrss_kib" to FILE.
once() {
  local file=$1
  shift
  if ! /usr/bin/time -f "%e %U %S %M" -o "$TMP/t" "$@" >/dev/null 2>"$TMP/err"; then
    echo "bench: failed: $*" >&2
    head -20 "$TMP/err" >&2
    exit 1
  fi
  tail -n 1 "$TMP/t" >>"$file"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# pair LABEL: run the commands in the arrays A and B in turn RUNS times (after one of each
# not counted) and print a table row: median wall of each, the median ratio A/B of the pairs
# (least–largest), the peak memory of each.
pair() {
  local label=$1 i
  : >"$TMP/a"
  : >"$TMP/b"
  "${A[@]}" >/dev/null 2>&1 || true
  "${B[@]}" >/dev/null 2>&1 || true
  for ((i = 0; i < RUNS; i++)); do
    once "$TMP/a" "${A[@]}"
    once "$TMP/b" "${B[@]}"
  done
  local wa wb ca cb ka kb r
  wa=$(cut -d' ' -f1 "$TMP/a" | median)
  wb=$(cut -d' ' -f1 "$TMP/b" | median)
  ca=$(awk '{ print $2 + $3 }' "$TMP/a" | median)
  cb=$(awk '{ print $2 + $3 }' "$TMP/b" | median)
  ka=$(cut -d' ' -f4 "$TMP/a" | sort -g | tail -n 1)
  kb=$(cut -d' ' -f4 "$TMP/b" | sort -g | tail -n 1)
  paste -d' ' "$TMP/a" "$TMP/b" | awk '{ print $1 / $5 }' >"$TMP/r"
  r=$(printf '%.2f× (%.2f–%.2f)' "$(median <"$TMP/r")" "$(sort -g "$TMP/r" | head -n 1)" "$(sort -g "$TMP/r" | tail -n 1)")
  printf '| %s | %.2f s | %.2f s | %s | %.2f s / %.2f s | %.1f MiB | %.1f MiB |\n' "$label" "$wa" "$wb" "$r" \
    "$ca" "$cb" "$(awk -v k="$ka" 'BEGIN { print k / 1024 }')" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')"
}

header() {
  echo
  echo "| A against B | A wall | B wall | A / B (wall, median of $RUNS pairs; least–largest) | cpu A / B | A peak | B peak |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
}

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "stars:   $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
}

# a: the county of 5,000 towns × 100 branches against the single workspace of 500,000.
county() {
  ws bench-500000 500000 3
  local single=$WS
  ws county-5000x100 500000 3 5000
  local county=$WS
  echo
  echo "a. county $county (5,000 towns × 100 branches, 3 years) against $single (500,000 branches)"
  header
  local cmd
  for cmd in evaluate rectify adjust; do
    A=("$STARS" "$cmd" -w "$county" --format csv -o /dev/null)
    B=("$STARS" "$cmd" -w "$single" --format csv -o /dev/null)
    pair "\`$cmd --format csv -o /dev/null\`: county / single"
  done
}

# b: 5,000,000 branches as towns, one year, against the floor of the same score sheets.
nation() {
  local m=$NATION_MEMBERS
  ws "county-${m}x$((5000000 / m))-y1" 5000000 1 "$m"
  local county=$WS
  echo
  echo "b. nation $county (5,000,000 branches in $m towns, 1 year); floor: $("$FLOOR" "$county")"
  header
  A=("$STARS" evaluate -w "$county" --format csv -o /dev/null)
  B=("$FLOOR" "$county")
  pair "\`evaluate --format csv -o /dev/null\` / floor"
  local cmd
  for cmd in rectify adjust; do
    A=("$STARS" "$cmd" -w "$county" --format csv -o /dev/null)
    pair "\`$cmd --format csv -o /dev/null\` / floor"
  done
}

# d: one flat workspace of 2,000,000 branches: evaluate's peak memory.
flat() {
  ws bench-2000000 2000000 3
  local single=$WS
  echo
  echo "d. flat $single (2,000,000 branches, 3 years)"
  header
  A=("$STARS" evaluate -w "$single" --format csv -o /dev/null)
  B=("$FLOOR" "$single")
  pair "\`evaluate --format csv -o /dev/null\` / floor"
}

machine
case $1 in
  county) county ;;
  nation) nation ;;
  flat) flat ;;
  all) county && nation && flat ;;
esac
