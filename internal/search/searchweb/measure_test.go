package searchweb_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// counter wraps a handler and counts the bytes of each response body.
type counter struct {
	h     http.Handler
	mu    sync.Mutex
	bytes map[string]int64
	order []string
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cw := &countingWriter{ResponseWriter: w}
	c.h.ServeHTTP(cw, r)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bytes[r.URL.Path] += cw.n
	c.order = append(c.order, r.URL.Path)
}

func (c *counter) reset() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.bytes
	c.bytes, c.order = map[string]int64{}, nil
	return b
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// TestMeasure10k measures the static index of a generated 10,000-entry
// knowledge base: the time to write it, its size, and the bytes five
// typical queries fetch, each on a fresh page (nothing cached), counted by
// the server and by the browser. It asserts the budget of about 300 kB per
// query. It takes a minute, so it runs only when asked:
//
//	DRONEKB_MEASURE=1 go test -run Measure10k -v ./internal/search/searchweb/
func TestMeasure10k(t *testing.T) {
	if os.Getenv("DRONEKB_MEASURE") == "" {
		t.Skip("set DRONEKB_MEASURE=1 to measure the static index of a generated 10,000-entry knowledge base (about a minute)")
	}
	sharedBrowser(t)
	n := 10000
	if s := os.Getenv("DRONEKB_MEASURE_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	content := filepath.Join(t.TempDir(), "content")
	if err := sitetest.Generate(content, n); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	start := time.Now()
	res, err := build.Run(context.Background(), build.Config{Content: content, Out: out, Index: filepath.Join(dir, "index"), AsOf: sitetest.AsOf}, build.SearchIndex)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("build of %d entries: %v (phases %v)", n, time.Since(start).Round(time.Millisecond), res.Elapsed)

	var files int
	var size int64
	sizes := map[string]int64{}
	_ = filepath.WalkDir(filepath.Join(out, "search"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			st, _ := d.Info()
			files++
			size += st.Size()
			rel, _ := filepath.Rel(filepath.Join(out, "search"), p)
			sizes[strings.SplitN(rel, string(filepath.Separator), 2)[0]] += st.Size()
		}
		return nil
	})
	t.Logf("static index: %d files, %.1f MB (%v)", files, float64(size)/1e6, sizes)

	c := &counter{h: sitetest.StaticHost(out, "/"), bytes: map[string]int64{}}
	srv := httptest.NewServer(c)
	defer srv.Close()
	plain := []string{"drones", "police surveillance", "protest", "procurement ban", "Houston agency"}
	// Not plain: a phrase also fetches positions, a prefix or a typo the
	// shards of every word it may stand for. Measured, not held to the
	// budget.
	others := []string{`"police department"`, `"inspector general" audit`, "surv*", "dron~1", "drones -police"}
	for qi, q := range append(plain, others...) {
		ctx := ctxFor(t, 60*time.Second)
		p, err := sharedBrowser(t).NewPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.DisableCache(ctx); err != nil {
			t.Fatal(err)
		}
		c.reset()
		if err := p.Navigate(ctx, srv.URL+"/search/"); err != nil {
			t.Fatal(err)
		}
		var mode string
		eval(t, p, "dronekbSearch.ready", &mode)
		var load int64
		for _, b := range c.reset() {
			load += b
		}
		p.ResetRequests()
		eval(t, p, `(() => { const q = document.getElementById("q"); q.value = `+jsString(q)+`; q.dispatchEvent(new Event("input", {bubbles: true})); })()`, nil)
		h := waitStatus(t, p, "")
		if err := p.WaitFor(ctxFor(t, 30*time.Second), `document.querySelectorAll("#results li.hit").length > 0`); err != nil {
			t.Fatal(err)
		}
		served := c.reset()
		var total int64
		var parts []string
		for path, b := range served {
			total += b
			parts = append(parts, fmt.Sprintf("%s %d", strings.TrimPrefix(path, "/search/"), b))
		}
		var seen int64
		reqs := p.Requests()
		for _, r := range reqs {
			seen += r.Body
		}
		t.Logf("%q: %s %d requests, %d bytes of the index (the browser counted %d); the page itself (HTML, CSS, JS, api/search, manifest) %d bytes (mode %s)",
			q, h.Status, len(reqs), total, seen, load, mode)
		t.Logf("   %s", strings.Join(parts, ", "))
		if qi < len(plain) && total+load > 300_000 {
			t.Errorf("%q fetched %d bytes, over the 300 kB budget", q, total)
		}
		if errs := p.Errors(); len(errs) > 0 {
			t.Errorf("console errors: %q", errs)
		}
		p.Close(context.Background())
	}
}
