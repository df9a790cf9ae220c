package kb

import "testing"

// TestCompareURLs pins which URLs are one URL written otherwise, which
// likely one document, and which others.
func TestCompareURLs(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want urlDiff
		ok   bool
	}{
		{"https://example.org/a", "https://example.org/a", 0, false},
		{"https://example.org/a", "https://Example.ORG/a", urlWrittenOtherwise, true},
		{"https://example.org/a", "HTTPS://example.org/a", urlWrittenOtherwise, true},
		{"https://example.org/a", "https://example.org:443/a", urlWrittenOtherwise, true},
		{"http://example.org/a", "http://example.org:80/a", urlWrittenOtherwise, true},
		{"https://example.org", "https://example.org/", urlWrittenOtherwise, true},
		{"https://example.org?q=1", "https://example.org/?q=1", urlWrittenOtherwise, true},
		{"https://example.org/a", "https://example.org/a/", urlFinalSlash, true},
		{"https://example.org/a?x=1", "https://example.org/a/?x=1", urlFinalSlash, true},
		{"https://example.org/a", "https://example.org/a#p3", urlFragment, true},
		{"https://example.org/a#p1", "https://example.org/a#p3", urlOtherFragment, true},
		{"https://example.org/a", "https://EXAMPLE.org/a/#top", urlFinalSlash | urlFragment, true},
		// Other URLs: another scheme, host, port, path, query, or the
		// case of a path.
		{"https://example.org/a", "http://example.org/a", 0, false},
		{"https://example.org/a", "https://www.example.org/a", 0, false},
		{"https://example.org/a", "https://example.org:8443/a", 0, false},
		{"https://example.org:443/a", "http://example.org:443/a", 0, false},
		{"https://example.org/a", "https://example.org/A", 0, false},
		{"https://example.org/a", "https://example.org/a//", 0, false},
		{"https://example.org/a?x=1", "https://example.org/a?x=1/", 0, false},
		{"https://example.org/a", "https://example.org/a?", 0, false},
	} {
		for _, ab := range [][2]string{{c.a, c.b}, {c.b, c.a}} {
			got, ok := compareURLs(ab[0], ab[1])
			if got != c.want || ok != c.ok {
				t.Errorf("compareURLs(%q, %q) = %b, %v; want %b, %v", ab[0], ab[1], got, ok, c.want, c.ok)
			}
			if ok != (ab[0] != ab[1] && documentKey(ab[0]) == documentKey(ab[1])) {
				t.Errorf("documentKey(%q) = %q, documentKey(%q) = %q: not the same as compareURLs says", ab[0], documentKey(ab[0]), ab[1], documentKey(ab[1]))
			}
		}
	}
}
