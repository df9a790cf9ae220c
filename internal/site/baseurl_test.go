package site_test

import (
	"strings"
	"testing"

	"github.com/dronekb/dronekb/internal/site"
)

// TestParseBaseURL: --base-url gives one spelling of the site's address,
// which every canonical URL, the feed and the sitemap then use. A doubled
// slash or an upper-case host went into them as written (found in review).
func TestParseBaseURL(t *testing.T) {
	for _, c := range []struct{ raw, path, abs, err string }{
		{"", "/", "", ""},
		{"/", "/", "", ""},
		{"/kb", "/kb/", "", ""},
		{"/kb//", "/kb/", "", ""},
		{"/a/../kb/", "/kb/", "", ""},
		{"https://example.org", "/", "https://example.org/", ""},
		{"https://example.org/dronekb", "/dronekb/", "https://example.org/dronekb/", ""},
		{"https://example.org/dronekb//", "/dronekb/", "https://example.org/dronekb/", ""},
		{"HTTPS://Example.ORG:443/DroneKB/", "/DroneKB/", "https://example.org/DroneKB/", ""},
		{"http://example.org:80/", "/", "http://example.org/", ""},
		{"http://example.org:8080/kb/", "/kb/", "http://example.org:8080/kb/", ""},
		{"https://example.org/caf%C3%A9/", "/caf%C3%A9/", "https://example.org/caf%C3%A9/", ""},
		{"https://user:secret@example.org/", "", "", "carries a user name"},
		{"example.org/dronekb/", "", "", "has no scheme"},
		{"ftp://example.org/", "", "", "must be an http(s) URL"},
		{"https:///kb/", "", "", "has no host"},
	} {
		p, abs, err := site.ParseBaseURL(c.raw)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one saying %q", c.raw, err, c.err)
			}
			continue
		}
		if err != nil || p != c.path || abs != c.abs {
			t.Errorf("%q: %q, %q, %v; want %q, %q", c.raw, p, abs, err, c.path, c.abs)
		}
	}
}
