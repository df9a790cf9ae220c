package server_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dronekb/dronekb/internal/server"
)

const secret = "TOP SECRET: never served"

// TestStaticFiles: the server serves what the build wrote and nothing else —
// no listings, no dotfiles, no symlinks, nothing outside out/ however the
// path is spelled — with the security headers on every answer.
func TestStaticFiles(t *testing.T) {
	root := t.TempDir()
	_, out, index := builtSite(t, root, "/")
	// Files beside out/ that no request may reach.
	if err := os.WriteFile(filepath.Join(root, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	// Inside out/: symlinks to the outside, a dot-directory, a directory
	// without index.html.
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(root, "secret.txt"), filepath.Join(out, "link.txt")))
	must(os.Symlink(outside, filepath.Join(out, "linkdir")))
	must(os.Symlink("../secret.txt", filepath.Join(out, "agencies", "rel.txt")))
	must(os.MkdirAll(filepath.Join(out, ".git"), 0o755))
	must(os.WriteFile(filepath.Join(out, ".git", "config"), []byte(secret), 0o644))
	must(os.WriteFile(filepath.Join(out, ".env"), []byte(secret), 0o644))
	must(os.MkdirAll(filepath.Join(out, "empty", "sub"), 0o755))
	must(os.WriteFile(filepath.Join(out, "empty", "listed.txt"), []byte("a file"), 0o644))

	_, ts := startServer(t, out, index, "/", false)
	addr := strings.TrimPrefix(ts.URL, "http://")
	notFoundPage, err := os.ReadFile(filepath.Join(out, "404.html"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("pages", func(t *testing.T) {
		for _, p := range []string{"/", "/agencies/metro-police/", "/search/", "/data/kb.json", "/assets/style.css", "/feed.xml", "/robots.txt"} {
			res, body := get(t, ts.URL+p)
			if res.StatusCode != 200 || len(body) == 0 {
				t.Errorf("GET %s: status %d, %d bytes", p, res.StatusCode, len(body))
			}
			checkHeaders(t, "GET "+p, res.Header)
		}
		res, body := get(t, ts.URL+"/agencies/metro-police/")
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("page Content-Type %q", ct)
		}
		if !strings.Contains(string(body), "Metro Police Department") {
			t.Errorf("the agency page does not show its title")
		}
		if strings.Contains(string(body), "_dronekb/reload.js") {
			t.Errorf("without --watch a page has the live-reload script")
		}
	})

	t.Run("not found", func(t *testing.T) {
		for _, p := range []string{
			"/nope/", "/agencies/nope/", "/index.html/x",
			// dotfiles and dot-directories
			"/.dronekb.json", "/.git/config", "/.git/", "/.env", "/%2edronekb.json", "/agencies/../.env", "/./.env",
			// symlinks, to a file or a directory outside, or relative
			"/link.txt", "/linkdir/secret.txt", "/linkdir/", "/agencies/rel.txt",
			// a directory without index.html is not listed
			"/empty/", "/empty/sub/", "/assets/",
		} {
			res, body := get(t, ts.URL+p)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", p, res.StatusCode)
			}
			if string(body) != string(notFoundPage) {
				t.Errorf("GET %s: the body is not the site's 404 page: %.120s", p, body)
			}
			if strings.Contains(string(body), secret) || strings.Contains(string(body), "listed.txt") {
				t.Errorf("GET %s: leaked %.120s", p, body)
			}
			checkHeaders(t, "GET "+p, res.Header)
		}
		// HEAD of a missing page: 404, no body.
		res, body := do(t, http.MethodHead, ts.URL+"/nope/", nil)
		if res.StatusCode != 404 || len(body) != 0 {
			t.Errorf("HEAD /nope/: status %d, %d bytes", res.StatusCode, len(body))
		}
	})

	t.Run("traversal", func(t *testing.T) {
		// Sent raw: the request line exactly as written.
		for _, target := range []string{
			"/../secret.txt", "/../../secret.txt", "/../../../../../../etc/passwd",
			"/%2e%2e/secret.txt", "/%2E%2E/%2E%2E/etc/passwd", "/agencies/%2e%2e/%2e%2e/secret.txt",
			"/..%2fsecret.txt", "/..%2f..%2fetc%2fpasswd", "/%2e%2e%2fsecret.txt",
			"/..\\secret.txt", "/..%5csecret.txt", "/%5c..%5c..%5csecret.txt", "/agencies\\..\\..\\secret.txt",
			"/linkdir/../../secret.txt", "/%00/../secret.txt", "/secret.txt%00.html",
			"//etc/passwd", "/./../secret.txt", "/..;/secret.txt",
		} {
			code, _, body := rawRequest(t, addr, "GET", target)
			if strings.Contains(body, secret) || strings.Contains(body, "root:x:") {
				t.Errorf("GET %s: status %d served a file outside out/", target, code)
			}
			if code != http.StatusNotFound && code != http.StatusBadRequest {
				t.Errorf("GET %s: status %d, want 404 (or net/http's 400)", target, code)
			}
		}
	})

	t.Run("HEAD", func(t *testing.T) {
		_, full := get(t, ts.URL+"/data/kb.json")
		res, body := do(t, http.MethodHead, ts.URL+"/data/kb.json", nil)
		if res.StatusCode != 200 || len(body) != 0 {
			t.Errorf("HEAD: status %d, %d bytes of body", res.StatusCode, len(body))
		}
		if res.ContentLength != int64(len(full)) {
			t.Errorf("HEAD: Content-Length %d, the file has %d", res.ContentLength, len(full))
		}
		if res.Header.Get("ETag") == "" {
			t.Error("HEAD: no ETag")
		}
	})

	t.Run("Range", func(t *testing.T) {
		_, full := get(t, ts.URL+"/data/kb.json")
		res, body := do(t, http.MethodGet, ts.URL+"/data/kb.json", http.Header{"Range": {"bytes=10-29"}})
		if res.StatusCode != http.StatusPartialContent || string(body) != string(full[10:30]) {
			t.Errorf("Range 10-29: status %d, %q; want 206 and %q", res.StatusCode, body, full[10:30])
		}
		if cr := res.Header.Get("Content-Range"); !strings.HasPrefix(cr, "bytes 10-29/") {
			t.Errorf("Content-Range %q", cr)
		}
		res, _ = do(t, http.MethodGet, ts.URL+"/data/kb.json", http.Header{"Range": {"bytes=99999999-"}})
		if res.StatusCode != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("a range past the end: status %d, want 416", res.StatusCode)
		}
		// Several ranges, each of which costs a part header in the answer
		// (a request of 4 bytes a range could make 30 times as many bytes
		// come back), get the whole file once.
		many := "bytes=0-0" + strings.Repeat(",0-0", 300)
		res, body = do(t, http.MethodGet, ts.URL+"/data/kb.json", http.Header{"Range": {many}})
		if res.StatusCode != http.StatusOK || string(body) != string(full) {
			t.Errorf("301 one-byte ranges: status %d with %d bytes; want 200 and the file's %d bytes once", res.StatusCode, len(body), len(full))
		}
		res, body = do(t, http.MethodGet, ts.URL+"/data/kb.json", http.Header{"Range": {"bytes=0-1,4-5"}})
		if res.StatusCode != http.StatusOK || string(body) != string(full) {
			t.Errorf("two ranges: status %d with %d bytes; want 200 and the whole file", res.StatusCode, len(body))
		}
		// A conditional GET.
		res, _ = get(t, ts.URL+"/data/kb.json")
		tag := res.Header.Get("ETag")
		res, body = do(t, http.MethodGet, ts.URL+"/data/kb.json", http.Header{"If-None-Match": {tag}})
		if res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("If-None-Match %s: status %d, want 304", tag, res.StatusCode)
		}
	})

	t.Run("directory redirects", func(t *testing.T) {
		for p, want := range map[string]string{
			"/agencies":                "/agencies/",
			"/agencies/metro-police":   "/agencies/metro-police/",
			"/tracker?sort=status":     "/tracker/?sort=status",
			"//agencies":               "/agencies/", // not //agencies/, a link to the host "agencies"
			"///agencies":              "/agencies/",
			"/agencies/./metro-police": "/agencies/metro-police/",
		} {
			code, h, _ := rawRequest(t, addr, "GET", p)
			if code != http.StatusMovedPermanently || h.Get("Location") != want {
				t.Errorf("GET %s: status %d to %q, want 301 to %q", p, code, h.Get("Location"), want)
			}
			if loc, err := url.Parse(h.Get("Location")); err == nil && loc.Host != "" {
				t.Errorf("GET %s redirects off the site: %q", p, h.Get("Location"))
			}
		}
	})

	t.Run("time limits", func(t *testing.T) {
		hs := serverConfig(t, out, index)
		if hs.ReadHeaderTimeout <= 0 || hs.ReadHeaderTimeout > 30*time.Second {
			t.Errorf("ReadHeaderTimeout %v", hs.ReadHeaderTimeout)
		}
		if hs.ReadTimeout <= 0 || hs.ReadTimeout > time.Minute {
			t.Errorf("ReadTimeout %v", hs.ReadTimeout)
		}
		if hs.WriteTimeout <= 0 || hs.WriteTimeout > 2*time.Minute {
			t.Errorf("WriteTimeout %v", hs.WriteTimeout)
		}
		if hs.IdleTimeout <= 0 || hs.IdleTimeout > 5*time.Minute {
			t.Errorf("IdleTimeout %v", hs.IdleTimeout)
		}
		if hs.MaxHeaderBytes <= 0 || hs.MaxHeaderBytes > 1<<20 {
			t.Errorf("MaxHeaderBytes %d", hs.MaxHeaderBytes)
		}
		if hs.Handler == nil || hs.Addr != "127.0.0.1:0" {
			t.Errorf("Handler %v, Addr %q", hs.Handler, hs.Addr)
		}
	})
}

// TestBasePath: a site built for /dronekb/ is served there, and everything
// outside it is a redirect or a 404.
func TestBasePath(t *testing.T) {
	_, out, index := builtSite(t, t.TempDir(), "https://example.org/dronekb/")
	_, ts := startServer(t, out, index, "/dronekb/", false)
	addr := strings.TrimPrefix(ts.URL, "http://")

	for _, p := range []string{"/dronekb/", "/dronekb/agencies/metro-police/", "/dronekb/data/kb.json"} {
		if res, _ := get(t, ts.URL+p); res.StatusCode != 200 {
			t.Errorf("GET %s: status %d", p, res.StatusCode)
		}
	}
	for p, want := range map[string]string{"/": "/dronekb/", "/dronekb": "/dronekb/", "/dronekb/agencies": "/dronekb/agencies/"} {
		code, h, _ := rawRequest(t, addr, "GET", p)
		if (code != http.StatusFound && code != http.StatusMovedPermanently) || h.Get("Location") != want {
			t.Errorf("GET %s: status %d to %q, want a redirect to %s", p, code, h.Get("Location"), want)
		}
	}
	for _, p := range []string{"/agencies/metro-police/", "/api/search?q=drones", "/dronekbx/", "/dronekb/../secret", "/dronekb/.dronekb.json"} {
		code, _, _ := rawRequest(t, addr, "GET", p)
		if code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, code)
		}
	}
	// Crawlers read robots.txt at the host's root only: it is the
	// site's, which names the sitemap under the base path.
	for _, p := range []string{"/robots.txt", "/dronekb/robots.txt"} {
		res, body := get(t, ts.URL+p)
		if res.StatusCode != 200 || !strings.Contains(string(body), "Sitemap: https://example.org/dronekb/sitemap.xml") {
			t.Errorf("GET %s: status %d, %q; want the site's robots.txt naming its sitemap", p, res.StatusCode, body)
		}
	}
	res, body := get(t, ts.URL+"/dronekb/api/search?q=drones&size=100")
	if res.StatusCode != 200 {
		t.Fatalf("the API under the base path: status %d: %s", res.StatusCode, body)
	}
	r := searchResponse(t, body)
	if r.Total != 5 {
		t.Errorf("q=drones: total %d, want 5", r.Total)
	}
	for _, h := range r.Hits {
		if !strings.HasPrefix(h.URL, "/dronekb/") {
			t.Errorf("hit URL %q is not under /dronekb/", h.URL)
			continue
		}
		if res, _ := get(t, ts.URL+h.URL); res.StatusCode != 200 {
			t.Errorf("hit URL %s: status %d", h.URL, res.StatusCode)
		}
	}
	res, body = do(t, http.MethodPost, ts.URL+"/dronekb/api/search", nil)
	checkJSONError(t, res, body, http.StatusMethodNotAllowed, "only GET and HEAD")
}

// TestEscapedBasePath: a site built for a base path that needs escaping
// (a space, an accent) is served there, as its links have it: every page
// was a 404, the base path being compared escaped with the request's
// decoded path (found in review).
func TestEscapedBasePath(t *testing.T) {
	for baseURL, base := range map[string]string{"https://example.org/drone kb/": "/drone%20kb/", "https://example.org/dé/": "/d%C3%A9/"} {
		_, out, index := builtSite(t, t.TempDir(), baseURL)
		_, ts := startServer(t, out, index, base, false)
		addr := strings.TrimPrefix(ts.URL, "http://")
		for _, p := range []string{base, base + "agencies/metro-police/", base + "data/kb.json"} {
			if res, _ := get(t, ts.URL+p); res.StatusCode != 200 {
				t.Errorf("%s: GET %s: status %d", baseURL, p, res.StatusCode)
			}
		}
		for p, want := range map[string]string{"/": base, base + "agencies": base + "agencies/"} {
			code, h, _ := rawRequest(t, addr, "GET", p)
			if (code != http.StatusFound && code != http.StatusMovedPermanently) || h.Get("Location") != want {
				t.Errorf("%s: GET %s: status %d to %q, want a redirect to %s", baseURL, p, code, h.Get("Location"), want)
			}
		}
		res, body := get(t, ts.URL+base+"api/search?q=drones&size=100")
		if res.StatusCode != 200 {
			t.Fatalf("%s: the API under the base path: status %d: %s", baseURL, res.StatusCode, body)
		}
		r := searchResponse(t, body)
		if r.Total != 5 {
			t.Errorf("%s: q=drones: total %d, want 5", baseURL, r.Total)
		}
		for _, h := range r.Hits {
			if res, _ := get(t, ts.URL+h.URL); !strings.HasPrefix(h.URL, base) || res.StatusCode != 200 {
				t.Errorf("%s: hit URL %s: status %d", baseURL, h.URL, res.StatusCode)
			}
		}
		res, body = do(t, http.MethodPost, ts.URL+base+"api/search", nil)
		checkJSONError(t, res, body, http.StatusMethodNotAllowed, "only GET and HEAD")
		res, _ = get(t, ts.URL+base+"data/kb.json")
		if res.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: data/kb.json is not open to other sites' pages: %q", baseURL, res.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}

func checkHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options %q", what, h.Get("X-Content-Type-Options"))
	}
	csp := h.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy allows unsafe script: %q", what, csp)
	}
}

func serverConfig(t *testing.T, out, index string) *http.Server {
	t.Helper()
	srv := server.New(server.Config{Out: out})
	t.Cleanup(srv.Close)
	return srv.HTTPServer("127.0.0.1:0")
}

// TestSymlinkedOut: --out may itself be a symlink (say to /var/www/site);
// only links inside it are refused.
func TestSymlinkedOut(t *testing.T) {
	root := t.TempDir()
	_, out, index := builtSite(t, root, "/")
	link := filepath.Join(root, "public-link")
	if err := os.Symlink(out, link); err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, link, index, "/", false)
	for _, p := range []string{"/", "/agencies/metro-police/"} {
		if res, _ := get(t, ts.URL+p); res.StatusCode != 200 {
			t.Errorf("GET %s through a symlinked out/: status %d", p, res.StatusCode)
		}
	}
}

// TestSlowReaderGetsWholeFile reads a large download slowly, as a reader
// on a poor line does: the whole file must arrive, however long it takes,
// as long as bytes keep flowing. The server's write deadline was one for
// the whole response, and cut kb.json short at 100 kB/s.
func TestSlowReaderGetsWholeFile(t *testing.T) {
	out := t.TempDir()
	data := make([]byte, 5<<20)
	for i := range data {
		data[i] = byte(i*7 + i>>13)
	}
	if err := os.MkdirAll(filepath.Join(out, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "data", "kb.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	const idle = 300 * time.Millisecond
	srv := server.New(server.Config{Out: out, WriteIdle: idle})
	ts := newTestServer(t, srv)

	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.(*net.TCPConn).SetReadBuffer(16 << 10)
	if _, err := io.WriteString(conn, "GET /data/kb.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	// The file takes seconds, many times the time a response may go
	// without a byte taken.
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got bytes.Buffer
	start := time.Now()
	buf := make([]byte, 64<<10)
	for {
		n, err := res.Body.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			if err != io.EOF {
				t.Logf("read: %v", err)
			}
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if took := time.Since(start); got.Len() != len(data) || !bytes.Equal(got.Bytes(), data) {
		t.Errorf("a slow reader got %d of %d bytes in %v (Content-Length %d)", got.Len(), len(data), took, res.ContentLength)
	}
}

// TestCompressedPages asks for pages as browsers do, with Accept-Encoding:
// gzip, and as clients that cannot take it: a page goes out compressed to
// the one and as it is to the other, says that it varies with
// Accept-Encoding, and decompresses to the file's own bytes. A HEAD says
// it would be compressed, and sends no body; a range, a 304, a file too
// small to gain and one compressed already go out as they are.
func TestCompressedPages(t *testing.T) {
	root := t.TempDir()
	_, out, index := builtSite(t, root, "/")
	_, ts := startServer(t, out, index, "/", false)
	raw := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	fetch := func(method, path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, body
	}
	file := func(rel string) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}

	tracker := file("tracker/index.html")
	res, body := fetch("GET", "/tracker/", "Accept-Encoding", "gzip, deflate, br")
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("/tracker/ with gzip accepted: Content-Encoding %q, Vary %q", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, tracker) {
		t.Fatalf("/tracker/ decompressed is not the page (%d bytes, %v)", len(plain), err)
	}
	if len(body)*3 > len(tracker) {
		t.Errorf("/tracker/ compressed to %d of %d bytes", len(body), len(tracker))
	}
	checkHeaders(t, "compressed /tracker/", res.Header)

	for _, ae := range []string{"", "identity", "gzip;q=0", "gzip;Q=0", "gzip;level=1;q=0", "*;q=0", "br"} {
		res, body := fetch("GET", "/tracker/", "Accept-Encoding", ae)
		if res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, tracker) || res.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("/tracker/ with Accept-Encoding %q: Content-Encoding %q, Vary %q, %d bytes of %d", ae, res.Header.Get("Content-Encoding"), res.Header.Get("Vary"), len(body), len(tracker))
		}
	}
	if res, body := fetch("GET", "/tracker/", "Accept-Encoding", "gzip", "Range", "bytes=0-99"); res.StatusCode != 206 || res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, tracker[:100]) {
		t.Errorf("a range of /tracker/: status %d, Content-Encoding %q, %d bytes", res.StatusCode, res.Header.Get("Content-Encoding"), len(body))
	}
	if res, body := fetch("HEAD", "/tracker/", "Accept-Encoding", "gzip"); res.StatusCode != 200 || len(body) != 0 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("HEAD /tracker/: status %d, Content-Encoding %q, %d bytes of body", res.StatusCode, res.Header.Get("Content-Encoding"), len(body))
	}
	if res, body := fetch("GET", "/tracker/", "Accept-Encoding", "gzip", "If-None-Match", res.Header.Get("ETag")); res.StatusCode != 304 || len(body) != 0 || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("a fresh /tracker/: status %d, Content-Encoding %q, %d bytes of body", res.StatusCode, res.Header.Get("Content-Encoding"), len(body))
	}
	if res, body := fetch("GET", "/search/manifest.bin", "Accept-Encoding", "gzip"); res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, file("search/manifest.bin")) {
		t.Errorf("the static index's manifest.bin (compressed already): status %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if res, body := fetch("GET", "/robots.txt", "Accept-Encoding", "gzip"); res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, file("robots.txt")) {
		t.Errorf("robots.txt (%d bytes): status %d, Content-Encoding %q", len(file("robots.txt")), res.StatusCode, res.Header.Get("Content-Encoding"))
	}
}

// TestVersionedAssetsOnly: an asset asked at the version the pages name it
// by (?v=) may be kept for a year; the same asset at another version, and
// a page or a download asked with any ?v=, are revalidated. Any v made
// any file immutable when the site's folder lay under one named assets,
// and an old replica's bytes could be kept a year under a new version's
// address (found in review).
func TestVersionedAssetsOnly(t *testing.T) {
	_, out, index := builtSite(t, filepath.Join(t.TempDir(), "assets"), "")
	_, ts := startServer(t, out, index, "/", false)
	_, home := get(t, ts.URL+"/")
	css := regexp.MustCompile(`href="(/assets/style\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(string(home))
	if css == nil {
		t.Fatalf("the home page links no versioned stylesheet")
	}
	for u, want := range map[string]string{
		css[1]:                               "public, max-age=31536000, immutable",
		"/assets/style.css?v=0000000000":     "no-cache",
		"/assets/style.css":                  "no-cache",
		"/agencies/metro-police/?v=12345678": "no-cache",
		"/data/kb.json?v=12345678":           "no-cache",
	} {
		res, _ := get(t, ts.URL+u)
		if res.StatusCode != 200 || res.Header.Get("Cache-Control") != want {
			t.Errorf("GET %s: status %d, Cache-Control %q; want 200 and %q", u, res.StatusCode, res.Header.Get("Cache-Control"), want)
		}
	}
}
