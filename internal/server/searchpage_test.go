package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/dronekb/dronekb/internal/server"
	"github.com/dronekb/dronekb/internal/site/sitetest"
)

// TestSearchPageWithoutScript submits the search form as a browser without
// JavaScript does (GET /search/?q=…) and reads what the page shows: the
// server writes the answer into the search page the build wrote — how
// many entries match, the hits with their links, a link to the next page —
// and the form shows what was asked. A refused search says why, with a
// 400; hostile words are text; a page asked without a search is the file.
func TestSearchPageWithoutScript(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)
	hit := regexp.MustCompile(`<li class="hit"><h3><a href="(/[^"]+/)">([^<]+)</a></h3>`)

	res, body := get(t, ts.URL+"/search/?q=drones&country=&vendor=&status=&sort=relevance")
	page := string(body)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.Contains(page, `class="search-status">5 entries match “drones”.</div>`) {
		t.Errorf("the status does not say how many entries match:\n%s", between(page, `id="search-status"`, "</div>"))
	}
	hits := hit.FindAllStringSubmatch(page, -1)
	if len(hits) != 5 {
		t.Fatalf("%d hits on the page, want 5", len(hits))
	}
	for _, h := range hits {
		if res, _ := get(t, ts.URL+h[1]); res.StatusCode != 200 {
			t.Errorf("hit %q links to %s: status %d", h[2], h[1], res.StatusCode)
		}
	}
	if !strings.Contains(page, `id="q" name="q" value="drones"`) {
		t.Error("the search box does not show the words searched for")
	}
	// The tab, the history and a bookmark name the words.
	if title := between(page, "<title>", "</title>"); !strings.HasPrefix(title, "<title>drones — Search · ") {
		t.Errorf("the page's title does not name the search: %s", title)
	}
	_, body = get(t, ts.URL+"/search/?q="+url.QueryEscape(`<b>"x"</b> `+strings.Repeat("é", 70)))
	if title := between(string(body), "<title>", "</title>"); !strings.HasPrefix(title, "<title>&lt;b&gt;&#34;x&#34;&lt;/b&gt; "+strings.Repeat("é", 49)+"… — Search · ") {
		t.Errorf("a long or hostile query's title: %s", title)
	}
	if strings.Count(page, "<mark>") == 0 {
		t.Error("no snippet marks the words")
	}

	// A French name is marked French, as on the entry's own page.
	_, body = get(t, ts.URL+"/search/?q=brigade")
	if page := string(body); !strings.Contains(page, `<a href="/agencies/paris-fire/" lang="fr">Brigade de sapeurs-pompiers de Paris</a>`) {
		t.Errorf("the French name is not marked French among the results: %s", between(page, `<ol class="hits"`, "</ol>"))
	}

	// A page of two, then the next by the page's own link.
	_, body = get(t, ts.URL+"/search/?q=drones&type=agency,incident,law,vendor&size=2")
	page = string(body)
	if !strings.Contains(page, "5 entries match “drones”; showing 1 to 2.") || len(hit.FindAllString(page, -1)) != 2 {
		t.Fatalf("size=2: %s", between(page, `id="search-status"`, "</div>"))
	}
	for _, ty := range []string{"agency", "incident", "law", "vendor"} {
		if !strings.Contains(page, `name="type" value="`+ty+`" checked>`) {
			t.Errorf("the %s box is not checked", ty)
		}
	}
	more := regexp.MustCompile(`<a class="more" href="(\?[^"]+)">More results \(2 of 5\)</a>`).FindStringSubmatch(page)
	if more == nil {
		t.Fatal("no link to more results")
	}
	_, body = get(t, ts.URL+"/search/"+strings.ReplaceAll(more[1], "&amp;", "&"))
	if page := string(body); !strings.Contains(page, "showing 3 to 4.") || !strings.Contains(page, `<ol class="hits" start="3">`) {
		t.Errorf("the next page: %s", between(page, `id="search-status"`, "</div>"))
	}

	// A shared link with parameters of its own, a value given twice or a
	// page that is no number is still the search, as the page's script
	// reads it; the next page's link drops what is no search's.
	for _, u := range []string{"/search/?q=drones&fbclid=abc&utm_source=x", "/search/?q=drones&q=police", "/search/?q=drones&from=abc&size=x"} {
		res, body := get(t, ts.URL+u)
		if page := string(body); res.StatusCode != 200 || !strings.Contains(page, "5 entries match “drones”.") {
			t.Errorf("GET %s: status %d, %s", u, res.StatusCode, between(page, `id="search-status"`, "</div>"))
		}
	}
	// A law's hit names its status in words, as the script does.
	if _, body := get(t, ts.URL+"/search/?type=law"); !strings.Contains(string(body), " · Law in force") {
		t.Errorf("type=law: no hit says \"Law in force\": %s", between(string(body), `<ol class="hits"`, "</ol>"))
	}
	// A filter the form has no field for rides along when it is sent again.
	if _, body := get(t, ts.URL+"/search/?status=in-force&tag=drones"); !strings.Contains(string(body), `<input type="hidden" name="status" value="in-force"><input type="hidden" name="tag" value="drones">`) {
		t.Error("status and tag are not kept in the form")
	}

	// Dates: the form shows them, and the page lists what the API finds;
	// one that is no date is left out, as the page's script leaves it.
	for _, u := range []string{"since=2019&until=2021", "since=2021-06&q=drones", "until=2020-05-16"} {
		_, body := get(t, ts.URL+"/search/?"+u+"&size=100")
		page := string(body)
		v, _ := url.ParseQuery(u)
		for _, k := range []string{"since", "until"} {
			if v.Get(k) != "" && !strings.Contains(page, `id="f-`+k+`" name="`+k+`" value="`+v.Get(k)+`"`) {
				t.Errorf("%s: the form does not show %s", u, k)
			}
		}
		_, api := get(t, ts.URL+"/api/search?"+u+"&size=100")
		var r struct{ Total int }
		if err := json.Unmarshal(api, &r); err != nil {
			t.Fatal(err)
		}
		if got := len(hit.FindAllString(page, -1)); got != r.Total || got == 0 {
			t.Errorf("%s: the page lists %d hits, the API finds %d", u, got, r.Total)
		}
	}
	if _, body := get(t, ts.URL+"/search/?q=drones&since=soon"); !strings.Contains(string(body), "5 entries match “drones”.") {
		t.Errorf("since=soon: %s", between(string(body), `id="search-status"`, "</div>"))
	}

	// A country by its name is told its code.
	if res, body := get(t, ts.URL+"/search/?country=France"); res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "did you mean &#34;FR&#34;?") {
		t.Errorf("country=France: status %d, %s", res.StatusCode, between(string(body), `id="search-status"`, "</div>"))
	}

	// A refused search says why.
	res, body = get(t, ts.URL+"/search/?q=*rone")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "leading wildcards") {
		t.Errorf("q=*rone: status %d, %s", res.StatusCode, between(string(body), `id="search-status"`, "</div>"))
	}

	// Words are text, in the status and in the box alike.
	res, body = get(t, ts.URL+`/search/?q=%3Cscript%3Ealert(1)%3C/script%3E%22+drones`)
	if res.StatusCode != 200 || bytes.Contains(body, []byte("<script>alert")) || !bytes.Contains(body, []byte(`value="&lt;script&gt;alert(1)&lt;/script&gt;&#34; drones"`)) {
		t.Errorf("hostile words: status %d, %s", res.StatusCode, between(string(body), `id="search-status"`, "</div>"))
	}

	// Bytes that are no text are refused, and the page that says so
	// is UTF-8 throughout, the form marking where they were.
	res, body = get(t, ts.URL+`/search/?q=a%00b%1Bc%FFd`)
	if res.StatusCode != http.StatusBadRequest || !utf8.Valid(body) || bytes.ContainsFunc(body, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) ||
		!bytes.Contains(body, []byte("value=\"a\uFFFDb\uFFFDc\uFFFDd\"")) {
		t.Errorf("q=a%%00b%%1Bc%%FFd: status %d, the form %q", res.StatusCode, between(string(body), `id="q"`, ">"))
	}

	// Without a search, and with only the form's empty fields, the page
	// is the file the build wrote.
	file, err := os.ReadFile(filepath.Join(out, "search", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"/search/", "/search/?q=&country=&vendor=&status=&sort=relevance", "/search/?from=3", "/search/?restricted=false&size=2", "/search/?fbclid=abc"} {
		if _, body := get(t, ts.URL+u); !bytes.Equal(body, file) {
			t.Errorf("GET %s is not the search page as built", u)
		}
	}
}

// between returns what follows start in s up to end, for messages.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return "(no " + start + ")"
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j+len(end)]
	}
	return s
}

// TestSearchPageWithoutIndex: with no index to search (before the first
// build, or after one killed between its swaps), the page without script
// says why, with the API's 503, where it showed a search that found
// nothing.
func TestSearchPageWithoutIndex(t *testing.T) {
	_, out, _ := builtSite(t, t.TempDir(), "/")
	ts := newTestServer(t, server.New(server.Config{Out: out, BasePath: "/"}))
	res, body := get(t, ts.URL+"/search/?q=drones")
	page := string(body)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(between(page, `id="search-status"`, "</div>"), "the search index is missing: not built yet, or removed") {
		t.Errorf("/search/?q=drones without an index: status %d, says %q", res.StatusCode, between(page, `id="search-status"`, "</div>"))
	}
	// The page itself, asked nothing, is the page.
	if res, _ := get(t, ts.URL+"/search/"); res.StatusCode != 200 {
		t.Errorf("/search/ without an index: status %d", res.StatusCode)
	}
}

// TestSearchPageSaysWhereItStops: at the last hit a search pages to (the
// 1000th), the page without script says the others are not listed and
// how to get them, where it stopped without a word (found in review); a
// page whose size passes the 1000th ends at it, not before.
func TestSearchPageSaysWhereItStops(t *testing.T) {
	root := t.TempDir()
	var archive strings.Builder
	archive.WriteString(serverKB)
	for i := range 1010 {
		fmt.Fprintf(&archive, "-- vendors/maker-%04d.md --\n---\ntitle: Maker %04d\nsummary: A maker of gyroplanes.\ncountry: CN\n---\n", i, i)
	}
	content, out, index := filepath.Join(root, "content"), filepath.Join(root, "public"), filepath.Join(root, "index")
	sitetest.WriteContent(t, content, sitetest.Content(t, archive.String()))
	rebuild(t, content, out, index, "/")
	_, ts := startServer(t, out, index, "/", false)

	_, body := get(t, ts.URL+"/search/?q=gyroplanes&sort=title&from=980&size=15")
	page := string(body)
	more := regexp.MustCompile(`<a class="more" href="(\?[^"]+)">More results \(995 of 1010\)</a>`).FindStringSubmatch(page)
	if more == nil {
		t.Fatalf("hits 981 to 995: no link to more: %s", between(page, `id="search-status"`, "</div>"))
	}
	_, body = get(t, ts.URL+"/search/"+strings.ReplaceAll(more[1], "&amp;", "&"))
	page = string(body)
	if !strings.Contains(page, "1010 entries match “gyroplanes”; showing 996 to 1000.") {
		t.Errorf("the last page: %s", between(page, `id="search-status"`, "</div>"))
	}
	if strings.Contains(page, `class="more"`) {
		t.Error("the last page a search reaches links to a next one")
	}
	want := `<p class="search-cap">Only the first 1000 of the 1010 matches are listed here. Narrow the search with words or filters to see the others. ` +
		`Every entry is in the <a href="/data/">downloads</a>, and <code>dronekb search --all</code> lists every match from a built index.</p>`
	if !strings.Contains(page, want) {
		t.Errorf("the last page does not say the others are not listed: %s", between(page, `<ol class="hits"`, "</section>"))
	}
	if _, body := get(t, ts.URL+"/search/?q=gyroplanes"); strings.Contains(string(body), "search-cap") {
		t.Error("the first page says the list stops")
	}
	// Its download holds every hit the list reaches, in the list's order.
	if !strings.Contains(page, `<a href="/api/search?format=csv&amp;q=gyroplanes&amp;sort=title" download="dronekb-search.csv">Download the first 1000 of the 1010 matches as CSV</a>`) {
		t.Errorf("the last page's download link: %s", between(page, `class="search-cap"`, "</section>"))
	}
	// An empty size or from is none, as it is to the JSON: every hit
	// still, not the first page's ten.
	for _, extra := range []string{"", "&size=&from="} {
		rows := csvRows(t, ts.URL+"/api/search?format=csv&q=gyroplanes&sort=title"+extra)
		if len(rows) != 1001 || rows[1][0] != "vendors/maker-0000" || rows[1000][0] != "vendors/maker-0999" {
			t.Errorf("the download%s: %d rows, from %q to %q; want a header and makers 0000 to 0999", extra, len(rows), rows[1], rows[len(rows)-1])
		}
	}
}

// TestSearchPageSaysWhyAFilterFindsNothing: the page without script says
// what the API's notes say, where a country code mistyped in the address
// answered "No entries match" and no word why (found in review).
func TestSearchPageSaysWhyAFilterFindsNothing(t *testing.T) {
	root := t.TempDir()
	content, out, index := filepath.Join(root, "content"), filepath.Join(root, "public"), filepath.Join(root, "index")
	sitetest.WriteContent(t, content, sitetest.Content(t, serverKB))
	rebuild(t, content, out, index, "/")
	_, ts := startServer(t, out, index, "/", false)
	_, body := get(t, ts.URL+"/search/?country=UK&tag=zzqx")
	status := html.UnescapeString(between(string(body), `id="search-status"`, "</div>"))
	for _, want := range []string{`No entries match.`, `"UK" is not an ISO 3166-1 country code; the United Kingdom's is "GB".`, `No entry in the index has the tag "zzqx".`} {
		if !strings.Contains(status, want) {
			t.Errorf("the status says %q; want it to say %q", status, want)
		}
	}
	// A note that asks ends with its question mark, not "?." (found in a
	// researcher's audit).
	_, body = get(t, ts.URL+"/search/?vendor=skyey")
	status = html.UnescapeString(between(string(body), `id="search-status"`, "</div>"))
	if !strings.Contains(status, `did you mean "skyeye"`) || !strings.HasSuffix(status, `(SkyEye Robotics)?</div>`) {
		t.Errorf("vendor=skyey: the status says %q; want it to end with the question that suggests skyeye", status)
	}
}
