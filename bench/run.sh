#!/usr/bin/env bash
# Benchmarks for issue "Scale: a province in a blink". See bench/README.md and BENCHMARKS.md.
#
#   bash bench/run.sh [N]        # default N=500000: floor, evaluate, rectify, adjust; the town
#   bash bench/run.sh --growth   # N = 1000 10000 100000 500000: floor and evaluate, markdown
#
# Environment: BENCH_RUNS (default 3: the best of that many runs is reported),
# BENCH_TOWN_RUNS (default 10), BENCH_YEARS (default 3), CARGO_TARGET_DIR (default ./target),
# BENCH_THEMES=1 (the same workspace rated by themes: `gen --themes`, in target/bench-N-themes;
# compare with a run without it for "by themes within 10% of by score"),
# BENCH_RECORDS=1 (what the records of the year cost: `gen --records` in
# target/bench-N-records and its twin `gen --records-twin` in target/bench-N-records-twin, the
# same ratings as plain score rows; times `evaluate` on both, in turn, and prints the ratio).
# Generated workspaces go to $CARGO_TARGET_DIR/bench-N and are reused while the generator and
# its parameters are unchanged. Nothing is written outside the target folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
RUNS=${BENCH_RUNS:-3}
TOWN_RUNS=${BENCH_TOWN_RUNS:-10}
YEARS=${BENCH_YEARS:-3}
THEMES=${BENCH_THEMES:-0}
RECORDS=${BENCH_RECORDS:-0}
STARS=$TARGET/release/stars
GEN=$TARGET/release/examples/gen
FLOOR=$TARGET/release/examples/floor
TOWN=$ROOT/examples/dawang

usage() {
  echo "usage: bash bench/run.sh [N] | bash bench/run.sh --growth" >&2
  exit 2
}

GROWTH=0
N=500000
case "${1:-}" in
  "") ;;
  --growth) GROWTH=1 ;;
  -h | --help) usage ;;
  *) [[ $1 =~ ^[0-9]+$ ]] || usage; N=$1 ;;
esac

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# --- measuring -------------------------------------------------------------------------
# Peak memory: GNU time's %M (max resident set, KiB) when /usr/bin/time exists, else a
# python3 wrapper using os.wait4's rusage. Wall time: bash's $EPOCHREALTIME around the
# command (microseconds; includes the ~1 ms of starting /usr/bin/time, shown as "overhead").
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true 2>/dev/null; then
  METER=gnu-time
elif command -v python3 >/dev/null; then
  METER=python3
  cat >"$TMP/meter.py" <<'EOF'
import os, sys
out = open(sys.argv[1], "w")
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1)
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
out.write("%d %.2f %.2f\n" % (ru.ru_maxrss, ru.ru_utime, ru.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
else
  echo "bench: need /usr/bin/time (GNU time) or python3 to measure peak memory" >&2
  exit 1
fi

# once CMD...: run CMD with stdout to /dev/null; sets ONCE_S (wall seconds), ONCE_KB (peak RSS,
# KiB) and ONCE_CPU (user + system seconds, 10 ms resolution: steadier than wall on a busy box).
once() {
  local t0 t1 rc=0
  t0=$EPOCHREALTIME
  if [[ $METER == gnu-time ]]; then
    /usr/bin/time -f "%M %U %S" -o "$TMP/mem" "$@" >/dev/null 2>"$TMP/err" || rc=$?
  else
    python3 "$TMP/meter.py" "$TMP/mem" "$@" 2>"$TMP/err" || rc=$?
  fi
  t1=$EPOCHREALTIME
  if ((rc != 0)); then
    echo "bench: failed ($rc): $*" >&2
    head -20 "$TMP/err" >&2
    exit 1
  fi
  ONCE_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
  read -r ONCE_KB ONCE_CPU < <(tail -n 1 "$TMP/mem" | awk '{ printf "%d %.2f\n", $1, $2 + $3 }')
}

# best RUNS CMD...: BEST_S = the least wall time of RUNS runs; BEST_CPU = the least CPU time;
# BEST_KB = the largest peak RSS.
best() {
  local runs=$1 i
  shift
  BEST_S=""
  BEST_CPU=""
  BEST_KB=0
  for ((i = 0; i < runs; i++)); do
    once "$@"
    if [[ -z $BEST_S ]] || awk -v a="$ONCE_S" -v b="$BEST_S" 'BEGIN { exit !(a < b) }'; then
      BEST_S=$ONCE_S
    fi
    if [[ -z $BEST_CPU ]] || awk -v a="$ONCE_CPU" -v b="$BEST_CPU" 'BEGIN { exit !(a < b) }'; then
      BEST_CPU=$ONCE_CPU
    fi
    ((ONCE_KB > BEST_KB)) && BEST_KB=$ONCE_KB
  done
  return 0
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
cpu() { awk -v s="$1" 'BEGIN { if (s == 0) printf "< 10 ms"; else if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s }'; }
secs() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }
# cpu times come in 10 ms steps from GNU time: too coarse to divide below 20 ms.
cratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b < 0.02) printf "n/a"; else printf "%.1f×", a / b }'; }

# --- building and generating -------------------------------------------------------------
build() {
  echo "building (cargo build --release --bin stars --example gen --example floor)…" >&2
  cargo build --quiet --release --bin stars --example gen --example floor
}

# workspace N [KIND]: make sure $TARGET/bench-N holds a complete generated workspace; sets WS.
# KIND: records or records-twin (`gen --records`, `gen --records-twin`).
workspace() {
  local n=$1 kind=${2:-} stamp flags=()
  WS=$TARGET/bench-$n
  if [[ -n $kind ]]; then
    WS=$TARGET/bench-$n-$kind
    flags=(--"$kind")
  elif [[ $THEMES == 1 ]]; then
    WS=$TARGET/bench-$n-themes
    flags=(--themes)
  fi
  stamp="gen $n --years $YEARS ${flags[*]} $(cksum <"$ROOT/examples/gen.rs" | cut -d' ' -f1)"
  if [[ -f $WS/.bench-complete && $(cat "$WS/.bench-complete") == "$stamp" ]]; then
    return
  fi
  echo "generating $n branches × $YEARS years into $WS…" >&2
  rm -rf "$WS"
  "$GEN" "$WS" "$n" --years "$YEARS" ${flags[@]+"${flags[@]}"} >&2
  echo "$stamp" >"$WS/.bench-complete"
}

years_of() { find "$1" -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9][0-9][0-9]' -printf '%f\n' | sort; }

machine() {
  local cpu mem rev
  cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
  mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
  rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
  if git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1 && [[ -n $(git -C "$ROOT" status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null) ]]; then
    rev="$rev (src/ has uncommitted changes)"
  fi
  echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, ${mem:-unknown memory}; load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "stars:   $rev; $("$STARS" --version 2>/dev/null || echo '?')"
  echo "meter:   $METER (wall: \$EPOCHREALTIME; cpu: user+sys; peak memory: max RSS); best of $RUNS runs"
}

# --- the modes ---------------------------------------------------------------------------
growth() {
  local n last floor_s floor_cpu floor_kb
  machine
  echo
  echo "| branches | floor wall | floor cpu | floor peak | evaluate wall | evaluate cpu | evaluate peak | evaluate / floor (wall) | (cpu) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in 1000 10000 100000 500000; do
    workspace "$n"
    last=$(years_of "$WS" | tail -n 1)
    best "$RUNS" "$FLOOR" "$WS" "$last"
    floor_s=$BEST_S floor_cpu=$BEST_CPU floor_kb=$BEST_KB
    best "$RUNS" "$STARS" evaluate --workspace "$WS" --year "$last" --format csv
    printf '| %s | %s | %s | %s MiB | %s | %s | %s MiB | %s | %s |\n' "$n" \
      "$(secs "$floor_s")" "$(cpu "$floor_cpu")" "$(mib "$floor_kb")" \
      "$(secs "$BEST_S")" "$(cpu "$BEST_CPU")" "$(mib "$BEST_KB")" \
      "$(ratio "$BEST_S" "$floor_s")" "$(cratio "$BEST_CPU" "$floor_cpu")"
  done
}

# row LABEL TARGET MET: one row of the single-size table from BEST_*, with RATIO and RATIO_CPU.
row() {
  printf '| %s | %s | %s | %s MiB | %s | %s | %s | %s |\n' "$1" "$(secs "$BEST_S")" "$(cpu "$BEST_CPU")" \
    "$(mib "$BEST_KB")" "${RATIO:-}" "${RATIO_CPU:-}" "$2" "$3"
}

single() {
  local n=$1 y last floor_s floor_cpu floor_kb floor_all=0 floor_all_cpu=0 met
  workspace "$n"
  local years=()
  mapfile -t years < <(years_of "$WS")
  last=${years[-1]}
  machine
  echo "workspace: $WS ($n branches, years ${years[*]}; $(du -sh "$WS" | cut -f1))"
  "$FLOOR" "$WS" "$last" | sed 's/^/floor:   /'
  best 5 /usr/bin/env true
  echo "overhead: $(secs "$BEST_S") wall (starting a process through the meter; included in every wall time)"
  echo

  for y in "${years[@]}"; do
    best "$RUNS" "$FLOOR" "$WS" "$y"
    floor_all=$(awk -v a="$floor_all" -v b="$BEST_S" 'BEGIN { printf "%.6f", a + b }')
    floor_all_cpu=$(awk -v a="$floor_all_cpu" -v b="$BEST_CPU" 'BEGIN { printf "%.2f", a + b }')
    if [[ $y == "$last" ]]; then floor_s=$BEST_S floor_cpu=$BEST_CPU floor_kb=$BEST_KB; fi
  done

  echo "| run ($n branches) | wall | cpu | peak memory | ratio (wall) | ratio (cpu) | target | met (wall) |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  BEST_S=$floor_s BEST_CPU=$floor_cpu BEST_KB=$floor_kb RATIO="1.0×" RATIO_CPU="1.0×"
  row "floor $last (score sheets tokenized)" "" ""
  BEST_S=$floor_all BEST_CPU=$floor_all_cpu BEST_KB=$floor_kb
  RATIO="$(ratio "$floor_all" "$floor_s")" RATIO_CPU="$(cratio "$floor_all_cpu" "$floor_cpu")"
  row "floor, all ${#years[@]} years (sum; peak of one)" "" ""

  best "$RUNS" "$STARS" evaluate --workspace "$WS" --year "$last" --format csv
  RATIO="$(ratio "$BEST_S" "$floor_s")" RATIO_CPU="$(cratio "$BEST_CPU" "$floor_cpu")"
  met=$(awk -v a="$BEST_S" -v b="$floor_s" -v k="$BEST_KB" 'BEGIN { print (a <= 2 * b && k < 1048576) ? "yes" : "no" }')
  row "\`stars evaluate --format csv --year $last\`" "≤ 2× floor, < 1 GiB" "$met"

  best "$RUNS" "$STARS" rectify --workspace "$WS" --year "$last" --format csv
  RATIO="$(ratio "$BEST_S" "$floor_s")" RATIO_CPU="$(cratio "$BEST_CPU" "$floor_cpu")"
  met=$(awk -v a="$BEST_S" -v b="$floor_s" 'BEGIN { print (a <= 3 * b) ? "yes" : "no" }')
  row "\`stars rectify --format csv --year $last\`" "≤ 3× floor (1 year read)" "$met"

  best "$RUNS" "$STARS" adjust --workspace "$WS" --year "$last" --format csv
  RATIO="$(ratio "$BEST_S" "$floor_all") of ${#years[@]} floors"
  RATIO_CPU="$(cratio "$BEST_CPU" "$floor_all_cpu")"
  met=$(awk -v a="$BEST_S" -v b="$floor_all" 'BEGIN { print (a <= 3 * b) ? "yes" : "no" }')
  row "\`stars adjust --format csv --year $last\` (${#years[@]} years)" "≤ 3× floor per year read" "$met"

  local fmt
  RATIO="" RATIO_CPU=""
  for fmt in table csv; do
    best "$TOWN_RUNS" "$STARS" evaluate --workspace "$TOWN" --format "$fmt"
    met=$(awk -v s="$BEST_S" 'BEGIN { print (s < 0.020) ? "yes" : "no" }')
    row "town (examples/dawang, 64 rated in 2025) \`stars evaluate --format $fmt\`, best of $TOWN_RUNS" "< 20 ms" "$met"
  done
}

# records N: evaluate on the records workspace and on its twin, in turn (RUNS pairs, so that
# a drift of the machine's speed falls on both); the least wall and cpu of each, and their
# ratios. The two outputs must be the same bytes.
records() {
  local n=$1 last rec twin i rec_s="" rec_cpu="" rec_kb=0 twin_s="" twin_cpu="" twin_kb=0
  workspace "$n" records
  rec=$WS
  workspace "$n" records-twin
  twin=$WS
  last=$(years_of "$rec" | tail -n 1)
  machine
  echo "workspaces: $rec ($(du -sh "$rec" | cut -f1)) and $twin ($(du -sh "$twin" | cut -f1)), year $last"
  "$STARS" evaluate --workspace "$rec" --year "$last" --format csv >"$TMP/rec.csv"
  "$STARS" evaluate --workspace "$twin" --year "$last" --format csv >"$TMP/twin.csv"
  if ! cmp -s "$TMP/rec.csv" "$TMP/twin.csv"; then
    echo "bench: the records workspace and its twin rate differently" >&2
    exit 1
  fi
  least() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a < b) ? a : b }'; }
  for ((i = 0; i < RUNS; i++)); do
    once "$STARS" evaluate --workspace "$rec" --year "$last" --format csv
    rec_s=$(least "$ONCE_S" "$rec_s") rec_cpu=$(least "$ONCE_CPU" "$rec_cpu")
    ((ONCE_KB > rec_kb)) && rec_kb=$ONCE_KB
    once "$STARS" evaluate --workspace "$twin" --year "$last" --format csv
    twin_s=$(least "$ONCE_S" "$twin_s") twin_cpu=$(least "$ONCE_CPU" "$twin_cpu")
    ((ONCE_KB > twin_kb)) && twin_kb=$ONCE_KB
  done
  echo
  echo "| \`evaluate --format csv --year $last\`, $n branches | wall | cpu | peak memory | ratio (wall) | ratio (cpu) | ratio (peak) |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  printf '| twin (`gen --records-twin`: the records as score rows) | %s | %s | %s MiB | 1.0× | 1.0× | 1.0× |\n' \
    "$(secs "$twin_s")" "$(cpu "$twin_cpu")" "$(mib "$twin_kb")"
  printf '| records (`gen --records`) | %s | %s | %s MiB | %s | %s | %s |\n' \
    "$(secs "$rec_s")" "$(cpu "$rec_cpu")" "$(mib "$rec_kb")" \
    "$(awk -v a="$rec_s" -v b="$twin_s" 'BEGIN { printf "%.2f×", a / b }')" \
    "$(awk -v a="$rec_cpu" -v b="$twin_cpu" 'BEGIN { printf "%.2f×", a / b }')" \
    "$(awk -v a="$rec_kb" -v b="$twin_kb" 'BEGIN { printf "%.2f×", a / b }')"
}

build
if ((GROWTH)); then
  growth
elif ((RECORDS)); then
  records "$N"
else
  single "$N"
fi
