package build_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
)

// benchSizes are the knowledge-base sizes BenchmarkStages and
// BenchmarkWatch run at: 1,000 and 10,000 entries, or those in
// $DRONEKB_BENCH_N (sitetest.BenchSizes).
func benchSizes(b *testing.B) []int { return sitetest.BenchSizes(b, 1000, 10000) }

// peakLive samples the live heap (what the last garbage collection kept)
// while a benchmark runs, and reports its peak: with -benchmem's B/op
// (bytes allocated) it says what a stage holds at once, which is what
// decides a build's memory.
type peakLive struct {
	stop chan struct{}
	done chan struct{}
	peak atomic.Uint64
}

func startPeakLive() *peakLive {
	p := &peakLive{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	go func() {
		defer close(p.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > p.peak.Load() {
				p.peak.Store(v)
			}
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakLive) report(b *testing.B) {
	close(p.stop)
	<-p.done
	b.ReportMetric(float64(p.peak.Load())/1e6, "peak-live-MB")
}

// stage runs one stage of a build b.N times and reports, beside -benchmem's
// figures, the CPU time it used (cpu-s/op: less disturbed than the wall time
// by other work on a shared machine) and its peak live heap. run gets the
// run's number and, for a stage that writes, a directory of its own that
// does not exist yet: the testing package calls a benchmark again with a
// larger b.N after its first run, so a name made of the number alone was
// taken by the run before (-benchtime 2x failed: "path already exists").
func stage(b *testing.B, name string, setup func(), run func(i int, out string) error) {
	b.Run(name, func(b *testing.B) {
		if setup != nil {
			setup()
		}
		outs := b.TempDir() // a new one each time b.Run calls this
		b.ReportAllocs()
		p := startPeakLive()
		var cpu time.Duration
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			c := cpuTime()
			err := run(i, filepath.Join(outs, strconv.Itoa(i)))
			cpu += cpuTime() - c
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		p.report(b)
	})
}

// BenchmarkStages times each stage of a build on generated knowledge bases
// (sitetest.Generate) of 1,000 and 10,000 entries (see benchSizes): load
// and check (also with room for the collector, as dronekb loads, and what
// the loaded knowledge base and its tracker keep), loading again with one file changed as serve --watch does,
// the tracker, preparing the pages, rendering them (no disk),
// the site written to disk, the search documents, the bleve index, the
// static search index, a whole build with both indexes, and queries of each
// class (sitetest.QueryClasses) with their p50 and p99 latency. Run with
//
//	go test -run '^$' -bench Stages -benchmem -benchtime 1x ./internal/build/
//	DRONEKB_BENCH_N=100000 go test -run '^$' -bench Stages -benchmem -benchtime 1x -timeout 60m ./internal/build/
func BenchmarkStages(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: skipping the stage benchmarks (they generate knowledge bases of thousands of entries)")
	}
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchStages(b, n) })
	}
}

func benchStages(b *testing.B, n int) {
	content := corpus(b, n)
	root := b.TempDir()
	ctx := context.Background()
	asOf := sitetest.AsOf
	var k *kb.KB
	var tr *kb.Tracker
	var s *site.Site
	var ids []string
	var docs []search.Doc

	// Each stage makes what it needs of the earlier ones when they did
	// not run (-bench 'Stages/n=1000/render' runs only the rendering).
	needKB := func() {
		if k == nil {
			k = kb.Load(os.DirFS(content), kb.Options{Dir: content})
		}
	}
	needTracker := func() {
		needKB()
		if tr == nil {
			tr = k.Tracker(asOf)
		}
	}
	needSite := func() {
		needTracker()
		if s == nil {
			var err error
			if s, err = site.New(k, site.Options{Theme: themes.Default(), AsOf: asOf, Tracker: tr}); err != nil {
				b.Fatal(err)
			}
		}
	}
	needDocs := func() {
		needTracker()
		if docs == nil {
			docs = search.Docs(k, tr, site.EntryPath)
			for _, e := range k.Entries {
				ids = append(ids, e.ID)
			}
		}
	}
	opts := search.BuildOptions{AsOf: asOf, BasePath: "/"}
	index := filepath.Join(root, "index")
	needIndex := func() {
		if _, err := os.Stat(index); err != nil {
			needDocs()
			if _, err := search.Build(ctx, index, ids, docs, opts); err != nil {
				b.Fatal(err)
			}
		}
	}

	// Each load starts with nothing of the last one live, as a build's.
	stage(b, "load-and-check", nil, func(int, string) error {
		k = nil
		k = kb.Load(os.DirFS(content), kb.Options{Dir: content})
		return k.Err()
	})
	// As dronekb build and check load: with room for the collector.
	stage(b, "load-and-check-with-room", nil, func(int, string) error {
		k = nil
		k = build.Load(os.DirFS(content), kb.Options{Dir: content}, true)
		return k.Err()
	})
	// What a loaded knowledge base and its tracker keep, once the
	// collector has run: the objects each collection marks while the site
	// is written.
	b.Run("kept-by-kb-and-tracker", func(b *testing.B) {
		var before, after runtime.MemStats
		for range b.N {
			k, tr = nil, nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			k = kb.Load(os.DirFS(content), kb.Options{Dir: content})
			tr = k.Tracker(asOf)
			runtime.GC()
			runtime.ReadMemStats(&after)
		}
		b.ReportMetric(float64(after.HeapObjects)-float64(before.HeapObjects), "kept-objects")
		b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/1e6, "kept-MB")
	})
	// What serve --watch does after an edit: load again with the files of
	// the last load kept (kb.Cache), one of them changed.
	var cache *kb.Cache
	edited := filepath.Join(content, "agencies", "agency-00001.md")
	original, err := os.ReadFile(edited)
	if err != nil {
		b.Fatal(err)
	}
	stage(b, "reload-one-changed-file", func() {
		cache = kb.NewCache()
		kb.Load(os.DirFS(content), kb.Options{Dir: content, Cache: cache})
	}, func(i int, _ string) error {
		if err := os.WriteFile(edited, append(original, fmt.Sprintf("\nEdit %d.\n", i)...), 0o644); err != nil {
			return err
		}
		k := kb.Load(os.DirFS(content), kb.Options{Dir: content, Cache: cache})
		return k.Err()
	})
	if err := os.WriteFile(edited, original, 0o644); err != nil {
		b.Fatal(err)
	}
	cache = nil
	stage(b, "tracker", needKB, func(int, string) error {
		tr = k.Tracker(asOf)
		return nil
	})
	stage(b, "prepare-pages", needTracker, func(int, string) error {
		var err error
		s, err = site.New(k, site.Options{Theme: themes.Default(), AsOf: asOf, Tracker: tr})
		return err
	})
	stage(b, "render", needSite, func(int, string) error {
		st, err := s.Render(ctx)
		if err == nil && st.Pages == 0 {
			err = fmt.Errorf("rendered no page")
		}
		return err
	})
	stage(b, "render-and-write", needSite, func(_ int, out string) error {
		_, err := s.Build(ctx, out)
		return err
	})
	stage(b, "search-documents", needTracker, func(int, string) error {
		docs = search.Docs(k, tr, site.EntryPath)
		ids = ids[:0]
		for _, e := range k.Entries {
			ids = append(ids, e.ID)
		}
		return nil
	})
	stage(b, "bleve-index", needDocs, func(_ int, out string) error {
		_, err := search.Build(ctx, out, ids, docs, opts)
		return err
	})
	stage(b, "static-search", needDocs, func(_ int, out string) error {
		return search.WriteStatic(ctx, out, ids, docs, opts)
	})
	// A whole build, with nothing of the stages above held: its peak
	// live heap is the build's own.
	release := func() {
		k, tr, s, docs, ids = nil, nil, nil, nil, nil
		runtime.GC()
	}
	stage(b, "full-build", release, func(_ int, out string) error {
		_, err := build.Run(ctx, build.Config{Content: content, Out: filepath.Join(out, "public"), Index: filepath.Join(out, "index"), AsOf: asOf}, build.SearchIndex)
		return err
	})

	// Queries: each op is queriesPerOp searches of the class, so that
	// even -benchtime 1x gives percentiles worth reading.
	const queriesPerOp = 200
	var idx *search.Index
	defer func() {
		if idx != nil {
			idx.Close()
		}
	}()
	for _, class := range sitetest.QueryClasses {
		reqs := make([]search.Request, len(class.Queries))
		for i, q := range class.Queries {
			v, err := url.ParseQuery(q)
			if err != nil {
				b.Fatal(err)
			}
			if reqs[i], err = search.ParseParams(v); err != nil {
				b.Fatal(err)
			}
		}
		b.Run("query-"+class.Name, func(b *testing.B) {
			if idx == nil {
				needIndex()
				var err error
				if idx, err = search.Open(index); err != nil {
					b.Fatal(err)
				}
			}
			lat := make([]time.Duration, 0, b.N*queriesPerOp)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N*queriesPerOp; i++ {
				start := time.Now()
				res, err := idx.Search(ctx, reqs[i%len(reqs)])
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if res.Total == 0 {
					b.Fatalf("%s finds nothing", class.Queries[i%len(reqs)])
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			at := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
			b.ReportMetric(at(0.50), "p50-ms")
			b.ReportMetric(at(0.99), "p99-ms")
			b.ReportMetric(queriesPerOp, "searches/op")
		})
	}
}
