#!/usr/bin/env bash
# The picture of the committee report in README.md: builds the example town's report
# (examples/dawang, in Chinese), prints it to PDF with a headless chromium as a browser
# prints it (A4 pages, each numbered at its foot) and renders its first printed page to
# docs/report.png with pdftoppm (Debian: apt-get install chromium poppler-utils; a CJK font
# such as fonts-wqy-microhei or fonts-noto-cjk for the Chinese text).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in chromium pdftoppm; do
  if ! command -v "$tool" >/dev/null; then
    echo "make-report-png.sh: $tool is not on PATH (Debian: apt-get install chromium poppler-utils)" >&2
    exit 1
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --quiet -- report --workspace examples/dawang --year 2025 --lang zh --output "$tmp/report.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --no-pdf-header-footer \
  --user-data-dir="$tmp/profile" \
  --print-to-pdf="$tmp/report.pdf" \
  "file://$tmp/report.html" 2>/dev/null
# 80 dots an inch: an A4 page is 662 × 936 pixels.
pdftoppm -png -r 80 -f 1 -l 1 -singlefile "$tmp/report.pdf" "$tmp/page"
mv "$tmp/page.png" docs/report.png
echo "docs/report.png"
