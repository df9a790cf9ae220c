package search_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// bench10k holds the documents of the generated 10,000-entry knowledge base
// (sitetest.Generate: about 3.6 kB of markdown an entry), made once per
// process. The generated files are removed as soon as they are loaded; the
// documents stay in memory.
var bench10k struct {
	once sync.Once
	ids  []string
	docs []search.Doc
	err  error
}

func corpus10k(b *testing.B) ([]string, []search.Doc) {
	b.Helper()
	if testing.Short() {
		b.Skip("-short: skipping the 10,000-entry benchmark (it generates 36 MB of content)")
	}
	bench10k.once.Do(func() {
		dir, err := os.MkdirTemp("", "dronekb-search-bench-")
		if err != nil {
			bench10k.err = err
			return
		}
		defer os.RemoveAll(dir)
		if err := sitetest.Generate(dir, 10000); err != nil {
			bench10k.err = err
			return
		}
		k := kb.Load(os.DirFS(dir), kb.Options{Dir: dir})
		if err := k.Err(); err != nil {
			bench10k.err = err
			return
		}
		bench10k.docs = search.Docs(k, k.Tracker(sitetest.AsOf), site.EntryPath)
		// Docs reads each body from its file when it is indexed; the
		// files go when this returns, so the bodies are read now.
		for i := range bench10k.docs {
			if bench10k.docs[i].Body, err = bench10k.docs[i].BodyText(); err != nil {
				bench10k.err = err
				return
			}
		}
		for _, e := range k.Entries {
			bench10k.ids = append(bench10k.ids, e.ID)
		}
	})
	if bench10k.err != nil {
		b.Fatal(bench10k.err)
	}
	return bench10k.ids, bench10k.docs
}

// BenchmarkIndexBuild10k measures search.Build alone on 10,000 entries
// (the documents are made beforehand) and reports the index's size and the
// CPU time the build used (cpu-s/op: less disturbed than the wall time by
// other work on a busy machine).
//
// Its two sub-benchmarks build the same index with Build's analysis of the
// text fields and with bleve's own (BuildPlain), to compare the two in one
// run (-count=4, then benchstat or by eye).
func BenchmarkIndexBuild10k(b *testing.B) {
	ids, docs := corpus10k(b)
	for _, c := range []struct {
		name  string
		build func(context.Context, string, []string, []search.Doc, search.BuildOptions) (int64, error)
	}{{"analysis=dronekb", search.Build}, {"analysis=bleve", search.BuildPlain}} {
		b.Run(c.name, func(b *testing.B) {
			root := b.TempDir()
			opts := search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}
			var cpu time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dir := filepath.Join(root, strconv.Itoa(i))
				c0 := cpuTime()
				size, err := c.build(context.Background(), dir, ids, docs, opts)
				cpu += cpuTime() - c0
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				b.ReportMetric(float64(size)/1e6, "index-MB")
				if err := os.RemoveAll(dir); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(len(docs)), "docs")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkQuery10k measures Search on the 10,000-entry index, per kind of
// query, each sub-benchmark cycling through a few queries of its kind. It
// reports the median and 99th-percentile latency of one search (with
// facets, and highlighting for word queries) as p50-ms and p99-ms, the
// hits of the queries, the memory the index's columns (the facet values
// and sort keys Search reads each hit's from) take, as columns-MB, and
// the memory the kept positions of frequent words take after the
// sub-benchmark, as positions-MB. Each query is searched once before it is
// timed (it must find something), so phrase-common times phrases whose
// words' positions are kept; phrase-common-cold searches the same phrases
// each after letting go of the kept positions, as the first search of a
// phrase whose words no search read before.
func BenchmarkQuery10k(b *testing.B) {
	ids, docs := corpus10k(b)
	dir := filepath.Join(b.TempDir(), "index")
	if _, err := search.Build(context.Background(), dir, ids, docs, search.BuildOptions{AsOf: sitetest.AsOf, BasePath: "/"}); err != nil {
		b.Fatal(err)
	}
	idx, err := search.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()

	classes := slices.Clone(sitetest.QueryClasses)
	for _, k := range sitetest.QueryClasses {
		if k.Name == "phrase-common" {
			classes = append(classes, sitetest.QueryClass{Name: k.Name + "-cold", Queries: k.Queries})
		}
	}
	for _, k := range classes {
		cold := strings.HasSuffix(k.Name, "-cold")
		reqs := make([]search.Request, len(k.Queries))
		for i, q := range k.Queries {
			v, err := url.ParseQuery(q)
			if err != nil {
				b.Fatal(err)
			}
			if reqs[i], err = search.ParseParams(v); err != nil {
				b.Fatal(err)
			}
			res, err := idx.Search(context.Background(), reqs[i])
			if err != nil {
				b.Fatal(err)
			}
			if res.Total == 0 {
				b.Fatalf("%s finds nothing; the benchmark would measure nothing", q)
			}
		}
		b.Run(k.Name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var hits uint64
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if cold {
					idx.DropPositions()
				}
				start := time.Now()
				res, err := idx.Search(context.Background(), reqs[i%len(reqs)])
				lat = append(lat, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				hits += res.Total
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
			b.ReportMetric(ms(0.50), "p50-ms")
			b.ReportMetric(ms(0.99), "p99-ms")
			b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
			b.ReportMetric(float64(idx.ColumnBytes())/1e6, "columns-MB")
			b.ReportMetric(float64(idx.PositionBytes())/1e6, "positions-MB")
		})
	}
}
