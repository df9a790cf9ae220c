// Package searchweb_test tests the search page in a real browser: the
// analysis search.js runs against bleve's, the static index against the
// bleve index, and the page itself behind `dronekb serve` and on a plain
// static host. The tests skip, saying why, when no Chromium is installed.
package searchweb_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/browser"
	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

var shared struct {
	once    sync.Once
	browser *browser.Browser
	err     error
	dir     string

	shipped sitetest.Shared[*built] // the shipped knowledge base built, by base URL
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.browser != nil {
		shared.browser.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	shared.shipped.Cleanup(nil)
	os.Exit(code)
}

// sharedBrowser starts Chromium once for the whole run, or skips the test.
func sharedBrowser(t testing.TB) *browser.Browser {
	t.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		shared.browser, shared.err = browser.Start(ctx)
	})
	if errors.Is(shared.err, browser.ErrNoBrowser) {
		t.Skipf("skipping: this test runs search.js in headless Chromium: %v", shared.err)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.browser
}

func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// built is a site and index that build.Run made.
type built struct {
	content, out, index string
	base                string
}

// buildContent builds the site and both indexes of a content directory
// with the real build, as `dronekb build` does.
func buildContent(t testing.TB, content, baseURL string) *built {
	t.Helper()
	return buildInto(t, content, baseURL, t.TempDir())
}

// buildInto builds content into dir's public and index.
func buildInto(t testing.TB, content, baseURL, dir string) *built {
	t.Helper()
	b := &built{content: content, out: filepath.Join(dir, "public"), index: filepath.Join(dir, "index"), base: "/"}
	cfg := build.Config{Content: content, Out: b.out, Index: b.index, BaseURL: baseURL, AsOf: sitetest.AsOf}
	res, err := build.Run(context.Background(), cfg, build.SearchIndex)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	b.base = res.Site.BasePath()
	return b
}

// shippedBuilt is the shipped knowledge base built for baseURL, once for
// the tests that read it, which must not change its files.
func shippedBuilt(t testing.TB, baseURL string) *built {
	t.Helper()
	return shared.shipped.Get(t, baseURL, func(dir string) *built {
		return buildInto(t, sitetest.ShippedContent(t), baseURL, dir)
	})
}

// buildArchive builds a knowledge base laid out as a txtar archive.
func buildArchive(t testing.TB, archive, baseURL string) *built {
	t.Helper()
	content := filepath.Join(t.TempDir(), "content")
	sitetest.WriteContent(t, content, sitetest.Content(t, archive))
	return buildContent(t, content, baseURL)
}

// staticHost serves a built site the way a plain static host does.
func (b *built) staticHost(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(sitetest.StaticHost(b.out, b.base))
	t.Cleanup(srv.Close)
	return srv.URL
}

// openIndex opens the bleve index the build wrote.
func (b *built) openIndex(t testing.TB) *search.Index {
	t.Helper()
	idx, err := search.Open(b.index)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	return idx
}

// openSearch opens the search page in a new tab and waits for search.js.
func openSearch(t testing.TB, url string) *browser.Page {
	t.Helper()
	b := sharedBrowser(t)
	ctx := ctxFor(t, 60*time.Second)
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(context.Background()) })
	if err := p.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(ctx, `window.dronekbSearch`); err != nil {
		t.Fatalf("search.js did not start: %v; console: %q", err, p.Errors())
	}
	return p
}

// eval runs a script in the page and fails the test if it throws.
func eval(t testing.TB, p *browser.Page, expr string, out any) {
	t.Helper()
	if err := p.Eval(ctxFor(t, 120*time.Second), expr, out); err != nil {
		t.Fatalf("%v\nconsole: %q", err, p.Errors())
	}
}

func jsString(s string) string { return fmt.Sprintf("%q", s) }
