package site_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/browser"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// browserPages are the pages the browser test loads: one of each kind.
var browserPages = []struct{ name, path string }{
	{"home", ""},
	{"tracker", "tracker/"},
	{"agency-nypd", "agencies/nypd/"},
	// Its fleet's latest report is old: the badge saying so must wrap.
	{"agency-fbi", "agencies/fbi/"},
	{"law", "laws/american-security-drone-act/"},
	{"vendor", "vendors/dji/"},
	{"incident", "incidents/nypd-uas-launch-2018/"},
	{"agencies", "agencies/"},
	{"country", "countries/fr/"},
	{"countries", "countries/"},
	{"region", "countries/us/ny/"},
	{"timeline", "timeline/"},
	{"data", "data/"},
	{"tracker-filtered", "tracker/country/us/"},
	{"tracker-on-date", "tracker/on/2022-01-01/"},
	// Lists of 12 entries a page in this test (Options.PageSize), so that
	// the agencies' second page has a group continued and a pager.
	{"agencies-page-2", "agencies/page/2/"},
	// And a tracker view of 12 agencies a page.
	{"tracker-filtered-page-2", "tracker/country/us/page/2/"},
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
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{PageSize: 12})
	srv := httptest.NewServer(sitetest.StaticHost(s.Dir, s.Base))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 6*time.Minute)
	defer cancel()
	p := newPage(ctx, t)
	check := fatalIf(t)
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
	// lowContrast reports the shapes in the page's pictures (map areas,
	// the tracker over time's columns, timelines' stretches, legends'
	// swatches) that a reader with low vision could not make out against
	// what is behind them: neither their fill nor their outline has the
	// 3:1 contrast of WCAG 1.4.11.
	lowContrast := func(mode, path string) {
		t.Helper()
		var bad []string
		check(p.Eval(ctx, `(() => {
			const rgb = c => { const m = /rgba?\(([^)]*)\)/.exec(c || ""); if (!m) return null; const v = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return v.length > 3 && v[3] < 1 ? null : v; };
			const lum = v => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }; return 0.2126 * f(v[0]) + 0.7152 * f(v[1]) + 0.0722 * f(v[2]); };
			const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
			const behind = el => { for (let e = el.closest("svg").parentElement; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c) return c; } return [255, 255, 255]; };
			const bad = [];
			for (const el of document.querySelectorAll('svg.map path:not([data-status="none"]), svg.chart rect[data-status], svg.timeline-chart rect[data-kind], svg.swatch rect')) {
				const cs = getComputedStyle(el), bg = behind(el);
				const fill = rgb(cs.fill), stroke = rgb(cs.stroke);
				let best = fill ? ratio(fill, bg) : 0;
				// An outline counts when it is drawn at least a pixel wide
				// on the screen, whatever the picture's scale.
				const width = parseFloat(cs.strokeWidth) * (cs.vectorEffect === "non-scaling-stroke" ? 1 : Math.abs(el.getScreenCTM()?.a || 0));
				if (stroke && width >= 1 && parseFloat(cs.strokeOpacity) === 1) best = Math.max(best, ratio(stroke, bg));
				if (best < 3) bad.push((el.dataset.status || el.dataset.kind || el.closest("li")?.textContent.trim() || el.tagName) + " " + cs.fill + " outline " + cs.stroke + " against rgb(" + bg.join(", ") + "): " + best.toFixed(2) + ":1");
			}
			return [...new Set(bad)];
		})()`, &bad))
		for _, b := range bad {
			t.Errorf("%s /%s: a picture's shape is hard to make out: %s", mode, path, b)
		}
	}
	shoot := func(name string) bool {
		return name == "home" || name == "agency-nypd" || name == "agencies-page-2" || name == "tracker-filtered-page-2"
	}

	// Desktop, light.
	check(p.SetViewport(ctx, 1280, 900, 1, false))
	check(p.SetColorScheme(ctx, "light"))
	for _, pg := range browserPages {
		load("desktop", pg.path)
		lowContrast("desktop", pg.path)
		var h1 string
		check(p.Eval(ctx, `document.querySelector("h1") ? document.querySelector("h1").textContent : ""`, &h1))
		if strings.TrimSpace(h1) == "" {
			t.Errorf("desktop /%s: no h1 text", pg.path)
		}
		// At a desktop's width no table scrolls sideways. The tracker's
		// did on every page with old evidence: the label saying how old
		// stayed on one line, so the table was wider than the page, its
		// last column cut off, and each sort painted all of it again.
		var wide []string
		check(p.Eval(ctx, `[...document.querySelectorAll(".table-scroll")].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => (e.getAttribute("aria-labelledby") || e.getAttribute("aria-label")) + ": " + e.scrollWidth + "px in " + e.clientWidth + "px")`, &wide))
		for _, w := range wide {
			t.Errorf("desktop /%s: a table scrolls sideways at 1280px: %s", pg.path, w)
		}
		// Nor does a cell's text run down a narrow column for screens
		// beside empty space: ASDA's exemptions, in a 204px column, ran
		// 68 lines, and its Provisions table was 3,737px tall (found in
		// an audit). The tallest cells elsewhere run about 25 lines.
		var towers []string
		check(p.Eval(ctx, `[...document.querySelectorAll("table")].flatMap(t => [...t.querySelectorAll("th, td")].flatMap(c => {
			const r = document.createRange(); r.selectNodeContents(c);
			const lines = r.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight), w = c.getBoundingClientRect().width, tw = t.getBoundingClientRect().width;
			return lines > 40 && w < tw / 2 ? [Math.round(lines) + " lines in " + Math.round(w) + "px of a " + Math.round(tw) + "px table: “" + c.textContent.trim().slice(0, 60) + "…”"] : [];
		}))`, &towers))
		for _, c := range towers {
			t.Errorf("desktop /%s: a table's cell is a narrow tower: %s", pg.path, c)
		}
		if shoot(pg.name) {
			screenshot(pg.name, 6000)
		}
	}

	// Phone, and the 320px of WCAG's reflow (a 1280px window at 400%).
	for _, width := range []int{390, 320} {
		check(p.SetViewport(ctx, width, 844, 2, true))
		for _, pg := range browserPages {
			load("phone", pg.path)
			w, err := p.Overflow(ctx)
			check(err)
			if w.Overflows() {
				t.Errorf("phone /%s: the page is %dpx wide in a %dpx viewport; too wide: %s", pg.path, w.ScrollWidth, w.InnerWidth, strings.Join(w.Wide, ", "))
			}
			if shoot(pg.name) && width == 390 {
				screenshot(pg.name+"-phone", 5000)
			}
		}
	}

	// Dark.
	check(p.SetViewport(ctx, 1280, 900, 1, false))
	check(p.SetColorScheme(ctx, "dark"))
	for _, pg := range browserPages {
		load("dark", pg.path)
		lowContrast("dark", pg.path)
		var bg string
		check(p.Eval(ctx, `getComputedStyle(document.body).backgroundColor`, &bg))
		if bg == "rgb(255, 255, 255)" || bg == "" {
			t.Errorf("dark /%s: the body's background is %q: the dark colour scheme is not applied", pg.path, bg)
		}
		if shoot(pg.name) {
			screenshot(pg.name+"-dark", 6000)
		}
	}
	check(p.SetColorScheme(ctx, "light"))

	// The pictures and the working tracker, at desktop and phone sizes.
	shotOf := func(name, selector string) {
		t.Helper()
		png, err := p.ElementScreenshot(ctx, selector)
		check(err)
		check(os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644))
	}
	// rows returns the agencies the tracker table shows, in order: those
	// the reader sees, whatever the script meant to hide (on a phone the
	// rows' display once showed hidden rows).
	const shown = `Array.from(document.querySelectorAll("#tracker-table tbody tr")).filter(r => r.getClientRects().length > 0)`
	rows := func() []string {
		t.Helper()
		var out []string
		check(p.Eval(ctx, shown+`.map(r => r.querySelector("th a").getAttribute("href"))`, &out))
		return out
	}
	// latestInView reports where the tracker over time's columns are not
	// all in its box, or its latest out of view: on a phone the chart
	// scrolls in its box, and opened on its oldest years, the present off
	// to the right (found in an audit).
	latestInView := func(mode, path string) {
		t.Helper()
		var got struct {
			Left, Right, First, Last float64
			Scrolls                  bool
		}
		check(p.Eval(ctx, `(() => {
			const box = document.querySelector("#over-time .chart-box"), r = box.getBoundingClientRect();
			const cols = [...box.querySelectorAll("svg.chart rect[data-status]")].map((c) => c.getBoundingClientRect());
			return {left: r.left, right: r.right, first: Math.min(...cols.map((c) => c.left)), last: Math.max(...cols.map((c) => c.right)), scrolls: box.scrollWidth > box.clientWidth};
		})()`, &got))
		if got.Last > got.Right+1 || got.Last < got.Left || !got.Scrolls && got.First < got.Left-1 {
			t.Errorf("%s /%s: the tracker over time shows %.0f-%.0fpx; its columns run from %.0f to %.0fpx: the latest are out of view", mode, path, got.Left, got.Right, got.First, got.Last)
		}
	}
	for _, size := range viewports {
		check(p.SetViewport(ctx, size.width, size.height, size.scale, size.mobile))
		load(size.name, "")
		latestInView(size.name, "")
		var areas int
		check(p.Eval(ctx, `document.querySelectorAll("#map-world svg.map a").length`, &areas))
		if areas == 0 {
			t.Errorf("%s: the home page's map links no area", size.name)
		}
		shotOf("map-"+size.name, "#map-world")
		load(size.name, "tracker/")
		var columns int
		check(p.Eval(ctx, `document.querySelectorAll("#over-time svg.chart rect").length`, &columns))
		if columns == 0 {
			t.Errorf("%s: the tracker over time draws no column", size.name)
		}
		latestInView(size.name, "tracker/")
		shotOf("chart-"+size.name, "#over-time")

		// Filtered and sorted in place by the address.
		load(size.name, "tracker/?country=US&sort=evidence")
		filtered := rows()
		var countries []string
		check(p.Eval(ctx, shown+`.map(r => r.dataset.country)`, &countries))
		var ages []int
		check(p.Eval(ctx, shown+`.map(r => Number(r.dataset.age))`, &ages))
		if len(filtered) == 0 {
			t.Fatalf("%s: no row for ?country=US", size.name)
		}
		for i, c := range countries {
			if c != "US" {
				t.Errorf("%s: ?country=US shows a row of %s", size.name, c)
			}
			if i > 0 && ages[i-1] >= 0 && (ages[i] >= 0 && ages[i] < ages[i-1]) {
				t.Errorf("%s: ?sort=evidence puts evidence %d months old after %d", size.name, ages[i], ages[i-1])
			}
		}
		// The counts by status are the shown agencies', not the whole
		// tracker's under "filtered by".
		var mismatch []string
		check(p.Eval(ctx, `Array.from(document.querySelectorAll(".status-counts li[id^='st-']")).flatMap(li => {
			const want = `+shown+`.filter(r => r.dataset.status === li.id.slice(3)).length, got = Number(li.querySelector("strong").textContent);
			return got === want ? [] : [li.id + ": " + got + " counted, " + want + " shown"];
		})`, &mismatch))
		for _, m := range mismatch {
			t.Errorf("%s: ?country=US: %s", size.name, m)
		}
		// A status's count, clicked, shows that status among the
		// filter's agencies, in place.
		check(p.Click(ctx, `#st-unknown a`))
		var picked []string
		check(p.Eval(ctx, shown+`.map(r => r.dataset.country + " " + r.dataset.status)`, &picked))
		if len(picked) == 0 || slices.ContainsFunc(picked, func(s string) bool { return s != "US unknown" }) {
			t.Errorf("%s: ?country=US, then the unknown count clicked, shows %v", size.name, picked)
		}
		// An earlier date's table leaves out the agencies with no fleet
		// on record: the script keeps its counts as served. (On
		// 2020-01-01 the table is one page, which the script runs on.)
		served, err := http.Get(srv.URL + s.Base + "tracker/on/2020-01-01/")
		check(err)
		servedPage, err := io.ReadAll(served.Body)
		served.Body.Close()
		check(err)
		load(size.name, "tracker/on/2020-01-01/")
		var noRecord string
		check(p.Eval(ctx, `document.querySelector("#st-no-record strong").textContent`, &noRecord))
		if m := regexp.MustCompile(`<li id="st-no-record">.*?<strong>(\d+)</strong>`).FindSubmatch(servedPage); m == nil || string(m[1]) != noRecord || noRecord == "0" {
			t.Errorf("%s: /tracker/on/2020-01-01/ counts %s with no fleet on record once its script ran", size.name, noRecord)
		}
		load(size.name, "tracker/?country=US&sort=evidence")
		var sel string
		check(p.Eval(ctx, `document.getElementById("filter-country") ? document.getElementById("filter-country").value : ""`, &sel))
		if sel != "US" {
			t.Errorf("%s: the country filter shows %q, not US", size.name, sel)
		}
		shotOf("tracker-filtered-sorted-"+size.name, ".tracker-table")
		// A filter chosen in the page applies at once.
		load(size.name, "tracker/")
		all := rows()
		check(p.Eval(ctx, `(() => { const s = document.getElementById("filter-status"); s.value = "no-record"; s.dispatchEvent(new Event("change")); return s.value })()`, &sel))
		if n := len(rows()); n == 0 || n >= len(all) {
			t.Errorf("%s: choosing a status shows %d of %d rows", size.name, n, len(all))
		}
		// An address asking for a value no menu offers (a mistyped or
		// old link) leaves that filter out and says so, rather than show
		// an empty table under menus that read "any" (found in review).
		load(size.name, "tracker/?status=bogus&country=US")
		var said string
		check(p.Eval(ctx, `document.getElementById("table-status") ? document.getElementById("table-status").textContent : ""`, &said))
		if n := len(rows()); n == 0 || !strings.Contains(said, `The address asks for status “bogus”, which no agency has: that filter is left out.`) {
			t.Errorf("%s: /tracker/?status=bogus&country=US shows %d rows and says %q", size.name, n, said)
		}
		// Once a filter is chosen in the page, the address's is no longer
		// said (it is gone from the address).
		check(p.Eval(ctx, `(() => { const s = document.getElementById("filter-status"); s.value = "unknown"; s.dispatchEvent(new Event("change")); return document.getElementById("table-status").textContent })()`, &said))
		if strings.Contains(said, "bogus") {
			t.Errorf("%s: after choosing a status the page still says %q", size.name, said)
		}
		// Sorted in place, the "Sort by" links say which order is shown.
		check(p.Click(ctx, `.sorts a[data-sort="agency"]`))
		var current []string
		check(p.Eval(ctx, `Array.from(document.querySelectorAll(".sorts [aria-current]")).map(a => a.dataset.sort)`, &current))
		if strings.Join(current, " ") != "agency" {
			t.Errorf("%s: sorted by agency, the sort links mark %q as current", size.name, current)
		}
		// On a phone the header row is hidden: its sort buttons must not
		// take the focus, unseen.
		var focusable int
		check(p.Eval(ctx, `Array.from(document.querySelectorAll("#tracker-table thead button")).filter(b => b.tabIndex >= 0).length`, &focusable))
		if size.mobile && focusable != 0 || !size.mobile && focusable == 0 {
			t.Errorf("%s: %d of the header's sort buttons take the focus", size.name, focusable)
		}
	}

	// Without JavaScript the same views are pages, and show the same rows.
	check(p.SetViewport(ctx, 1280, 900, 1, false))
	withJS := map[string][]string{}
	for _, q := range []string{"tracker/?country=US", "tracker/?sort=evidence", "tracker/?status=unknown"} {
		load("js", q)
		withJS[q] = rows()
	}
	// Without script a reader gets the page as served: read its rows from
	// the HTML, and look at it in the browser with scripts off.
	// A view longer than a page goes on over pages: read them all,
	// through the pager's Next links.
	servedRows := func(path string) []string {
		t.Helper()
		var out []string
		for u, pages := s.Base+path, 0; u != "" && pages < 100; pages++ {
			resp, err := http.Get(srv.URL + u)
			check(err)
			doc, err := html.Parse(resp.Body)
			resp.Body.Close()
			check(err)
			out = append(out, trackerRows(doc)...)
			u = ""
			for _, a := range sitetest.Find(doc, atom.A) {
				if rel, _ := sitetest.Attr(a, "rel"); rel == "next" && inPager(a) {
					u, _ = sitetest.Attr(a, "href")
				}
			}
		}
		return out
	}
	for q, page := range map[string]string{"tracker/?country=US": "tracker/country/us/", "tracker/?sort=evidence": "tracker/sort/evidence/", "tracker/?status=unknown": "tracker/status/unknown/"} {
		if got := servedRows(page); strings.Join(got, " ") != strings.Join(withJS[q], " ") || len(got) == 0 {
			t.Errorf("/%s without JavaScript shows %v; /%s with it shows %v", page, got, q, withJS[q])
		}
	}
	// A view cut into pages is left as served, and its sort buttons and
	// filters take the reader to the whole table with the view's own
	// filter or order and the one chosen.
	// at waits up to 5 s for the page to be at want, and returns where it
	// is; while the page changes, a script may find no page to run in.
	at := func(want string) string {
		var u string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
			if err := p.Eval(ctx, `location.pathname + location.search`, &u); err == nil && u == want && p.Settle(ctx) == nil {
				break
			}
		}
		return u
	}
	goesTo := func(from, action, want string) {
		t.Helper()
		load("js", from)
		if got, served := rows(), servedRows(from); len(got) == 0 || len(got) >= len(served) || strings.Join(got, " ") != strings.Join(served[:len(got)], " ") {
			t.Errorf("/%s with JavaScript shows %v; its first page as served starts %v", from, got, served)
		}
		check(p.Eval(ctx, action, nil))
		if u := at(s.Base + want); u != s.Base+want {
			t.Errorf("/%s: %s went to %s, want /%s", from, action, u, want)
		}
		if got := rows(); len(got) == 0 {
			t.Errorf("/%s: the whole table shows no row", want)
		}
	}
	goesTo("tracker/country/us/", `document.querySelector("#tracker-table th[data-sort=agency] button").click()`, "tracker/?country=US&sort=agency")
	goesTo("tracker/sort/evidence/", `(() => { const s = document.getElementById("filter-status"); s.value = "unknown"; s.dispatchEvent(new Event("change")) })()`, "tracker/?status=unknown&sort=evidence")

	// A view on one page is its own order with JavaScript too, and keeps
	// its address.
	whole := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{PageSize: 1 << 30})
	srv2 := httptest.NewServer(sitetest.StaticHost(whole.Dir, whole.Base))
	defer srv2.Close()
	for _, view := range []string{"tracker/sort/agency/", "tracker/sort/country/", "tracker/country/us/"} {
		p.ResetConsole()
		check(p.Navigate(ctx, srv2.URL+whole.Base+view))
		check(p.Settle(ctx))
		want := trackerRows(parseFile(t, filepath.Join(whole.Dir, filepath.FromSlash(view), "index.html")))
		if got := rows(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("/%s on one page, with JavaScript, shows %v; served, %v", view, got, want)
		}
		var u string
		check(p.Eval(ctx, `location.pathname + location.search`, &u))
		if u != whole.Base+view {
			t.Errorf("/%s on one page: with JavaScript the address became %s", view, u)
		}
		for _, e := range p.Errors() {
			t.Errorf("/%s on one page: %s", view, e)
		}
	}

	check(p.SetScripts(ctx, false))
	p.ResetConsole()
	check(p.Navigate(ctx, srv.URL+s.Base+"tracker/country/us/"))
	png, err := p.FullScreenshot(ctx, 4000)
	check(err)
	check(os.WriteFile(filepath.Join(shots, "tracker-filtered-no-js.png"), png, 0o644))
	check(p.SetScripts(ctx, true))
	abs, _ := filepath.Abs(shots)
	t.Logf("screenshots in %s", abs)
}

// viewports are the screens the browser tests load pages at: a desktop's
// and a phone's.
var viewports = []struct {
	name          string
	width, height int
	scale         float64
	mobile        bool
}{{"desktop", 1280, 900, 1, false}, {"phone", 390, 844, 2, true}}

// fatalIf returns what ends the test t at an error of the page: the
// browser tests check each step this way.
func fatalIf(t *testing.T) func(error) {
	return func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// newPage starts Chromium and opens a page in it, closed when the test
// ends.
func newPage(ctx context.Context, t *testing.T) *browser.Page {
	t.Helper()
	b, err := browser.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// longFactsKB has an agency and a vendor whose websites are long
// addresses without a place to break.
const longFactsKB = `
-- vendors/aerofalke.md --
---
title: Aerofalke Flugsysteme
country: DE
website: https://www.aerofalke-flugsysteme.example/produkte/polizeidrohnen/index.html
---
-- agencies/bayern-polizei.md --
---
title: Bayerische Polizei
country: DE
region: DE-BY
level: state
kind: police
website: https://www.polizei.bayern.de/verkehr/drohnen/einsatzgrundsaetze/index.html
fleet:
  - vendor: aerofalke
    status: active
    as_of: 2026-03-14
    source: https://news.example.de/drohnen
sources:
  - url: https://news.example.de/drohnen
---
`

// TestFactsStayInTheirColumn: an entry's facts (country, level, website,
// tags) sit side by side in a grid; a long website address ran into the
// next column at desktop width, over its tags (found in review), because
// nothing let it break.
func TestFactsStayInTheirColumn(t *testing.T) {
	if _, err := browser.Path(); err != nil {
		t.Skipf("skipping the browser test: %v (apt-get install chromium)", err)
	}
	s := sitetest.BuildArchive(t, longFactsKB, site.Options{})
	srv := httptest.NewServer(sitetest.StaticHost(s.Dir, s.Base))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	p := newPage(ctx, t)
	for _, width := range []int{1200, 900, 390} {
		if err := p.SetViewport(ctx, width, 900, 1, width < 500); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"agencies/bayern-polizei/", "vendors/aerofalke/"} {
			if err := p.Navigate(ctx, srv.URL+s.Base+path); err != nil {
				t.Fatal(err)
			}
			if err := p.Settle(ctx); err != nil {
				t.Fatal(err)
			}
			// Each fact's text, measured against its own box.
			var out []string
			err := p.Eval(ctx, `Array.from(document.querySelectorAll(".facts dd")).flatMap(dd => {
				const r = document.createRange(); r.selectNodeContents(dd);
				const text = r.getBoundingClientRect(), box = dd.getBoundingClientRect();
				return text.right > box.right + 0.5 ? [dd.previousElementSibling.textContent + " runs " + Math.round(text.right - box.right) + "px past its column"] : [];
			})`, &out)
			if err != nil {
				t.Fatal(err)
			}
			var website int
			if err := p.Eval(ctx, `document.querySelectorAll(".facts dd a[href^='https://www.']").length`, &website); err != nil || website != 1 {
				t.Fatalf("%dpx /%s: %d website links among the facts (%v)", width, path, website, err)
			}
			for _, o := range out {
				t.Errorf("%dpx /%s: %s", width, path, o)
			}
		}
	}
}

// TestNavigationOnOneLine: at desktop widths the site's menu is one row.
// Lists were held to the text's measure, the menu's too, so "About" went
// to a second row alone at every width up to 1920px (found in review).
func TestNavigationOnOneLine(t *testing.T) {
	if _, err := browser.Path(); err != nil {
		t.Skipf("skipping the browser test: %v (apt-get install chromium)", err)
	}
	s := sitetest.BuildArchive(t, longFactsKB+"-- pages/about.md --\n---\ntitle: About\nsummary: What this is.\n---\nAbout.\n", site.Options{})
	srv := httptest.NewServer(sitetest.StaticHost(s.Dir, s.Base))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	p := newPage(ctx, t)
	for _, width := range []int{1024, 1280, 1920} {
		if err := p.SetViewport(ctx, width, 800, 1, false); err != nil {
			t.Fatal(err)
		}
		if err := p.Navigate(ctx, srv.URL+s.Base+"agencies/"); err != nil {
			t.Fatal(err)
		}
		if err := p.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		var rows []string
		if err := p.Eval(ctx, `(() => { const rows = new Map();
			for (const a of document.querySelectorAll(".site-header nav a")) {
				const top = Math.round(a.getBoundingClientRect().top);
				rows.set(top, (rows.get(top) || []).concat(a.textContent.trim()));
			}
			return [...rows.values()].map((r) => r.join(" "));
		})()`, &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || !strings.HasSuffix(rows[0], "Search About") {
			t.Errorf("%dpx: the menu runs to %d rows: %q; want one, ending in About", width, len(rows), rows)
		}
	}
}

// TestNoPageScrollsSideways loads every page of the shipped content's site,
// built for a publisher's absolute address under a subpath, on a 360px
// phone (a common Android width) and at WCAG's 320px reflow width, with
// every <details> open, and fails for each page wider than the screen,
// naming what sticks out. The "Cite this entry" paragraph gives the
// entry's absolute URL as its link text, which broke only at a hyphen: 48
// entry pages scrolled sideways at 360px (found in an audit); TestInBrowser,
// built without an absolute address, loads a page of each kind and had not
// seen it.
func TestNoPageScrollsSideways(t *testing.T) {
	if _, err := browser.Path(); err != nil {
		t.Skipf("skipping the browser test: %v (apt-get install chromium)", err)
	}
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{BaseURL: "https://dronefleetwatch.example.org/dronekb/"})
	srv := httptest.NewServer(sitetest.StaticHost(s.Dir, s.Base))
	defer srv.Close()
	pages := sitetest.HTMLFiles(t, s.Dir, s.Base)
	if len(pages) < 100 {
		t.Fatalf("the shipped site has %d pages; want every one", len(pages))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	p := newPage(ctx, t)
	check := fatalIf(t)
	for _, path := range pages {
		// Each page is loaded once, then measured at each width: a
		// change of viewport lays the page out again, media queries
		// and all.
		check(p.SetViewport(ctx, 360, 800, 2, true))
		check(p.Navigate(ctx, srv.URL+path))
		check(p.Eval(ctx, `document.querySelectorAll("details").forEach(d => d.open = true)`, nil))
		for _, width := range []int{360, 320} {
			check(p.SetViewport(ctx, width, 800, 2, true))
			w, err := p.Overflow(ctx)
			check(err)
			if w.Overflows() {
				t.Errorf("%s: the page is %dpx wide on a %dpx phone; too wide: %s", path, w.ScrollWidth, w.InnerWidth, strings.Join(w.Wide, ", "))
			}
		}
	}
}
