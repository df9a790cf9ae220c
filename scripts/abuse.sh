#!/usr/bin/env bash
# abuse.sh replays the fault-injection and abuse list of issue 7 against a
# built dronekb binary and prints one line a check, PASS or FAIL, with what
# it saw, then a summary; it exits 1 if any check failed.
#
#  1. outputs that would destroy the input: --out content, --index content,
#     --out public --index public, --out th --theme th, a foreign folder
#  2. bodies the markdown parser is slow on: cmark's pathological set and
#     ours (lines starting with |, padded tables, nesting on one line), as
#     their sources write them (refused) and cut to the limits (accepted):
#     the worst CPU time `check` and `build` take on an accepted file,
#     beside that of a plain file of the same size
#  3. and 4. /api/search under 200 costly clients on a 10,000-entry
#     knowledge base (scripts/costlyload.sh): a visitor's word searches
#     keep their p99 under 100 ms and never get a 503; every 503 has
#     Retry-After (skip with -q: it takes a minute or two)
#  5. a site and an index of two builds, as a build killed between its two
#     swaps leaves them: serve answers 503, and a build mends the pair
#  6. a lone \r in front matter: positions as an editor shows them
#  7. serve without --watch: a new build's index is searched, a deleted
#     one is not
#  8. index/ reproducibility: public/ and index/'s own files identical
#     from build to build
#  9. a read-only public/: refused before building, nothing left beside it
#     (run as nobody when run as root, since root ignores permissions)
# 10. live-reload streams under serve --watch: at most 64, the rest 503
# 11. nits: several byte ranges, ~-1 ~NaN ~0.5, tags: 5, con.md and kin
#
# Usage:
#
#	scripts/abuse.sh [-b BINARY] [-q] [-s "2 5 …"]
#
# -b uses a built binary (default: go build ./cmd/dronekb); -s runs only the
# checks numbered (3 and 4 run together). Environment:
# ABUSE_DIR (default ${TMPDIR:-/tmp}/dronekb-abuse), and those of
# scripts/costlyload.sh. Needs curl; uses runuser for check 9 as root.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
repo=$(pwd)

bin="" quick=0 only=""
while getopts "b:qs:h" opt; do
  case $opt in
    b) bin=$OPTARG ;;
    q) quick=1 ;;
    s) only=" $OPTARG " ;;
    *) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
command -v curl >/dev/null || { echo "abuse: curl is not installed" >&2; exit 2; }
dir=${ABUSE_DIR:-${TMPDIR:-/tmp}/dronekb-abuse}
rm -rf "$dir" && mkdir -p "$dir" && chmod 755 "$dir"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1748736000} # 2025-06-01
if [ -z "$bin" ]; then
  go build -o "$dir/dronekb" ./cmd/dronekb || exit 2
  bin="$dir/dronekb"
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

pass=0 fail=0
ok() { pass=$((pass + 1)); printf 'PASS  %s\n' "$*"; }
bad() { fail=$((fail + 1)); printf 'FAIL  %s\n' "$*"; }
check() { # check NAME CONDITION-EXIT-STATUS DETAIL
  if [ "$2" -eq 0 ]; then ok "$1: $3"; else bad "$1: $3"; fi
}
section() { printf '\n== %s\n' "$*"; }
# want N: whether check N is to run.
want() { [ -z "$only" ] || [[ "$only" == *" $1 "* ]]; }
servers=()
cleanup() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  chmod -R u+w "$dir" 2>/dev/null
}
trap cleanup EXIT

# serve_at DIR ARGS...: starts dronekb serve in DIR on a free port; sets url.
serve_at() {
  local d=$1; shift
  (cd "$d" && exec "$bin" serve --addr 127.0.0.1:0 "$@" >serve.out 2>serve.log) &
  servers+=($!)
  url=""
  for _ in $(seq 300); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$d/serve.out" 2>/dev/null | head -1)
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  echo "serve did not start in $d:"; cat "$d/serve.log"
  return 1
}
stop_servers() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  servers=()
}
status_of() { curl -s -o "$dir/body" -w '%{http_code}' "$@"; }
# wait_for URL PATTERN: up to 10 s for the body at URL to match PATTERN.
wait_for() {
  for _ in $(seq 100); do
    curl -s "$1" | grep -q "$2" && return 0
    sleep 0.1
  done
  return 1
}
project() { # project NAME: a copy of the shipped content in $dir/NAME
  rm -rf "${dir:?}/$1" && mkdir -p "$dir/$1" && cp -r "$repo/content" "$dir/$1/content"
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
now() { date +%s.%N; }

if want 1; then
section "1. outputs that would destroy the input"
project p1
cd "$dir/p1" || exit 2
mkdir -p th/static && echo "body{}" >th/static/style.css
mkdir -p home && echo "my notes" >home/notes.txt
n=$(find content -name '*.md' | wc -l)
for args in "--out content" "--index content" "--out public --index public" "--out th --theme th" "--out home"; do
  # shellcheck disable=SC2086
  "$bin" build $args >out.txt 2>&1
  rc=$?
  left=$(find content -name '*.md' | wc -l)
  [ "$rc" -eq 2 ] && [ "$left" -eq "$n" ] && [ -f th/static/style.css ] && [ -f home/notes.txt ]
  check "build $args" $? "exit $rc, $left of $n entries left; $(head -c 110 out.txt | tr '\n' ' ')"
done
cd "$repo" || exit 2
fi

if want 2; then
section "2. bodies the markdown parser is slow on"
DRONEKB_PATHOLOGICAL="$dir/p2" go test -count=1 -run '^TestWritePathological$' ./internal/kb >/dev/null || bad "writing the pathological files"
refused=0 total=0
for d in "$dir"/p2/whole/*/; do
  total=$((total + 1))
  "$bin" check "$d" >/dev/null 2>"$dir/err"
  if grep -q 'BODY_TOO_COMPLEX' "$dir/err"; then refused=$((refused + 1)); fi
done
# "hard link/emph case" is small and fine as cmark writes it, and "a table
# as long as a file" has no such form: all others are refused.
[ "$refused" -eq $((total - 2)) ]
check "pathological inputs at their sources' size" $? "$refused of $total refused with BODY_TOO_COMPLEX (the other two are fine as written)"
# A plain file of the same size, for comparison.
mkdir -p "$dir/p2/peer/vendors"
{ printf -- '---\ntitle: X\ncountry: CN\n---\n'; for _ in $(seq 2600); do printf 'Plain prose about drones and the laws that restrict them, in short paragraphs.\n\n'; done; } >"$dir/p2/peer/vendors/x.md"
# cpu_cmd CMD...: the CPU seconds (user and system) it took, or -1 when it
# fails. CPU time, not wall time: this machine may be busy with others.
cpu_cmd() {
  /usr/bin/time -f '%U %S' -o "$dir/time" "$@" >/dev/null 2>"$dir/err"
  local rc=$?
  if [ "$rc" -ne 0 ]; then echo -1; else tail -1 "$dir/time" | awk '{ printf "%.2f", $1 + $2 }'; fi
}
peer_check=$(cpu_cmd "$bin" check "$dir/p2/peer")
peer_build=$(cpu_cmd "$bin" build --content "$dir/p2/peer" --out "$dir/p2/peer-out" --index "$dir/p2/peer-index")
worst_check=0 worst_check_name="" worst_build=0 worst_build_name="" built=0
for d in "$dir"/p2/accepted/*/; do
  name=$(basename "$d")
  t=$(cpu_cmd "$bin" check "$d")
  if [ "$t" = -1 ]; then
    # Refused for what it links to (empty links and the like), not for its
    # shape: it was parsed all the same, and that is what is timed.
    t=$(tail -1 "$dir/time" | awk '{ printf "%.2f", $1 + $2 }')
    grep -q BODY_TOO_COMPLEX "$dir/err" && bad "accepted form of $name refused: $(head -1 "$dir/err")"
  else
    b=$(cpu_cmd "$bin" build --content "$d" --out "$dir/p2/out-$name" --index "$dir/p2/index-$name")
    if [ "$b" != -1 ]; then
      built=$((built + 1))
      if awk -v a="$b" -v w="$worst_build" 'BEGIN { exit !(a > w) }'; then worst_build=$b worst_build_name=$name; fi
    fi
  fi
  if awk -v a="$t" -v w="$worst_check" 'BEGIN { exit !(a > w) }'; then worst_check=$t worst_check_name=$name; fi
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
awk -v w="$worst_check" 'BEGIN { exit !(w < 3) }'
check "worst accepted file, dronekb check" $? "${worst_check} CPU-s ($worst_check_name); a plain 256 KiB file ${peer_check} CPU-s, ratio $(ratio "$worst_check" "$peer_check")"
awk -v w="$worst_build" 'BEGIN { exit !(w < 6) }'
check "worst accepted file that builds, dronekb build" $? "${worst_build} CPU-s ($worst_build_name, of $built that build); a plain 256 KiB file ${peer_build} CPU-s, ratio $(ratio "$worst_build" "$peer_build")"
fi

if want 3; then
section "3. and 4. /api/search under 200 costly clients"
if [ "$quick" -eq 1 ]; then
  echo "skipped (-q)"
else
  out=$(MAX_LOAD=${MAX_LOAD:-0} scripts/costlyload.sh 2>&1)
  rc=$?
  echo "$out" | grep -E '^(plain|costly|  |plain p99|PASS|FAIL|==)' | grep -v '^== \(building\|dronekb\|generating\)' | sed 's/^/      /'
  check "a visitor's word searches beside 200 costly clients" $rc "$(echo "$out" | grep -E '^(PASS|FAIL)' | head -2 | tr '\n' ' ')"
fi
fi

if want 5; then
section "5. a site and an index of two builds"
project p5
cd "$dir/p5" || exit 2
"$bin" build >/dev/null 2>&1
serve_at "$dir/p5" --out public --index index || bad "serve"
c=$(status_of "$url/api/search?q=drones")
[ "$c" = 200 ]; check "search on a matched pair" $? "status $c"
# What a build killed after its first swap leaves: the next site beside the old index.
cat >content/incidents/zz-blimp.md <<'EOF'
---
title: Blimp over the harbour
date: 2024-05-01
country: US
sources:
  - url: https://example.org/blimp
---
A surveillance blimp flew over the harbour.
EOF
"$bin" build --out next-public --index next-index >/dev/null 2>&1
mv public old-public && mv next-public public
sleep 3
c=$(status_of "$url/api/search?q=drones")
grep -q 'not the one of the site' "$dir/body"
check "search on a new site beside the old index" $? "status $c: $(head -c 120 "$dir/body")"
"$bin" build >/dev/null 2>&1
wait_for "$url/api/search?q=blimp" '"total":1'
check "search after the next build" $? "$(curl -s "$url/api/search?q=blimp" | head -c 60)"
stop_servers
cd "$repo" || exit 2
fi

if want 6; then
section "6. a lone \\r in front matter"
mkdir -p "$dir/p6/agencies"
printf -- '---\ntitle: X\rcountry: US\rlevel: loca\rsources: [https://example.org/a]\n---\nBody [2].\n' >"$dir/p6/agencies/x.md"
"$bin" check "$dir/p6" >/dev/null 2>"$dir/err"
grep -q 'x.md:4:8: FIELD_ENUM' "$dir/err" && grep -q 'x.md:7:6: CITATION_NOT_FOUND' "$dir/err"
check "positions after lone \\r" $? "$(grep -o 'x.md:[0-9]*:[0-9]*: [A-Z_]*' "$dir/err" | tr '\n' ' ')(an editor shows level on line 4, the citation on line 7)"
fi

if want 7; then
section "7. serve without --watch follows the builds"
project p7
cd "$dir/p7" || exit 2
"$bin" build >/dev/null 2>&1
serve_at "$dir/p7" || bad "serve"
c=$(curl -s "$url/api/search?q=blimp" | grep -o '"total":[0-9]*')
cp "$dir/p5/content/incidents/zz-blimp.md" content/incidents/
t0=$(now)
"$bin" build >/dev/null 2>&1
wait_for "$url/api/search?q=blimp" '"total":1'
rc=$?
t1=$(now)
check "a new build's index is searched" $rc "before: $c; after dronekb build: $(curl -s "$url/api/search?q=blimp" | grep -o '"total":[0-9]*') within $(secs "$t0" "$t1") s"
rm -rf index
sleep 3
c=$(status_of "$url/api/search?q=blimp")
[ "$c" = 503 ]; check "a deleted index is not searched" $? "status $c: $(head -c 80 "$dir/body")"
stop_servers
cd "$repo" || exit 2
fi

if want 8; then
section "8. index/ reproducibility"
for i in 1 2; do project "p8-$i"; (cd "$dir/p8-$i" && "$bin" build >/dev/null 2>&1); done
diff -r "$dir/p8-1/public" "$dir/p8-2/public" >/dev/null
check "public/ byte-identical" $? "$(find "$dir/p8-1/public" -type f | wc -l) files"
same=0
for f in .dronekb.json README.md dronekb-index.json; do cmp -s "$dir/p8-1/index/$f" "$dir/p8-2/index/$f" && same=$((same + 1)); done
[ "$same" -eq 3 ]; check "index/'s own files byte-identical" $? "$same of 3 (.dronekb.json, README.md, dronekb-index.json)"
if diff -r "$dir/p8-1/index/bleve" "$dir/p8-2/index/bleve" >/dev/null; then bleve="identical this time"; else bleve="differ, as the README says"; fi
ok "index/bleve/ (not promised): $bleve"
fi

if want 9; then
section "9. a read-only public/"
project p9
cp "$bin" "$dir/p9/dronekb"
as=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v runuser >/dev/null; then chown -R nobody "$dir/p9"; as=(runuser -u nobody --); else echo "(as root, without runuser: root ignores permissions)"; fi
fi
cd "$dir/p9" || exit 2
"${as[@]}" ./dronekb build >/dev/null 2>&1
chmod 555 public
"${as[@]}" ./dronekb build >out.txt 2>&1
rc=$?
left=$(find . -maxdepth 1 -name '.dronekb-tmp-*' | wc -l)
[ "$rc" -eq 2 ] && [ "$left" -eq 0 ]
check "build into a read-only public/" $? "exit $rc, $left temporary trees left; $(head -c 100 out.txt)"
chmod 755 public
cd "$repo" || exit 2
fi

if want 10; then
section "10. live-reload streams under serve --watch"
project p10
serve_at "$dir/p10" --watch || bad "serve --watch"
for i in $(seq 70); do
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 4 "$url/_dronekb/events" >"$dir/p10/stream-$i" 2>/dev/null &
done
wait_streams() { for _ in $(seq 100); do [ "$(cat "$dir"/p10/stream-* 2>/dev/null | grep -c .)" -ge 70 ] && return; sleep 0.1; done; }
wait_streams
s200=$(cat "$dir"/p10/stream-* | grep -c '^200')
s503=$(cat "$dir"/p10/stream-* | grep -c '^503')
[ "$s200" -eq 64 ] && [ "$s503" -eq 6 ]
check "70 live-reload streams at once" $? "$s200 open, $s503 refused with 503"
stop_servers
fi

if want 11; then
section "11. nits"
project p11
cd "$dir/p11" || exit 2
"$bin" build >/dev/null 2>&1
serve_at "$dir/p11" || bad "serve"
size=$(stat -c %s public/data/kb.json)
ranges="bytes=0-0$(printf ',0-0%.0s' $(seq 300))"
c=$(curl -s -o "$dir/body" -w '%{http_code}' -H "Range: $ranges" "$url/data/kb.json")
got=$(stat -c %s "$dir/body")
[ "$c" = 200 ] && [ "$got" -eq "$size" ]
check "301 one-byte ranges" $? "status $c, $got bytes for a $size-byte file (the request: ${#ranges} bytes)"
for q in 'drone~-1' 'drone~NaN' 'drone~0.5'; do
  c=$(status_of "$url/api/search?q=$q")
  [ "$c" = 400 ]; check "q=$q" $? "status $c: $(head -c 80 "$dir/body")"
done
stop_servers
mkdir -p "$dir/p11/nits/vendors"
printf -- '---\ntitle: X\ncountry: CN\ntags: 5\n---\n' >"$dir/p11/nits/vendors/x.md"
for n in con aux nul com1 lpt1; do printf -- '---\ntitle: X\ncountry: CN\n---\n' >"$dir/p11/nits/vendors/$n.md"; done
"$bin" check "$dir/p11/nits" >/dev/null 2>"$dir/err"
grep -q 'x.md:4:7: FIELD_TYPE tag must be text, not a number' "$dir/err"
check "tags: 5" $? "$(grep -o 'x.md:[0-9:]* FIELD_TYPE[^;]*' "$dir/err")"
w=$(grep -c 'cannot be checked out on Windows' "$dir/err")
[ "$w" -eq 5 ]; check "con.md aux.md nul.md com1.md lpt1.md" $? "$w of 5 refused with SLUG_INVALID"
cd "$repo" || exit 2
fi

printf '\n%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
