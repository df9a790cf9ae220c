package site_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/browser"
	"github.com/dronekb/dronekb/internal/build"
	"github.com/dronekb/dronekb/internal/server"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// axeVersion is the axe-core that .ci/run downloads, and the skip message
// tells how to get.
const axeVersion = "4.14.1"

// axeTags are the rules the audit runs: those of WCAG 2.0 and 2.1, levels
// A and AA, which is what the site promises, and axe's best practices.
// These are not WCAG's success criteria, but they check what screen reader
// users find their way by — one main landmark and one h1, landmarks with
// unique names, headings in order, all content inside a landmark — and
// every one of them is the theme's to get right on these pages.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// a11yPages are the pages the audit loads: one of every kind the site has.
// wait, when set, is a script that is true once the page is ready to be
// judged (the search page's answer is in).
var a11yPages = []struct {
	name, path, wait string
}{
	{"home", "", ""},
	{"agencies", "agencies/", ""},
	{"agencies, second page", "agencies/page/2/", ""},
	{"vendors", "vendors/", ""},
	{"laws", "laws/", ""},
	{"incidents", "incidents/", ""},
	{"agency with a fleet and a tracker status", "agencies/nypd/", ""},
	// A citation followed: its source is highlighted (li:target), a state
	// axe sees only when the page is loaded with the fragment.
	{"agency with components, a citation followed", "agencies/us-dhs/#source-1", ""},
	{"vendor", "vendors/dji/", ""},
	{"law with provisions", "laws/american-security-drone-act/", ""},
	{"incident", "incidents/nypd-uas-launch-2018/", ""},
	{"countries", "countries/", ""},
	{"country", "countries/fr/", ""},
	{"region", "countries/us/ny/", ""},
	{"tags", "tags/", ""},
	{"tag", "tags/dji/", ""},
	{"timeline", "timeline/", ""},
	{"tracker", "tracker/", ""},
	{"tracker filtered in place", "tracker/?country=US&sort=evidence", ""},
	{"tracker view", "tracker/status/unknown/", ""},
	{"tracker view, second page", "tracker/country/us/page/2/", ""},
	{"tracker on a date", "tracker/on/2022-01-01/", ""},
	{"search", "search/", "window.dronekbSearch"},
	{"search with results", "search/?q=drone", `document.querySelector("#results li.hit")`},
	{"search with results, refined", "search/?q=drone&country=US", `document.querySelector("#facets [aria-pressed=true]")`},
	{"search with no result", "search/?q=zzxqvkj", `/^No entries match/.test(document.getElementById("search-status").textContent)`},
	{"about", "about/", ""},
	{"data", "data/", ""},
	{"not found", "no-such-page/", ""},
}

// axeFinding is one element axe found at fault: what axe said of it (in
// each scheme and size where that differs) and the pages where it was.
type axeFinding struct {
	rule, impact, help, url string
	target, html            string
	summaries, pages        []string
}

// TestAccessibility audits the shipped content's site with axe-core in
// headless Chromium, for the rules of WCAG 2.1 A and AA and axe's best
// practices (axeTags): every kind of page (a11yPages), in the light and
// the dark colour scheme, at a desktop and a phone width, and the search
// page without JavaScript, both as a static host serves it and with
// dronekb serve's answer written in. It fails on any violation, naming the
// rule, its impact, what to fix, the pages and the element (its selector
// and HTML).
//
// axe-core is not part of the repository: DRONEKB_AXE names its
// axe.min.js, which .ci/run downloads; without it the test skips and
// says how to get it.
func TestAccessibility(t *testing.T) {
	axe := loadAxe(t)
	if _, err := browser.Path(); err != nil {
		t.Skipf("skipping the accessibility audit: %v (apt-get install chromium)", err)
	}
	if testing.Short() {
		t.Skip("skipping the accessibility audit in -short mode")
	}

	// The whole build, search indexes included, served as dronekb serve
	// serves it: the search page then answers without JavaScript, and a
	// missing page gets the site's 404 page.
	dir := t.TempDir()
	cfg := build.Config{Content: sitetest.ShippedContent(t), Out: filepath.Join(dir, "public"), Index: filepath.Join(dir, "index"), AsOf: sitetest.AsOf, PageSize: 12}
	res, err := build.Run(t.Context(), cfg, build.SearchIndex)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	base := res.Site.BasePath()
	srv := server.New(server.Config{Out: cfg.Out, Index: cfg.Index, BasePath: base})
	defer srv.Close()
	if err := srv.SyncIndex(); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	static := httptest.NewServer(sitetest.StaticHost(cfg.Out, base))
	defer static.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()
	p := newPage(ctx, t)
	check := fatalIf(t)

	findings := map[string]*axeFinding{}
	var order []string
	audited, version := 0, ""
	// audit loads url, waits for wait, and runs axe on the page. With
	// noScript the page loads with JavaScript off, as a reader without it
	// gets it; scripts are turned back on only for axe, which needs timers
	// (the page's own scripts, skipped while it loaded, do not run then).
	audit := func(mode, url, path, wait string, noScript bool) {
		t.Helper()
		if noScript {
			check(p.SetScripts(ctx, false))
		}
		check(p.Navigate(ctx, url))
		if noScript {
			check(p.SetScripts(ctx, true))
			var ran bool
			check(p.Eval(ctx, `!!window.dronekbSearch`, &ran))
			if ran {
				t.Fatalf("%s /%s: the page's script ran", mode, path)
			}
		}
		if wait != "" {
			if err := p.WaitFor(ctx, wait); err != nil {
				t.Fatalf("%s /%s: %v; console: %q", mode, path, err, p.Errors())
			}
		}
		check(p.Settle(ctx))
		check(p.Eval(ctx, axe+"\n;axe.version", &version))
		var vs []struct {
			ID, Impact, Help, HelpURL string
			Nodes                     []struct{ Target, HTML, Summary string }
		}
		err := p.Eval(ctx, `axe.run(document, {runOnly: {type: "tag", values: `+jsList(axeTags)+`}, resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
			id: v.id, impact: v.impact || "", help: v.help, helpURL: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target.flat(Infinity).join(" >>> "), html: n.html, summary: n.failureSummary || ""})),
		})))`, &vs)
		if err != nil {
			t.Fatalf("%s /%s: running axe: %v", mode, path, err)
		}
		audited++
		for _, v := range vs {
			for _, n := range v.Nodes {
				key := strings.Join([]string{v.ID, n.Target, n.HTML}, "\x00")
				f := findings[key]
				if f == nil {
					f = &axeFinding{rule: v.ID, impact: v.Impact, help: v.Help, url: v.HelpURL, target: n.Target, html: n.HTML}
					findings[key] = f
					order = append(order, key)
				}
				if !slices.Contains(f.summaries, n.Summary) {
					f.summaries = append(f.summaries, n.Summary)
				}
				f.pages = append(f.pages, mode+" /"+path)
			}
		}
	}

	for _, size := range viewports {
		check(p.SetViewport(ctx, size.width, size.height, size.scale, size.mobile))
		for _, scheme := range []string{"light", "dark"} {
			check(p.SetColorScheme(ctx, scheme))
			mode := size.name + " " + scheme
			for _, pg := range a11yPages {
				audit(mode, hs.URL+base+pg.path, pg.path, pg.wait, false)
			}
			// Without JavaScript: the search page as a plain host serves
			// it, with its advice for a reader without script shown, and
			// with dronekb serve's answer written in.
			audit(mode+" no-script", static.URL+base+"search/", "search/", `document.querySelector(".noscript")?.getClientRects().length`, true)
			audit(mode+" no-script", hs.URL+base+"search/?q=drone", "search/?q=drone", `document.querySelector("#results li")`, true)
			audit(mode+" no-script", hs.URL+base+"search/?q=zzxqvkj", "search/?q=zzxqvkj", `document.getElementById("search-status").textContent`, true)
		}
	}
	check(p.SetColorScheme(ctx, "light"))

	// One report for each element at fault, with every page it is on.
	sort.SliceStable(order, func(i, j int) bool { return findings[order[i]].rule < findings[order[j]].rule })
	for _, key := range order {
		f := findings[key]
		pages := f.pages
		if len(pages) > 8 {
			pages = append(pages[:8:8], fmt.Sprintf("and %d more", len(f.pages)-8))
		}
		t.Errorf("%s (%s): %s\n  element: %s\n  html: %s\n  %s\n  on: %s\n  see %s",
			f.rule, f.impact, f.help, f.target, f.html, strings.ReplaceAll(strings.Join(f.summaries, "\n"), "\n", "\n  "), strings.Join(pages, ", "), f.url)
	}
	t.Logf("axe-core %s audited %d page loads for %s: %d elements at fault", version, audited, strings.Join(axeTags, ", "), len(findings))
}

// loadAxe returns the source of axe-core's axe.min.js, which DRONEKB_AXE
// names, or skips the test saying how to get it.
func loadAxe(t *testing.T) string {
	t.Helper()
	how := "download it with: curl -sL https://registry.npmjs.org/axe-core/-/axe-core-" + axeVersion + ".tgz | tar -xz -C /tmp package/axe.min.js, then DRONEKB_AXE=/tmp/package/axe.min.js go test -run TestAccessibility ./internal/site/ (.ci/run does this)"
	path := os.Getenv("DRONEKB_AXE")
	if path == "" {
		t.Skip("skipping the accessibility audit: DRONEKB_AXE does not name axe-core's axe.min.js; " + how)
	}
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("skipping the accessibility audit: DRONEKB_AXE=%s does not exist; %s", path, how)
	}
	if err != nil {
		t.Fatal(err)
	}
	// axe.min.js opens with "/*! axe v4.14.1": the audit is pinned to one
	// version, as .ci/run's download is, since a new one adds rules.
	head := string(src[:min(len(src), 64)])
	if !strings.HasPrefix(head, "/*! axe v") {
		t.Fatalf("DRONEKB_AXE=%s is not axe-core's axe.min.js; %s", path, how)
	}
	if v, _, _ := strings.Cut(strings.TrimPrefix(head, "/*! axe v"), "\n"); strings.TrimSpace(v) != axeVersion {
		t.Fatalf("DRONEKB_AXE=%s is axe-core %s; the audit is pinned to %s (axeVersion here and AXE_VERSION in .ci/run change together); %s", path, strings.TrimSpace(v), axeVersion, how)
	}
	return string(src)
}

func jsList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
