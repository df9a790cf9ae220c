package site_test

import (
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/kb"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
	"github.com/dronekb/dronekb/themes"
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
	read := func(rel string) string { return string(readFile(t, filepath.Join(s.Dir, filepath.FromSlash(rel)))) }
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

// TestNavMarksCurrentPage checks that the site's navigation marks the page
// a reader is on, and only it: the header of entry pages is rendered once
// for all the entries of a section, the site's other pages' each time.
func TestNavMarksCurrentPage(t *testing.T) {
	s := sitetest.BuildArchive(t, ownPagesKB, site.Options{BaseURL: "https://example.org/kb/"})
	for page, want := range map[string]string{
		"about/index.html":       `<a href="/kb/about/" aria-current="page">About</a>`,
		"tracker/index.html":     `<a href="/kb/tracker/" aria-current="page">Tracker</a>`,
		"vendors/index.html":     `<a href="/kb/vendors/" aria-current="page">Vendors</a>`,
		"vendors/dji/index.html": "",
		"index.html":             "",
	} {
		data, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		html := string(data)
		header, _, _ := strings.Cut(html, "</header>")
		if n := strings.Count(header, `aria-current="page"`); want == "" && n != 0 || want != "" && n != 1 {
			t.Errorf("%s marks %d links as the current page", page, n)
		}
		if want != "" && !strings.Contains(header, want) {
			t.Errorf("%s lacks %s", page, want)
		}
		if !strings.Contains(html, `<a href="/kb/about/">About this site</a> · <a href="/kb/data/">Download the data</a>`) {
			t.Errorf("%s: the footer does not link to the About page and the downloads", page)
		}
	}

	// A list's later pages and the tracker's views are in their section:
	// its link says so (aria-current="true"), without calling itself the
	// page. An entry page marks nothing.
	paged := sitetest.Build(t, sitetest.Load(t, sitetest.Content(t, smallKB)), site.Options{PageSize: 1})
	for page, want := range map[string]string{
		"vendors/page/2/index.html":             `<a href="/vendors/" aria-current="true">Vendors</a>`,
		"agencies/page/3/index.html":            `<a href="/agencies/" aria-current="true">Agencies</a>`,
		"agencies/index.html":                   `<a href="/agencies/" aria-current="page">Agencies</a>`,
		"tracker/sort/agency/index.html":        `<a href="/tracker/" aria-current="true">Tracker</a>`,
		"tracker/country/us/index.html":         `<a href="/tracker/" aria-current="true">Tracker</a>`,
		"tracker/sort/agency/page/2/index.html": `<a href="/tracker/" aria-current="true">Tracker</a>`,
		"agencies/metro-pd/index.html":          "",
	} {
		data, err := os.ReadFile(filepath.Join(paged.Dir, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		header, _, _ := strings.Cut(string(data), "</header>")
		if n := strings.Count(header, `aria-current=`); want == "" && n != 0 || want != "" && n != 1 {
			t.Errorf("%s marks %d links as current", page, n)
		}
		if want != "" && !strings.Contains(header, want) {
			t.Errorf("%s lacks %s", page, want)
		}
	}
}

// TestCitationEscapesBibTeX checks the "Cite this entry" block of a page
// whose title holds LaTeX's special characters: the BibTeX a reader copies
// must print them, not break on them (a bare "%" comments out the rest of
// the line, a bare "&" is an error).
func TestCitationEscapesBibTeX(t *testing.T) {
	const kbText = `
-- vendors/evil.md --
---
title: 'Evil & Co 100% {Drones} #1 \ end_x ~ ^ $5 {'
country: CN
updated: 2026-11-30
---
`
	s := sitetest.BuildArchive(t, kbText, site.Options{BaseURL: "https://example.org/kb/"})
	page := string(readFile(t, filepath.Join(s.Dir, "vendors", "evil", "index.html")))
	// An unmatched brace too: BibTeX counts a brace after a backslash.
	want := `  title = {Evil \&amp; Co 100\% \textbraceleft{}Drones\textbraceright{} \#1 \textbackslash{} end\_x \textasciitilde{} \textasciicircum{} \$5 \textbraceleft{}},`
	if !strings.Contains(page, want) {
		i := strings.Index(page, "title = {")
		t.Errorf("the BibTeX title is not escaped for LaTeX; want\n%s\nin\n%.200s", want, page[max(i, 0):])
	}
	// The citation in prose shows the title as it is.
	if !strings.Contains(page, `“Evil &amp; Co 100% {Drones} #1 \ end_x ~ ^ $5 {”`) {
		t.Error("the citation in prose does not show the title as written")
	}
}

// TestEntryLanguage checks that an entry whose lang field says French
// carries lang="fr" on its own text — title, summary and body, and its
// title where the English citation names it — and not on
// the page's English labels, while a French agency written in English (its
// language only inferred from its country, as search does) carries none.
func TestEntryLanguage(t *testing.T) {
	const kbText = `
-- incidents/manif.md --
---
title: Des drones au-dessus d'une manifestation
summary: La préfecture a fait voler des drones.
date: 2023-05-01
lang: fr
sources: [https://example.org/a]
---
La préfecture de police a déployé des drones [1].
-- incidents/nice.md --
---
title: Drones over Nice
summary: The prefecture flew drones.
date: 2023-05-02
agencies: [nice]
sources: [https://example.org/b]
---
The prefecture flew drones over the city [1].
-- agencies/nice.md --
---
title: Police municipale de Nice
country: FR
sources: [https://example.org/b]
---
`
	s := sitetest.BuildArchive(t, kbText, site.Options{})
	read := func(rel string) string { return string(readFile(t, filepath.Join(s.Dir, filepath.FromSlash(rel)))) }
	fr := read("incidents/manif/index.html")
	for _, want := range []string{
		`<h1 lang="fr">Des drones au-dessus d&#39;une manifestation</h1>`,
		`<p class="lede" lang="fr">La préfecture a fait voler des drones.</p>`,
		`<div lang="fr"><p>La préfecture de police a déployé des drones`,
		`<h2 id="overview-h">Overview</h2>`,
	} {
		if !strings.Contains(fr, want) {
			t.Errorf("incidents/manif/index.html lacks %s", want)
		}
	}
	if !strings.Contains(fr, `“<span lang="fr">Des drones au-dessus d&#39;une manifestation</span>”`) {
		t.Error("incidents/manif/index.html: the citation does not mark the French title")
	}
	if n := strings.Count(fr, `lang="fr"`); n != 4 {
		t.Errorf("incidents/manif/index.html marks %d elements French, want 4 (title, summary, body, the title in the citation)", n)
	}
	for _, page := range []string{"incidents/nice/index.html", "agencies/nice/index.html"} {
		if strings.Contains(read(page), `lang="fr"`) {
			t.Errorf("%s, written in English, is marked French", page)
		}
	}
}

// TestScrollingTablesAreNoLandmarks checks that the box a wide table
// scrolls in is a named group a keyboard can scroll, not a second landmark
// with the name of the section around it (axe's landmark-unique).
func TestScrollingTablesAreNoLandmarks(t *testing.T) {
	const kbText = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- agencies/pd.md --
---
title: City police
country: US
fleet:
  - {vendor: dji, status: active, as_of: 2025-06-01, source: "https://example.org/a"}
sources: [https://example.org/a]
---
`
	s := sitetest.BuildArchive(t, kbText, site.Options{})
	page := string(readFile(t, filepath.Join(s.Dir, "agencies", "pd", "index.html")))
	if !strings.Contains(page, `<section aria-labelledby="fleet-h" id="fleet">`) ||
		!strings.Contains(page, `<div class="table-scroll" role="group" aria-labelledby="fleet-h" tabindex="0">`) {
		t.Error("the fleet table is not a focusable group inside the fleet section")
	}
	if strings.Contains(page, `role="region"`) {
		t.Error(`a table's scrolling box is a landmark (role="region") named like its section`)
	}
}

// TestDataPageLinksTheSchemas: the JSON Schemas of the entry types are
// linked from /data/, under the site's path, and each link is the schema
// of its type. Nothing linked them before: a researcher reached them only
// by typing their address (found in review).
func TestDataPageLinksTheSchemas(t *testing.T) {
	s := sitetest.BuildArchive(t, ownPagesKB, site.Options{BaseURL: "https://example.org/kb/"})
	data, err := os.ReadFile(filepath.Join(s.Dir, "data", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"agency", "vendor", "law", "incident", "page"} {
		link := `<a href="/kb/schema/` + typ + `.json">schema/` + typ + `.json</a> (` + typ + `)`
		if !strings.Contains(string(data), link) {
			t.Errorf("/data/ does not link %s's schema as %s", typ, link)
		}
		schema, err := os.ReadFile(filepath.Join(s.Dir, "schema", typ+".json"))
		if err != nil || !strings.Contains(string(schema), `"$id": "https://example.org/kb/schema/`+typ+`.json"`) {
			t.Errorf("schema/%s.json: %v\n%.300s", typ, err, schema)
		}
	}
}

// TestFeedIsTheSiteNamed: a theme that renames the site renames its feed:
// the feed's title, subtitle and author are the site's name and tagline.
// They were fixed ("Who still flies restricted drones", "dronekb
// contributors") whatever the publisher called the site (found in review).
func TestFeedIsTheSiteNamed(t *testing.T) {
	theme := themes.Overlay(fstest.MapFS{
		"layouts/partials/site.html": {Data: []byte(`{{define "site-name"}}Observatoire des drones &amp; co{{end}}{{define "site-tagline"}}Qui vole quoi.{{end}}`)},
	}, themes.Default())
	s := sitetest.BuildArchive(t, ownPagesKB, site.Options{Theme: theme})
	var feed struct {
		Title    string `xml:"title"`
		Subtitle string `xml:"subtitle"`
		Author   string `xml:"author>name"`
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &feed); err != nil {
		t.Fatal(err)
	}
	if feed.Title != "Observatoire des drones & co" || feed.Subtitle != "Qui vole quoi." || feed.Author != feed.Title {
		t.Errorf("feed title %q, subtitle %q, author %q", feed.Title, feed.Subtitle, feed.Author)
	}
	home, err := os.ReadFile(filepath.Join(s.Dir, "index.html"))
	if err != nil || !strings.Contains(string(home), `title="Observatoire des drones &amp; co"`) {
		t.Errorf("the home page's feed link does not carry the site's name: %v", err)
	}
}

// TestAgencyLinksItsRegion: an agency's facts link its country and its
// region to their pages, as the tracker's rows do. The region was plain
// text on the agency's own page (found in review).
func TestAgencyLinksItsRegion(t *testing.T) {
	s := sitetest.Build(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{BaseURL: "/kb/"})
	for page, want := range map[string]string{
		"agencies/nypd/index.html":                `<dd><a href="/kb/countries/us/">United States</a> — <a href="/kb/countries/us/ny/">New York</a></dd>`,
		"agencies/fr-prefecture-rhone/index.html": `<dd><a href="/kb/countries/fr/">France</a> — <a href="/kb/countries/fr/69/">Rhône</a></dd>`,
	} {
		data, err := os.ReadFile(filepath.Join(s.Dir, page))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), want) {
			t.Errorf("%s does not say %s", page, want)
		}
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "countries", "fr", "69", "index.html")); err != nil {
		t.Errorf("the Rhône's page: %v", err)
	}
}

// TestAgencyNamesItsOwnLawsFirst: an agency's page lists the laws in force
// that restrict its drones without binding it with those of its own
// jurisdiction first, as the tracker's reason names them
// (kb.NearestLawsFirst). Sorted by ID, Texas's state police read of
// Arkansas's act before the federal laws of its own country (found in
// review).
func TestAgencyNamesItsOwnLawsFirst(t *testing.T) {
	s := shippedSite(t)
	k := s.KB
	lead := regexp.MustCompile(`(Laws in force that restrict its drones but are not recorded as binding it|Laws of other countries that restrict its drones, none of which can bind it): `)
	href := regexp.MustCompile(`href="/laws/([a-z0-9-]+)/"`)
	mixed, abroad := 0, 0
	for _, e := range k.Section("agencies") {
		data := pageHTML(t, s.Dir, site.EntryPath(e))
		loc := lead.FindStringSubmatchIndex(data)
		if loc == nil {
			continue
		}
		para := data[loc[1]:]
		foreign := data[loc[2]:loc[3]] != "Laws in force that restrict its drones but are not recorded as binding it"
		para, _, _ = strings.Cut(para, "</p>")
		last, ranks := 0, map[int]bool{}
		for _, m := range href.FindAllStringSubmatch(para, -1) {
			law := k.Entry("laws/" + m[1])
			if law == nil {
				t.Fatalf("%s links laws/%s, which is no law", e.ID, m[1])
			}
			rank := kb.LawProximity(e, law)
			if rank < last {
				t.Errorf("%s names %s (%s) after a law of a farther jurisdiction: %s", e.ID, law.ID, law.Region(), para)
			}
			last, ranks[rank] = rank, true
		}
		if len(ranks) > 1 {
			mixed++
			// Those of another state or country are said to be unable to
			// bind it, beside those "not recorded as binding" it.
			if !strings.Contains(para, "jurisdiction's law, which cannot bind it") && !strings.Contains(para, "jurisdictions' laws, which cannot bind it") {
				t.Errorf("%s lists other jurisdictions' laws without saying they cannot bind it: %s", e.ID, para)
			}
		}
		// Said to be other countries' when, and only when, every one is.
		if all := len(ranks) == 1 && ranks[2]; all != foreign {
			t.Errorf("%s: its laws are all other countries': %t; its page says so: %t", e.ID, all, foreign)
		}
		if foreign {
			abroad++
		}
	}
	if mixed == 0 || abroad == 0 {
		t.Errorf("agency pages listing laws of their own country beside others: %d; listing other countries' alone: %d; the test needs both", mixed, abroad)
	}
}

// TestLawSaysItPhasesInOnlyWhenItDoes: a law page says the law phases in
// when it has more than one provision, and not of a law listing a single
// one (Tennessee HB 1070's page said it, found in review).
func TestLawSaysItPhasesInOnlyWhenItDoes(t *testing.T) {
	s := shippedSite(t)
	k := s.KB
	seen := map[bool]int{}
	for _, e := range k.Section("laws") {
		data := pageHTML(t, s.Dir, site.EntryPath(e))
		phased := len(e.Law.Provisions) > 1
		if says := strings.Contains(data, "This law phases in"); says != phased {
			t.Errorf("%s has %d provisions, and its page says it phases in: %t", e.ID, len(e.Law.Provisions), says)
		}
		if e.Law.Listed {
			seen[phased]++
		}
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Errorf("laws listing their provisions, by phasing in: %v; the test needs both", seen)
	}
}

// TestTimelineSaysWhatComesAfterTheDate: on an agency's timeline, an event
// dated after the tracker's date says so in words, and no other does. It
// was only faded, which a screen reader does not tell and which took its
// labels under AA's contrast (found by the accessibility audit).
func TestTimelineSaysWhatComesAfterTheDate(t *testing.T) {
	s := shippedSite(t)
	k := s.KB
	item := regexp.MustCompile(`(?s)<li( class="future")?><time datetime="([0-9-]+)">.*?</li>`)
	const after = "(after the tracker's date)"
	future := 0
	for _, e := range k.Section("agencies") {
		data := pageHTML(t, s.Dir, site.EntryPath(e))
		_, tl, ok := strings.Cut(data, `<ol class="timeline">`)
		if !ok {
			continue
		}
		tl, _, _ = strings.Cut(tl, "</ol>")
		for _, m := range item.FindAllStringSubmatch(tl, -1) {
			d, err := kb.ParseDate(m[2])
			if err != nil {
				t.Fatalf("%s: %v", e.ID, err)
			}
			later := d.After(sitetest.AsOf)
			if says := strings.Contains(m[0], after); says != later {
				t.Errorf("%s: an event of %s, the tracker's date %s, says %q: %t", e.ID, d, sitetest.AsOf, after, says)
			}
			if later {
				future++
			}
		}
	}
	if future == 0 {
		t.Errorf("no agency's timeline has an event after %s: the test checks nothing", sitetest.AsOf)
	}
}

// TestStartNotOnRecordIsSaidSo: a provision whose day of taking effect no
// source gives (in_force_by: Tennessee HB 1070's purchase ban, counted from
// the day a report first shows it in force) is never said to take effect
// on that day: the law's page, the agency it binds and its timeline say it
// applies from then "at the latest" and that the day is not on record. The
// site's only flying-restricted agency read of a ban that "takes effect"
// on a reporter's date (found in a hostile reader's review).
func TestStartNotOnRecordIsSaidSo(t *testing.T) {
	s := shippedSite(t)
	if law := s.KB.Entry("laws/tn-hb1070-2023"); law == nil || !law.Law.Provisions[0].InForceBy {
		t.Fatal("Tennessee HB 1070's purchase ban is not given as in_force_by: the test checks nothing")
	}
	for page, want := range map[string][]string{
		"laws/tn-hb1070-2023":        {"by 28 February 2025 at the latest (the day it took effect is not on record)"},
		"agencies/kingsport-fire-tn": {"since 28 February 2025 at the latest (the day it took effect is not on record)", "Tennessee HB 1070 in force by then (the day it took effect is not on record) (procurement)", "the Russian Federation since 28 February 2025 at the latest."},
	} {
		got := pageText(pageHTML(t, s.Dir, page))
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s does not say %q", page, w)
			}
		}
		if strings.Contains(got, "Tennessee HB 1070 takes effect") {
			t.Errorf("%s says Tennessee HB 1070 takes effect on a day no source gives", page)
		}
	}
}

// TestTrackerLedeSaysWhyUnknown: the tracker's lede splits the unknown
// agencies by why, with the tracker's own counts, and the count for drones
// of unknown make does not say the agencies fly them: it takes in those
// last seen long ago and those of unknown status (found in review).
func TestTrackerLedeSaysWhyUnknown(t *testing.T) {
	s := shippedSite(t)
	k := s.KB
	data := pageHTML(t, s.Dir, "tracker")
	_, lede, _ := strings.Cut(data, `<p class="lede">`)
	lede, _, _ = strings.Cut(lede, "</p>")
	sum := k.Tracker(sitetest.AsOf).Summary()
	if sum.UnknownMake == 0 || sum.UnknownOld == 0 || sum.UnknownStatus == 0 {
		t.Fatalf("the shipped tracker on %s has %+v: the test needs each reason", sitetest.AsOf, sum)
	}
	for _, want := range []string{
		fmt.Sprintf("%d because the evidence on their restricted drones is old", sum.UnknownOld),
		fmt.Sprintf("%d because no source names the make of drones on their record", sum.UnknownMake),
		fmt.Sprintf("%d because the sources do not say whether their restricted drones are in use", sum.UnknownStatus),
	} {
		if !strings.Contains(lede, want) {
			t.Errorf("the tracker's lede does not say %q: %s", want, lede)
		}
	}
	if strings.Contains(lede, "drones they fly") {
		t.Errorf("the tracker's lede says agencies of unknown make fly their drones: %s", lede)
	}
}

// TestForeignLawsAreSaidToBe: a tracker row whose restricting laws bind
// none of it says, when every one of them is another country's, that they
// are: a French force's row read "None of the 10 restricting laws", as if
// it were let off laws that could never apply to it (found in review).
func TestForeignLawsAreSaidToBe(t *testing.T) {
	s := shippedSite(t)
	data := pageHTML(t, s.Dir, "tracker")
	row := regexp.MustCompile(`(?s)id="agency-([a-z0-9-]+)">.*?<td data-label="Laws that bind it">(.*?)</td>`)
	seen := map[bool]int{}
	for _, m := range row.FindAllStringSubmatch(data, -1) {
		as := s.Site.Tracker().Agency("agencies/" + m[1])
		if as == nil || len(as.BindingLaws) > 0 || len(as.RestrictingLaws) == 0 {
			continue
		}
		foreign := true
		for _, l := range as.RestrictingLaws {
			foreign = foreign && kb.LawProximity(as.Agency, l) == 2
		}
		if says := strings.Contains(m[2], "all of other countries"); says != foreign {
			t.Errorf("%s: its laws are all of other countries: %t; its row says %q", as.Agency.ID, foreign, m[2])
		}
		seen[foreign]++
	}
	if seen[true] == 0 || seen[false] == 0 {
		t.Errorf("rows whose restricting laws are all foreign, and not: %v; the test needs both", seen)
	}
}

// TestPurchaseIsNoSightingOnAnyPage: drones known only from their purchase
// (the FBI's 19 DJI Phantom 4 Pro, bought in July 2021) are "acquired",
// never "flying", wherever the site lists them: the tracker's table, the
// page of a law that restricts them, their vendor's page and the agency's
// fleet table (found in a second hostile read: the sentences said
// "Acquired" beside cells that said "flying July 2021").
func TestPurchaseIsNoSightingOnAnyPage(t *testing.T) {
	s := shippedSite(t)
	if f := s.KB.Entry("agencies/fbi").Agency.Fleet[0]; !f.LatestIsAcquisition() {
		t.Fatal("the FBI's DJI item is no longer known only from its purchase: the test checks nothing")
	}
	for _, page := range []string{"tracker", "laws/american-security-drone-act", "vendors/dji", "agencies/fbi"} {
		got := pageText(pageHTML(t, s.Dir, page))
		if !strings.Contains(got, "acquired July 2021") && !strings.Contains(got, "acquired (unverified since July 2021") && !strings.Contains(got, "acquired, July 2021") {
			t.Errorf("%s does not say the FBI's drones were acquired in July 2021", page)
		}
		if strings.Contains(got, "flying July 2021") || strings.Contains(got, "flying (unverified since July 2021") || strings.Contains(got, "flying, July 2021") {
			t.Errorf("%s says drones known only from their purchase were flying", page)
		}
	}
}

// TestProvisionExemptionsSpanTheTable: whom a provision exempts is in a
// row of its own under the provision's, across the whole table, headed by
// the provision's measure and labelled, with every exemption's uses as
// written. ASDA's three long exemptions were a 204px "Exempts" column at
// desktop width, which made its Provisions table 3,737px tall (found in an
// audit).
func TestProvisionExemptionsSpanTheTable(t *testing.T) {
	s := shippedSite(t)
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	laws, uses := 0, 0
	for _, e := range s.KB.Section("laws") {
		if !e.Law.Listed {
			continue
		}
		laws++
		doc := parseFile(t, filepath.Join(s.Dir, filepath.FromSlash(site.EntryPath(e)), "index.html"))
		var columns []string
		for _, th := range sitetest.Find(sitetest.ByID(doc, "provisions"), atom.Th) {
			if scope, _ := sitetest.Attr(th, "scope"); scope == "col" {
				columns = append(columns, sitetest.Text(th))
			}
		}
		if len(columns) == 0 || slices.Contains(columns, "Exempts") {
			t.Errorf("%s: the provisions' columns are %q; want whom each exempts in a row of its own", e.ID, columns)
		}
		for i, p := range e.Law.Provisions {
			row := sitetest.ByID(doc, fmt.Sprintf("provision-%d", i+1))
			if row == nil {
				t.Errorf("%s: no row for provision %d", e.ID, i+1)
				continue
			}
			measure := sitetest.Find(row, atom.Th)
			id, _ := sitetest.Attr(measure[0], "id")
			next := row.NextSibling
			for next != nil && next.Type != html.ElementNode {
				next = next.NextSibling
			}
			var cells []*html.Node
			if next != nil && next.DataAtom == atom.Tr {
				cells = sitetest.Find(next, atom.Td)
			}
			if len(cells) != 1 {
				t.Errorf("%s: provision %d (%s) is not followed by a row of one cell for whom it exempts", e.ID, i+1, p.Measure)
				continue
			}
			span, _ := sitetest.Attr(cells[0], "colspan")
			headers, _ := sitetest.Attr(cells[0], "headers")
			if span != strconv.Itoa(len(columns)) || id == "" || headers != id {
				t.Errorf("%s: provision %d's exemptions span %q of %d columns, headed by %q; its measure's id is %q", e.ID, i+1, span, len(columns), headers, id)
			}
			got := words(sitetest.Text(cells[0]))
			if len(p.Exempts) == 0 && got != "Exempts: none" {
				t.Errorf("%s: provision %d exempts no one, and its row says %q", e.ID, i+1, got)
			}
			if !strings.HasPrefix(got, "Exempts: ") {
				t.Errorf("%s: provision %d's exemptions are not labelled: %q", e.ID, i+1, got)
			}
			for _, x := range p.Exempts {
				if x.Uses != "" {
					uses++
					if !strings.Contains(got, "for "+words(x.Uses)) {
						t.Errorf("%s: provision %d's exemptions lack %q: %q", e.ID, i+1, x.Uses, got)
					}
				}
			}
		}
	}
	if laws == 0 || uses == 0 {
		t.Errorf("%d laws listing provisions, %d exemptions with uses: the test needs some of each", laws, uses)
	}
}

// shippedSite is the shipped knowledge base built, judged on
// sitetest.AsOf: built once for the tests that read it, which must not
// change its files or its knowledge base.
func shippedSite(t *testing.T) *sitetest.Site {
	t.Helper()
	return shipped.Get(t, "", func(dir string) *sitetest.Site {
		return sitetest.BuildInto(t, sitetest.Load(t, os.DirFS(sitetest.ShippedContent(t))), site.Options{}, filepath.Join(dir, "public"))
	})
}

var shipped sitetest.Shared[*sitetest.Site]

func TestMain(m *testing.M) {
	code := m.Run()
	shipped.Cleanup(nil)
	os.Exit(code)
}

// pageHTML returns the page at rel ("agencies/nypd", "tracker") of the
// site built in dir.
func pageHTML(t *testing.T, dir, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, rel, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// pageText is a page's text as a reader sees it: its tags dropped and its
// spaces collapsed.
func pageText(page string) string {
	return strings.Join(strings.Fields(tags.ReplaceAllString(page, " ")), " ")
}

var tags = regexp.MustCompile(`<[^>]*>`)

// TestAgencyCountsOtherJurisdictionsLaws: what an agency's page says of
// how many of the laws restricting its drones without binding it belong
// to another state or country counts laws, as the tracker's reason does,
// not the provisions its list names. Counting provisions, Elizabeth's and
// Texas DPS's pages said "5 of them" where their tracker rows said "4"
// (Florida's act, phased in, counted twice), and Kingsport's said "4" of
// three laws (found in review).
func TestAgencyCountsOtherJurisdictionsLaws(t *testing.T) {
	s := shippedSite(t)
	tr := s.KB.Tracker(sitetest.AsOf)
	clause := regexp.MustCompile(`(?:[Ii]t is another jurisdiction's law|[Bb]oth are other jurisdictions' laws|(?:[Aa]ll )?(\d+|[Oo]ne)(?: of them)? (?:is|are) (?:another jurisdiction's law|other jurisdictions' laws)), which cannot bind it`)
	checked := 0
	for _, as := range tr.Agencies {
		e := as.Agency
		data := pageHTML(t, s.Dir, site.EntryPath(e))
		got := clause.FindString(data)
		// The laws it lists: those restricting its drones that neither
		// bind it nor let it off.
		var laws []*kb.Entry
		for _, l := range as.RestrictingLaws {
			if !slices.Contains(as.BindingLaws, l) && !slices.Contains(as.ExemptingLaws, l) {
				laws = append(laws, l)
			}
		}
		far, foreign := kb.OtherJurisdictions(e, laws)
		want := kb.FarLaws(far, len(laws))
		if foreign == len(laws) {
			want = "" // said otherwise: "Laws of other countries …"
		}
		if !strings.EqualFold(got, want) {
			t.Errorf("%s: its page says %q of the laws it lists; %d of its %d such laws are other jurisdictions': %q", e.ID, got, far, len(laws), want)
		}
		if want == "" {
			continue
		}
		checked++
		// Where the tracker's reason says it too, in the same words.
		if r := as.ReasonText(); strings.Contains(r, "cannot bind it") && !strings.Contains(strings.ToLower(r), strings.ToLower(want)) {
			t.Errorf("%s: the page says %q, the tracker's reason %q", e.ID, got, r)
		}
	}
	if checked < 3 {
		t.Errorf("only %d agency pages say how many of their laws are other jurisdictions'; the test needs the shipped ones that do", checked)
	}
}

// TestAgencyTimelineStopsAtTrackerDate: a fleet item's bar on an agency's
// timeline stops at the tracker's date, where what became of it stops
// being known, even when a provision that starts later stretches the
// timeline on: the Army's DJI drones were drawn grounded into 2027 (found
// in review).
func TestAgencyTimelineStopsAtTrackerDate(t *testing.T) {
	s := shippedSite(t)
	asOfLine := regexp.MustCompile(`<g class="line line-as-of"><title>[^<]*</title><line x1="([0-9.]+)"`)
	bar := regexp.MustCompile(`<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"[^>]*data-kind="([a-z ]+)"><title>([^<]*)</title>`)
	future, drawn := 0, 0
	for _, e := range s.KB.Section("agencies") {
		data := pageHTML(t, s.Dir, site.EntryPath(e))
		svg, _, _ := strings.Cut(data[strings.Index(data, `class="timeline-chart"`)+1:], "</svg>")
		if !strings.Contains(data, `class="timeline-chart"`) {
			continue
		}
		m := asOfLine.FindStringSubmatch(svg)
		if m == nil {
			t.Errorf("%s: its timeline has no line for the tracker's date", e.ID)
			continue
		}
		end, _ := strconv.ParseFloat(m[1], 64)
		if strings.Contains(svg, "2027</text>") {
			future++
		}
		for _, b := range bar.FindAllStringSubmatch(svg, -1) {
			x, _ := strconv.ParseFloat(b[1], 64)
			w, _ := strconv.ParseFloat(b[2], 64)
			drawn++
			// A bar is at least 3 wide, so that one on the date itself
			// shows; none starts after the date.
			if x > end+0.5 || x+w > end+0.5 && w > 3 {
				t.Errorf("%s: the bar %q ends at x=%.1f, past the tracker's date at x=%.1f", e.ID, b[4], x+w, end)
			}
		}
	}
	if future == 0 || drawn == 0 {
		t.Errorf("timelines reaching past the tracker's date: %d; bars: %d; the test needs both", future, drawn)
	}
}

// TestAgencyCountsItsLawsWhole: the laws an agency's page names as
// restricting its drones without binding it are counted as laws, each law
// named once with the measures of its provisions, and "and N more" makes
// up the rest, pointing to the makers' pages, which list them all. The
// page named a phased law's provisions one by one and counted "and 3
// more" in provisions, so 8 laws named and 3 more were 10 laws in the
// fleet table (found in review).
func TestAgencyCountsItsLawsWhole(t *testing.T) {
	gen := t.TempDir()
	if err := sitetest.Generate(gen, 1000); err != nil {
		t.Fatal(err)
	}
	more := regexp.MustCompile(`, and (\d+) more(, listed with the others on the page of (.*?))?\.`)
	href := regexp.MustCompile(`href="/laws/([a-z0-9-]+)/"`)
	lead := regexp.MustCompile(`(Laws in force that restrict its drones but are not recorded as binding it|Laws of other countries that restrict its drones, none of which can bind it): `)
	checked, cut := 0, 0
	for _, s := range []*sitetest.Site{shippedSite(t), sitetest.Build(t, sitetest.Load(t, os.DirFS(gen)), site.Options{})} {
		tr := s.Site.Tracker()
		for _, e := range s.KB.Section("agencies") {
			as := tr.Agency(e.ID)
			want := map[string]bool{}
			for _, it := range as.Items {
				for _, p := range it.Restricting {
					if !slices.Contains(as.Governing, p) && p.Exemption(e) == nil {
						want[p.Law.ID] = true
					}
				}
			}
			data := pageHTML(t, s.Dir, site.EntryPath(e))
			loc := lead.FindStringIndex(data)
			if loc == nil {
				if len(want) > 0 {
					t.Errorf("%s: %d laws restrict its drones without binding it; its page names none", e.ID, len(want))
				}
				continue
			}
			para, _, _ := strings.Cut(data[loc[1]:], "</p>")
			named := map[string]bool{}
			for _, m := range href.FindAllStringSubmatch(para, -1) {
				if named[m[1]] {
					t.Errorf("%s names laws/%s twice: %s", e.ID, m[1], para)
				}
				named[m[1]] = true
			}
			n := 0
			if m := more.FindStringSubmatch(para); m != nil {
				n, _ = strconv.Atoi(m[1])
				cut++
				if !strings.Contains(m[3], `href="/vendors/`) {
					t.Errorf("%s: %q says where the others are listed without linking a maker", e.ID, m[0])
				}
			}
			if len(named)+n != len(want) {
				t.Errorf("%s: names %d laws and %d more; %d laws in force restrict its drones without binding it: %s", e.ID, len(named), n, len(want), para)
			}
			checked++
		}
	}
	if checked == 0 || cut == 0 {
		t.Errorf("pages listing laws: %d, of which naming some and counting the rest: %d; the test needs both", checked, cut)
	}
}

// TestSeeAlsoLeavesOutBacklinks: an entry's "See also" names the related
// entries that its "Referenced by" lists do not show already. Two entries
// relating to each other were each listed twice on the other's page, on
// 91 of the 104 shipped entry pages (found in review).
func TestSeeAlsoLeavesOutBacklinks(t *testing.T) {
	s := shippedSite(t)
	href := regexp.MustCompile(`href="(/[a-z]+/[a-z0-9-]+/)"`)
	seeAlso, shortened := 0, 0
	for _, e := range s.KB.Entries {
		if e.Type == kb.TypePage {
			continue
		}
		data := pageHTML(t, s.Dir, site.EntryPath(e))
		_, section, ok := strings.Cut(data, `<h2 id="referenced-by-h">Referenced by</h2>`)
		if !ok {
			continue
		}
		section, _, _ = strings.Cut(section, "</section>")
		backlinks, also, _ := strings.Cut(section, "<h3>See also</h3>")
		listed := map[string]bool{}
		for _, m := range href.FindAllStringSubmatch(backlinks, -1) {
			listed[m[1]] = true
		}
		for _, m := range href.FindAllStringSubmatch(also, -1) {
			seeAlso++
			if listed[m[1]] {
				t.Errorf("%s lists %s under Referenced by and See also", e.ID, m[1])
			}
		}
		if len(e.Related) > len(href.FindAllStringSubmatch(also, -1)) {
			shortened++
		}
	}
	if seeAlso == 0 || shortened == 0 {
		t.Errorf("See also links: %d; pages whose See also leaves out a backlink: %d; the test needs both", seeAlso, shortened)
	}
}

// TestTimelineNewestFirst: the site's timeline runs newest first, years
// and the events within each year alike. Its years ran newest first and
// each year's events oldest first (found in review).
func TestTimelineNewestFirst(t *testing.T) {
	s := shippedSite(t)
	page := pageHTML(t, s.Dir, "timeline")
	list := regexp.MustCompile(`(?s)<ol class="timeline">(.*?)</ol>`)
	when := regexp.MustCompile(`<time datetime="([0-9-]+)"`)
	lists, ordered := 0, 0
	for _, m := range list.FindAllStringSubmatch(page, -1) {
		lists++
		dates := when.FindAllStringSubmatch(m[1], -1)
		for i := 1; i < len(dates); i++ {
			// A date at a month's or a year's precision sorts as its
			// period: compare the common prefix.
			a, b := dates[i-1][1], dates[i][1]
			n := min(len(a), len(b))
			if a[:n] < b[:n] {
				t.Errorf("the timeline lists %s before %s", a, b)
			}
		}
		if len(dates) > 1 {
			ordered++
		}
	}
	if lists == 0 || ordered == 0 {
		t.Errorf("timeline lists: %d, with more than one event: %d; the test needs both", lists, ordered)
	}
}

// TestReasonsWriteDatesAsPagesDo: the sentence that says why an agency has
// its status gives its dates as the rest of a page does ("28 February
// 2025"), on the agency's page and in every Why column, where it gave ISO
// dates beside them (found in review); the downloads keep ISO
// dates. The marks that set dates apart in a reason never reach a file.
func TestReasonsWriteDatesAsPagesDo(t *testing.T) {
	s := shippedSite(t)
	iso := regexp.MustCompile(`\b(19|20)[0-9]{2}-[0-9]{2}\b`)
	why := regexp.MustCompile(`(?s)<td data-label="Why" class="reason">(.*?)</td>`)
	reason := regexp.MustCompile(`(?s)<p class="reason" id="reason">(.*?)</p>`)
	seen := 0
	// Every page with a Why column: the tracker's, and the home page's,
	// the countries' and the regions' tables (which gave ISO dates after
	// the tracker's were mended: found in review).
	pages := map[string]int{}
	err := filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		data, err := os.ReadFile(p)
		for _, m := range why.FindAllStringSubmatch(string(data), -1) {
			seen++
			rel, _ := filepath.Rel(s.Dir, p)
			pages[filepath.Dir(rel)]++
			if d := iso.FindString(m[1]); d != "" {
				t.Errorf("the Why column of %s says %s: %s", rel, d, m[1])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"tracker", ".", "countries/us", "countries/us/ny"} {
		if pages[p] == 0 {
			t.Errorf("%s has no Why column", p)
		}
	}
	for _, e := range s.KB.Section("agencies") {
		for _, m := range reason.FindAllStringSubmatch(pageHTML(t, s.Dir, site.EntryPath(e)), -1) {
			seen++
			// A date in a <time> element gives its ISO form as datetime.
			text := regexp.MustCompile(`datetime="[^"]*"`).ReplaceAllString(m[1], "")
			if d := iso.FindString(text); d != "" {
				t.Errorf("%s's reason says %s: %s", e.ID, d, m[1])
			}
		}
	}
	if seen < 2 {
		t.Fatalf("%d reasons found; the test needs the tracker's and the agencies'", seen)
	}
	err = filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !slices.Contains([]string{".html", ".xml", ".json", ".csv", ".txt"}, filepath.Ext(p)) {
			return err
		}
		data, err := os.ReadFile(p)
		if err == nil && strings.ContainsAny(string(data), kb.DateMark) {
			t.Errorf("%s holds a reason's date mark", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(s.Dir, "data", "tracker.csv")); !iso.Match(data) {
		t.Error("tracker.csv gives no ISO date")
	}
}

// TestMetaDescriptions: every page's description, for search engines and
// share cards, is at most 200 characters and ends a sentence or says it
// was cut ("…"), where 13 summaries ran to 300-465 characters and were
// cut off mid-word by whoever showed them; and each view of the tracker
// describes its own agencies, where all 34 shared one description (found
// in review).
func TestMetaDescriptions(t *testing.T) {
	s := shippedSite(t)
	meta := regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	og := regexp.MustCompile(`<meta property="og:description" content="([^"]*)">`)
	views := map[string]string{}
	long := 0
	err := filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(s.Dir, p)
		m := meta.FindSubmatch(data)
		if m == nil {
			return err
		}
		desc := html.UnescapeString(string(m[1]))
		if n := utf8.RuneCountInString(desc); n > 200 {
			t.Errorf("%s: a description of %d characters: %s", rel, n, desc)
		}
		if !strings.HasSuffix(desc, ".") && !strings.HasSuffix(desc, "…") && !strings.HasSuffix(desc, ".)") {
			t.Errorf("%s: the description ends mid-sentence without saying so: %s", rel, desc)
		}
		if strings.HasSuffix(desc, "…") {
			long++
		}
		if o := og.FindSubmatch(data); o == nil || string(o[1]) != string(m[1]) {
			t.Errorf("%s: og:description is not the description", rel)
		}
		if strings.Count(rel, "/") == 3 && strings.HasPrefix(rel, "tracker/") && !strings.HasPrefix(rel, "tracker/on/") {
			if other, ok := views[desc]; ok {
				t.Errorf("%s and %s share a description: %s", rel, other, desc)
			}
			views[desc] = rel
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if long == 0 || len(views) < 10 {
		t.Errorf("%d descriptions cut and %d tracker views: the test needs the shipped summaries over 200 characters and the views", long, len(views))
	}
	if d := html.UnescapeString(meta.FindStringSubmatch(pageHTML(t, s.Dir, "tracker/country/fr"))[1]); !strings.Contains(d, "(Country: France)") {
		t.Errorf("the French view's description does not say it is France's: %s", d)
	}
}
