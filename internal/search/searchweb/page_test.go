package searchweb_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/browser"
	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/search/searchtest"
	"github.com/dronekb/dronekb/internal/server"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// serve runs the dronekb server over a built site and its bleve index.
func (b *built) serve(t testing.TB) string {
	t.Helper()
	idx, err := search.Open(b.index)
	if err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Config{Out: b.out, BasePath: b.base})
	s.SetIndex(idx)
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return srv.URL
}

// hits is what the page shows.
type hits struct {
	Status string     `json:"status"`
	Titles []string   `json:"titles"`
	Meta   []string   `json:"meta"`
	Marks  int        `json:"marks"`
	Facets [][]string `json:"facets"` // facet, value, label, pressed
	URL    string     `json:"url"`
	More   string     `json:"more"`
	// Download is the words of the link (behind serve) or button (on a
	// static host) that downloads the hits as CSV, and Href the link's.
	Download string `json:"download"`
	Href     string `json:"href"`
}

const readPage = `(() => ({
	status: document.getElementById("search-status").textContent,
	titles: [...document.querySelectorAll("#results li.hit h3 a")].map((a) => a.textContent),
	meta: [...document.querySelectorAll("#results li.hit .hit-meta")].map((p) => p.textContent),
	marks: document.querySelectorAll("#results .snippet mark").length,
	facets: [...document.querySelectorAll("#facets button[data-facet]")].map((b) => [b.dataset.facet, b.dataset.value, b.textContent, b.getAttribute("aria-pressed")]),
	url: location.search,
	more: (document.querySelector("#results .more") || {}).textContent || "",
	download: (document.querySelector("#results .search-download a, #results .search-download button") || {}).textContent || "",
	href: (document.querySelector("#results .search-download a") || { getAttribute: () => "" }).getAttribute("href") || "",
}))()`

func read(t *testing.T, p *browser.Page) hits {
	t.Helper()
	var h hits
	eval(t, p, readPage, &h)
	return h
}

// waitStatus waits until the live region announces a result that differs
// from before.
func waitStatus(t *testing.T, p *browser.Page, before string) hits {
	t.Helper()
	ctx := ctxFor(t, 30*time.Second)
	expr := `(() => { const s = document.getElementById("search-status").textContent; return s !== "" && s !== ` + jsString(before) + ` })()`
	if err := p.WaitFor(ctx, expr); err != nil {
		t.Fatalf("%v; page: %+v; console: %q", err, read(t, p), p.Errors())
	}
	return read(t, p)
}

var countRE = regexp.MustCompile(`^(\d+) entries match|^1 entry matches`)

// exercise types a query, checks results and facet counts, narrows with a
// facet by mouse and by keyboard, pages, and reloads a shared URL.
func exercise(t *testing.T, pageURL, wantMode string) {
	p := openSearch(t, pageURL)
	ctx := ctxFor(t, 60*time.Second)
	var mode string
	eval(t, p, "dronekbSearch.ready", &mode)
	if mode != wantMode {
		t.Fatalf("search.js runs in %q mode, want %q", mode, wantMode)
	}

	// Type, as a visitor does: results, marks and facet counts appear.
	if err := p.Type(ctx, "#q", "drones"); err != nil {
		t.Fatal(err)
	}
	h := waitStatus(t, p, "")
	if !countRE.MatchString(h.Status) || len(h.Titles) == 0 {
		t.Fatalf("after typing: %+v", h)
	}
	if h.Marks == 0 {
		t.Errorf("no <mark> in the snippets: %+v", h)
	}
	counted := regexp.MustCompile(`^.+ \(\d+\)$`)
	types := 0
	for _, f := range h.Facets {
		if !counted.MatchString(f[2]) || f[3] != "false" {
			t.Errorf("facet button %q", f)
		}
		if f[0] == "type" {
			types++
		}
		// Vendors by name: the dji facet says DJI.
		if f[0] == "vendor" && f[1] == "dji" && !strings.HasPrefix(f[2], "DJI ") {
			t.Errorf("the vendor facet for dji says %q, not its name", f[2])
		}
	}
	if types < 2 {
		t.Fatalf("want at least two type facets, got %q", h.Facets)
	}
	if !strings.Contains(h.URL, "q=drones") {
		t.Errorf("the URL %q does not carry the query", h.URL)
	}
	// The hits download as CSV: from the API behind serve, written by
	// the page from the static index on a static host.
	if m := countRE.FindStringSubmatch(h.Status); m == nil || h.Download != "Download the "+m[1]+" matches as CSV" {
		t.Errorf("the download says %q where the status says %q", h.Download, h.Status)
	}
	if wantMode == "api" && !regexp.MustCompile(`api/search\?q=drones&format=csv$`).MatchString(h.Href) {
		t.Errorf("behind serve, the download links to %q", h.Href)
	}
	if wantMode == "static" && h.Href != "" {
		t.Errorf("on a static host, the download is a link to %q", h.Href)
	}

	// Click "Agency": only agencies remain, and the form and URL say so.
	if err := p.Click(ctx, `#facets button[data-facet="type"][data-value="agency"]`); err != nil {
		t.Fatal(err)
	}
	h2 := waitStatus(t, p, h.Status)
	if len(h2.Meta) == 0 {
		t.Fatalf("no agencies: %+v", h2)
	}
	for _, m := range h2.Meta {
		if !strings.HasPrefix(m, "Agency") {
			t.Errorf("after choosing Agency, a hit is %q", m)
		}
	}
	var checked bool
	eval(t, p, `document.querySelector('#search-form input[name=type][value=agency]').checked`, &checked)
	if !checked || !strings.Contains(h2.URL, "type=agency") {
		t.Errorf("the form (%v) or the URL (%q) does not show the type filter", checked, h2.URL)
	}
	// The type facet still offers the other types (OR within a facet).
	others := 0
	for _, f := range h2.Facets {
		if f[0] == "type" && f[1] != "agency" {
			others++
		}
		if f[0] == "type" && f[1] == "agency" && f[3] != "true" {
			t.Errorf("the Agency facet is not pressed: %q", f)
		}
	}
	if others == 0 {
		t.Errorf("with Agency chosen, no other type is offered: %q", h2.Facets)
	}

	// With the keyboard: focus "Agency" and press Enter to drop it again.
	eval(t, p, `document.querySelector('#facets button[data-facet="type"][data-value="agency"]').focus()`, nil)
	if err := p.Press(ctx, "Enter"); err != nil {
		t.Fatal(err)
	}
	h3 := waitStatus(t, p, h2.Status)
	if h3.Status != h.Status || strings.Contains(h3.URL, "type=") {
		t.Errorf("after Enter on the pressed facet: %q (%q), want %q", h3.Status, h3.URL, h.Status)
	}
	var focused string
	eval(t, p, `document.activeElement.dataset.value || document.activeElement.tagName`, &focused)
	if focused != "agency" {
		t.Errorf("focus moved to %q, want it to stay on the facet", focused)
	}

	// Page on with "More results".
	if h3.More != "" {
		n := len(h3.Titles)
		if err := p.Click(ctx, "#results .more"); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitFor(ctx, `document.querySelectorAll("#results li.hit").length > `+strconv.Itoa(n)); err != nil {
			t.Fatal(err)
		}
	}

	// A shared URL restores the search.
	shared := strings.Split(pageURL, "?")[0] + "?q=drones&type=law"
	p2 := openSearch(t, shared)
	// Wait for the script's own answer (its facets), not the one the
	// server writes into the page for readers without script.
	if err := p2.WaitFor(ctx, `document.querySelectorAll("#facets button[data-facet]").length > 0`); err != nil {
		t.Fatalf("no facets: %v; page: %+v", err, read(t, p2))
	}
	h4 := read(t, p2)
	t.Logf("shared URL: %q, %d hits", h4.Status, len(h4.Meta))
	if len(h4.Meta) == 0 {
		t.Fatalf("the shared URL shows nothing: %+v", h4)
	}
	for _, m := range h4.Meta {
		if !strings.HasPrefix(m, "Law") {
			t.Errorf("from ?type=law, a hit is %q", m)
		}
	}
	var q string
	eval(t, p2, `document.getElementById("q").value`, &q)
	if q != "drones" {
		t.Errorf("the search box shows %q", q)
	}
	// The tab, the history and a bookmark name the words, once (behind
	// serve the page came with them in its title already), and follow a
	// new search.
	var title string
	eval(t, p2, `document.title`, &title)
	if !strings.HasPrefix(title, "drones — Search · ") {
		t.Errorf("the page's title is %q", title)
	}
	before := read(t, p2).Status
	eval(t, p2, `(() => { const q = document.getElementById("q"); q.value = "police"; q.dispatchEvent(new Event("input", {bubbles: true})); })()`, nil)
	waitStatus(t, p2, before)
	eval(t, p2, `document.title`, &title)
	if !strings.HasPrefix(title, "police — Search · ") {
		t.Errorf("after searching for police, the page's title is %q", title)
	}

	// Filter values in another case than the index's are the facets
	// they name, pressed, with their counts: not values of their own
	// beside them with none.
	p3 := openSearch(t, strings.Split(pageURL, "?")[0]+"?q=drones&country=us&vendor=DJI")
	// Behind dronekb serve the page comes with the server's answer for
	// readers without script; the facets are the script's.
	if err := p3.WaitFor(ctx, `document.querySelectorAll("#facets button[data-facet]").length > 0`); err != nil {
		t.Fatalf("no facets: %v; page: %+v", err, read(t, p3))
	}
	h6 := read(t, p3)
	pressed := map[string]string{}
	for _, f := range h6.Facets {
		if f[0] == "country" || f[0] == "vendor" {
			if f[3] == "true" {
				pressed[f[0]] = f[1] + " " + f[2]
			}
			if strings.HasSuffix(f[2], "(0)") {
				t.Errorf("?country=us&vendor=DJI shows a facet with no hits: %q", f)
			}
		}
	}
	if !strings.HasPrefix(pressed["country"], "US ") || !strings.HasPrefix(pressed["vendor"], "dji DJI (") {
		t.Errorf("?country=us&vendor=DJI: pressed facets %q, want US and dji (DJI)", pressed)
	}

	// Dates from the form: what is dated within them, said in the
	// address; incidents and laws have dates, so the hits all show one.
	before = read(t, p2).Status
	eval(t, p2, `(() => { document.getElementById("q").value = "drones"; document.getElementById("f-since").value = "2020"; const u = document.getElementById("f-until"); u.value = "2021-06"; u.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil)
	hd := waitStatus(t, p2, before)
	if !strings.Contains(hd.URL, "since=2020") || !strings.Contains(hd.URL, "until=2021-06") || len(hd.Meta) == 0 {
		t.Errorf("since 2020 until 2021-06: %+v", hd)
	}
	// A hit's meta ends with its date, as the content gives it.
	dateRE := regexp.MustCompile(` · ([0-9]{4}(-[0-9]{2})?(-[0-9]{2})?)$`)
	for _, m := range hd.Meta {
		d := dateRE.FindStringSubmatch(m)
		if d == nil || d[1] < "2020" || d[1][:min(7, len(d[1]))] > "2021-06" {
			t.Errorf("since 2020 until 2021-06, a hit says %q", m)
		}
	}
	eval(t, p2, `(() => { document.getElementById("f-since").value = ""; const u = document.getElementById("f-until"); u.value = ""; u.dispatchEvent(new Event("change", {bubbles: true})); })()`, nil)
	waitStatus(t, p2, hd.Status)

	// A refused query says why.
	before = read(t, p2).Status
	eval(t, p2, `(() => { const q = document.getElementById("q"); q.value = "*rone"; q.dispatchEvent(new Event("input", {bubbles: true})); })()`, nil)
	h5 := waitStatus(t, p2, before)
	if !strings.Contains(h5.Status, "leading wildcards") {
		t.Errorf("for *rone the page says %q", h5.Status)
	}

	// French names are marked French in the results, as on the pages
	// (title_lang), so that a screen reader says them right; English
	// ones are not.
	p4 := openSearch(t, strings.Split(pageURL, "?")[0]+"?q=pr%C3%A9fecture&type=agency")
	if err := p4.WaitFor(ctx, `document.querySelectorAll("#facets button[data-facet]").length > 0`); err != nil {
		t.Fatalf("no facets: %v; page: %+v", err, read(t, p4))
	}
	var langs [][]string
	eval(t, p4, `[...document.querySelectorAll("#results li.hit h3 a")].map((a) => [a.textContent, a.getAttribute("lang") || ""])`, &langs)
	french := 0
	for _, l := range langs {
		frenchName := strings.HasPrefix(l[0], "Préfecture") || l[0] == "Gendarmerie nationale" // title_lang: fr
		if want := map[bool]string{true: "fr", false: ""}[frenchName]; l[1] != want {
			t.Errorf("the hit %q is marked lang=%q; want %q", l[0], l[1], want)
		}
		if l[1] == "fr" {
			french++
		}
	}
	if french == 0 {
		t.Errorf("no hit for préfecture is marked French: %q", langs)
	}

	for _, pg := range []*browser.Page{p, p2, p3, p4} {
		if errs := pg.Errors(); len(errs) > 0 {
			t.Errorf("console errors: %q", errs)
		}
	}

	// For people to look at: DRONEKB_SCREENSHOTS=dir.
	if dir := os.Getenv("DRONEKB_SCREENSHOTS"); dir != "" {
		png, err := p.Screenshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "search-"+wantMode+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPageStaticHost uses the search page from a plain static file
// server: search.js finds no API and searches the static index.
func TestPageStaticHost(t *testing.T) {
	sharedBrowser(t)
	b := shippedBuilt(t, "https://example.org/dronekb/")
	exercise(t, b.staticHost(t)+"/dronekb/search/", "static")
}

// TestPageServer uses it behind the dronekb server, which answers
// /api/search.
func TestPageServer(t *testing.T) {
	sharedBrowser(t)
	b := shippedBuilt(t, "")
	exercise(t, b.serve(t)+"/search/", "api")
}

// hostileKB has markup and script in every text a hit shows.
const hostileKB = `
-- vendors/evil.md --
---
title: "<img src=x onerror=window.pwned=1> Evil <script>window.pwned=2</script> drones"
summary: "A summary with <b>markup</b> & <svg onload=window.pwned=3> drones."
country: CN
---
Body text about drones with <iframe src="javascript:window.pwned=4"></iframe> and &lt;mark&gt; tags and </mark><img src=x onerror=window.pwned=5>.
`

// TestPageShowsHostileTextAsText searches a knowledge base whose entries
// carry markup, both ways, and checks that the page shows it as text and
// runs none of it.
func TestPageShowsHostileTextAsText(t *testing.T) {
	sharedBrowser(t)
	b := buildArchive(t, hostileKB, "")
	for mode, url := range map[string]string{"static": b.staticHost(t), "api": b.serve(t)} {
		p := openSearch(t, url+"/search/?q=drones")
		h := waitStatus(t, p, "")
		if len(h.Titles) != 1 || !strings.Contains(h.Titles[0], "<img src=x onerror=") {
			t.Errorf("%s: titles %q", mode, h.Titles)
		}
		var found struct {
			Elements int    `json:"elements"`
			Pwned    any    `json:"pwned"`
			Snippet  string `json:"snippet"`
		}
		eval(t, p, `({elements: document.querySelectorAll("#results img, #results script, #results iframe, #results svg, #results b").length,
			pwned: window.pwned || null, snippet: document.querySelector("#results .snippet").textContent})`, &found)
		if found.Elements != 0 || found.Pwned != nil {
			t.Errorf("%s: markup from the content became elements (%d) or ran (%v)", mode, found.Elements, found.Pwned)
		}
		if !strings.Contains(found.Snippet, "<") {
			t.Errorf("%s: the snippet %q lost the text of the markup", mode, found.Snippet)
		}
		if errs := p.Errors(); len(errs) > 0 {
			t.Errorf("%s: console errors: %q", mode, errs)
		}
	}
}

// TestScriptBuildsNoHTML: search.js never parses strings as HTML.
func TestScriptBuildsNoHTML(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sitetest.RepoRoot(t), "themes", "default", "static", "search.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", "createContextualFragment", "eval(", "new Function"} {
		if strings.Contains(string(data), bad) {
			t.Errorf("search.js uses %s", bad)
		}
	}
}

// TestPageWrapsALongQuery: a search for a long word, or a pasted address,
// that finds nothing is quoted in the page's message, which wraps on a
// phone rather than run past its width (200px past 375px, found in
// review).
func TestPageWrapsALongQuery(t *testing.T) {
	sharedBrowser(t)
	b := buildArchive(t, hostileKB, "")
	for mode, url := range map[string]string{"static": b.staticHost(t), "api": b.serve(t)} {
		p := openSearch(t, url+"/search/?q="+strings.Repeat("x", 60)+"+https://www.nyc.gov/site/nypd/about/about-nypd/equipment-tech/drones.page")
		ctx := ctxFor(t, 30*time.Second)
		if err := p.SetViewport(ctx, 375, 800, 2, true); err != nil {
			t.Fatal(err)
		}
		status := waitStatus(t, p, "").Status
		if !strings.Contains(status, strings.Repeat("x", 60)) {
			t.Fatalf("%s: the message %q does not quote the query", mode, status)
		}
		w, err := p.Overflow(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if w.Overflows() {
			t.Errorf("%s: the page is %dpx wide in a %dpx viewport: %s", mode, w.ScrollWidth, w.InnerWidth, strings.Join(w.Wide, ", "))
		}
	}
}

// TestPageMarksFrenchSnippets: a hit on an entry whose lang says it is
// written in French shows its snippet marked French, both ways (the API's
// hits say their text's language, the static index's documents have it),
// so that a screen reader says it with French sounds; an English entry's
// snippet is not marked, as the page is English, nor is that of an entry
// of France without lang, written in English.
func TestPageMarksFrenchSnippets(t *testing.T) {
	b := buildArchive(t, searchtest.LanguagesKB, "")
	api := b.serve(t)
	// Without its script, the page the server sends says the same.
	res, err := http.Get(api + "/search/?q=drones")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if n := strings.Count(string(page), `<p class="snippet" lang="fr">`); n != 1 || strings.Count(string(page), `<p class="snippet">`) != 2 {
		t.Errorf("the server's page marks %d snippets French, want the one of three: %s", n, page)
	}
	sharedBrowser(t)
	for mode, url := range map[string]string{"static": b.staticHost(t), "api": api} {
		p := openSearch(t, url+"/search/?q=drones")
		if h := waitStatus(t, p, ""); len(h.Titles) != 3 {
			t.Fatalf("%s: %d hits for drones, want the three agencies: %q", mode, len(h.Titles), h.Titles)
		}
		var got [][]string
		eval(t, p, `[...document.querySelectorAll("#results li.hit")].map((li) => [li.querySelector("h3 a").textContent, li.querySelector(".snippet").getAttribute("lang") || "", li.querySelector(".snippet").textContent])`, &got)
		for _, h := range got {
			want := map[bool]string{true: "fr", false: ""}[strings.HasPrefix(h[0], "Préfecture")]
			if h[1] != want {
				t.Errorf("%s: the snippet of %q (%q) is marked lang=%q; want %q", mode, h[0], h[2], h[1], want)
			}
			if !strings.Contains(h[2], "drones") {
				t.Errorf("%s: the snippet of %q is %q, without the word searched", mode, h[0], h[2])
			}
		}
	}
}

// TestPageSaysWhereItStops: paged to the deepest hit a search reaches
// (the 1000th), the page says the others are not listed and how to get
// them, both ways, where it stopped without a word (found in review).
func TestPageSaysWhereItStops(t *testing.T) {
	sharedBrowser(t)
	var archive strings.Builder
	for i := range 1005 {
		fmt.Fprintf(&archive, "-- vendors/maker-%04d.md --\n---\ntitle: Maker %04d\nsummary: A maker of gyroplanes.\ncountry: CN\n---\n", i, i)
	}
	b := buildArchive(t, archive.String(), "")
	for mode, url := range map[string]string{"static": b.staticHost(t), "api": b.serve(t)} {
		p := openSearch(t, url+"/search/?q=gyroplanes&sort=title")
		// The script's list, not the one serve wrote into the page.
		if err := p.WaitFor(ctxFor(t, 30*time.Second), `!!document.querySelector("#results button.more")`); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		var got struct {
			Shown int    `json:"shown"`
			More  bool   `json:"more"`
			Cap   string `json:"cap"`
			Data  string `json:"data"`
		}
		// Press "More results" until there is none.
		eval(t, p, `(async () => {
			for (let i = 0; i < 200; i++) {
				const more = document.querySelector("#results button.more");
				if (!more) break;
				const n = document.querySelectorAll("#results li.hit").length;
				more.click();
				for (let w = 0; w < 500 && document.querySelectorAll("#results li.hit").length === n; w++) await new Promise((r) => setTimeout(r, 10));
			}
			const cap = document.querySelector("#results .search-cap");
			return {shown: document.querySelectorAll("#results li.hit").length, more: !!document.querySelector("#results .more"),
				cap: cap ? cap.textContent : "", data: cap && cap.querySelector("a") ? cap.querySelector("a").getAttribute("href") : ""};
		})()`, &got)
		want := "Only the first 1000 of the 1005 matches are listed here. Narrow the search with words or filters to see the others. Every entry is in the downloads, and dronekb search --all lists every match from a built index."
		if got.Shown != 1000 || got.More || got.Cap != want || got.Data != "/data/" {
			t.Errorf("%s: %d hits shown, more %v, says %q (downloads at %q); want 1000, no more, %q at /data/", mode, got.Shown, got.More, got.Cap, got.Data, want)
		}
	}
}

// TestPageSaysWhyAFilterFindsNothing: a filter value typed into the
// address that no entry has is named in the page's status, both ways (the
// API's notes; the static index's own, in the same words), where it
// answered "No entries match" and no word why (found in review).
func TestPageSaysWhyAFilterFindsNothing(t *testing.T) {
	sharedBrowser(t)
	b := buildArchive(t, "-- vendors/maker.md --\n---\ntitle: Maker\nsummary: A maker of gyroplanes.\ncountry: CN\ntags: [gyroplanes]\n---\n", "")
	for mode, url := range map[string]string{"static": b.staticHost(t), "api": b.serve(t)} {
		p := openSearch(t, url+"/search/?q=gyroplanes&vendor=zzzzzz&tag=zzqx")
		if err := p.WaitFor(ctxFor(t, 30*time.Second), `document.getElementById("search-status").textContent.startsWith("No entries match")`); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		var status string
		eval(t, p, `document.getElementById("search-status").textContent`, &status)
		want := `No entries match “gyroplanes”. No vendor in the index is "zzzzzz". No entry in the index has the tag "zzqx".`
		if status != want {
			t.Errorf("%s: the status says %q; want %q", mode, status, want)
		}
		// A vendor's name is told the vendor filter, both ways alike.
		p = openSearch(t, url+"/search/?q=Maker")
		if err := p.WaitFor(ctxFor(t, 30*time.Second), `document.getElementById("search-status").textContent.startsWith("1 entry matches")`); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		eval(t, p, `document.getElementById("search-status").textContent`, &status)
		if want := `1 entry matches “Maker”. "maker" is a vendor: filter by vendor maker to keep the entries whose fleets, laws or incidents name it, not only those whose text does.`; status != want {
			t.Errorf("%s: the status says %q; want %q", mode, status, want)
		}
	}
}

// TestPageSaysWhatAFacetLeavesOut: a facet's list that stops at its most
// counted values says how many more there are, both ways, as the API's
// facets_left_out does: 60 of 70 vendors read as all of them (found in
// review).
func TestPageSaysWhatAFacetLeavesOut(t *testing.T) {
	sharedBrowser(t)
	var archive strings.Builder
	for i := range 70 {
		fmt.Fprintf(&archive, "-- vendors/maker-%02d.md --\n---\ntitle: Maker %02d\nsummary: A maker of gyroplanes.\ncountry: CN\n---\n", i, i)
	}
	b := buildArchive(t, archive.String(), "")
	for mode, url := range map[string]string{"static": b.staticHost(t), "api": b.serve(t)} {
		p := openSearch(t, url+"/search/?q=gyroplanes")
		if err := p.WaitFor(ctxFor(t, 30*time.Second), `!!document.querySelector("#facet-vendor")`); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		var got struct {
			Listed int    `json:"listed"`
			More   string `json:"more"`
		}
		eval(t, p, `(() => { const g = document.getElementById("facet-vendor").parentNode;
			const more = g.querySelector(".facet-more");
			return {listed: g.querySelectorAll("button[data-facet]").length, more: more ? more.textContent : ""}; })()`, &got)
		if got.Listed != 60 || got.More != "and 10 more (10)" {
			t.Errorf("%s: the vendor facet lists %d values and says %q; want 60 and %q", mode, got.Listed, got.More, "and 10 more (10)")
		}
	}
}

// TestPageShowsResultsFirstOnAPhone: on a phone the facets come shut, one
// line above the results, and open from the keyboard, staying open as the
// reader refines; at a desktop's width they are listed beside the results.
// Listed in full on a phone, they put the first result of "police france"
// 1,500px down (found in an audit).
func TestPageShowsResultsFirstOnAPhone(t *testing.T) {
	b := sharedBrowser(t)
	shipped := shippedBuilt(t, "https://example.org/dronekb/")
	url := shipped.staticHost(t) + "/dronekb/search/?q=police+france"
	ctx := ctxFor(t, 60*time.Second)
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(context.Background()) })
	type layout struct {
		Open, Focused, Summary string
		Shown, Buttons         int
		Facets, Gap            float64
	}
	const measure = `(() => {
		const f = document.getElementById("facets"), d = f.querySelector("details"), hit = document.querySelector("#results li.hit");
		const buttons = [...f.querySelectorAll("button[data-facet]")];
		return {open: d ? String(d.open) : "no details", summary: d ? d.querySelector("summary").textContent : "",
			shown: buttons.filter((b) => b.checkVisibility({visibilityProperty: true})).length, buttons: buttons.length,
			facets: f.getBoundingClientRect().height, gap: hit.getBoundingClientRect().top - f.getBoundingClientRect().bottom,
			focused: document.activeElement.dataset.value || document.activeElement.tagName};
	})()`
	load := func(width int, mobile bool) layout {
		t.Helper()
		if err := p.SetViewport(ctx, width, 844, 2, mobile); err != nil {
			t.Fatal(err)
		}
		if err := p.Navigate(ctx, url); err != nil {
			t.Fatal(err)
		}
		if err := p.WaitFor(ctx, `document.querySelector("#results li.hit") && document.querySelector("#facets button[data-facet]")`); err != nil {
			t.Fatalf("%dpx: no results or facets: %v; console: %q", width, err, p.Errors())
		}
		var l layout
		eval(t, p, measure, &l)
		return l
	}

	l := load(390, true)
	if l.Open != "false" || l.Shown != 0 || l.Buttons == 0 || l.Facets > 120 || l.Gap < 0 || l.Gap > 40 {
		t.Errorf("390px: the facets are %+v; want them shut, under 120px tall, and the first result right after them", l)
	}
	if l.Summary != "By type, country, vendor or status" {
		t.Errorf("390px: the shut facets say %q", l.Summary)
	}
	// Opened from the keyboard, the facets are next in the tab order.
	eval(t, p, `document.querySelector("#facets summary").focus()`, nil)
	if err := p.Press(ctx, "Enter"); err != nil {
		t.Fatal(err)
	}
	if err := p.Press(ctx, "Tab"); err != nil {
		t.Fatal(err)
	}
	eval(t, p, measure, &l)
	if l.Open != "true" || l.Shown != l.Buttons || l.Focused != "agency" {
		t.Errorf("390px: Enter on the summary, then Tab: %+v; want the facets open and the first (agency) focused", l)
	}
	// Refined, the facets stay open, the choice said, the focus kept.
	var before string
	eval(t, p, `document.getElementById("search-status").textContent`, &before)
	if err := p.Press(ctx, "Enter"); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, p, before)
	eval(t, p, measure, &l)
	if l.Open != "true" || l.Focused != "agency" || l.Summary != "By type, country, vendor or status (1 chosen)" {
		t.Errorf("390px: after choosing Agency: %+v; want the facets open, saying 1 chosen, and the focus on Agency", l)
	}

	l = load(1280, false)
	if l.Open != "no details" || l.Shown != l.Buttons || l.Buttons == 0 {
		t.Errorf("1280px: the facets are %+v; want them listed", l)
	}
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
