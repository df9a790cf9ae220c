package sqlitedata_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/internal/sqlitedata"
)

// BenchmarkWrite writes data/kb.sqlite for a generated knowledge base
// (sitetest.Generate) of 10,000 entries, or of each size in
// $DRONEKB_BENCH_N (sitetest.BenchSizes), and reports the file's size.
//
//	go test -run '^$' -bench Write -benchtime 3x ./internal/sqlitedata/
func BenchmarkWrite(b *testing.B) {
	for _, n := range sitetest.BenchSizes(b, 10000) {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			content := b.TempDir()
			if err := sitetest.Generate(content, n); err != nil {
				b.Fatal(err)
			}
			s := sitetest.Build(b, sitetest.Load(b, os.DirFS(content)), site.Options{})
			path := filepath.Join(b.TempDir(), "kb.sqlite")
			b.ResetTimer()
			for b.Loop() {
				if err := sqlitedata.Write(s.Site, path); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(st.Size()), "file-bytes")
		})
	}
}
