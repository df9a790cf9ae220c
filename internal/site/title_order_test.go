package site_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/dronekb/dronekb/internal/browser"
	"github.com/dronekb/dronekb/internal/site"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// accentsKB has agencies whose titles start with, or hold, accented
// letters, among others that do not.
var accentsKB = placeAgencies("tags: [police]\n", [][]string{
	{"wyoming", "Wyoming Police", "US"},
	{"corrientes", "Corrientes Police", "AR"},
	{"cordoba", "Córdoba Police", "AR"},
	{"cordoba-spain", "Cordoba Police", "ES"},
	{"cordoba-city", "CÓRDOBA POLICE", "AR"},
	{"idf", "Île-de-France Police", "FR"},
	{"lodzkie", "Łódzkie Police", "PL"},
	{"opole", "opole police", "PL"},
	{"usti", "Ústí nad Labem Police", "CZ"},
	{"zlin", "Zlín Police", "CZ"},
	{"zdar", "Žďár nad Sázavou Police", "CZ"},
})

// TestTitleOrderFoldsAccents: every list of agencies by title — a
// section's list within each country, a tag's page, the tracker and its
// order by agency, on one page or over pages — puts a title with an
// accented letter among its base letter's and ignores case: Île-de-France
// among the i's, not after Wyoming; Córdoba before Corrientes; Žďár before
// Zlín; "opole police" after Łódzkie; titles that fold alike go unaccented
// first, then by agency. They were compared byte by byte. The
// tracker's rows carry the key tracker.js sorts by in place (the browser
// test holds it to this order).
func TestTitleOrderFoldsAccents(t *testing.T) {
	want := []string{"Cordoba Police", "Córdoba Police", "CÓRDOBA POLICE", "Corrientes Police", "Île-de-France Police", "Łódzkie Police", "opole police",
		"Ústí nad Labem Police", "Wyoming Police", "Žďár nad Sázavou Police", "Zlín Police"}
	for _, size := range []int{100, 4} {
		s := sitetest.BuildArchive(t, accentsKB, site.Options{PageSize: size})
		title := map[string]string{}
		for _, e := range s.KB.Section("agencies") {
			title[s.Base+"agencies/"+e.Slug+"/"] = e.Title
		}
		titles := func(hrefs []string) []string {
			var out []string
			for _, h := range hrefs {
				out = append(out, title[h])
			}
			return out
		}
		// read follows a list from its first page through its pager.
		read := func(rel string, rows func(*html.Node) []string) []string {
			t.Helper()
			var out []string
			for n := 1; ; n++ {
				p := rel
				if n > 1 {
					p += "page/" + strconv.Itoa(n) + "/"
				}
				file := filepath.Join(s.Dir, filepath.FromSlash(p), "index.html")
				if _, err := os.Stat(file); n > 1 && err != nil {
					return out
				}
				out = append(out, titles(rows(parseFile(t, file)))...)
			}
		}
		entries := func(doc *html.Node) []string { return listEntries(t, doc) }
		for _, rel := range []string{"tracker/", "tracker/sort/agency/", "tags/police/"} {
			rows := trackerRows
			if strings.HasPrefix(rel, "tags/") {
				rows = entries
			}
			if got := read(rel, rows); !slices.Equal(got, want) {
				t.Errorf("pages of %d: /%s lists\n%s\nwant\n%s", size, rel, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
		// The section's list groups by country, each group by title.
		got := read("agencies/", entries)
		for _, country := range [][]string{{"Córdoba Police", "CÓRDOBA POLICE", "Corrientes Police"}, {"Ústí nad Labem Police", "Žďár nad Sázavou Police", "Zlín Police"}, {"Łódzkie Police", "opole police"}} {
			var in []string
			for _, g := range got {
				if slices.Contains(country, g) {
					in = append(in, g)
				}
			}
			if !slices.Equal(in, country) {
				t.Errorf("pages of %d: /agencies/ lists %q in the order %q", size, country, in)
			}
		}
	}
}

// TestTrackerScriptSortsTitlesAsViews: tracker.js, sorting the table in
// place by agency (and by status, then agency, as it does when the page
// loads), gives the order of the no-script view /tracker/sort/agency/; it
// compared lower-cased titles, so Wyoming came before Île-de-France and
// Corrientes before Córdoba. Sorting by country, it gives the order of
// /tracker/sort/country/, by the countries' folded names.
func TestTrackerScriptSortsTitlesAsViews(t *testing.T) {
	if _, err := browser.Path(); err != nil {
		t.Skipf("skipping the browser test: %v (apt-get install chromium)", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	p := newPage(ctx, t)
	check := fatalIf(t)
	// Each knowledge base's /tracker/ with a query, sorted in place, and
	// the no-script view it must list as.
	for _, c := range []struct {
		kb, query, view string
		reversed        bool
	}{
		{accentsKB, "", "sort/agency", false},
		{accentsKB, "?sort=agency", "sort/agency", false},
		{accentsKB, "?sort=-agency", "sort/agency", true},
		// Countries sort by their folded names: Åland Islands and Côte
		// d'Ivoire among the a's and c's.
		{foldedKB, "?sort=country", "sort/country", false},
		// The table as served is the script's order by status, which it
		// leaves in place on loading: reversed, it is the served order
		// reversed.
		{foldedKB, "?sort=-status", "", true},
	} {
		s := sitetest.BuildArchive(t, c.kb, site.Options{})
		srv := httptest.NewServer(sitetest.StaticHost(s.Dir, s.Base))
		want := trackerRows(parseFile(t, filepath.Join(s.Dir, "tracker", filepath.FromSlash(c.view), "index.html")))
		if len(want) != len(s.KB.Section("agencies")) {
			t.Fatalf("/tracker/%s/ lists %d agencies, want %d", c.view, len(want), len(s.KB.Section("agencies")))
		}
		if c.reversed {
			slices.Reverse(want)
		}
		check(p.Navigate(ctx, srv.URL+s.Base+"tracker/"+c.query))
		check(p.Settle(ctx))
		var got []string
		check(p.Eval(ctx, `Array.from(document.querySelectorAll("#tracker-table tbody tr th a")).map(a => a.getAttribute("href"))`, &got))
		srv.Close()
		if !slices.Equal(got, want) {
			t.Errorf("/tracker/%s with JavaScript lists\n%s\nwant\n%s", c.query, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, e := range p.Errors() {
			t.Errorf("/tracker/%s: %s", c.query, e)
		}
	}
}

// foldedKB: agencies of accented and plain titles that fly DJI drones
// under a law that restricts them, in countries whose names start with an
// accented letter or hold one.
var foldedKB = `
-- vendors/dji.md --
---
title: DJI
country: CN
---
-- laws/ban.md --
---
title: Drone ban
country: US
status: enacted
enacted: 2023-12-22
restricts: {countries: [CN]}
measure: procurement
sources: [https://example.org/ban]
---
` + foldedAgency + `
` + placeAgencies("", [][]string{{"aland", "Åland Police", "AX"}, {"ivory", "Abidjan Police", "CI"}, {"cuba", "Havana Police", "CU"}, {"zambia", "Lusaka Police", "ZM"}}) +
	placeAgencies("", [][]string{{"rouen", "Rouen Police", "FR", "FR-NOR"}, {"nice", "Nice Police", "FR", "FR-PAC"}, {"paris", "Paris Police", "FR", "FR-IDF"}})

// foldedAgency writes the US agencies that fly DJI drones.
var foldedAgency = func() string {
	var b strings.Builder
	for _, a := range [][2]string{{"wyoming", "Wyoming Police"}, {"idaho", "Île Police"}, {"utah", "Ústí Police"}, {"cordoba", "Córdoba Police"}, {"corrientes", "Corrientes Police"}} {
		b.WriteString("-- agencies/" + a[0] + ".md --\n---\ntitle: " + a[1] + "\ncountry: US\nlevel: local\nfleet:\n  - vendor: dji\n    status: active\n    as_of: 2025-01-05\n    source: https://example.org/" + a[0] + "\nsources: [https://example.org/" + a[0] + "]\n---\n")
	}
	return b.String()
}()

// placeAgencies writes agencies with no fleet, each {slug, title,
// country} or {slug, title, country, region}, with the lines extra.
func placeAgencies(extra string, agencies [][]string) string {
	var b strings.Builder
	for _, a := range agencies {
		b.WriteString("-- agencies/" + a[0] + ".md --\n---\ntitle: " + a[1] + "\ncountry: " + a[2] + "\n")
		if len(a) > 3 {
			b.WriteString("region: " + a[3] + "\n")
		}
		b.WriteString(extra + "sources: [https://example.org/police]\n---\n")
	}
	return b.String()
}

// TestListsOfTheKnowledgeBaseFoldTitles: the lists the knowledge base
// orders itself — who flies a vendor's drones, the agencies a law
// affects, the entries that reference one — and the countries of a
// section's list and of the tracker's country order sort as titles do:
// Île among the i's, Córdoba before Corrientes, Åland and Côte d'Ivoire
// among the a's and c's, not after Wyoming and Zambia. They compared
// bytes (found in review: the site's own lists had been mended, these
// were left).
func TestListsOfTheKnowledgeBaseFoldTitles(t *testing.T) {
	s := sitetest.BuildArchive(t, foldedKB, site.Options{})
	agencies := []string{"agencies/cordoba", "agencies/corrientes", "agencies/idaho", "agencies/utah", "agencies/wyoming"}
	// under returns the agencies linked under a page's heading, in order.
	under := func(page, heading string) []string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(page), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		i := strings.Index(text, `id="`+heading+`"`)
		if i < 0 {
			t.Fatalf("/%s has no heading %s", page, heading)
		}
		text = text[i:]
		if j := strings.Index(text[1:], "<h2"); j >= 0 {
			text = text[:j+1]
		}
		var out []string
		for _, m := range agencyHref.FindAllStringSubmatch(text, -1) {
			if id := "agencies/" + m[1]; !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out
	}
	for _, c := range []struct{ page, heading string }{
		{"vendors/dji/", "flown-h"},
		{"vendors/dji/", "referenced-by-h"},
		{"laws/ban/", "affects-h"},
	} {
		if got := under(c.page, c.heading); !slices.Equal(got, agencies) {
			t.Errorf("/%s#%s lists %q, want %q", c.page, c.heading, got, agencies)
		}
	}
	// Countries: /agencies/ groups by country, and /tracker/sort/country/
	// orders by the country's name.
	countries := []string{"agencies/aland", "agencies/ivory", "agencies/cuba", "agencies/zambia"}
	only := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if slices.Contains(countries, id) {
				out = append(out, id)
			}
		}
		return out
	}
	var listed []string
	for _, h := range listEntries(t, parseFile(t, filepath.Join(s.Dir, "agencies", "index.html"))) {
		listed = append(listed, strings.Trim(strings.TrimPrefix(h, s.Base), "/"))
	}
	if got := only(listed); !slices.Equal(got, countries) {
		t.Errorf("/agencies/ lists the countries' agencies in the order %q, want %q (Åland Islands, Côte d'Ivoire, Cuba, Zambia)", got, countries)
	}
	var rows []string
	for _, h := range trackerRows(parseFile(t, filepath.Join(s.Dir, "tracker", "sort", "country", "index.html"))) {
		rows = append(rows, strings.Trim(strings.TrimPrefix(h, s.Base), "/"))
	}
	if got := only(rows); !slices.Equal(got, countries) {
		t.Errorf("/tracker/sort/country/ lists %q, want %q", got, countries)
	}
	// The countries' page, and a country's regions.
	linked := func(page string, re *regexp.Regexp) []string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(s.Dir, filepath.FromSlash(page), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		main := string(b)
		if i := strings.Index(main, "<main"); i >= 0 {
			main = main[i:]
		}
		var out []string
		for _, m := range re.FindAllStringSubmatch(main, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		return out
	}
	want := []string{"ax", "cn", "ci", "cu", "fr", "us", "zm"} // Åland Islands, China, Côte d'Ivoire, Cuba, France, United States, Zambia
	if got := linked("countries/", regexp.MustCompile(`<li><a href="[^"]*/countries/([a-z]{2})/">[^<]*</a> <span class="count">`)); !slices.Equal(got, want) {
		t.Errorf("/countries/ lists %q, want %q", got, want)
	}
	// The world map has no Åland.
	if got := linked("countries/", regexp.MustCompile(`<tr><th scope="row"><a href="[^"]*/countries/([a-z]{2})/">`)); !slices.Equal(got, want[1:]) {
		t.Errorf("the world map's table on /countries/ lists %q, want %q", got, want[1:])
	}
	if got, want := linked("countries/fr/", regexp.MustCompile(`<li><a href="[^"]*/countries/fr/([a-z0-9-]+)/">`)), []string{"idf", "nor", "pac"}; !slices.Equal(got, want) {
		t.Errorf("/countries/fr/ lists the regions %q, want %q (Île-de-France, Normandie, Provence-Alpes-Côte-d'Azur)", got, want)
	}
}

var agencyHref = regexp.MustCompile(`href="[^"]*/agencies/([a-z0-9-]+)/"`)
