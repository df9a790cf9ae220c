package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestOneAddressPerFile: a file asked for with a slash after it, or with
// "//" or a dot segment on the way, and a folder's index.html, are sent to
// their one address, as a folder without its slash is; each answered 200
// before, a second copy for a CDN to keep (found in review).
func TestOneAddressPerFile(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)
	for path, want := range map[string]string{
		"/robots.txt/":                       "/robots.txt",
		"/agencies/metro-police/index.html/": "/agencies/metro-police/",
		"/agencies/metro-police/index.html":  "/agencies/metro-police/",
		"/index.html":                        "/",
		"/search/index.html?q=drones":        "/search/?q=drones",
		"/agencies//metro-police/":           "/agencies/metro-police/",
		"/agencies/./metro-police":           "/agencies/metro-police/",
		"/data/tracker.csv/?x=1":             "/data/tracker.csv?x=1",
	} {
		res, _ := get(t, ts.URL+path)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q; want 301 to %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	for _, path := range []string{"/robots.txt", "/agencies/metro-police/", "/"} {
		if res, _ := get(t, ts.URL+path); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d; want 200", path, res.StatusCode)
		}
	}
}

// TestOtherSitesMayReadTheData: the search API and the downloads are
// public data that a notebook or another site's page may fetch, and
// revalidate with its ETag: they allow any origin and expose the ETag,
// and a browser's preflight for a conditional request is answered. The
// pages are not opened to other sites.
func TestOtherSitesMayReadTheData(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)
	for _, path := range []string{"/api/search?q=drones", "/data/tracker.csv", "/data/kb.json", "/schema/agency.json"} {
		res, _ := get(t, ts.URL+path)
		// A file's ETag is its bytes'; a search answer's comes from the
		// build a following server read (TestValidatorsAcrossReplicasAndBuilds).
		tagged := res.Header.Get("ETag") != "" || strings.HasPrefix(path, "/api/")
		if res.StatusCode != http.StatusOK || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(res.Header.Get("Access-Control-Expose-Headers"), "ETag") || !tagged {
			t.Errorf("GET %s: %d, Allow-Origin %q, Expose-Headers %q, ETag %q; want 200 open to any origin with its ETag exposed",
				path, res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"), res.Header.Get("Access-Control-Expose-Headers"), res.Header.Get("ETag"))
		}
	}
	for _, page := range []string{"/agencies/metro-police/", "/data/"} {
		if res, _ := get(t, ts.URL+page); res.StatusCode != http.StatusOK || res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("the page %s: %d, allows other origins: %q; want 200 and none", page, res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
		}
	}
	// kb.sqlite is written by the command's build, not this one.
	if err := os.WriteFile(filepath.Join(out, "data", "kb.sqlite"), []byte("SQLite format 3\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, _ := get(t, ts.URL+"/data/kb.sqlite")
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.sqlite3" {
		t.Errorf("kb.sqlite is served as %q; want application/vnd.sqlite3, as datapackage.json says", ct)
	}

	preflight := http.Header{"Origin": {"https://notebook.example"}, "Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Headers": {"if-none-match"}}
	res, _ = do(t, http.MethodOptions, ts.URL+"/api/search?q=drones", preflight)
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(res.Header.Get("Access-Control-Allow-Headers"), "If-None-Match") || res.Header.Get("Access-Control-Allow-Methods") != "GET, HEAD" {
		t.Errorf("the API's preflight: %d %v; want 204 allowing GET with If-None-Match", res.StatusCode, res.Header)
	}
	// Not a preflight, or not for the data: refused as before.
	for _, c := range []struct {
		path   string
		header http.Header
	}{{"/api/search?q=drones", nil}, {"/agencies/metro-police/", preflight}, {"/data/../agencies/", preflight}, {"/data/", preflight}} {
		if res, _ := do(t, http.MethodOptions, ts.URL+c.path, c.header); res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("OPTIONS %s: %d; want 405", c.path, res.StatusCode)
		}
	}
}

// TestOtherAPIAddressesAnswerInJSON: an address under /api/ that is not
// the search answers 404 in JSON, naming the search's address; it got the
// site's HTML 404 page.
func TestOtherAPIAddressesAnswerInJSON(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)
	for _, path := range []string{"/api/nope", "/api/", "/api", "/api/searchx"} {
		res, body := get(t, ts.URL+path)
		checkJSONError(t, res, body, http.StatusNotFound, "the search API is at /api/search")
	}
}

// TestSearchAnswersCompressed: a search answer goes out gzip-compressed to
// a client that accepts it, as the JSON files do, and varies by that.
func TestSearchAnswersCompressed(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	_, ts := startServer(t, out, index, "/", false)
	u := ts.URL + "/api/search?type=agency,vendor,law,incident&size=100"
	plain, plainBody := do(t, http.MethodGet, u, http.Header{"Accept-Encoding": {"identity"}})
	res, body := do(t, http.MethodGet, u, http.Header{"Accept-Encoding": {"gzip"}})
	if len(plainBody) < 1024 {
		t.Fatalf("the answer is %d bytes; the test needs one worth compressing", len(plainBody))
	}
	if res.Header.Get("Content-Encoding") != "gzip" || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("Content-Encoding %q for a gzip client, %q for another; want gzip and none", res.Header.Get("Content-Encoding"), plain.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// The same answer but for the time it took.
	a, b := searchResponse(t, got), searchResponse(t, plainBody)
	a.TookMS, b.TookMS = 0, 0
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the compressed answer does not give the plain one:\n%+v\n%+v", a, b)
	}
	if len(body) >= len(plainBody)/2 {
		t.Errorf("compressed %d bytes to %d", len(plainBody), len(body))
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary is %q; want Accept-Encoding", res.Header.Get("Vary"))
	}
}

// TestNoIndexSaysWhy: search without an index says why, truly: an index
// released for serve --watch's rebuild is being rebuilt, not missing.
func TestNoIndexSaysWhy(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "/")
	srv, ts := startServer(t, out, index, "/", false)
	srv.ReleaseIndex()
	res, body := get(t, ts.URL+"/api/search?q=drones")
	checkJSONError(t, res, body, http.StatusServiceUnavailable, "the search index is being rebuilt")
}
