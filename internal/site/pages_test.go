package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// ownPagesKB has the site's own pages: an About page, and the home page's
// introduction, which is not a page of its own.
const ownPagesKB = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- pages/about.md --
---
title: About this site
summary: How the tracker decides, and how to cite it.
updated: 2026-11-30
---
## How a status is decided

Each [vendor](../vendors/dji.md) is checked against the laws in force.
-- pages/home.md --
---
title: What this site tracks
---
Drone fleets of *police forces* and the laws that restrict them.
`

// TestOwnPages checks that content/pages/about.md becomes /about/, linked
// from every page's navigation and listed in the sitemap, with its links
// to entries rewritten, and that pages/home.md introduces the home page
// instead of becoming /home/.
func TestOwnPages(t *testing.T) {
	s := sitetest.BuildArchive(t, ownPagesKB, site.Options{BaseURL: "https://example.org/kb/"})
	read := func(rel string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	about := read("about/index.html")
	for _, want := range []string{"<h1>About this site</h1>", `<h2 id="how-a-status-is-decided">How a status is decided</h2>`,
		`<a href="/kb/vendors/dji/">vendor</a>`, `<time datetime="2026-11-30">30 November 2026</time>`} {
		if !strings.Contains(about, want) {
			t.Errorf("about/index.html lacks %s", want)
		}
	}
	for _, page := range []string{"index.html", "vendors/dji/index.html", "about/index.html"} {
		if !strings.Contains(read(page), `<a href="/kb/about/"`) {
			t.Errorf("%s has no link to the About page", page)
		}
	}
	if !strings.Contains(read("sitemap.xml"), "<loc>https://example.org/kb/about/</loc>") {
		t.Error("sitemap.xml does not list the About page")
	}
	home := read("index.html")
	if !strings.Contains(home, `<div class="intro"><p>Drone fleets of <em>police forces</em> and the laws that restrict them.</p>`) {
		t.Errorf("the home page does not show pages/home.md as its introduction")
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "home")); err == nil {
		t.Error("pages/home.md became a page of its own, /home/")
	}
	// Pages are no entries: not in the downloads.
	if strings.Contains(read("data/kb.json"), "About this site") {
		t.Error("data/kb.json lists the About page as an entry")
	}
}
