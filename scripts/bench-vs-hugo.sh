#!/usr/bin/env bash
# bench-vs-hugo.sh: builds the same generated knowledge base with dronekb and
# with Hugo (+ Pagefind for search), interleaved, and prints medians and the
# ratios dronekb / Hugo and dronekb / (Hugo + Pagefind). This machine's speed
# drifts from hour to hour, so only ratios measured in one run mean anything.
#
#   scripts/bench-vs-hugo.sh [ENTRIES ...]        default: 1000 10000
#   ROUNDS=5 scripts/bench-vs-hugo.sh 10000 100000
#
# It installs Hugo v0.165.0 (go install) and Pagefind 1.6.0 (npm, which ships
# its binary) into $BENCH_DIR/tools on first use. Not run in CI: it takes
# minutes and its figures depend on the machine.
#
# Hugo gets the byte-identical markdown (content/ is the generated folder)
# with minimal layouts: a page per entry with its title and body, a list per
# section. Each build goes into a fresh directory. Figures come from
# /usr/bin/time: wall and CPU (user + system) seconds, peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp/dronekb-bench}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1795219200}"
mkdir -p "$BENCH_DIR/tools"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 2; }

HUGO="$BENCH_DIR/tools/hugo"
if [ ! -x "$HUGO" ]; then
  echo "installing Hugo v0.165.0 ..."
  GOBIN="$BENCH_DIR/tools" go install github.com/gohugoio/hugo@v0.165.0
fi
PAGEFIND="$BENCH_DIR/tools/node_modules/.bin/pagefind"
if [ ! -x "$PAGEFIND" ]; then
  echo "installing Pagefind 1.6.0 ..."
  (cd "$BENCH_DIR/tools" && npm install --silent --no-audit --no-fund pagefind@1.6.0 >/dev/null)
fi
DRONEKB="$BENCH_DIR/tools/dronekb"
go build -o "$DRONEKB" ./cmd/dronekb

# measure LABEL CMD...: runs CMD under /usr/bin/time, appends "label wall cpu rss_kb".
measure() {
  local label=$1; shift
  local out
  out=$("$TIME" -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -n 1)
  read -r wall user sys rss <<<"$out"
  echo "$label $wall $(echo "$user + $sys" | bc) $rss" >>"$RESULTS"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

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
    out="$BENCH_DIR/out-$n"
    rm -rf "$out"; mkdir -p "$out"
    measure dronekb "$DRONEKB" build --quiet --content "$corpus" --out "$out/public" --index "$out/index"
    measure dronekb-noindex "$DRONEKB" build --quiet --content "$corpus" --out "$out/public2" --index ""
    measure hugo "$HUGO" --quiet --source "$hsite" --destination "$out/hugo"
    measure pagefind "$PAGEFIND" --site "$out/hugo" --output-path "$out/hugo/pagefind"
    du -sb "$out/public" "$out/hugo" | awk -v n="$n" '{print "bytes", $2, $1}' >>"$RESULTS.sizes"
    echo "  round $r done"
  done
  printf '%-18s %10s %10s %12s\n' "median of $ROUNDS" "wall s" "cpu s" "peak RSS MB"
  for l in dronekb dronekb-noindex hugo pagefind; do
    w=$(awk -v l=$l '$1==l {print $2}' "$RESULTS" | median)
    c=$(awk -v l=$l '$1==l {print $3}' "$RESULTS" | median)
    m=$(awk -v l=$l '$1==l {print $4/1024}' "$RESULTS" | median)
    printf '%-18s %10.2f %10.2f %12.0f\n' "$l" "$w" "$c" "$m"
  done
  # Ratios round by round, then their median: a drift in machine speed
  # affects both builds of a round alike.
  awk '
    $1=="dronekb" {d[++i]=$2} $1=="hugo" {h[++j]=$2} $1=="pagefind" {p[++k]=$2}
    END {for (x=1; x<=i; x++) {print d[x]/h[x], d[x]/(h[x]+p[x])}}' "$RESULTS" >"$RESULTS.ratios"
  echo "wall-time ratio dronekb / Hugo (HTML only):  $(cut -d' ' -f1 "$RESULTS.ratios" | median)"
  echo "wall-time ratio dronekb / (Hugo + Pagefind): $(cut -d' ' -f2 "$RESULTS.ratios" | median)"
  awk '$3 ~ /public$/ {d=$2} $3 ~ /hugo$/ {h=$2} END {printf "output bytes: dronekb %.0f MB (site, downloads and static search), Hugo %.0f MB (HTML) + Pagefind\n", d/1e6, h/1e6}' "$RESULTS.sizes"
  rm -f "$RESULTS.sizes"
done
