package sitetest

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// StaticHost returns a handler that serves dir under base the way a plain
// static host does: a URL ending in "/" serves that directory's index.html,
// any other URL the file of that name; nothing else (no listings, no
// redirects, nothing outside base).
func StaticHost(dir, base string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file, ok := fileFor(dir, base, r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(file)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, filepath.Base(file), st.ModTime(), f)
	})
}

// fileFor maps a URL path under base to the file that serves it.
func fileFor(dir, base, urlPath string) (string, bool) {
	rel, ok := strings.CutPrefix(urlPath, base)
	if !ok {
		return "", false
	}
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	clean := path.Clean("/" + rel)
	if clean != "/"+rel {
		return "", false // ".." or "//": not a URL the site writes
	}
	return filepath.Join(dir, filepath.FromSlash(clean)), true
}

// Crawled is what a crawl found.
type Crawled struct {
	// Pages are the URL paths of the HTML pages reached from the home page
	// ("/dronekb/agencies/nypd/"), sorted.
	Pages []string
	// Files are the URL paths of everything else reached (stylesheets,
	// downloads, the feed), sorted.
	Files []string
}

// Crawl serves the site in dir under its base path ("/" or "/dronekb/")
// from a test server and follows, from the home page, every internal href,
// src and action of every page it reaches. It fails the test for each link
// that does not resolve to a file, that points into the site's host outside
// its base path, or whose fragment (#source-3, #tracker) is not an id on the
// target page. abs is the site's absolute base URL, if it has one: links to
// it count as internal.
func Crawl(t testing.TB, dir, base, abs string) *Crawled {
	t.Helper()
	srv := httptest.NewServer(StaticHost(dir, base))
	defer srv.Close()
	origin, _ := url.Parse(srv.URL)
	var absURL *url.URL
	if abs != "" {
		absURL, _ = url.Parse(abs)
	}

	type ref struct{ from, to, fragment string }
	var (
		queue     = []string{base}
		seen      = map[string]bool{base: true}
		pageIDs   = map[string]map[string]bool{} // HTML page → its ids
		files     []string
		fragments []ref
	)
	fetch := func(p string) ([]byte, string, bool) {
		resp, err := srv.Client().Get(srv.URL + (&url.URL{Path: p}).EscapedPath())
		if err != nil {
			t.Errorf("GET %s: %v", p, err)
			return nil, "", false
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, "", false
		}
		return body, resp.Header.Get("Content-Type"), true
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		body, ctype, ok := fetch(p)
		if !ok {
			continue // reported where the link was found
		}
		if !strings.HasPrefix(ctype, "text/html") {
			files = append(files, p)
			continue
		}
		doc, err := html.Parse(bytes.NewReader(body))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		ids := map[string]bool{}
		pageIDs[p] = ids
		pageURL := &url.URL{Scheme: origin.Scheme, Host: origin.Host, Path: p}
		Walk(doc, func(n *html.Node) {
			if id, ok := Attr(n, "id"); ok {
				ids[id] = true
			}
			for _, a := range n.Attr {
				if a.Key != "href" && a.Key != "src" && a.Key != "action" {
					continue
				}
				u, err := url.Parse(strings.TrimSpace(a.Val))
				if err != nil {
					t.Errorf("%s: <%s %s=%q>: %v", p, n.Data, a.Key, a.Val, err)
					continue
				}
				target := pageURL.ResolveReference(u)
				switch {
				case target.Host == origin.Host && target.Scheme == origin.Scheme:
				case absURL != nil && target.Host == absURL.Host && target.Scheme == absURL.Scheme:
				default:
					continue // another site, mailto:
				}
				tp := target.Path
				if !strings.HasPrefix(tp, base) {
					t.Errorf("%s: <%s %s=%q> leaves the site's base path %s", p, n.Data, a.Key, a.Val, base)
					continue
				}
				file, ok := fileFor(dir, base, tp)
				if st, err := os.Stat(file); !ok || err != nil || !st.Mode().IsRegular() {
					t.Errorf("%s: <%s %s=%q> resolves to no file (%s)", p, n.Data, a.Key, a.Val, tp)
					continue
				}
				if target.Fragment != "" {
					fragments = append(fragments, ref{from: p, to: tp, fragment: target.Fragment})
				}
				if !seen[tp] {
					seen[tp] = true
					queue = append(queue, tp)
				}
			}
		})
	}
	for _, r := range fragments {
		ids, ok := pageIDs[r.to]
		switch {
		case !ok:
			t.Errorf("%s: link to %s#%s: the target is not an HTML page", r.from, r.to, r.fragment)
		case !ids[r.fragment]:
			t.Errorf("%s: link to %s#%s: no element has id %q there", r.from, r.to, r.fragment, r.fragment)
		}
	}
	c := &Crawled{Files: files}
	for p := range pageIDs {
		c.Pages = append(c.Pages, p)
	}
	sort.Strings(c.Pages)
	sort.Strings(c.Files)
	if len(c.Pages) < 2 {
		t.Errorf("the crawl reached only %v from %s", c.Pages, base)
	}
	return c
}

// Sitemap returns the URL paths sitemap.xml lists, each mapped from the
// absolute base URL (when the site has one) to its path under base. When
// sitemap.xml is a sitemap index, the paths are those of the files it
// names, each of which must be a sitemap in dir.
func Sitemap(t testing.TB, dir, base, abs string) []string {
	t.Helper()
	// path maps a loc to its path under base.
	path := func(file, loc string) (string, bool) {
		if abs != "" {
			rest, ok := strings.CutPrefix(loc, abs)
			if !ok {
				t.Errorf("%s: %q is not under the base URL %s", file, loc, abs)
				return "", false
			}
			loc = base + rest
		}
		p, err := url.PathUnescape(loc)
		if err != nil {
			t.Errorf("%s: %q: %v", file, loc, err)
			return "", false
		}
		return p, true
	}
	var out []string
	var read func(file string, top bool)
	read = func(file string, top bool) {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			t.Fatal(err)
		}
		var set struct {
			XMLName xml.Name
			URLs    []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
			Sitemaps []struct {
				Loc string `xml:"loc"`
			} `xml:"sitemap"`
		}
		if err := xml.Unmarshal(data, &set); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		switch set.XMLName.Local {
		case "urlset":
			for _, u := range set.URLs {
				if p, ok := path(file, u.Loc); ok {
					out = append(out, p)
				}
			}
		case "sitemapindex":
			if !top {
				t.Fatalf("%s: a sitemap index named by a sitemap index", file)
			}
			for _, sm := range set.Sitemaps {
				if p, ok := path(file, sm.Loc); ok {
					rel, ok := strings.CutPrefix(p, base)
					if !ok {
						t.Fatalf("%s: %q is not under %s", file, p, base)
					}
					read(rel, false)
				}
			}
		default:
			t.Fatalf("%s: a <%s>, neither a urlset nor a sitemapindex", file, set.XMLName.Local)
		}
	}
	read("sitemap.xml", true)
	sort.Strings(out)
	return out
}

// HTMLFiles returns the URL paths of every HTML page under dir, with
// index.html pages as their directory URL.
func HTMLFiles(t testing.TB, dir, base string) []string {
	t.Helper()
	var out []string
	for _, p := range Pages(t, dir) {
		u := base + strings.TrimSuffix(p.Path, "index.html")
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}
