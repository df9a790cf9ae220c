#!/usr/bin/env bash
# Draws a theme's apple-touch-icon.png (the 180 × 180 PNG iOS and Safari show
# for a site saved to the home screen or the favourites) from its
# favicon.svg, in headless Chromium: the same picture, square and opaque
# (iOS rounds the corners itself and shows transparent pixels as black).
#
#   scripts/touch-icon.sh                 # themes/default/static/
#   scripts/touch-icon.sh theme/static    # a group's own theme
#
# The SVG's outer rectangle loses its rounded corners (rx) and the page's
# background is that rectangle's fill, so nothing shows through.
set -euo pipefail
dir="${1:-themes/default/static}"
svg="$dir/favicon.svg"
[ -f "$svg" ] || { echo "no $svg" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "no Chromium on PATH (Debian: apt-get install chromium)" >&2; exit 2; }
fill="$(grep -o '<rect[^>]*fill="[^"]*"' "$svg" | head -1 | sed 's/.*fill="\([^"]*\)".*/\1/')"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
{
  printf '<!doctype html><html><head><style>html,body{margin:0;padding:0;background:%s}svg{display:block}</style></head><body>' "${fill:-#fff}"
  sed 's/ rx="[^"]*"//; s/<svg /<svg width="180" height="180" /' "$svg"
  printf '</body></html>'
} > "$tmp/icon.html"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=180,180 --screenshot="$tmp/icon.png" "file://$tmp/icon.html" >/dev/null 2>&1
mv "$tmp/icon.png" "$dir/apple-touch-icon.png"
echo "wrote $dir/apple-touch-icon.png"
