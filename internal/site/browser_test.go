package site_test

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// browserPages are the pages the browser test loads: one of each kind.
var browserPages = []struct{ name, path string }{
	{"home", ""},
	{"tracker", "tracker/"},
	{"agency-nypd", "agencies/nypd/"},
	{"law", "laws/american-security-drone-act/"},
	{"vendor", "vendors/dji/"},
	{"incident", "incidents/nypd-uas-launch-2018/"},
	{"agencies", "agencies/"},
	{"country", "countries/fr/"},
}

// TestInBrowser serves the shipped content's site as a static host would
// and loads pages of every kind in headless Chromium: at a desktop width,
// at a 390px phone width, and with prefers-color-scheme: dark. On every page
// there must be no console error, uncaught exception or failed load, and on
// the phone the body must not scroll sideways (wide tables scroll inside
// their own box). It writes screenshots for people to look at into
// $DRONEKB_SCREENSHOTS, or testdata/screenshots/ (ignored by git).
func TestInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium not found on PATH (apt-get install chromium): skipping the browser test")
	}
	shots := os.Getenv("DRONEKB_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{})
	srv := httptest.NewServer(sitetest.StaticHost(s.Dir, s.Base))
	defer srv.Close()
	b := sitetest.StartBrowser(t, chromium)

	load := func(mode, path string) {
		t.Helper()
		for _, p := range b.Navigate(srv.URL + s.Base + path) {
			t.Errorf("%s /%s: %s", mode, path, p)
		}
	}

	// Desktop, light.
	b.Viewport(1280, 900, 1, false)
	b.ColorScheme("light")
	for _, p := range browserPages {
		load("desktop", p.path)
		var h1 string
		b.Eval(`document.querySelector("h1") ? document.querySelector("h1").textContent : ""`, &h1)
		if strings.TrimSpace(h1) == "" {
			t.Errorf("desktop /%s: no h1 text", p.path)
		}
		if p.name == "home" || p.name == "agency-nypd" {
			b.Screenshot(filepath.Join(shots, p.name+".png"), 6000)
		}
	}

	// Phone.
	b.Viewport(390, 844, 2, true)
	for _, p := range browserPages {
		load("phone", p.path)
		if w := b.Overflow(); w.ScrollWidth > w.InnerWidth {
			t.Errorf("phone /%s: the page is %dpx wide in a %dpx viewport; too wide: %s", p.path, w.ScrollWidth, w.InnerWidth, strings.Join(w.Wide, ", "))
		}
		if p.name == "home" || p.name == "agency-nypd" {
			b.Screenshot(filepath.Join(shots, p.name+"-phone.png"), 5000)
		}
	}

	// Dark.
	b.Viewport(1280, 900, 1, false)
	b.ColorScheme("dark")
	for _, p := range browserPages[:3] {
		load("dark", p.path)
		var bg string
		b.Eval(`getComputedStyle(document.body).backgroundColor`, &bg)
		if bg == "rgb(255, 255, 255)" || bg == "" {
			t.Errorf("dark /%s: the body's background is %q: the dark colour scheme is not applied", p.path, bg)
		}
	}
	b.Navigate(srv.URL + s.Base)
	b.Screenshot(filepath.Join(shots, "home-dark.png"), 6000)
	b.Navigate(srv.URL + s.Base + "agencies/nypd/")
	b.Screenshot(filepath.Join(shots, "agency-nypd-dark.png"), 6000)
	abs, _ := filepath.Abs(shots)
	t.Logf("screenshots in %s", abs)
}
