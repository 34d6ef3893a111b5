#!/usr/bin/env bash
# Peak memory of `stars check` on every hostile input (issue "Trust, second round"): the
# crafted workbooks of tests/xlsx_trust.rs, the links, FIFO and oversize files of
# tests/links.rs, and the problem-list floods. Each must exit 1 within LIMIT_MIB (200).
#
#   bash bench/hostile.sh
#
# Builds `stars` and examples/hostile.rs in release mode (CARGO_TARGET_DIR honoured, default
# ./target), writes the cases into a temporary folder (removed at the end), runs
# `stars check -w CASE` on each once and prints a markdown table. Exits 1 when a case
# exits otherwise than 1 or 2, or goes over the limit.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
LIMIT_MIB=${LIMIT_MIB:-200}
STARS=$TARGET/release/stars
cargo build --release --quiet --bin stars --example hostile
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Peak memory: GNU time's %M (KiB) where /usr/bin/time exists, else python3's os.wait4.
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true 2>/dev/null; then
  meter() { /usr/bin/time -f %M -o "$TMP/mem" "$@"; }
elif command -v python3 >/dev/null; then
  cat >"$TMP/meter.py" <<'PY'
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
open(sys.argv[1], "w").write("%d\n" % ru.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status))
PY
  meter() { python3 "$TMP/meter.py" "$TMP/mem" "$@"; }
else
  echo "hostile: need /usr/bin/time (GNU time) or python3 to measure peak memory" >&2
  exit 1
fi

"$TARGET/release/examples/hostile" "$TMP/cases" >"$TMP/names"
echo "| case | exit code | peak RSS (MiB) | wall time (s) | input size | first problem |"
echo "|---|---:|---:|---:|---:|---|"
bad=0
while read -r name; do
  ws=$TMP/cases/$name
  size=$(du -sh --apparent-size "$ws" | cut -f1)
  rc=0
  t0=$EPOCHREALTIME
  LANG=C meter timeout 60 "$STARS" check -w "$ws" >/dev/null 2>"$TMP/err" || rc=$?
  t1=$EPOCHREALTIME
  kib=$(tail -n 1 "$TMP/mem")
  mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  first=$(grep -m1 '^error' "$TMP/err" | sed "s#$TMP/cases/##g; s/|/\\\\|/g" | cut -c1-110 || true)
  echo "| $name | $rc | $mib | $wall | $size | ${first:-(none)} |"
  if ((rc != 1 && rc != 2)) || ((kib > LIMIT_MIB * 1024)); then
    echo "hostile: $name: exit $rc, peak $mib MiB (limit $LIMIT_MIB MiB)" >&2
    bad=1
  fi
done <"$TMP/names"
exit $bad
