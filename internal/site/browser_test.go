package site_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/browser"
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
	if _, err := browser.Path(); err != nil {
		t.Skipf("skipping the browser test: %v (apt-get install chromium)", err)
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

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	b, err := browser.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// load loads path and reports what went wrong on the page while it
	// loaded: console errors, exceptions, failed loads.
	load := func(mode, path string) {
		t.Helper()
		p.ResetConsole()
		check(p.Navigate(ctx, srv.URL+s.Base+path))
		check(p.Settle(ctx))
		for _, e := range p.Errors() {
			t.Errorf("%s /%s: %s", mode, path, e)
		}
	}
	screenshot := func(name string, maxHeight int) {
		t.Helper()
		png, err := p.FullScreenshot(ctx, maxHeight)
		check(err)
		check(os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}
	shoot := func(name string) bool { return name == "home" || name == "agency-nypd" }

	// Desktop, light.
	check(p.SetViewport(ctx, 1280, 900, 1, false))
	check(p.SetColorScheme(ctx, "light"))
	for _, pg := range browserPages {
		load("desktop", pg.path)
		var h1 string
		check(p.Eval(ctx, `document.querySelector("h1") ? document.querySelector("h1").textContent : ""`, &h1))
		if strings.TrimSpace(h1) == "" {
			t.Errorf("desktop /%s: no h1 text", pg.path)
		}
		if shoot(pg.name) {
			screenshot(pg.name, 6000)
		}
	}

	// Phone.
	check(p.SetViewport(ctx, 390, 844, 2, true))
	for _, pg := range browserPages {
		load("phone", pg.path)
		w, err := p.Overflow(ctx)
		check(err)
		if w.Overflows() {
			t.Errorf("phone /%s: the page is %dpx wide in a %dpx viewport; too wide: %s", pg.path, w.ScrollWidth, w.InnerWidth, strings.Join(w.Wide, ", "))
		}
		if shoot(pg.name) {
			screenshot(pg.name+"-phone", 5000)
		}
	}

	// Dark.
	check(p.SetViewport(ctx, 1280, 900, 1, false))
	check(p.SetColorScheme(ctx, "dark"))
	for _, pg := range browserPages[:3] {
		load("dark", pg.path)
		var bg string
		check(p.Eval(ctx, `getComputedStyle(document.body).backgroundColor`, &bg))
		if bg == "rgb(255, 255, 255)" || bg == "" {
			t.Errorf("dark /%s: the body's background is %q: the dark colour scheme is not applied", pg.path, bg)
		}
		if shoot(pg.name) {
			screenshot(pg.name+"-dark", 6000)
		}
	}
	abs, _ := filepath.Abs(shots)
	t.Logf("screenshots in %s", abs)
}
