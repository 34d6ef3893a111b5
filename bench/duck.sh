#!/usr/bin/env bash
# Issue 16 (c): `stars evaluate --format csv` against the same ratings as one DuckDB SQL query
# (the peer `duck.py` of shared/peers), both on 2 threads, on single workspaces of 50,000,
# 500,000 (3 years) and 5,000,000 branches (1 year); and whether the two outputs are the same
# bytes (cmp). See BENCHMARKS.md ("County and nation (issue 16)").
#
#   bash bench/duck.sh                 # the three sizes
#   bash bench/duck.sh 50000 500000    # some of them
#
# Environment: BENCH_RUNS (default 5: pairs stars, DuckDB, stars, …; the ratio is the median of
# the pairs'), PEERS (default ../shared/peers: the folder of duck.py and stdload.py),
# DUCK_PYTHON (default: a venv in $CARGO_TARGET_DIR/duckvenv, made with `pip install duckdb` when
# missing), CARGO_TARGET_DIR (default ./target; workspaces bench-N as bench/run.sh makes them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RUNS=${BENCH_RUNS:-5}
PEERS=${PEERS:-$ROOT/../shared/peers}
STARS=$TARGET/release/stars
GEN=$TARGET/release/examples/gen
SIZES=("$@")
((${#SIZES[@]})) || SIZES=(50000 500000 5000000)

if [[ ! -f $PEERS/duck.py ]]; then
  echo "bench: no duck.py in $PEERS; set PEERS" >&2
  exit 1
fi
if [[ -z ${DUCK_PYTHON:-} ]]; then
  DUCK_PYTHON=$TARGET/duckvenv/bin/python
  if ! "$DUCK_PYTHON" -c 'import duckdb' 2>/dev/null; then
    echo "making $TARGET/duckvenv (pip install duckdb)…" >&2
    python3 -m venv "$TARGET/duckvenv"
    "$TARGET/duckvenv/bin/pip" install --quiet duckdb
  fi
fi
if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
  echo "bench: needs GNU time as /usr/bin/time (Debian: apt-get install time)" >&2
  exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "building (cargo build --release --bin stars --example gen)…" >&2
cargo build --quiet --release --bin stars --example gen

# The same workspaces as bench/run.sh (3 years) and bench/county.sh; 5,000,000 with 1 year.
ws() {
  local n=$1 years=$2 stamp
  WS=$TARGET/bench-$n
  [[ $years == 3 ]] || WS=$WS-y$years
  stamp="gen $n --years $years $(cksum <"$ROOT/examples/gen.rs" | cut -d' ' -f1)"
  if [[ -f $WS/.bench-complete && $(cat "$WS/.bench-complete") == "$stamp" ]]; then
    return
  fi
  echo "generating $n branches × $years years into $WS…" >&2
  rm -rf "$WS"
  "$GEN" "$WS" "$n" --years "$years" >&2
  echo "$stamp" >"$WS/.bench-complete"
}

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
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "stars:   $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'); duckdb $("$DUCK_PYTHON" -c 'import duckdb; print(duckdb.__version__)')"
echo
echo "| branches | stars wall | DuckDB wall | stars / DuckDB (wall, median of $RUNS pairs; least–largest) | stars peak | DuckDB peak | same bytes |"
echo "|---:|---:|---:|---:|---:|---:|---|"
for n in "${SIZES[@]}"; do
  years=3
  ((n < 5000000)) || years=1
  ws "$n" "$years"
  year=$((2023 + years - 1))
  export STARS_STANDARDS=$ROOT/standards PEER_THREADS=2
  A=("$STARS" evaluate -w "$WS" --year "$year" --format csv -o "$TMP/stars.csv")
  B=("$DUCK_PYTHON" "$PEERS/duck.py" "$WS" "$year" "$TMP/duck.csv")
  "${A[@]}"
  "${B[@]}" >/dev/null
  same=no
  cmp -s "$TMP/stars.csv" "$TMP/duck.csv" && same=yes
  : >"$TMP/a"
  : >"$TMP/b"
  for ((i = 0; i < RUNS; i++)); do
    once "$TMP/a" "${A[@]}"
    once "$TMP/b" "${B[@]}"
  done
  paste -d' ' "$TMP/a" "$TMP/b" | awk '{ print $1 / $5 }' >"$TMP/r"
  printf '| %s | %.2f s | %.2f s | %.2f× (%.2f–%.2f) | %s | %s | %s |\n' "$n" \
    "$(cut -d' ' -f1 "$TMP/a" | median)" "$(cut -d' ' -f1 "$TMP/b" | median)" \
    "$(median <"$TMP/r")" "$(sort -g "$TMP/r" | head -n 1)" "$(sort -g "$TMP/r" | tail -n 1)" \
    "$(mib "$(cut -d' ' -f4 "$TMP/a" | sort -g | tail -n 1)")" \
    "$(mib "$(cut -d' ' -f4 "$TMP/b" | sort -g | tail -n 1)")" "$same"
done
