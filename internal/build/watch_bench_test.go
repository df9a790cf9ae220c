package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// BenchmarkWatchEdit times serve --watch's rebuild of one edited entry
// (Session.Rebuild: the edited entry's page and the search index) and
// reports the time until the edited page was written (and serve tells
// the browser to reload it) as page-ms, and the second step
// (Session.Finish: the other pages the edit can change, then the
// site-wide pages) as finish-ms. Sizes come from DRONEKB_BENCH_N (default 1000,10000).
// scripts/bench-watch.sh measures the same through the real serve.
func BenchmarkWatchEdit(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: skipping the watch benchmark (it generates knowledge bases of thousands of entries)")
	}
	for _, n := range benchSizes(b) {
		for _, kind := range []string{"incident body", "agency title", "fleet status"} {
			b.Run(fmt.Sprintf("n=%d/%s", n, kind), func(b *testing.B) { benchWatchEdit(b, n, kind) })
		}
	}
}

func benchWatchEdit(b *testing.B, n int, kind string) {
	ctx := context.Background()
	root := b.TempDir()
	content := filepath.Join(root, "content")
	copyTree(b, corpus(b, n), content)
	cfg := build.Config{Content: content, Out: filepath.Join(root, "public"), Index: filepath.Join(root, "index"), BaseURL: "/", AsOf: sitetest.AsOf}
	sess := build.NewSession(cfg)
	var idx *search.Index
	sess.OnIndex = func(x *search.Index) { idx = x }
	defer func() {
		if idx != nil {
			idx.Close()
		}
	}()
	sess.Touch(nil) // as serve --watch's file watcher does when it starts
	if _, err := sess.Rebuild(ctx); err != nil {
		b.Fatal(err)
	}
	k := kb.Load(os.DirFS(content), kb.Options{Dir: content})
	var file string
	var change func(data string, i int) string
	switch kind {
	case "incident body":
		file = k.Section("incidents")[0].Path
		change = func(data string, i int) string { return data + fmt.Sprintf("\nEdit %d of the body.\n", i) }
	case "agency title":
		file = k.Section("agencies")[1].Path
		re := regexp.MustCompile(`(?m)^title:.*$`)
		change = func(data string, i int) string {
			return re.ReplaceAllString(data, fmt.Sprintf("title: Renamed Agency %d", i))
		}
	case "fleet status":
		var a *kb.Entry
		for _, e := range k.Section("agencies") {
			for _, f := range e.Agency.Fleet {
				if f.Status == "active" && !f.UnknownMake && a == nil {
					a = e
				}
			}
		}
		file = a.Path
		re := regexp.MustCompile(`(?m)^(\s+)status: (active|retired)$`)
		change = func(data string, i int) string {
			to := "retired"
			if i%2 == 1 {
				to = "active"
			}
			return re.ReplaceAllString(data, "${1}status: "+to)
		}
	}
	full := filepath.Join(content, filepath.FromSlash(file))
	orig, err := os.ReadFile(full)
	if err != nil {
		b.Fatal(err)
	}
	var finish, page, lists, views time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := os.WriteFile(full, []byte(change(string(orig), i)), 0o644); err != nil {
			b.Fatal(err)
		}
		sess.Touch([]string{file}) // the watcher names the saved file
		var st *build.Step
		// Labelled, so that a profile of the benchmark can be narrowed to
		// the saves: go tool pprof -tagfocus step=save.
		pprof.Do(ctx, pprof.Labels("step", "save"), func(ctx context.Context) { st, err = sess.Rebuild(ctx) })
		if err != nil {
			b.Fatal(err)
		}
		if st.Full {
			b.Fatalf("the edit rebuilt in full: %s", st.Reason)
		}
		b.StopTimer()
		if i == 0 {
			b.Logf("rebuild: %s", phaseLine(st.Phases))
		}
		// The edited page is on disk, and serve tells the browser to
		// reload it, once the step's phases up to its writing are done.
		for _, p := range st.Phases {
			page += p.Took
			if p.Name == "the edited entries' pages" {
				break
			}
		}
		t := time.Now()
		fst, err := sess.Finish(ctx)
		if err != nil {
			b.Fatal(err)
		}
		finish += time.Since(t)
		// The lists, places and tags that show the edit, then the
		// tracker's views of it, are on disk (and reloaded) once Finish's
		// phases up to their writing are done: the whole first step, then
		// those.
		upTo := st.Took
		for _, p := range fst.Phases {
			upTo += p.Took
			if strings.HasPrefix(p.Name, "site-wide pages that show the edits") {
				lists += upTo
			}
			if strings.HasPrefix(p.Name, "tracker views that show the edits") {
				views += upTo
				break
			}
		}
		if i == 0 {
			b.Logf("finish: %s; %d files rendered, %d written, %d deleted", phaseLine(fst.Phases), fst.Rendered, len(fst.Written), len(fst.Deleted))
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(page.Milliseconds())/float64(b.N), "page-ms")
	b.ReportMetric(float64(finish.Milliseconds())/float64(b.N), "finish-ms")
	b.ReportMetric(float64(lists.Milliseconds())/float64(b.N), "lists-ms")
	b.ReportMetric(float64(views.Milliseconds())/float64(b.N), "tracker-ms")
}

// phaseLine prints phases on one line (a benchmark's log keeps ten lines).
func phaseLine(phases []build.Phase) string {
	var b strings.Builder
	for i, p := range phases {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %v", p.Name, p.Took.Round(time.Millisecond))
	}
	return b.String()
}
