package build

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
)

// SearchIndex is the Indexer dronekb uses: the bleve index for the CLI and
// the API, and the static index under public/search/ for the browser, both
// from the same documents and the same analysis.
func SearchIndex(k *kb.KB, s *site.Site) IndexWriter {
	t := time.Now()
	docs := search.Docs(k, s.Tracker(), site.EntryPath)
	ids := make([]string, len(k.Entries))
	for i, e := range k.Entries {
		ids[i] = e.ID
	}
	prepare := time.Since(t)
	asOf, basePath := s.Tracker().AsOf, s.BasePath()
	return func(ctx context.Context, indexDir, publicDir string, alone bool) (IndexStats, error) {
		var timing search.BuildTiming
		var mergeLimit uint64
		var mergeMapped int64
		// With the site written, bleve's documents are mapped ahead of
		// its builder on a core of their own; beside the site, which
		// keeps both cores busy, that would only take the site's time.
		opts := search.BuildOptions{AsOf: asOf, BasePath: basePath, Timing: &timing, MapAhead: alone,
			Merging: func(mapped int64) func() {
				var done func()
				mergeLimit, done = roomForMapped(mapped)
				if mergeLimit > 0 {
					mergeMapped = mapped
				}
				return done
			}}
		// The static index is written beside bleve's rather than after
		// it, from the same documents.
		staticErr := make(chan error, 1)
		var static time.Duration
		go func() {
			t := time.Now()
			err := search.WriteStatic(ctx, publicDir, ids, docs, opts)
			static = time.Since(t)
			staticErr <- err
		}()
		t := time.Now()
		size, err := search.Build(ctx, indexDir, ids, docs, opts)
		bleveTime := time.Since(t)
		if serr := <-staticErr; err == nil {
			err = serr
		}
		if err != nil {
			return IndexStats{}, err
		}
		return IndexStats{Docs: len(docs), Bytes: size, Prepare: prepare, Bleve: bleveTime, BleveSteps: timing, Static: static, MergeLimit: mergeLimit, MergeMapped: mergeMapped}, nil
	}
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
	size, err := search.Build(ctx, tmp, ids, docs, search.BuildOptions{AsOf: cfg.AsOf, BasePath: basePath, MapAhead: true})
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
