#!/usr/bin/env bash
# loadtest.sh measures requests per second of dronekb serve's /api/search
# under a bounded load from a second process on loopback.
#
# It generates a knowledge base of N entries (sitetest.Generate, about
# 3.6 kB of markdown each; kept in $LOADTEST_DIR between runs), builds it
# with dronekb build, starts dronekb serve on 127.0.0.1 at a free port, and
# drives /api/search with wrk for DURATION over CONNECTIONS connections,
# cycling through the query mix in scripts/loadtest.lua (words, phrases of
# common words, a word in nearly every entry, filter-only queries, a prefix,
# a typo, paging). Each run prints wrk's report: requests per second,
# latency percentiles and the answers by status; with -r RUNS it repeats
# and prints the median requests per second. The server is stopped at the
# end, and nothing but 127.0.0.1 is ever sent a request.
#
# wrk runs beside the server on the same machine, so the numbers are those
# of the whole machine shared by both; run it when nothing else is busy: it
# waits until the 1-minute load average is below MAX_LOAD.
#
# Usage:
#
#	scripts/loadtest.sh [-n ENTRIES] [-d DURATION] [-c CONNECTIONS] [-t THREADS] [-r RUNS]
#
# After the searches it drives a static file (/robots.txt) the same way, as
# the peer measured in the same run: the ratio of the two says what a
# search costs the server, where requests per second alone say as much
# about the machine as about dronekb.
#
# Defaults: -n 10000 -d 10s -c 8 -t 2 -r 1. Environment: LOADTEST_DIR
# (default ${TMPDIR:-/tmp}/dronekb-loadtest), MAX_LOAD (default 1.5; 0 does
# not wait). Needs Go and wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

entries=10000 duration=10s connections=8 threads=2 runs=1
while getopts "n:d:c:t:r:h" opt; do
  case $opt in
    n) entries=$OPTARG ;;
    d) duration=$OPTARG ;;
    c) connections=$OPTARG ;;
    t) threads=$OPTARG ;;
    r) runs=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
if ! command -v wrk >/dev/null; then
  echo "loadtest: wrk is not installed; apt-get install -y wrk" >&2
  exit 2
fi
dir=${LOADTEST_DIR:-${TMPDIR:-/tmp}/dronekb-loadtest}
max_load=${MAX_LOAD:-1.5}
mkdir -p "$dir"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1748736000} # 2025-06-01

echo "== building dronekb"
go build -o "$dir/dronekb" ./cmd/dronekb

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
  kill -0 "$server" 2>/dev/null || { echo "loadtest: dronekb serve exited:"; cat "$dir/serve.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "loadtest: dronekb serve did not start"; exit 1; }
curl_ok=$(command -v curl || true)
if [ -n "$curl_ok" ]; then curl -fsS "$url/api/search?q=drone&size=1" >/dev/null; fi
echo "serving at $url"

wait_quiet() {
  [ "$max_load" = 0 ] && return
  for _ in $(seq 120); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" -v m="$max_load" 'BEGIN { exit !(l < m) }' && return
    echo "load average $load; waiting for it to fall below $max_load"
    sleep 10
  done
  echo "the load average stayed above $max_load; measuring anyway"
}

rps=()
for i in $(seq "$runs"); do
  wait_quiet
  echo "== run $i of $runs: wrk -t$threads -c$connections -d$duration ($(uptime | sed 's/.*load/load/'))"
  out=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s --latency -s scripts/loadtest.lua "$url")
  echo "$out"
  rps+=("$(echo "$out" | awk '/^requests / { print $(NF-2) }')")
done
if [ "$runs" -gt 1 ]; then
  median=$(printf '%s\n' "${rps[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "== requests per second over $runs runs: ${rps[*]}; median $median"
fi
wait_quiet
echo "== the peer: wrk -t$threads -c$connections -d$duration on /robots.txt"
peer=$(wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s "$url/robots.txt" | awk '/^Requests\/sec/ { print $2 }')
search=$(printf '%s\n' "${rps[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "== searches per second ${search} against ${peer} for a static file: ratio $(awk -v a="$search" -v b="$peer" 'BEGIN { printf "%.3f", a / b }')"
