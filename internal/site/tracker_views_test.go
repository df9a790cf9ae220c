package site_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// checkTrackerViews reads each of the tracker's no-script views — its
// orders, its filters, its earlier dates — in the site paged with size
// agencies a page as a reader does: from its first page through the
// pager's Next links (TestListPages runs it). The pages must list exactly
// the agencies of the view in whole, where every list is on one page, in
// its order, size a page, each page saying which of them it shows; only
// the first page of an order offers the filters; each view tells
// tracker.js which it is and, when it has pages, where the whole table
// is; and /tracker/ itself stays one table of every agency.
func checkTrackerViews(t *testing.T, whole, paged *sitetest.Site, size int) {
	isView := regexp.MustCompile(`^tracker/(sort|on|status|country|level|kind|vendor|evidence)/[^/]+/index\.html$`)
	views, multi := 0, 0
	kinds := map[string]bool{}
	for _, rel := range sitetest.HTMLFiles(t, whole.Dir, "/") {
		rel = strings.TrimPrefix(rel, "/") + "index.html"
		if !isView.MatchString(rel) {
			continue
		}
		views++
		want := trackerRows(parseFile(t, filepath.Join(whole.Dir, rel)))
		base := "/" + strings.TrimSuffix(rel, "index.html")
		pages := checkPaged(t, paged.Dir, base, want, size, "Agencies", trackerRows, func(n, pages int, u string, doc *html.Node) {
			checkTrackerPage(t, u, doc, n, pages, len(want))
		})
		if pages > 1 {
			multi++
			kinds[strings.Split(rel, "/")[1]] = true
		}
	}
	for _, kind := range []string{"sort", "on", "status", "country"} {
		if !kinds[kind] {
			t.Errorf("no /tracker/%s/ view takes more than one page: the test sees too little (%d views, %d paged)", kind, views, multi)
		}
	}

	// /tracker/ is the whole table, on one page, in both builds.
	full := trackerRows(parseFile(t, filepath.Join(paged.Dir, "tracker", "index.html")))
	if want := trackerRows(parseFile(t, filepath.Join(whole.Dir, "tracker", "index.html"))); !slices.Equal(full, want) || len(full) <= size {
		t.Errorf("/tracker/ lists %d agencies with pages of %d, %d with one page", len(full), size, len(want))
	}
	if _, err := os.Stat(filepath.Join(paged.Dir, "tracker", "page")); err == nil {
		t.Error("/tracker/ has pages; it is the whole table")
	}
}

// checkTrackerPage checks what page n of pages of a tracker view listing
// total agencies says besides its rows: the count in its lead, the
// filters on the first page of an order only, and, when it has pages,
// what tracker.js needs to take a reader to the whole table.
func checkTrackerPage(t *testing.T, u string, doc *html.Node, n, pages, total int) {
	t.Helper()
	filter := regexp.MustCompile(`^/tracker/(status|country|level|kind|vendor|evidence)/([^/]+)/`).FindStringSubmatch(u)
	if filter != nil {
		lede := ""
		for _, p := range sitetest.Find(doc, atom.P) {
			if c, _ := sitetest.Attr(p, "class"); c == "lede" {
				lede = sitetest.Text(p)
			}
		}
		if want := fmt.Sprintf("%d agenc", total); !strings.HasPrefix(lede, want) {
			t.Errorf("%s: the lead says %q, want it to start %q", u, lede, want)
		}
	}
	if has := sitetest.ByID(doc, "filters") != nil; strings.HasPrefix(u, "/tracker/sort/") && has != (n == 1) {
		t.Errorf("%s, page %d: the filters are there: %v, want %v", u, n, has, n == 1)
	}
	table := sitetest.ByID(doc, "tracker-table")
	// The column the view is in the order of says so (an earlier date's
	// table is by status, with no column to sort).
	order := "status"
	if strings.HasPrefix(u, "/tracker/sort/") {
		order = strings.Split(u, "/")[3]
	}
	for _, th := range sitetest.Find(table, atom.Th) {
		key, _ := sitetest.Attr(th, "data-sort")
		if sort, _ := sitetest.Attr(th, "aria-sort"); key != "" && (sort == "ascending") != (key == order) {
			t.Errorf("%s: the %s column has aria-sort=%q", u, key, sort)
		}
	}
	_, isPaged := sitetest.Attr(table, "data-paged")
	if isPaged != (pages > 1) {
		t.Errorf("%s: data-paged %v for a view of %d pages", u, isPaged, pages)
	}
	if full, _ := sitetest.Attr(table, "data-full"); pages > 1 && full != "/tracker/" {
		t.Errorf("%s: data-full=%q, want /tracker/", u, full)
	}
	query, _ := sitetest.Attr(table, "data-query")
	var want string
	switch {
	case strings.HasPrefix(u, "/tracker/sort/"):
		want = "sort=" + strings.Split(u, "/")[3]
	case filter != nil:
		// The facet's value as tracker.js compares it: any case.
		want = filter[1] + "=" + filter[2]
		query = strings.ToLower(query)
	}
	if query != want {
		t.Errorf("%s: data-query=%q, want %q", u, query, want)
	}
}

// trackerRows returns the agencies a tracker page's table lists, in order,
// by the links in their rows' headers.
func trackerRows(doc *html.Node) []string {
	var out []string
	for _, tr := range sitetest.Find(sitetest.ByID(doc, "tracker-table"), atom.Tr) {
		ths := sitetest.Find(tr, atom.Th)
		if len(sitetest.Find(tr, atom.Td)) == 0 || len(ths) == 0 {
			continue
		}
		if a := sitetest.Find(ths[0], atom.A); len(a) > 0 {
			href, _ := sitetest.Attr(a[0], "href")
			out = append(out, href)
		}
	}
	return out
}
