#!/usr/bin/env bash
# costlyload.sh measures whether costly searches can starve plain ones on
# dronekb serve's /api/search: on a generated knowledge base of N entries
# (the one scripts/loadtest.sh uses, kept in $LOADTEST_DIR), it builds the
# site and index, starts dronekb serve on 127.0.0.1 at a free port, and runs
# scripts/searchload: plain one-word searches from a visitor, alone and then
# beside COSTLY clients that send costly searches (long sets of phrases,
# excluded phrases, deep pages sorted by title, prefixes, typos, many words)
# as fast as they are answered. It prints the plain searches' latency
# percentiles and statuses in both phases, the costly clients' statuses, and
# the ratio of the plain p99 under load to the p99 alone; it fails if a
# plain search under load got anything but 200, or its p99 reached P99.
#
# Everything runs on this one machine, load generator included: run it when
# nothing else is busy (it waits until the 1-minute load average is below
# MAX_LOAD), and read the ratio before the absolute figures.
#
# Usage:
#
#	scripts/costlyload.sh [-n ENTRIES] [-c COSTLY] [-d DURATION] [-b BASELINE] [-p P99]
#
# Defaults: -n 10000 -c 200 -d 30s -b 10s -p 100ms. Environment:
# LOADTEST_DIR (default ${TMPDIR:-/tmp}/dronekb-loadtest), MAX_LOAD (default
# 1.5; 0 does not wait).
set -euo pipefail
cd "$(dirname "$0")/.."

entries=10000 costly=200 duration=30s baseline=10s p99=100ms
while getopts "n:c:d:b:p:h" opt; do
  case $opt in
    n) entries=$OPTARG ;;
    c) costly=$OPTARG ;;
    d) duration=$OPTARG ;;
    b) baseline=$OPTARG ;;
    p) p99=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
dir=${LOADTEST_DIR:-${TMPDIR:-/tmp}/dronekb-loadtest}
max_load=${MAX_LOAD:-1.5}
mkdir -p "$dir"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1748736000} # 2025-06-01

echo "== building dronekb and searchload"
go build -o "$dir/dronekb" ./cmd/dronekb
go build -o "$dir/searchload" ./scripts/searchload

content="$dir/content-$entries"
if [ ! -f "$content/.complete" ]; then
  echo "== generating $entries entries in $content"
  rm -rf "$content"
  DRONEKB_LOADTEST_CORPUS="$content" DRONEKB_LOADTEST_ENTRIES="$entries" \
    go test -count=1 -run '^TestWriteLoadCorpus$' ./internal/server/ >/dev/null
  touch "$content/.complete"
fi

echo "== dronekb build"
"$dir/dronekb" build --content "$content" --out "$dir/public" --index "$dir/index"

echo "== dronekb serve"
"$dir/dronekb" serve --out "$dir/public" --index "$dir/index" --addr 127.0.0.1:0 >"$dir/serve.out" 2>"$dir/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$dir/serve.out" 2>/dev/null | head -1 || true)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { echo "costlyload: dronekb serve exited:"; cat "$dir/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "costlyload: dronekb serve did not start"; exit 1; }
echo "serving at $url"

if [ "$max_load" != 0 ]; then
  for _ in $(seq 120); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" -v m="$max_load" 'BEGIN { exit !(l < m) }' && break
    echo "load average $load; waiting for it to fall below $max_load"
    sleep 10
  done
fi
echo "== searchload ($(uptime | sed 's/.*load/load/'))"
"$dir/searchload" -url "$url" -costly "$costly" -duration "$duration" -baseline "$baseline" -p99 "$p99"
