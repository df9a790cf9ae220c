package server_test

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/search"
	"github.com/dronekb/dronekb/internal/server"
)

// TestSearchCSV downloads a search's hits as CSV (format=csv), as a
// researcher does from the API or the search page's link: the rows are
// the hits the JSON answer gives, in its order, under search.CSVHeader;
// without size or from, every hit; with them, that page. A format it
// does not write, or two, is a JSON 400.
func TestSearchCSV(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)

	jsonHits := func(params string) []search.Hit {
		res, body := get(t, ts.URL+"/api/search?"+params)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %s", params, res.StatusCode, body)
		}
		return searchResponse(t, body).Hits
	}
	for _, c := range []struct{ csv, json string }{
		{"q=drones&format=csv", "q=drones&size=100"},
		{"type=agency,law&sort=title&format=csv", "type=agency,law&sort=title&size=100"},
		{"q=drones&format=csv&from=1&size=2", "q=drones&from=1&size=2"},
	} {
		rows := csvRows(t, ts.URL+"/api/search?"+c.csv)
		want := jsonHits(c.json)
		if len(rows) != len(want)+1 || len(want) == 0 {
			t.Errorf("%s: %d rows, want a header and %d hits", c.csv, len(rows), len(want))
			continue
		}
		if !slices.Equal(rows[0], search.CSVHeader) {
			t.Errorf("%s: header %q", c.csv, rows[0])
		}
		for i, h := range want {
			if !slices.Equal(rows[i+1], h.CSVRecord()) {
				t.Errorf("%s: row %d is %q, the JSON's hit %q", c.csv, i+1, rows[i+1], h.CSVRecord())
			}
		}
	}

	res, body := get(t, ts.URL+"/api/search?q=drones&format=xml")
	checkJSONError(t, res, body, http.StatusBadRequest, `format must be json or csv, not "xml"`)
	res, body = get(t, ts.URL+"/api/search?q=drones&format=csv&format=json")
	checkJSONError(t, res, body, http.StatusBadRequest, "format is given more than once")
	// A mistyped format is told the parameters, format among them.
	res, body = get(t, ts.URL+"/api/search?q=drones&fromat=csv")
	checkJSONError(t, res, body, http.StatusBadRequest, `unknown parameter "fromat"; use q, type, country, vendor, status, tag, restricted, since, until, sort, from, size and format`)
	// format= empty is the default, JSON, as every other parameter
	// given empty is its default (the README's example has format=).
	for _, f := range []string{"json", ""} {
		if res, _ := get(t, ts.URL+"/api/search?q=drones&format="+f); res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("format=%s: %d %s", f, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}

	// The page without script links to the download of its search,
	// whichever page of it is shown.
	_, body = get(t, ts.URL+"/search/?q=drones&type=agency,incident,law,vendor&size=2&from=2")
	link := `<p class="search-download"><a href="/api/search?format=csv&amp;q=drones&amp;type=agency%2Cincident%2Claw%2Cvendor" download="dronekb-search.csv">Download the 5 matches as CSV</a></p>`
	if !strings.Contains(string(body), link) {
		t.Errorf("the page does not link to its hits as CSV: %s", between(string(body), `<ol class="hits"`, "</section>"))
	}
	if rows := csvRows(t, ts.URL+"/api/search?format=csv&q=drones&type=agency%2Cincident%2Claw%2Cvendor"); len(rows) != 6 {
		t.Errorf("the page's download has %d rows, want a header and 5 hits", len(rows))
	}
}

// csvRows gets a CSV answer and reads it.
func csvRows(t *testing.T, url string) [][]string {
	t.Helper()
	res, body := get(t, url)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", url, res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", url, ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="dronekb-search.csv"` {
		t.Errorf("%s: Content-Disposition %q", url, cd)
	}
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return rows
}

// TestSearchCSVCitesTheAddress: a site built for an absolute --base-url
// gives each hit's url in the search's CSV as its address there, as the
// site's downloads and dronekb search --format csv do, and its search
// page names that address for the static search's CSV. The CSV gave the
// path alone (found in a researcher's audit).
func TestSearchCSVCitesTheAddress(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "https://example.org/kb/")
	// As serve starts: the index and the site's address from the
	// build's manifests.
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/kb/"})
	if err := srv.SyncIndex(); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, srv)
	rows := csvRows(t, ts.URL+"/kb/api/search?q=drones&format=csv")
	if len(rows) < 2 {
		t.Fatalf("%d rows", len(rows))
	}
	col := slices.Index(rows[0], "url")
	for _, r := range rows[1:] {
		if !strings.HasPrefix(r[col], "https://example.org/kb/") {
			t.Errorf("%s's url is %q; want its address on https://example.org/kb/", r[0], r[col])
		}
	}
	_, body := get(t, ts.URL+"/kb/search/")
	if !strings.Contains(string(body), `data-address="https://example.org/kb/"`) {
		t.Errorf("the search page does not name the site's address for its CSV: %s", between(string(body), `<form`, ">"))
	}
}

// TestSearchCSVTagNamesTheAddress: the same knowledge base built again for
// another address (a mirror) has the same build ID, and a search's CSV
// gives the other address's URLs: a client holding the first CSV is not
// told it is unchanged.
func TestSearchCSVTagNamesTheAddress(t *testing.T) {
	content, out, index := builtSite(t, t.TempDir(), "https://example.org/kb/")
	srv := server.New(server.Config{Out: out, Index: index, BasePath: "/kb/"})
	if err := srv.SyncIndex(); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, srv)
	const q = "/kb/api/search?q=drones&format=csv"
	first, body := get(t, ts.URL+q)
	tag := first.Header.Get("ETag")
	if first.StatusCode != 200 || tag == "" || !strings.Contains(string(body), "https://example.org/kb/") {
		t.Fatalf("the first CSV: status %d, ETag %q", first.StatusCode, tag)
	}
	rebuild(t, content, out, index, "https://mirror.example.net/kb/")
	if err := srv.SyncIndex(); err != nil {
		t.Fatal(err)
	}
	res, body := do(t, http.MethodGet, ts.URL+q, http.Header{"If-None-Match": {tag}})
	if res.StatusCode != 200 || !strings.Contains(string(body), "https://mirror.example.net/kb/") {
		t.Errorf("built for another address, the CSV asked again with the first one's ETag: status %d, %.200s", res.StatusCode, body)
	}
}
