package build_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// BenchmarkBuild10k builds the site of a generated 10,000-entry knowledge
// base (about 3.6 kB of markdown an entry, see sitetest.Generate): loading
// and checking the content, rendering every page and download, and swapping
// the result in. There is no search index (a nil Indexer). The corpus is
// generated once per run; each build writes into a fresh directory. They are
// all removed at the end, not between builds: on this disk, deleting 200 MB
// slows the file creation that follows it for many seconds, and the numbers
// would measure the deletion of the previous run rather than the build.
func BenchmarkBuild10k(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: skipping the 10,000-entry benchmark (it generates 36 MB of content)")
	}
	content := corpus(b, 10000)
	root := b.TempDir()
	b.ReportAllocs()
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := filepath.Join(root, strconv.Itoa(i), "public")
		before := cpuTime()
		res, err := build.Run(context.Background(), build.Config{Content: content, Out: out, AsOf: sitetest.AsOf}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cpu += cpuTime() - before
		if i == 0 {
			b.ReportMetric(float64(res.Stats.Pages), "pages")
			b.ReportMetric(float64(res.Stats.Bytes)/1e6, "MB-written")
		}
		b.StartTimer()
	}
	// On a shared machine the wall time says as much about the neighbours
	// as about the build; the CPU time it used says what it costs.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
