package kb

import (
	"slices"
	"strings"
)

// suggest returns the candidate closest to s by edit distance, if it is close
// enough to be a likely typo ("djj" → "dji", "vendr" → "vendor").
func suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	// Short words are only a typo away from many others ("lapd", "nypd"):
	// allow one edit up to four letters, two up to eight, then a quarter.
	limit := 1
	switch {
	case len(s) > 8:
		limit = len(s) / 4
	case len(s) > 4:
		limit = 2
	}
	if bestD <= limit && bestD < len(s) {
		return best
	}
	// A candidate that contains what was typed, or the other way round, is a
	// likely meaning too ("nypd-police" → "nypd").
	for _, c := range candidates {
		if len(s) >= 3 && len(c) >= 3 && (strings.HasPrefix(c, ls) || strings.HasPrefix(ls, c)) {
			return c
		}
	}
	return ""
}

// Suggest returns the candidate closest to s, if it is close enough to be
// a likely typo of it, else "": for a message outside the knowledge base
// (a folder's name) to make the suggestions check makes.
func Suggest(s string, candidates []string) string { return suggest(s, candidates) }

// synonymsOf are other words contributors write for a key or an enum
// value, which no edit distance brings near it: a source's "link" is its
// url, a law that "passed" is enacted. A word is suggested for its
// synonym where the table has that field, or the field allows that value.
var synonymsOf = map[string][]string{
	// Keys.
	"url":      {"link", "href", "uri", "source_url"},
	"website":  {"homepage", "site", "web"},
	"title":    {"headline", "name"},
	"short":    {"acronym", "abbreviation"},
	"lang":     {"language"},
	"archive":  {"archived", "archive_url", "wayback"},
	"vendor":   {"make", "manufacturer", "brand"},
	"count":    {"quantity", "number"},
	"acquired": {"purchased", "bought"},
	"summary":  {"description"},
	"region":   {"province"},
	// Law statuses.
	"enacted":  {"passed", "adopted", "signed", "approved", "in-force"},
	"proposed": {"pending", "introduced", "draft"},
	"failed":   {"vetoed", "rejected", "defeated", "withdrawn", "dead"},
	"expired":  {"lapsed", "sunset"},
	"repealed": {"revoked", "rescinded", "annulled"},
	// Fleet statuses.
	"active":   {"flying", "operational", "in-service", "in-use", "deployed"},
	"grounded": {"suspended", "paused"},
	"retired":  {"decommissioned", "sold", "destroyed", "scrapped"},
	// Law measures: what a law does to the hardware.
	"procurement": {"purchase", "purchasing", "purchase-ban", "buying", "acquisition"},
	"operation":   {"use", "flight", "flights", "flying-ban", "flight-ban", "operating", "operations"},
	"funding":     {"grant", "grants", "funds"},
	// Incident kinds.
	"crash":   {"accident", "collision", "crashed", "fall"},
	"protest": {"demonstration", "protests", "rally"},
	// Agency levels and kinds.
	"national":  {"federal", "central"},
	"state":     {"provincial"},
	"local":     {"city", "municipal", "county"},
	"police":    {"law-enforcement", "sheriff"},
	"military":  {"army", "navy", "defense", "defence"},
	"emergency": {"fire", "rescue"},
}

// synonyms maps each of synonymsOf's words to the word it stands for.
var synonyms = func() map[string]string {
	m := map[string]string{}
	for word, others := range synonymsOf {
		for _, o := range others {
			m[o] = word
		}
	}
	return m
}()

// synonym returns the candidate that s is another word for, if any
// ("passed": enacted), case, spaces and underscores aside.
func synonym(s string, candidates []string) string {
	w := strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "-")
	m, ok := synonyms[w]
	if !ok {
		m, ok = synonyms[strings.ReplaceAll(w, "-", "_")]
	}
	if ok && slices.Contains(candidates, m) {
		return m
	}
	return ""
}

// meaning returns the candidate s most likely means: one it is another
// word for, else one it is a likely typo of, else "".
func meaning(s string, candidates []string) string {
	if m := synonym(s, candidates); m != "" {
		return m
	}
	if m := pluralOf(s, candidates); m != "" {
		return m
	}
	return suggest(s, candidates)
}

// pluralOf returns the candidate that is s in the plural, if any: a
// list's key written for one item ("agency": agencies, "country":
// countries), which the edit distance of "y" to "ies" keeps from
// suggest's reach.
func pluralOf(s string, candidates []string) string {
	low := strings.ToLower(s)
	forms := []string{low + "s", low + "es"}
	if stem, ok := strings.CutSuffix(low, "y"); ok {
		forms = append(forms, stem+"ies")
	}
	for _, f := range forms {
		if slices.Contains(candidates, f) {
			return f
		}
	}
	return ""
}

// didYouMean formats a suggestion as a message suffix.
func didYouMean(s string, candidates []string) string { return youMean(suggest(s, candidates)) }

// youMean formats a candidate as a message suffix ("; did you mean
// "dji"?"), or "" for none.
func youMean(m string) string {
	if m == "" {
		return ""
	}
	return "; did you mean " + quote(m) + "?"
}

func quote(s string) string { return `"` + s + `"` }

// editDistance is the Levenshtein distance between a and b, by bytes, with
// adjacent transpositions counting as one edit.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
