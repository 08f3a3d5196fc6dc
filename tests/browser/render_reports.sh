#!/usr/bin/env bash
# Renders the HTML report of every example in headless Chromium (Debian's `chromium`, which
# `make test` installs), checks that the page loads with its SVG graph and chart and without
# scripts, and leaves a screenshot of each in OUTDIR for people to look at.
#   render_reports.sh KSFRAME OUTDIR        run from the project root
set -euo pipefail
ksframe=$1
outdir=$(mkdir -p "$2" && cd "$2" && pwd)
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium is not installed: 'make test' installs it (make test-deps), or apt-get install chromium"
  exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-extensions
       --disable-sync --no-first-run --no-default-browser-check --hide-scrollbars --mute-audio
       --user-data-dir="$profile")
status=0
pages=0
for spec in examples/*.yaml; do
  name=$(basename "$spec" .yaml)
  html="$outdir/$name.html"
  # A report whose verdict is FAIL exits 1 and still writes the page.
  "$ksframe" report "$spec" --format html --frames 600 -o "$html" || [ $? -eq 1 ]
  pipes=$(grep -c '<tr><td><span class="swatch"' "$html" || true)
  dom=$(timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$html" 2>/dev/null)
  check() {  # check DESCRIPTION COUNT-FOUND COUNT-WANTED
    if [ "$2" -ne "$3" ]; then echo "$name: $1: found $2, expected $3"; status=1; fi
  }
  check "loaded page (closing </html>)" "$(grep -c '</html>' <<<"$dom")" 1
  check "graph SVG" "$(grep -o '<svg id="graph"' <<<"$dom" | wc -l)" 1
  check "chart SVG" "$(grep -o '<svg id="chart"' <<<"$dom" | wc -l)" 1
  check "one mean series per pipe" "$(grep -o '<polyline class="series"' <<<"$dom" | wc -l)" "$pipes"
  # Small multiples: each pipe its own panel (its own y scale), its negotiated frames labelled on
  # it and its verdict in the panel's heading.
  check "one chart panel per pipe" "$(grep -o '<g class="panel"' <<<"$dom" | wc -l)" "$pipes"
  check "one negotiated-frames label per panel" "$(grep -o '<text class="frames-label"' <<<"$dom" | wc -l)" "$pipes"
  check "one verdict per panel heading" "$(grep -o 'negotiated frames; load verdict [a-z_]*</text>' <<<"$dom" | wc -l)" "$pipes"
  check "one allocator mark per allocator pin" \
    "$(grep -o '<g class="pin allocator-pin">' <<<"$dom" | wc -l)" \
    "$(grep -o '<g class="pin allocator-pin">' "$html" | wc -l)"
  check "scripts" "$(grep -c '<script' <<<"$dom" || true)" 0
  timeout 60 "$browser" "${flags[@]}" --window-size=1280,2200 --screenshot="$outdir/$name.png" \
    "file://$html" >/dev/null 2>&1
  size=$(stat -c %s "$outdir/$name.png" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ]; then echo "$name: screenshot missing or blank ($size bytes)"; status=1; fi
  pages=$((pages + 1))
done
echo "$pages reports rendered in $("$browser" --version 2>/dev/null | head -1); screenshots in $outdir"
[ "$pages" -ge 7 ] || { echo "expected every example ($pages rendered)"; status=1; }
exit $status
