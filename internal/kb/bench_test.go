package kb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

// BenchmarkLoad10k loads and checks a generated knowledge base of 10,000
// entries of about 3.6 kB each — 200 vendors, 800 laws, 4,500 agencies and
// 4,500 incidents, with fleets, histories, sources, body links and
// citations — written once to a temporary directory.
func BenchmarkLoad10k(b *testing.B) {
	dir := b.TempDir()
	n, size := writeCorpus(b, dir, 200, 800, 4500, 4500)
	b.Logf("%d entries, %.1f MB, %.2f kB an entry", n, float64(size)/1e6, float64(size)/float64(n)/1e3)
	asOf := MustDate("2024-06-01")
	b.Run("load", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			k := Load(os.DirFS(dir), Options{Dir: "content", AsOf: asOf})
			if len(k.Entries) != n || k.Err() != nil {
				b.Fatalf("%d entries of %d; %v", len(k.Entries), n, k.Err())
			}
		}
	})
}

// TestCorpusIsClean keeps the benchmark honest: the generated entries load
// with no error, so it measures the path real content takes.
func TestCorpusIsClean(t *testing.T) {
	dir := t.TempDir()
	n, size := writeCorpus(t, dir, 5, 8, 20, 20)
	k := Load(os.DirFS(dir), Options{AsOf: MustDate("2024-06-01")})
	if len(k.Entries) != n || len(errorsOnly(k.Diagnostics)) > 0 {
		t.Fatalf("%d entries of %d:\n%s", len(k.Entries), n, diagLines(errorsOnly(k.Diagnostics)))
	}
	if per := float64(size) / float64(n); per < 3000 || per > 4200 {
		t.Errorf("entries average %.0f bytes; the benchmark wants about 3.6 kB", per)
	}
	tr := k.Tracker(MustDate("2024-06-01"))
	if tr.Counts[FlyingRestricted] == 0 || tr.Counts[Clear] == 0 {
		t.Errorf("the corpus should exercise the tracker: %v", tr.Counts)
	}
}

var lorem = strings.Repeat("The department said the aircraft were used for search and rescue, "+
	"accident reconstruction and crowd monitoring, and that footage is kept for thirty days. ", 3)

// writeCorpus writes a knowledge base with the given number of entries of
// each type and returns how many entries and bytes it wrote.
func writeCorpus(tb testing.TB, dir string, vendors, laws, agencies, incidents int) (int, int64) {
	tb.Helper()
	var total int64
	write := func(p, s string) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			tb.Fatal(err)
		}
		total += int64(len(s))
	}
	countries := []string{"CN", "US", "FR", "DE", "IL"}
	sources := func(b *strings.Builder, slug string, n int) {
		b.WriteString("sources:\n")
		for i := 1; i <= n; i++ {
			fmt.Fprintf(b, "  - url: https://news.example.org/%s/report-%d\n    title: Report %d on %s\n    publisher: Example News\n    date: 2021-0%d-1%d\n",
				slug, i, i, slug, i, i)
		}
	}
	body := func(b *strings.Builder, i, nsources int, links ...string) {
		b.WriteString("---\n## Background\n\n")
		for p := 0; p < 5; p++ {
			fmt.Fprintf(b, "%s See [the vendor](%s) and [the law](%s) [%d].\n\n", lorem, links[p%len(links)], links[(p+1)%len(links)], p%nsources+1)
		}
		b.WriteString("## Sources\n\n| Date | What |\n|---|---|\n| 2021 | *A report* [1] |\n")
	}
	for i := 0; i < vendors; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Vendor %d\nsummary: A maker of drones and drone parts, number %d.\nlegal_name: Vendor %d Technology Co., Ltd.\ncountry: %s\nhq: City %d\nwebsite: https://vendor%d.example.com\ntags: [manufacturer, drones]\nupdated: 2024-01-15\n",
			i, i, i, countries[i%len(countries)], i, i)
		sources(&b, fmt.Sprintf("v%d", i), 2)
		body(&b, i, 2, fmt.Sprintf("v%d.md", (i+1)%vendors), fmt.Sprintf("../laws/l%d.md", i%laws))
		write(fmt.Sprintf("vendors/v%d.md", i), b.String())
	}
	for i := 0; i < laws; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Law %d on unmanned aircraft\nshort: L%d\nsummary: A law that restricts drones from some countries, number %d.\nkind: statute\ncountry: US\nstatus: enacted\nintroduced: 2018-0%d\nenacted: 20%d-01-01\n",
			i, i, i, i%9+1, 19+i%5)
		if i%7 == 0 {
			b.WriteString("region: US-FL\n")
		}
		fmt.Fprintf(&b, "restricts:\n  vendors: [v%d, v%d]\n  countries: [CN]\nmeasure: procurement\nbinds:\n  levels: [%s]\ntags: [procurement-ban, china]\nupdated: 2024-01-15\nrelated: [vendors/v%d]\n",
			// Only vendors from China (every fifth) are restricted, so
			// agencies flying the others are clear.
			5*(i%(vendors/5)), 5*((i+3)%(vendors/5)), []string{"national", "state", "local"}[i%3], i%vendors)
		sources(&b, fmt.Sprintf("l%d", i), 3)
		body(&b, i, 3, fmt.Sprintf("../vendors/v%d.md", i%vendors), fmt.Sprintf("l%d.md", (i+1)%laws))
		write(fmt.Sprintf("laws/l%d.md", i), b.String())
	}
	for i := 0; i < agencies; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Agency %d Police Department\nshort: A%d\nsummary: A police department that flies drones, number %d.\ncountry: US\nregion: US-NY\nlevel: %s\nkind: police\nwebsite: https://agency%d.example.gov\ntags: [police, drones]\nupdated: 2024-01-15\nrelated: [vendors/v%d, laws/l%d]\nfleet:\n",
			i, i, i, []string{"national", "state", "local"}[i%3], i, i%vendors, i%laws)
		for f := 0; f < 2; f++ {
			fmt.Fprintf(&b, "  - vendor: v%d\n    model: Model %d\n    count: %d\n    acquired: 2019-0%d\n    status: %s\n    as_of: 2023-0%d-01\n    source: https://news.example.org/a%d/report-%d\n    history:\n      - date: 2020-01-0%d\n        status: active\n        source: https://news.example.org/a%d/report-1\n",
				(i+f)%vendors, f, f+2, f+1, []string{"active", "grounded", "unknown", "retired"}[(i+f)%4], f+3, i, f+2, f+1, i)
		}
		sources(&b, fmt.Sprintf("a%d", i), 3)
		body(&b, i, 3, fmt.Sprintf("../vendors/v%d.md", i%vendors), fmt.Sprintf("../laws/l%d.md", i%laws))
		write(fmt.Sprintf("agencies/a%d.md", i), b.String())
	}
	for i := 0; i < incidents; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Incident %d with drones over a protest\nsummary: Police flew drones over a protest, incident number %d.\ndate: 2021-0%d-1%d\nplace: A square in a city\ncountry: US\nregion: US-NY\nkind: protest\nagencies: [a%d]\nvendors: [v%d]\nlaws: [l%d]\ntags: [protest, surveillance]\nupdated: 2024-01-15\n",
			i, i, i%9+1, i%10, i%agencies, i%vendors, i%laws)
		sources(&b, fmt.Sprintf("i%d", i), 2)
		body(&b, i, 2, fmt.Sprintf("../agencies/a%d.md", i%agencies), fmt.Sprintf("../laws/l%d.md", i%laws))
		write(fmt.Sprintf("incidents/i%d.md", i), b.String())
	}
	return vendors + laws + agencies + incidents, total
}

// BenchmarkSave measures what serve --watch does in internal/kb when a
// contributor saves one agency: the load told which file changed
// (Options.Touched, with Prev and a Cache) and the tracker from the one
// before (TrackerFrom). Sizes come from DRONEKB_BENCH_N (default 10000),
// in the proportions of BenchmarkLoad10k, whose laws all bind every
// agency; DRONEKB_CORPUS names a knowledge base to use instead, such as
// one of scripts/bench-vs-hugo.sh's (the edited file is put back).
func BenchmarkSave(b *testing.B) {
	n := 10000
	if s := os.Getenv("DRONEKB_BENCH_N"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("DRONEKB_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		writeCorpus(b, dir, n/50, n/50*4, n/100*45, n/100*45)
	}
	asOf := MustDate("2024-06-01")
	cache := NewCache()
	prev := Load(os.DirFS(dir), Options{Dir: "content", Cache: cache, NoNearDuplicates: true})
	if err := prev.Err(); err != nil {
		b.Fatal(err)
	}
	tr := prev.Tracker(asOf)
	var rel string
	for _, a := range prev.Section("agencies") {
		for _, f := range a.Agency.Fleet {
			if f.Status == "active" && !f.UnknownMake && rel == "" {
				rel = a.Path
			}
		}
	}
	orig, err := os.ReadFile(filepath.Join(dir, rel))
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(filepath.Join(dir, rel), orig, 0o644)
	var load, track time.Duration
	for i := 0; b.Loop(); i++ {
		data := strings.Replace(string(orig), "status: active", []string{"status: retired", "status: grounded"}[i%2], 1)
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
		// Labelled, so that a profile can be narrowed to the saves:
		// go tool pprof -tagfocus step=load (or step=tracker).
		var k *KB
		var nt *Tracker
		t0 := time.Now()
		pprof.Do(context.Background(), pprof.Labels("step", "load"), func(context.Context) {
			k = Load(os.DirFS(dir), Options{Dir: "content", Cache: cache, NoNearDuplicates: true, Prev: prev, Touched: []string{rel}})
		})
		t1 := time.Now()
		pprof.Do(context.Background(), pprof.Labels("step", "tracker"), func(context.Context) { nt = k.TrackerFrom(tr, prev, asOf) })
		load, track = load+t1.Sub(t0), track+time.Since(t1)
		if err := k.Err(); err != nil {
			b.Fatal(err)
		}
		prev, tr = k, nt
	}
	b.ReportMetric(float64(load.Microseconds())/float64(b.N)/1e3, "load-ms")
	b.ReportMetric(float64(track.Microseconds())/float64(b.N)/1e3, "tracker-ms")
}
