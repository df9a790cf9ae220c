package site_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
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
const accentsKB = `
-- agencies/wyoming.md --
---
title: Wyoming Police
country: US
tags: [police]
sources: [https://example.org/police]
---
-- agencies/corrientes.md --
---
title: Corrientes Police
country: AR
tags: [police]
sources: [https://example.org/police]
---
-- agencies/cordoba.md --
---
title: Córdoba Police
country: AR
tags: [police]
sources: [https://example.org/police]
---
-- agencies/cordoba-spain.md --
---
title: Cordoba Police
country: ES
tags: [police]
sources: [https://example.org/police]
---
-- agencies/cordoba-city.md --
---
title: CÓRDOBA POLICE
country: AR
tags: [police]
sources: [https://example.org/police]
---
-- agencies/idf.md --
---
title: Île-de-France Police
country: FR
tags: [police]
sources: [https://example.org/police]
---
-- agencies/lodzkie.md --
---
title: Łódzkie Police
country: PL
tags: [police]
sources: [https://example.org/police]
---
-- agencies/opole.md --
---
title: opole police
country: PL
tags: [police]
sources: [https://example.org/police]
---
-- agencies/usti.md --
---
title: Ústí nad Labem Police
country: CZ
tags: [police]
sources: [https://example.org/police]
---
-- agencies/zlin.md --
---
title: Zlín Police
country: CZ
tags: [police]
sources: [https://example.org/police]
---
-- agencies/zdar.md --
---
title: Žďár nad Sázavou Police
country: CZ
tags: [police]
sources: [https://example.org/police]
---
`

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
// Corrientes before Córdoba.
func TestTrackerScriptSortsTitlesAsViews(t *testing.T) {
	if _, err := browser.Path(); err != nil {
		t.Skipf("skipping the browser test: %v (apt-get install chromium)", err)
	}
	s := sitetest.BuildArchive(t, accentsKB, site.Options{})
	srv := httptest.NewServer(sitetest.StaticHost(s.Dir, s.Base))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	p := newPage(ctx, t)
	check := fatalIf(t)
	want := trackerRows(parseFile(t, filepath.Join(s.Dir, "tracker", "sort", "agency", "index.html")))
	if len(want) != 11 {
		t.Fatalf("/tracker/sort/agency/ lists %d agencies, want 11", len(want))
	}
	reversed := slices.Clone(want)
	slices.Reverse(reversed)
	for _, c := range []struct {
		query string
		want  []string
	}{{"", want}, {"?sort=agency", want}, {"?sort=-agency", reversed}} {
		check(p.Navigate(ctx, srv.URL+s.Base+"tracker/"+c.query))
		check(p.Settle(ctx))
		var got []string
		check(p.Eval(ctx, `Array.from(document.querySelectorAll("#tracker-table tbody tr th a")).map(a => a.getAttribute("href"))`, &got))
		if !slices.Equal(got, c.want) {
			t.Errorf("/tracker/%s with JavaScript lists\n%s\nwant\n%s", c.query, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
		for _, e := range p.Errors() {
			t.Errorf("/tracker/%s: %s", c.query, e)
		}
	}
}
