package site_test

import (
	"os"
	"slices"
	"testing"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestLinksResolve crawls each built site from its home page, served the way
// a static host serves it, under its base path: every internal href, src and
// action of every page reached must resolve to a file (a directory URL to
// its index.html), every fragment (#source-3, #tracker) must be an id on the
// target page, and no link may leave the base path — which is what breaks
// when a site built for https://example.org/dronekb/ links to "/agencies/".
// Then the pages reached must be exactly the pages sitemap.xml lists, and
// every page on disk but 404.html must be reachable: no orphans.
func TestLinksResolve(t *testing.T) {
	cases := []struct {
		name    string
		archive string // "" for the shipped content
		baseURL string
	}{
		{"shipped-content", "", ""},
		{"shipped-content-under-subpath", "", "https://example.org/dronekb/"},
		{"shipped-content-path-only-base", "", "/kb/"},
		{"fixture", smallKB, ""},
		{"fixture-under-subpath", smallKB, "https://example.org/dronekb/"},
		{"phased-law", phasedKB, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s *sitetest.Site
			if c.archive == "" {
				s = sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{BaseURL: c.baseURL})
			} else {
				s = sitetest.BuildArchive(t, c.archive, site.Options{BaseURL: c.baseURL})
			}
			crawled := sitetest.Crawl(t, s.Dir, s.Base, s.Abs)
			t.Logf("reached %d pages and %d other files", len(crawled.Pages), len(crawled.Files))

			sitemap := sitetest.Sitemap(t, s.Dir, s.Base, s.Abs)
			for _, p := range crawled.Pages {
				if !slices.Contains(sitemap, p) {
					t.Errorf("page %s is reachable but not in sitemap.xml", p)
				}
			}
			for _, p := range sitemap {
				if !slices.Contains(crawled.Pages, p) {
					t.Errorf("sitemap.xml lists %s, which no link reaches (or which does not resolve)", p)
				}
			}
			for _, p := range sitetest.HTMLFiles(t, s.Dir, s.Base) {
				if p != s.Base+"404.html" && !slices.Contains(crawled.Pages, p) {
					t.Errorf("page %s is on disk but no link reaches it", p)
				}
			}
			for _, want := range []string{"feed.xml", "data/kb.json", "data/tracker.csv", "data/tracker.json", "data/agencies.csv"} {
				if !slices.Contains(crawled.Files, s.Base+want) {
					t.Errorf("no page links to %s%s", s.Base, want)
				}
			}
		})
	}
}
