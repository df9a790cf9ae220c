package build

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
)

// SearchIndex is the Indexer dronekb uses: the bleve index for the CLI and
// the API, and the static index under public/search/ for the browser, both
// from the same documents and the same analysis.
func SearchIndex(ctx context.Context, k *kb.KB, s *site.Site, indexDir, publicDir string) (IndexStats, error) {
	t := time.Now()
	docs := search.Docs(k, s.Tracker(), site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	prepare := time.Since(t)
	var timing search.BuildTiming
	var mergeLimit uint64
	var mergeMapped int64
	opts := search.BuildOptions{AsOf: s.Tracker().AsOf, BasePath: s.BasePath(), Timing: &timing,
		Merging: func(mapped int64) func() {
			var done func()
			mergeLimit, done = roomForMapped(mapped)
			if mergeLimit > 0 {
				mergeMapped = mapped
			}
			return done
		}}
	// bleve's builder analyses on one goroutine; the static index is
	// written beside it rather than after it. The static index needs
	// every document at once; bleve's builder a run at a time, which it
	// takes from the same documents while the static index is being
	// written, and makes again after: the 110 MB the documents take at
	// 100,000 entries are let go when the static index is done (26 s into
	// bleve's 60 s of analysis there), not when bleve's merge is.
	n := len(docs)
	var mu sync.Mutex
	shared := docs
	staticErr := make(chan error, 1)
	var static time.Duration
	go func(docs []search.Doc) {
		t := time.Now()
		err := search.WriteStatic(ctx, publicDir, ids, docs, opts)
		static = time.Since(t)
		mu.Lock()
		shared = nil
		mu.Unlock()
		staticErr <- err
	}(docs)
	docs = nil
	var again func([]*kb.Entry) []search.Doc
	run := func(from, to int) []search.Doc {
		mu.Lock()
		docs := shared
		mu.Unlock()
		if docs != nil {
			return docs[from:to]
		}
		if again == nil {
			again = search.DocMaker(k, s.Tracker(), site.EntryPath)
		}
		return again(k.Entries[from:to])
	}
	t = time.Now()
	size, err := search.BuildFrom(ctx, indexDir, ids, run, opts)
	bleveTime := time.Since(t)
	if serr := <-staticErr; err == nil {
		err = serr
	}
	if err != nil {
		return IndexStats{}, err
	}
	return IndexStats{Docs: n, Bytes: size, Prepare: prepare, Bleve: bleveTime, BleveSteps: timing, Static: static, MergeLimit: mergeLimit, MergeMapped: mergeMapped}, nil
}

// IndexOnly rebuilds just the bleve index from the content (no site, no
// static index), atomically like Run. `dronekb search` uses it when the
// index is missing or was built by another version.
func IndexOnly(ctx context.Context, cfg Config) (*Result, error) {
	res := &Result{Elapsed: map[string]time.Duration{}}
	k := kb.Load(os.DirFS(cfg.Content), kb.Options{Dir: cfg.Content, Workers: cfg.Workers})
	res.KB = k
	if err := k.Err(); err != nil {
		return res, err
	}
	basePath, absBase, err := site.ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return res, err
	}
	parent := filepath.Dir(filepath.Clean(cfg.Index))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return res, err
	}
	unlock, err := lock(filepath.Join(parent, ".dronekb-build.lock"))
	if err != nil {
		return res, err
	}
	defer unlock()
	res.Warnings = removeStale(parent)
	tmp, err := tempDir(cfg.Index)
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)
	t := k.Tracker(cfg.AsOf)
	docs := search.Docs(k, t, site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	size, err := search.Build(ctx, tmp, ids, docs, search.BuildOptions{AsOf: cfg.AsOf, BasePath: basePath})
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(filepath.Join(tmp, "README.md"), []byte(indexReadme), 0o644); err != nil {
		return res, err
	}
	man := Manifest{Generator: "dronekb", BasePath: basePath, BaseURL: absBase, AsOf: cfg.AsOf.String(), Entries: len(k.Entries), BuildID: buildID(k, basePath, t.AsOf)}
	if err := writeManifest(tmp, man); err != nil {
		return res, err
	}
	res.Index = IndexStats{Docs: len(docs), Bytes: size}
	return res, swapIn(tmp, cfg.Index)
}
