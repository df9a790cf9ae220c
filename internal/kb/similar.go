package kb

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Near duplicates: two entries of one type for the same thing, such as
// "Préfecture de police de Paris" and "Paris Police Prefecture". The
// tracker would list the agency twice, so check warns, naming the other
// file, and `dronekb new` refuses a title that matches an existing entry.
//
// Two entries of a type are near duplicates when
//   - their titles have the same words, once accents, case, word order and
//     small words (of, the, de, la, …) are set aside, or nearly the same
//     (at least 80% in common, at least three words, and the same numbers);
//   - one's title is the other's short name, or they have the same short
//     name in the same country;
//   - they have the same website.
//
// Incidents are near duplicates only when they also happened on the same
// date: many events have similar names.

// similarity is an entry's keys for finding near duplicates.
type similarity struct {
	e       *Entry
	words   []string // the title's significant words, sorted, each once
	key     string   // words joined
	short   string   // lower-case short name, "" if none
	website string   // normalised website, "" if none
}

// stopWords are words that do not tell one title from another.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "at": true, "for": true, "in": true, "of": true, "on": true, "the": true, "to": true,
	"d": true, "de": true, "des": true, "du": true, "et": true, "l": true, "la": true, "le": true, "les": true,
	"del": true, "el": true, "los": true, "y": true, "der": true, "die": true, "das": true, "und": true, "von": true,
}

// foldLetters maps the Latin letters that are not a base letter and an
// accent, which decomposing leaves as they are, to the letters they are
// written with in plain text.
var foldLetters = strings.NewReplacer("æ", "ae", "ø", "o", "œ", "oe", "ß", "ss")

// foldTitle lower-cases a title and folds what makes one name look like
// another: compatibility forms (full-width ＤＪＩ is DJI), accents on Latin
// letters, written as one character or as a letter and a combining mark
// (NFC and NFD "Déjà" alike), and invisible format characters
// (D\u200bJ\u200bI is DJI, not the words D, J and I). The marks of other
// scripts stay: in Devanagari or Thai a vowel or tone mark tells two words
// apart.
func foldTitle(title string) string {
	s := strings.ToLower(norm.NFKD.String(title))
	var b strings.Builder
	latin := false // the last letter kept is Latin
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cf, r):
			continue
		case unicode.Is(unicode.Mn, r):
			if latin {
				continue
			}
		default:
			latin = unicode.Is(unicode.Latin, r)
		}
		b.WriteRune(r)
	}
	return foldLetters.Replace(b.String())
}

// titleWords returns the significant words of a title, sorted, each once.
func titleWords(title string) []string {
	s := foldTitle(title)
	// A word is letters and digits, with the marks that foldTitle left on
	// them (a Devanagari vowel sign belongs to its word).
	fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.M, r) })
	var out []string
	for _, w := range fields {
		if !stopWords[w] {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// normalWebsite returns a website without its scheme, "www.", case of its
// host and trailing slash, so that equal sites compare equal.
func normalWebsite(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	return host + strings.TrimSuffix(u.EscapedPath(), "/")
}

func similarityOf(e *Entry) similarity {
	s := similarity{e: e, words: titleWords(e.Title)}
	s.key = strings.Join(s.words, " ")
	if short := e.Short(); short != "" {
		s.short = strings.Join(titleWords(short), " ")
	}
	switch {
	case e.Agency != nil && e.Agency.Website != "":
		s.website = normalWebsite(e.Agency.Website)
	case e.Vendor != nil && e.Vendor.Website != "":
		s.website = normalWebsite(e.Vendor.Website)
	}
	return s
}

// nearWords reports whether two sorted word lists are nearly the same: at
// least three words each, at least 80% in common, and the same numbers.
func nearWords(a, b []string) bool {
	if len(a) < 3 || len(b) < 3 || hasUnmatchedNumber(a, b) || hasUnmatchedNumber(b, a) {
		return false
	}
	common := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(common)/float64(len(a)+len(b)-common) >= nearThreshold
}

const nearThreshold = 0.8

// maxPostings bounds the entries one entry is compared with for each key
// or word it shares with them.
const maxPostings = 64

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

func hasUnmatchedNumber(a, b []string) bool {
	for _, w := range a {
		if isNumber(w) {
			if _, found := slices.BinarySearch(b, w); !found {
				return true
			}
		}
	}
	return false
}

// why says why two entries of a type are near duplicates, from the point
// of view of a ("title", "short", "website"), or "" if they are not.
func (a similarity) why(b similarity) string {
	if a.e.Incident != nil && a.e.Incident.Date != b.e.Incident.Date {
		return ""
	}
	switch {
	case a.key != "" && a.key == b.key:
		return "title"
	case a.key != "" && a.key == b.short, a.short != "" && a.short == b.key:
		return "title"
	case a.short != "" && a.short == b.short && a.e.Country() == b.e.Country():
		return "short"
	case a.website != "" && a.website == b.website:
		return "website"
	case a.e.Incident == nil && nearWords(a.words, b.words):
		return "title"
	}
	return ""
}

// nearDuplicates finds the near duplicates among a type's entries. It
// compares only pairs that share a key or one of the rarer words of their
// titles (prefix filtering), and a word shared by many titles pairs none
// of them, so it stays fast on large knowledge bases.
func nearDuplicates(entries []*Entry) map[*Entry][]nearDuplicate {
	sims := make([]similarity, len(entries))
	df := map[string]int{}
	for i, e := range entries {
		sims[i] = similarityOf(e)
		for _, w := range sims[i].words {
			df[w]++
		}
	}
	candidates := map[[2]int]bool{}
	index := map[string][]int{}
	// Each entry is paired with at most maxPostings others that share a
	// key: entries with equal keys are duplicates of the first ones
	// anyway, and a word that many titles share is no sign of one.
	add := func(key string, i int) {
		if key == "" {
			return
		}
		list := index[key]
		for _, j := range list[:min(len(list), maxPostings)] {
			candidates[[2]int{j, i}] = true
		}
		if len(list) < maxPostings || key[0] != 'p' {
			index[key] = append(list, i)
		}
	}
	for i, s := range sims {
		add("k:"+s.key, i)
		if s.e.Incident != nil {
			continue // incidents: the same title only (and, in why, the same date)
		}
		add("s:"+s.short, i)
		if s.short != "" {
			add("k:"+s.short, i)
		}
		add("w:"+s.website, i)
		// Two word sets with 80% in common share a word among the first
		// n - ceil(0.8 n) + 1 of each, in order of rarity.
		words := slices.Clone(s.words)
		sort.Slice(words, func(a, b int) bool {
			if df[words[a]] != df[words[b]] {
				return df[words[a]] < df[words[b]]
			}
			return words[a] < words[b]
		})
		prefix := len(words) - int(math.Ceil(nearThreshold*float64(len(words)))) + 1
		for _, w := range words[:min(prefix, len(words))] {
			add("p:"+w, i)
		}
	}
	out := map[*Entry][]nearDuplicate{}
	pairs := make([][2]int, 0, len(candidates))
	for p := range candidates {
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i][0] != pairs[j][0] {
			return pairs[i][0] < pairs[j][0]
		}
		return pairs[i][1] < pairs[j][1]
	})
	for _, p := range pairs {
		a, b := sims[p[0]], sims[p[1]]
		if renamedOnto(a.e, b.e) || renamedOnto(b.e, a.e) {
			// US-nypd.md beside nypd.md: its SLUG_INVALID error names
			// the other file already, and says what to do.
			continue
		}
		if why := a.why(b); why != "" {
			out[a.e] = append(out[a.e], nearDuplicate{other: b.e, why: why})
			out[b.e] = append(out[b.e], nearDuplicate{other: a.e, why: b.why(a)})
		}
	}
	return out
}

// renamedOnto reports whether a's file, whose name is no slug, is to be
// renamed to b's: its SLUG_INVALID error says that b is there already.
func renamedOnto(a, b *Entry) bool {
	return !ValidSlug(a.Slug) && renameSlug(a.Slug) == b.Slug
}

type nearDuplicate struct {
	other *Entry
	why   string
}

// nearDuplicateWarnings warns, on each entry that has near duplicates of
// its type, naming the other file.
func (kb *KB) nearDuplicateWarnings() Diagnostics {
	var out Diagnostics
	for _, sec := range Sections {
		dups := nearDuplicates(kb.Section(sec.Dir))
		for _, e := range kb.Section(sec.Dir) {
			list := dups[e]
			if len(list) == 0 {
				continue
			}
			d := list[0]
			var msg string
			pos := e.KeyPos(d.why)
			switch d.why {
			case "short":
				msg = fmt.Sprintf("short name %q is also that of %s (%q)", e.Short(), d.other.File, d.other.Title)
			case "website":
				msg = fmt.Sprintf("website is also that of %s (%q)", d.other.File, d.other.Title)
			default:
				pos = e.KeyPos("title")
				msg = fmt.Sprintf("title %q is close to that of %s (%q)", e.Title, d.other.File, d.other.Title)
			}
			switch {
			case len(list) == 2:
				msg += fmt.Sprintf(" and 1 other %s", e.Type)
			case len(list) > 2:
				msg += fmt.Sprintf(" and %d other %s", len(list)-1, sec.Plural)
			}
			msg += fmt.Sprintf("; if they are the same %s, keep one entry and move what this one adds into it", e.Type)
			out = append(out, Diagnostic{File: e.File, Line: pos.Line, Col: pos.Col, Severity: SevWarning, Code: CodeNearDuplicate, Message: msg})
		}
	}
	return out
}

// Similar returns the entries of type t whose titles or short names match
// title closely, as check would warn: what `dronekb new` refuses to
// duplicate without --force.
func (kb *KB) Similar(t Type, title string) []*Entry {
	probe := similarity{e: &Entry{Type: t, Title: title}, words: titleWords(title)}
	probe.key = strings.Join(probe.words, " ")
	if probe.key == "" {
		return nil
	}
	var out []*Entry
	for _, e := range kb.Section(SectionFor(t).Dir) {
		s := similarityOf(e)
		if probe.key == s.key || probe.key == s.short || (t != TypeIncident && nearWords(probe.words, s.words)) {
			out = append(out, e)
		}
	}
	return out
}
