package server_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/server"
)

// TestSearchAPI checks the answer's shape over real HTTP.
func TestSearchAPI(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)

	res, body := get(t, ts.URL+"/api/search?q=drones&size=2")
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"total", "took_ms", "hits", "facets"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("the answer has no %q: %s", k, body)
		}
	}
	r := searchResponse(t, body)
	if r.Total != 5 || len(r.Hits) != 2 {
		t.Errorf("q=drones&size=2: total %d, %d hits; want 5 and 2", r.Total, len(r.Hits))
	}
	for _, h := range r.Hits {
		if h.ID == "" || h.Type == "" || h.Title == "" || !strings.HasPrefix(h.URL, "/") || h.Snippet == "" {
			t.Errorf("incomplete hit %+v", h)
		}
	}
	var types []string
	for _, f := range r.Facets["type"] {
		types = append(types, fmt.Sprintf("%s:%d", f.Value, f.Count))
	}
	if got := strings.Join(types, " "); got != "incident:2 agency:1 law:1 vendor:1" {
		t.Errorf("type facets %s", got)
	}
	// A filter-only query.
	_, body = get(t, ts.URL+"/api/search?type=agency&restricted=true")
	if r := searchResponse(t, body); r.Total != 1 || r.Hits[0].ID != "agencies/metro-police" {
		t.Errorf("type=agency&restricted=true: %+v", r)
	}
	// The API's address with a slash is the API too, not the note the
	// build leaves there for static hosts.
	res, body = get(t, ts.URL+"/api/search/?q=drones&size=2")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("GET /api/search/: status %d, %s: %.200s", res.StatusCode, res.Header.Get("Content-Type"), body)
	} else if r := searchResponse(t, body); r.Total != 5 || len(r.Hits) != 2 {
		t.Errorf("GET /api/search/?q=drones&size=2: total %d, %d hits; want 5 and 2", r.Total, len(r.Hits))
	}
	// HEAD answers like GET without a body.
	res, body = do(t, http.MethodHead, ts.URL+"/api/search?q=drones", nil)
	if res.StatusCode != 200 || len(body) != 0 {
		t.Errorf("HEAD: status %d with %d bytes", res.StatusCode, len(body))
	}
}

// TestHostileQueries sends what a careless or hostile client might to the
// real handler. Every one is refused with 400 (or 405) and a JSON error
// that says what to change; none is a 500, and each completes within the
// client's timeout.
func TestHostileQueries(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)

	long := strings.Repeat("drone ", 834) // 5,004 characters
	cases := []struct {
		name, rawQuery string
		says           string // part of the error message
	}{
		{"regular expression", "q=/dro.*/", "regular expressions"},
		{"regular expression, escaped", "q=" + url.QueryEscape("/[a-z]+ne/"), "regular expressions"},
		{"leading wildcard", "q=*rone", "leading wildcards"},
		{"leading wildcard in a phrase of words", "q=police+*rone", "leading wildcards"},
		{"? wildcard", "q=dr%3Fne", "? wildcard"},
		{"fuzziness 2", "q=drone~2", "fuzziness above 1"},
		{"fuzziness 1.5", "q=drone~1.5", "fuzziness above 1"},
		{"fuzziness nonsense", "q=drone~x", "~1"},
		{"a 5,000-character q", "q=" + url.QueryEscape(long), "keep it under 4096"},
		{"a 4,000-character q", "q=" + url.QueryEscape(long[:4000]), "keep it under 500"},
		{"a 5,000-character q of one word", "q=" + strings.Repeat("d", 3000), "keep it under 500"},
		{"broken UTF-8", "q=%ff", "UTF-8"},
		{"broken UTF-8 mid-word", "q=dro%c3ne", "UTF-8"},
		{"bad percent-escape", "q=%zz", "malformed"},
		{"truncated percent-escape", "q=drone%2", "malformed"},
		{"from=-1", "from=-1", "from must be between 0"},
		{"from=abc", "from=abc", "whole number"},
		{"from=1e9", "from=1e9", "whole number"},
		{"from beyond the limit", "from=1000000000", "narrow the search"},
		// from+size overflowed past the largest int and passed the
		// bound; the search on a worker then panicked and ended serve.
		{"from near the largest int", "q=drone&from=9223372036854775800", "narrow the search"},
		{"from the largest int, filters only", "type=agency&from=9223372036854775807", "narrow the search"},
		{"size=0", "size=0", "size must be between 1 and 100"},
		{"size=101", "size=101", "size must be between 1 and 100"},
		{"size=-1", "size=-1", "size must be between 1 and 100"},
		{"unknown parameter", "q=drones&debug=1", `unknown parameter "debug"`},
		{"unknown parameter, hostile name", "%3Cscript%3E=1", "unknown parameter"},
		{"unknown type", "type=robot", "type must be one of agency, vendor, law, incident"},
		{"unknown status", "status=flying", "status must be one of"},
		{"unknown sort", "sort=random", "sort must be one of"},
		// A country's name or alpha-3 code is told its code, as the CLI
		// tells it.
		{"country=FRA", "country=FRA", `two-letter ISO code such as FR, not "FRA"; did you mean "FR"?`},
		{"country=France", "country=US,France", `not "France"; did you mean "FR"?`},
		{"country=United%20Kingdom", "country=United%20Kingdom", `did you mean "GB"?`},
		{"country=Atlantis", "country=Atlantis", `country must be a two-letter ISO code such as FR, not "Atlantis"`},
		{"vendor not a slug", "vendor=Sky%20Eye", "not a slug"},
		{"restricted=maybe", "restricted=maybe", "true or false"},
		{"repeated q", "q=drones&q=police", "give q once"},
		{"a prefix of one letter", "q=a*", "at least 2 letters"},
		{"a prefix of punctuation", "q=-*", "leading wildcards"},
		{"only quotes", "q=" + url.QueryEscape(strings.Repeat(`"`, 200)), "no letters or digits"},
		{"deeply nested quotes, no words", "q=" + url.QueryEscape(strings.Repeat(`"'`, 100)+strings.Repeat(`'"`, 100)), "no letters or digits"},
		{"only punctuation", "q=" + url.QueryEscape(`!.,;:()[]{}<>&^%$#@ ... --- !!!`), "no letters or digits"},
		{"NUL byte", "q=drone%00", "control character"},
		{"other control character", "q=drone%1b", "control character"},
		{"too many words", "q=" + strings.Repeat("w+", 40), "at most 32"},
		// Another engine's field syntax, for a field the index has or
		// not, matched nothing with a 200.
		{"a field name", "q=title:police", "field names (title:police) are not supported"},
		{"a date field", "q=date:2020", "field names (date:2020) are not supported: search the words alone, and narrow with the filters (type, country, vendor, restricted, since and until for dates)"},
		{"a date range", "q=date:%3E2020", "field names (date:>2020) are not supported"},
		{"an unknown field", "q=foo:bar", "field names (foo:bar) are not supported"},
		{"too many filter values", "type=" + strings.Repeat("law,", 70), "too many filter values"},
		{"query string over 4 KB", "q=drones&tag=" + strings.Repeat("x", 4200), "keep it under 4096"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, body := get(t, ts.URL+"/api/search?"+c.rawQuery)
			checkJSONError(t, res, body, http.StatusBadRequest, c.says)
		})
	}

	t.Run("methods", func(t *testing.T) {
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
			res, body := do(t, m, ts.URL+"/api/search?q=drones", nil)
			checkJSONError(t, res, body, http.StatusMethodNotAllowed, "only GET and HEAD")
			if allow := res.Header.Get("Allow"); allow != "GET, HEAD" {
				t.Errorf("%s: Allow %q, want GET, HEAD", m, allow)
			}
		}
		// Pages refuse other methods too.
		res, _ := do(t, http.MethodPost, ts.URL+"/", nil)
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST /: status %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
		}
	})

	// Deeply nested quotes around a word, and a trailing ?, are not
	// errors: the word is searched for.
	for _, q := range []string{strings.Repeat(`"`, 50) + "drones" + strings.Repeat(`"`, 50), "drones?", `"facial recognition`} {
		res, body := get(t, ts.URL+"/api/search?q="+url.QueryEscape(q))
		if res.StatusCode != 200 {
			t.Errorf("q=%.40s: status %d: %s", q, res.StatusCode, body)
		} else if r := searchResponse(t, body); r.Total == 0 {
			t.Errorf("q=%.40s: no hits", q)
		}
	}

	// A colon that is no field's is text: a time, a URL, a word before
	// a colon and a space.
	// An address's or identifier's scheme, and text of another script, are
	// text too.
	for _, q := range []string{"drones 10:30", "drones https://www.nyc.gov/site/nypd/", "drones: police", "drones:)",
		"tel:+33142760000", "doi:10.1109/abc", "urn:isbn:9780000000000", "警察:无人机"} {
		res, body := get(t, ts.URL+"/api/search?q="+url.QueryEscape(q))
		if res.StatusCode != 200 {
			t.Errorf("q=%s: status %d: %s", q, res.StatusCode, body)
		}
	}

	// Dates past what bleve holds, on the side that keeps nothing, keep
	// nothing: bleve refused them, and the API and the page without
	// script answered 500.
	for _, q := range []string{"since=3000", "since=9999-12-31", "until=1000", "q=drones&until=1600-01-01", "since=2263&until=9999"} {
		res, body := get(t, ts.URL+"/api/search?"+q)
		if res.StatusCode != 200 {
			t.Errorf("/api/search?%s: status %d: %.200s", q, res.StatusCode, body)
		} else if r := searchResponse(t, body); r.Total != 0 {
			t.Errorf("/api/search?%s: %d hits, want none", q, r.Total)
		}
		if res, body := get(t, ts.URL+"/search/?"+q); res.StatusCode != 200 {
			t.Errorf("/search/?%s: status %d: %.200s", q, res.StatusCode, body)
		}
	}

	// A query string too long is a 400 with a JSON error however long
	// it is: past the request's header limit too, where net/http would
	// answer in plain text (431). A page's path gets the same in text.
	for _, n := range []int{10 << 10, 40 << 10, 100 << 10, 1 << 20} {
		res, body := get(t, ts.URL+"/api/search?q="+strings.Repeat("x", n))
		checkJSONError(t, res, body, http.StatusBadRequest, "under 4096")
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("a %d-byte query string: the error is not readable by other sites' pages", n)
		}
	}
	res, body := get(t, ts.URL+"/agencies/?"+strings.Repeat("x", 100<<10))
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusBadRequest || !strings.HasPrefix(ct, "text/plain") || !strings.Contains(string(body), "over 16384 bytes") {
		t.Errorf("a page with a 100 kB query string: %d %s %.200s", res.StatusCode, ct, body)
	}
}

func checkJSONError(t *testing.T, res *http.Response, body []byte, code int, says string) {
	t.Helper()
	if res.StatusCode != code {
		t.Errorf("status %d, want %d: %.200s", res.StatusCode, code, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
	var e map[string]string
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not JSON: %v: %.200s", err, body)
	}
	if len(e) != 1 || e["error"] == "" {
		t.Errorf("want {\"error\": …}, got %.200s", body)
	}
	if !strings.Contains(e["error"], says) {
		t.Errorf("error %q does not say %q", e["error"], says)
	}
	if len(e["error"]) > 300 {
		t.Errorf("error of %d bytes: keep it short: %.100s…", len(e["error"]), e["error"])
	}
}

// rawRequest sends target exactly as given in the request line, as a
// hostile client would (net/http's client would clean some of it), and
// returns the status and body.
func rawRequest(t *testing.T, addr, method, target string) (int, http.Header, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, addr)
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	var b strings.Builder
	_, _ = bufio.NewReader(res.Body).WriteTo(&b)
	return res.StatusCode, res.Header, b.String()
}

// TestNoIndex: before an index is set (serve --watch's first build failed),
// the API answers 503 with a JSON error and Retry-After; pages still serve.
func TestNoIndex(t *testing.T) {
	_, out, _ := builtSite(t, t.TempDir(), "/")
	srv := server.New(server.Config{Out: out, BasePath: "/"})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	res, body := get(t, ts.URL+"/api/search?q=drones")
	checkJSONError(t, res, body, http.StatusServiceUnavailable, "the search index is missing: not built yet, or removed")
	if res.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	// A bad query is still the client's to fix, index or not.
	res, body = get(t, ts.URL+"/api/search?q=*rone")
	checkJSONError(t, res, body, http.StatusBadRequest, "leading wildcards")
	if res, _ := get(t, ts.URL+"/"); res.StatusCode != 200 {
		t.Errorf("GET /: status %d", res.StatusCode)
	}
}
