package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestParseBaseURL: --base-url gives one spelling of the site's address,
// which every canonical URL, the feed and the sitemap then use. A doubled
// slash or an upper-case host went into them as written (found in review).
func TestParseBaseURL(t *testing.T) {
	for _, c := range []struct{ raw, path, abs, err string }{
		{"", "/", "", ""},
		{"/", "/", "", ""},
		{"/kb", "/kb/", "", ""},
		{"/kb//", "/kb/", "", ""},
		{"/a/../kb/", "/kb/", "", ""},
		{"https://example.org", "/", "https://example.org/", ""},
		{"https://example.org/dronekb", "/dronekb/", "https://example.org/dronekb/", ""},
		{"https://example.org/dronekb//", "/dronekb/", "https://example.org/dronekb/", ""},
		{"HTTPS://Example.ORG:443/DroneKB/", "/DroneKB/", "https://example.org/DroneKB/", ""},
		{"http://example.org:80/", "/", "http://example.org/", ""},
		{"http://example.org:8080/kb/", "/kb/", "http://example.org:8080/kb/", ""},
		{"https://example.org/caf%C3%A9/", "/caf%C3%A9/", "https://example.org/caf%C3%A9/", ""},
		{"https://user:secret@example.org/", "", "", "carries a user name"},
		{"example.org/dronekb/", "", "", "has no scheme"},
		{"ftp://example.org/", "", "", "must be an http(s) URL"},
		{"https:///kb/", "", "", "has no host"},
	} {
		p, abs, err := site.ParseBaseURL(c.raw)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one saying %q", c.raw, err, c.err)
			}
			continue
		}
		if err != nil || p != c.path || abs != c.abs {
			t.Errorf("%q: %q, %q, %v; want %q, %q", c.raw, p, abs, err, c.path, c.abs)
		}
	}
}

// metroKB is one agency, for what every page has.
const metroKB = `
-- agencies/metro.md --
---
title: Metro Police
summary: A city police force.
country: US
kind: police
sources: [https://example.org/metro]
---
Metro [1].
`

// TestNotFoundPageIsNotIndexed: the 404 page, served at every missing
// address, names no canonical address and asks search engines not to
// index it; it named the home page as its canonical address, telling a
// crawler that every missing page was the home page (found in review).
// Other pages name their own address, and every page the site's name.
func TestNotFoundPageIsNotIndexed(t *testing.T) {
	s := sitetest.BuildArchive(t, metroKB, site.Options{BaseURL: "https://example.org/kb/"})
	read := func(rel string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	notFound := read("404.html")
	for _, bad := range []string{`rel="canonical"`, `property="og:url"`} {
		if strings.Contains(notFound, bad) {
			t.Errorf("404.html has %s", bad)
		}
	}
	if !strings.Contains(notFound, `<meta name="robots" content="noindex">`) {
		t.Error("404.html does not ask not to be indexed")
	}
	page := read("agencies/metro/index.html")
	for _, want := range []string{`<link rel="canonical" href="https://example.org/kb/agencies/metro/">`, `<meta property="og:url" content="https://example.org/kb/agencies/metro/">`, `<meta property="og:site_name" content="`} {
		if !strings.Contains(page, want) {
			t.Errorf("the agency's page lacks %s", want)
		}
	}
	if strings.Contains(page, "noindex") {
		t.Error("the agency's page asks not to be indexed")
	}
	if !strings.Contains(page, `<meta property="og:image" content="https://example.org/kb/assets/cards/`) {
		t.Error("the agency's page has no absolute og:image")
	}
}

// TestNoPreviewImageWithoutAddress: a link preview's image must be an
// absolute URL; a site built without an absolute --base-url gave a path
// ("/assets/cards/unknown.png") that no preview can fetch, so it gives
// none (found in review), as it gives no canonical address.
func TestNoPreviewImageWithoutAddress(t *testing.T) {
	s := sitetest.BuildArchive(t, metroKB, site.Options{BaseURL: "/kb/"})
	for _, rel := range []string{"index.html", "agencies/metro/index.html"} {
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{`property="og:image"`, `rel="canonical"`, `property="og:url"`} {
			if strings.Contains(string(data), bad) {
				t.Errorf("%s, built for a path alone, has %s", rel, bad)
			}
		}
		if !strings.Contains(string(data), `property="og:title"`) {
			t.Errorf("%s has no og:title", rel)
		}
	}
}
