#!/usr/bin/env bash
# bench-vs-hugo.sh: builds the same generated knowledge base with dronekb and
# with Hugo (+ Pagefind for search), interleaved, and prints medians and the
# ratios dronekb / Hugo and dronekb / (Hugo + Pagefind): wall time, CPU time
# and peak memory, and the bytes of a page. This machine's speed drifts from
# hour to hour, so only ratios measured in one run mean anything.
#
#   scripts/bench-vs-hugo.sh [ENTRIES ...]        default: 1000 10000
#   ROUNDS=5 scripts/bench-vs-hugo.sh 10000 100000
#   HUGO=~/go/bin/hugo PAGEFIND=/path/to/pagefind scripts/bench-vs-hugo.sh
#   NOINDEX=0 ROUNDS=1 scripts/bench-vs-hugo.sh 1000 10000 50000 100000   # the curve, quicker
#   OUT_DIR=/dev/shm/dronekb-bench scripts/bench-vs-hugo.sh 10000          # builds into memory
#
# Builds write into $OUT_DIR (default $BENCH_DIR). On a virtual disk the
# kernel's time for writing files can climb from build to build (here a
# 10,000-entry build's system time went from 3 s to 20 s over a few runs,
# for both tools); a tmpfs such as /dev/shm keeps the disk out of the
# comparison. It needs room for each size's largest outputs: about 4 GB at
# 100,000 entries, beside the builds' own memory.
#
# It installs Hugo v0.165.0 (go install) and Pagefind 1.6.0 (npm, which ships
# its binary) into $BENCH_DIR/tools on first use, unless HUGO and PAGEFIND
# name them. Not run in CI: it takes minutes and its figures depend on the
# machine.
#
# Hugo gets the byte-identical markdown (content/ is the generated folder)
# with minimal layouts: a page per entry with its title and body, a list per
# section. Each build goes into a fresh directory. Figures come from
# /usr/bin/time: wall and CPU (user + system) seconds, peak RSS. Each
# round's ratio is taken within the round (a drift in the machine's speed
# affects both builds of a round alike), and the median of those is shown.
# With several sizes it ends with the growth from each size to the next.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"
NOINDEX="${NOINDEX:-1}" # 0: skip the dronekb build without a search index
BENCH_DIR="${BENCH_DIR:-/tmp/dronekb-bench}"
OUT_DIR="${OUT_DIR:-$BENCH_DIR}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1795219200}"
mkdir -p "$BENCH_DIR/tools"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 2; }
command -v bc >/dev/null || { echo "needs bc (apt-get install bc)"; exit 2; }

HUGO="${HUGO:-$BENCH_DIR/tools/hugo}"
if [ ! -x "$HUGO" ]; then
  echo "installing Hugo v0.165.0 ..."
  GOBIN="$BENCH_DIR/tools" go install github.com/gohugoio/hugo@v0.165.0
  HUGO="$BENCH_DIR/tools/hugo"
fi
PAGEFIND="${PAGEFIND:-$BENCH_DIR/tools/node_modules/.bin/pagefind}"
if [ ! -x "$PAGEFIND" ]; then
  echo "installing Pagefind 1.6.0 ..."
  (cd "$BENCH_DIR/tools" && npm install --silent --no-audit --no-fund pagefind@1.6.0 >/dev/null)
  PAGEFIND="$BENCH_DIR/tools/node_modules/.bin/pagefind"
fi
DRONEKB="$BENCH_DIR/tools/dronekb"
go build -o "$DRONEKB" ./cmd/dronekb
echo "$("$HUGO" version | cut -d' ' -f1-2); pagefind $("$PAGEFIND" --version 2>/dev/null | awk '{print $NF}'); dronekb $(git describe --always --dirty 2>/dev/null || echo '?'); $(nproc) CPUs"

# measure LABEL CMD...: runs CMD under /usr/bin/time, appends "label wall cpu rss_kb".
measure() {
  local label=$1; shift
  local out
  out=$("$TIME" -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -n 1)
  read -r wall user sys rss <<<"$out"
  echo "$label $wall $(echo "$user + $sys" | bc) $rss" >>"$RESULTS"
}

# warm DIR: reads every file under DIR, so that the build measured next
# finds the content in the page cache, as the one before it did. Without
# it the first build of a round paid for reading the files from the disk
# after the other sizes' builds had pushed them out of memory: at 100,000
# entries dronekb's load took 24-26 s instead of 16 s, and Hugo, which
# came next, found them warm.
warm() { find "$1/" -type f -print0 | xargs -0 cat >/dev/null; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# col LABEL N: the Nth figure (2 wall, 3 cpu, 4 rss) of LABEL's runs, one a line.
col() { awk -v l="$1" -v c="$2" '$1==l {print $c}' "$RESULTS"; }

# pages DIR: "count bytes" of the HTML pages under DIR.
pages() { find "$1" -name '*.html' -printf '%s\n' | awk '{n++; b+=$1} END {print n+0, b+0}'; }

SUMMARY="$BENCH_DIR/summary.txt"
: >"$SUMMARY"
for n in "${SIZES[@]}"; do
  corpus="$BENCH_DIR/corpus-$n"
  if [ ! -d "$corpus" ]; then
    echo "generating $n entries ..."
    DRONEKB_CORPUS="$corpus" DRONEKB_CORPUS_N="$n" go test -count=1 -run '^TestWriteCorpus$' ./internal/build/ >/dev/null
  fi
  hsite="$BENCH_DIR/hugo-site-$n"
  rm -rf "$hsite"
  mkdir -p "$hsite/layouts/_default"
  ln -s "$corpus" "$hsite/content"
  cat >"$hsite/hugo.toml" <<'EOF'
baseURL = "https://example.org/"
title = "bench"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = false
EOF
  cat >"$hsite/layouts/_default/baseof.html" <<'EOF'
<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><header><a href="/">bench</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
EOF
  cat >"$hsite/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Summary }}</p>{{ .Content }}</article>{{ end }}
EOF
  cat >"$hsite/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
EOF
  RESULTS="$BENCH_DIR/results-$n.txt"
  : >"$RESULTS"
  echo "== $n entries, $ROUNDS rounds, interleaved"
  for r in $(seq "$ROUNDS"); do
    out="$OUT_DIR/out-$n"
    rm -rf "$out"; mkdir -p "$out"
    sync
    warm "$corpus"
    measure dronekb "$DRONEKB" build --quiet --content "$corpus" --out "$out/public" --index "$out/index"
    if [ "$NOINDEX" != 0 ]; then
      warm "$corpus"
      measure dronekb-noindex "$DRONEKB" build --quiet --content "$corpus" --out "$out/public2" --index ""
    fi
    warm "$corpus"
    measure hugo "$HUGO" --quiet --source "$hsite" --destination "$out/hugo"
    measure pagefind "$PAGEFIND" --site "$out/hugo" --output-path "$out/hugo/pagefind"
    echo "  round $r done"
  done
  printf '%-18s %10s %10s %12s\n' "median of $ROUNDS" "wall s" "cpu s" "peak RSS MB"
  for l in dronekb dronekb-noindex hugo pagefind; do
    [ -n "$(col $l 2)" ] || continue
    printf '%-18s %10.2f %10.2f %12.0f\n' "$l" "$(col $l 2 | median)" "$(col $l 3 | median)" "$(col $l 4 | median | awk '{print $1/1024}')"
  done
  # Ratios round by round, then their median.
  ratio() { # FIGURE: dronekb/hugo and dronekb/(hugo+pagefind) per round
    paste <(col dronekb "$1") <(col hugo "$1") <(col pagefind "$1") | awk '{print $1/$2, $1/($2+$3)}'
  }
  ratio 2 >"$RESULTS.wall"; ratio 3 >"$RESULTS.cpu"
  paste <(col dronekb 4) <(col hugo 4) <(col pagefind 4) | awk '{m=($2>$3)?$2:$3; print $1/$2, $1/m}' >"$RESULTS.rss"
  wall_h=$(cut -d' ' -f1 "$RESULTS.wall" | median); wall_hp=$(cut -d' ' -f2 "$RESULTS.wall" | median)
  cpu_h=$(cut -d' ' -f1 "$RESULTS.cpu" | median); cpu_hp=$(cut -d' ' -f2 "$RESULTS.cpu" | median)
  rss_h=$(cut -d' ' -f1 "$RESULTS.rss" | median); rss_hp=$(cut -d' ' -f2 "$RESULTS.rss" | median)
  echo "ratio dronekb full build / Hugo HTML only:     wall $wall_h, cpu $cpu_h, peak RSS $rss_h"
  echo "ratio dronekb full build / (Hugo + Pagefind):  wall $wall_hp, cpu $cpu_hp, peak RSS $rss_hp (against the larger of the two)"
  read -r dp db <<<"$(pages "$out/public")"
  read -r hp hb <<<"$(pages "$out/hugo")"
  awk -v dp="$dp" -v db="$db" -v hp="$hp" -v hb="$hb" 'BEGIN {
    printf "pages: dronekb %d pages, %.1f kB a page; Hugo %d pages, %.1f kB a page; ratio %.2f\n", dp, db/dp/1000, hp, hb/hp/1000, (db/dp)/(hb/hp) }'
  data=$(du -sb "$out/public/data" | cut -f1)
  ss=$(du -sb "$out/public/search" | cut -f1)
  pf=$(du -sb "$out/hugo/pagefind" | cut -f1)
  awk -v d="$data" -v s="$ss" -v p="$pf" -v a="$(du -sb "$out/public" | cut -f1)" -v h="$(du -sb "$out/hugo" | cut -f1)" 'BEGIN {
    printf "downloads %.1f MB; static search %.1f MB (Pagefind %.1f MB); whole site %.0f MB (Hugo + Pagefind %.0f MB)\n", d/1e6, s/1e6, p/1e6, a/1e6, h/1e6 }'
  echo "$n $(col dronekb 2 | median) $(col dronekb 3 | median) $(col dronekb 4 | median) $(col hugo 2 | median) $(col hugo 3 | median) $(col hugo 4 | median) $wall_h $wall_hp" >>"$SUMMARY"
  [ "$OUT_DIR" = "$BENCH_DIR" ] || rm -rf "$out" # a tmpfs gives its memory back
done

if [ ${#SIZES[@]} -gt 1 ]; then
  echo "== growth from each size to the next (medians; the work grows by the entries' ratio)"
  printf '%-16s %8s %12s %12s %12s %12s\n' "" "entries" "dronekb cpu" "dronekb RSS" "Hugo cpu" "Hugo RSS"
  awk 'NR>1 {printf "%7d -> %-7d %8.1fx %11.1fx %11.1fx %11.1fx %11.1fx\n", pn, $1, $1/pn, $3/pc, $4/pr, $6/phc, $7/phr}
       {pn=$1; pc=$3; pr=$4; phc=$6; phr=$7}' "$SUMMARY"
fi
