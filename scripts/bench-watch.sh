#!/usr/bin/env bash
# bench-watch.sh: measures dronekb serve --watch on a generated knowledge
# base — the time from saving an edit (an incident's body, an agency's
# title, a fleet item's status) to the entry's page on disk and to the
# reload event, and the watch process's peak memory against a plain
# dronekb build's — and Hugo's server (which renders to disk) on the same markdown
# in the same run, with the ratios. Kept out of CI: it takes minutes.
#
#   scripts/bench-watch.sh [ENTRIES]          default: 10000
#   ROUNDS=5 scripts/bench-watch.sh 10000
#   CORPUS=/tmp/c10k scripts/bench-watch.sh   # an existing generated folder (copied, never edited)
#   HUGO= scripts/bench-watch.sh              # without Hugo
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
BENCH_DIR="${BENCH_DIR:-${TMPDIR:-/tmp}/dronekb-bench-watch}"
mkdir -p "$BENCH_DIR"
corpus="${CORPUS:-$BENCH_DIR/corpus-$n}"
if [ ! -d "$corpus" ]; then
  echo "generating $n entries ..."
  DRONEKB_CORPUS="$corpus" DRONEKB_CORPUS_N="$n" go test -count=1 -run '^TestWriteCorpus$' ./internal/build/ >/dev/null
fi
if [ -z "${HUGO+set}" ]; then
  HUGO="$(command -v hugo || true)"
  [ -z "$HUGO" ] && [ -x "$HOME/go/bin/hugo" ] && HUGO="$HOME/go/bin/hugo"
  if [ -z "$HUGO" ]; then
    GOBIN="$BENCH_DIR/tools" go install github.com/gohugoio/hugo@v0.165.0
    HUGO="$BENCH_DIR/tools/hugo"
  fi
fi
go build -o "$BENCH_DIR/dronekb" ./cmd/dronekb
DRONEKB_WATCH_BENCH="$corpus" DRONEKB_BIN="$BENCH_DIR/dronekb" HUGO="$HUGO" ROUNDS="${ROUNDS:-3}" \
  go test -count=1 -run '^TestWatchLatency$' -v -timeout 60m ./internal/server/ | grep -v '^=== \|^--- \|^PASS\|^ok'
