#!/usr/bin/env bash
# The picture of the committee report in README.md: builds the example town's report
# (examples/dawang, in Chinese) and screenshots its first page to docs/report.png with a
# headless chromium (Debian: apt-get install chromium; a CJK font such as
# fonts-wqy-microhei or fonts-noto-cjk for the Chinese text).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
  echo "make-report-png.sh: chromium is not on PATH (Debian: apt-get install chromium)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --quiet -- report --workspace examples/dawang --year 2025 --lang zh --output "$tmp/report.html"
# One A4 page at 96 dpi is about 794 × 1123 pixels: the window shows the first section.
chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --user-data-dir="$tmp/profile" \
  --screenshot="$tmp/report.png" --window-size=900,1000 \
  "file://$tmp/report.html" 2>/dev/null
mv "$tmp/report.png" docs/report.png
echo "docs/report.png"
