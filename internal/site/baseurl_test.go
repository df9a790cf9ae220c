package site_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
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
		// A scheme-relative address wrote "://example.org/…" into every
		// canonical address, the feed and the sitemap.
		{"//example.org/dronekb/", "", "", "has no scheme: write https://example.org/dronekb/"},
		// "./" is a relative path, not a host without its scheme.
		{"./", "", "", "is a relative path: give the site's path from the host's root, like /dronekb/"},
		{"../kb/", "", "", "is a relative path"},
		{"ftp://example.org/", "", "", "must be an http(s) URL"},
		{"https:///kb/", "", "", "has no host"},
		{"https://example.org/dronekb/ ", "", "", `has a space before or after it: write "https://example.org/dronekb/"`},
		{" https://example.org/dronekb/", "", "", "has a space before or after it"},
		{"https://example.org/dronekb/index.html", "", "", `is the address of a page, not of the folder the site is published in: write "https://example.org/dronekb/"`},
		{"/kb/Index.HTM", "", "", `write "/kb/"`},
		{"https://example.org:99999/kb/", "", "", "has port 99999, which no address has"},
		{"https://example.org:0/kb/", "", "", "a port is 1 to 65535"},
		{"https://example.org/drone kb/", "/drone%20kb/", "https://example.org/drone%20kb/", ""},
		{"https://example.org/kb.html.d/", "/kb.html.d/", "https://example.org/kb.html.d/", ""},
		// A host beyond ASCII is written as DNS has it.
		{"https://Drönes.example/kb/", "/kb/", "https://xn--drnes-kua.example/kb/", ""},
		{"https://xn--drnes-kua.example:8443/", "/", "https://xn--drnes-kua.example:8443/", ""},
		{"https://überwachung.example:8443/", "/", "https://xn--berwachung-8db.example:8443/", ""},
		{"https://exa mple.org/", "", "", "must be an http(s) URL"},
		// A host no address can have is refused, ASCII or not; an
		// address by IP and a name with DNS's root dot are kept.
		{"https://example..org/", "", "", `"example..org" is not a host name an address can have`},
		{"https://-drones.example/", "", "", "is not a host name"},
		{"https://drones-.example/", "", "", "is not a host name"},
		{"https://drone_kb.example/", "", "", "is not a host name"},
		{"https://" + strings.Repeat("a", 64) + ".example/", "", "", "is not a host name"},
		{"https://Drönes..example/", "", "", "is not a host name"},
		{"http://127.0.0.1:8080/kb/", "/kb/", "http://127.0.0.1:8080/kb/", ""},
		{"http://[::1]:8080/", "/", "http://[::1]:8080/", ""},
		{"http://[2001:DB8::1]/", "/", "http://[2001:db8::1]/", ""},
		{"https://localhost/", "/", "https://localhost/", ""},
		{"https://example.org./kb/", "/kb/", "https://example.org./kb/", ""},
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

// TestPreviewImageAddressFollowsItsPicture: social networks keep a link
// preview's image under its address for weeks, and the site's card states
// how many agencies fly restricted drones on the tracker's date; under a
// fixed address a shared link went on showing an old count and date after
// the tracker moved (found in review). Each page names its card at an
// address that changes with the picture: the same picture, the same
// address; a new date, a new one.
func TestPreviewImageAddressFollowsItsPicture(t *testing.T) {
	image := func(s *sitetest.Site, rel string) (url string, png []byte) {
		t.Helper()
		url = namedURL(t, s, rel, `<meta property="og:image" content="`, "og:image")
		path, query, ok := strings.Cut(strings.TrimPrefix(url, "https://example.org/kb/"), "?v=")
		if !ok {
			t.Fatalf("%s: og:image %s has no version", rel, url)
		}
		var err error
		png, err = os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(path)))
		if err != nil {
			t.Fatalf("%s: og:image %s: %v", rel, url, err)
		}
		sum := sha256.Sum256(png)
		if !strings.HasPrefix(hex.EncodeToString(sum[:]), query) || len(query) < 8 {
			t.Errorf("%s: og:image %s does not name the picture written at %s", rel, url, path)
		}
		return url, png
	}
	build := func(asOf string) *sitetest.Site {
		return sitetest.BuildArchive(t, metroKB, site.Options{BaseURL: "https://example.org/kb/", AsOf: kb.MustDate(asOf)})
	}
	a, again, b := build("2025-06-01"), build("2025-06-01"), build("2026-06-01")
	for _, rel := range []string{"index.html", "agencies/metro/index.html", "tracker/index.html"} {
		urlA, pngA := image(a, rel)
		urlAgain, _ := image(again, rel)
		urlB, pngB := image(b, rel)
		if urlA != urlAgain {
			t.Errorf("%s: the same build names its card %s, then %s", rel, urlA, urlAgain)
		}
		if bytes.Equal(pngA, pngB) {
			t.Errorf("%s: the card is the same picture on two dates", rel)
		}
		if urlA == urlB {
			t.Errorf("%s: a new picture at the old address %s", rel, urlA)
		}
	}
}

// namedURL returns the address the page rel of s gives after attr (the
// start of a tag up to its address's opening quote), unescaped; what says
// what the page fails to name.
func namedURL(t *testing.T, s *sitetest.Site, rel, attr, what string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), attr)
	if i < 0 {
		t.Fatalf("%s names no %s", rel, what)
	}
	url, _, _ := strings.Cut(string(data[i+len(attr):]), `"`)
	return html.UnescapeString(url)
}

// TestTouchIcon: iOS and Safari show a site saved to the home screen or
// the favourites by its apple-touch-icon, a square PNG (they take no SVG
// favicon). Every kind of page names it, under the site's sub-path, and
// what it names is a 180 × 180 picture with no transparency (iOS fills
// transparent pixels with black). A theme's own icon replaces it.
func TestTouchIcon(t *testing.T) {
	icon := func(s *sitetest.Site, rel string) []byte {
		t.Helper()
		url := namedURL(t, s, rel, `<link rel="apple-touch-icon" href="`, "apple-touch-icon")
		path, _, _ := strings.Cut(url, "?")
		if !strings.HasPrefix(path, "/kb/assets/") {
			t.Fatalf("%s: apple-touch-icon %s is not under the site's address /kb/", rel, url)
		}
		pic, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(strings.TrimPrefix(path, "/kb/"))))
		if err != nil {
			t.Fatalf("%s: apple-touch-icon %s: %v", rel, url, err)
		}
		return pic
	}
	s := sitetest.BuildArchive(t, metroKB, site.Options{BaseURL: "https://example.org/kb/"})
	for _, rel := range []string{"index.html", "agencies/metro/index.html", "tracker/index.html", "search/index.html", "404.html"} {
		pic := icon(s, rel)
		img, err := png.Decode(bytes.NewReader(pic))
		if err != nil {
			t.Fatalf("%s: the apple-touch-icon is not a PNG: %v", rel, err)
		}
		if b := img.Bounds(); b.Dx() != 180 || b.Dy() != 180 {
			t.Errorf("%s: the apple-touch-icon is %d × %d, not 180 × 180", rel, b.Dx(), b.Dy())
		}
		for _, p := range [][2]int{{0, 0}, {179, 0}, {0, 179}, {179, 179}, {90, 90}} {
			if _, _, _, a := img.At(p[0], p[1]).RGBA(); a != 0xffff {
				t.Errorf("%s: the apple-touch-icon is transparent at %v", rel, p)
			}
		}
	}
	own := []byte("\x89PNG\r\n\x1a\n a group's own icon")
	theme := themes.Overlay(fstest.MapFS{"static/apple-touch-icon.png": {Data: own}}, themes.Default())
	s = sitetest.BuildArchive(t, metroKB, site.Options{BaseURL: "https://example.org/kb/", Theme: theme})
	if pic := icon(s, "index.html"); !bytes.Equal(pic, own) {
		t.Errorf("the home page names the built-in apple-touch-icon, not the theme's own")
	}
}

// TestFirstPageAliasCanonical: page/1/ of a list of several pages names
// the first page as its canonical address absolutely under an absolute
// --base-url, as every other page does (it was the path alone; found in
// review), and sends the reader there.
func TestFirstPageAliasCanonical(t *testing.T) {
	s := sitetest.Build(t, sitetest.Load(t, sitetest.Content(t, smallKB)), site.Options{BaseURL: "https://example.org/kb/", PageSize: 1})
	data, err := os.ReadFile(filepath.Join(s.Dir, "agencies", "page", "1", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<link rel="canonical" href="https://example.org/kb/agencies/">`, `<meta http-equiv="refresh" content="0; url=/kb/agencies/">`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("agencies/page/1/ has no %s:\n%s", want, data)
		}
	}
}
