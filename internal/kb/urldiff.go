package kb

import "strings"

// Two URLs of an entry's sources, or a cited URL and a listed one, are
// compared in one way for SOURCE_DUPLICATE and SOURCE_NOT_LISTED. Only
// what makes no difference to any http(s) URL (RFC 3986, 6.2.2 and
// 6.2.3) makes two ways of writing one URL: the case of the scheme and of
// the host name, a default port (:443, :80), and an empty path, which is
// "/". A final "/" on a path and a #fragment are likely, not certainly,
// one document: a server may serve another page at a/ than at a, and a
// fragment names a place in a document, which a source may cite on
// purpose. URLs that differ by those are reported as likely one document,
// with what to do either way; http and https, or a "www.", are other
// URLs.

// urlDiff says how two URLs that are likely one document differ.
type urlDiff uint8

const (
	// urlWrittenOtherwise: the same URL, written otherwise.
	urlWrittenOtherwise urlDiff = 1 << iota
	// urlFinalSlash: the path of one ends in a "/" that the other's lacks.
	urlFinalSlash
	// urlFragment: one has a #fragment and the other none.
	urlFragment
	// urlOtherFragment: each has a #fragment, another one.
	urlOtherFragment
)

// compareURLs returns how the http(s) URLs a and b differ when they are
// likely one document, and false when they are the same string or differ
// otherwise.
func compareURLs(a, b string) (urlDiff, bool) {
	if a == b {
		return 0, false
	}
	ka, kb := urlKey(a), urlKey(b)
	if ka == kb {
		return urlWrittenOtherwise, true
	}
	da, fa, hasA := strings.Cut(ka, "#")
	db, fb, hasB := strings.Cut(kb, "#")
	var diff urlDiff
	switch {
	case hasA != hasB:
		diff |= urlFragment
	case fa != fb:
		diff |= urlOtherFragment
	}
	if da != db {
		if withoutFinalSlash(da) != withoutFinalSlash(db) {
			return 0, false
		}
		diff |= urlFinalSlash
	}
	return diff, true
}

// urlKey returns the form of the http(s) URL u that every way of writing
// it shares: its scheme and host name in lower case, no default port, and
// "/" for an empty path. The rest is kept as written.
func urlKey(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	scheme = strings.ToLower(scheme)
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host, tail := strings.ToLower(rest[:end]), rest[end:]
	switch scheme {
	case "https":
		host = strings.TrimSuffix(host, ":443")
	case "http":
		host = strings.TrimSuffix(host, ":80")
	}
	if !strings.HasPrefix(tail, "/") {
		tail = "/" + tail
	}
	return scheme + "://" + host + tail
}

// documentKey returns what URLs likely of one document share: urlKey
// without a #fragment or a final "/" on the path.
func documentKey(u string) string {
	k, _, _ := strings.Cut(urlKey(u), "#")
	return withoutFinalSlash(k)
}

// withoutFinalSlash removes the final "/" of the path of k, a urlKey
// without its fragment, unless the path is only "/".
func withoutFinalSlash(k string) string {
	p, q, hasQ := strings.Cut(k, "?")
	start := strings.Index(p, "://") + len("://")
	if slash := strings.IndexByte(p[start:], '/'); slash >= 0 && len(p)-(start+slash) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	if hasQ {
		return p + "?" + q
	}
	return p
}

// only says what, alone, tells the URLs apart: `only by a final "/"`.
func (d urlDiff) only() string {
	var parts []string
	if d&urlFinalSlash != 0 {
		parts = append(parts, `a final "/"`)
	}
	switch {
	case d&urlFragment != 0:
		parts = append(parts, "a #fragment, a place in the document")
	case d&urlOtherFragment != 0:
		parts = append(parts, "its #fragment, another place in the document")
	}
	return "only by " + strings.Join(parts, " and ")
}
