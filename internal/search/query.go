package search

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/searcher"
)

// Limits on what one query may ask for. A query beyond them is refused with
// a QueryError (HTTP 400), never run.
const (
	MaxQueryLen  = 500  // bytes of query text
	MaxClauses   = 32   // words and phrases
	MaxSize      = 100  // hits per page
	MaxFrom      = 1000 // deepest hit: from+size
	DefaultSize  = 10
	maxExpansion = 1024 // terms a prefix or fuzzy word may expand to
	minPrefix    = 2    // letters before a trailing *

	maxFilterValues = 64 // values of all filters together
)

func setClauseLimit(n int) { searcher.DisjunctionMaxClauseCount = n }

// QueryError is a query a user must change; its message says how.
type QueryError struct {
	Msg string
	// Param names the parameter (sort, type, size…) whose value is
	// refused, when the fault is one parameter's: for dronekb search, a
	// flag's value, which is bad usage.
	Param string
}

func (e *QueryError) Error() string { return e.Msg }

func queryErrorf(format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...)}
}

// paramErrorf is a QueryError about the value of the parameter param.
func paramErrorf(param, format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...), Param: param}
}

// ClauseKind says how a clause matches.
type ClauseKind int

const (
	Word   ClauseKind = iota // an analysed word: "protests" matches "protest"
	Prefix                   // "dron*": words starting with the letters
	Fuzzy                    // "dorne~1": the word with one typo
	Phrase                   // "\"facial recognition\"": the words in order
	AnyOf                    // "NYPD OR LAPD": any of the clauses in Any
)

// Clause is one part of a parsed query.
type Clause struct {
	Kind    ClauseKind
	Exclude bool   // -word: documents with it are left out
	Raw     string // as typed, without + - " * ~
	// Terms are the terms of the English analysis. For Prefix they are
	// alternatives: the lower-cased, accent-folded prefix, and its stems
	// where stemming cut it short ("surveillance" → "surveil"). In a
	// Phrase, "" holds the place of a stop word, so "made in china" is
	// ["made", "", "china"]: made, any one word, china.
	Terms []string
	// Exact are a Prefix's stems where stemming changed its letters
	// ("policy" → "polici", "fly" → "fli"): terms matched whole, for as
	// prefixes they would match other words ("fli": flight).
	Exact []string
	// French is the French analysis where it differs from Terms, else nil
	// (always nil for Prefix). A clause matches either analysis: a query's
	// language is not known.
	French []string
	// Optional marks a word that only one language counts as too common to
	// index (French "de", "la", "un"): it raises the score of entries that
	// have it, but an entry need not have it. A query of only such words
	// needs one of them.
	Optional bool
	// Any are the alternatives of an AnyOf clause, none of them excluded.
	Any []Clause
}

// Query is a parsed query text.
type Query struct {
	Clauses []Clause
	// For a query of plain words (no quotes, signs, OR, * or ~), what
	// raises the entries it names: Names are its words as an entry's name
	// keys them (NameKey), in English and in French; Title are its words
	// as a phrase, each analysis, for entries whose title has them in that
	// order ("Department of the Interior").
	Names []string
	Title [][]string
	// common: words were typed, but all are too common to search for.
	common bool
}

// NameKey is how an entry's title or short name, or a query, is matched
// whole: its analysed terms, space-separated.
func NameKey(lang, text string) string {
	return strings.Join(AnalyzeIn(lang, text), " ")
}

// Empty reports whether the query has nothing to match (no words, or only
// stop words).
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

// OnlyCommonWords reports whether words were typed and every one is too
// common to search for ("the", "of the"): the query matches as if it were
// empty when filters narrow it, and is refused otherwise.
func (q Query) OnlyCommonWords() bool { return q.common }

// CommonWordsMsg refuses a query of only common words with no filter.
const CommonWordsMsg = "the words typed are too common to search for; add a less common word, or filter by type, country, vendor, status or tag"

// phraseTerms analyses a phrase in a language into the terms a phrase
// query matches in order, with "" in the place of each stop word between
// them (a stop word is not indexed, but it still takes a position). It
// returns nil if no term is left, and a single term alone.
func phraseTerms(lang, text string) []string {
	ts := analyzerFor(lang).Analyze([]byte(joinArticles(text)))
	if len(ts) == 0 {
		return nil
	}
	first, last := ts[0].Position, ts[len(ts)-1].Position
	out := make([]string, last-first+1)
	for _, t := range ts {
		out[t.Position-first] = string(t.Term)
	}
	return out
}

// looseArticle is a French article or conjunction that elision cuts
// ("d'", "l'", "qu'"…: bleve's French elision articles, in either case),
// typed as a word of its own before another: "conseil d etat", as a phone
// keyboard or a hurried reader writes "conseil d'État".
var looseArticle = regexp.MustCompile(`(^|[^\p{L}\p{N}'’])([LlDdJjMmNnSsTtCc]|[Qq][Uu]|[Jj][Uu][Ss][Qq][Uu]|[Qq][Uu][Oo][Ii][Qq][Uu]|[Ll][Oo][Rr][Ss][Qq][Uu]|[Pp][Uu][Ii][Ss][Qq][Uu])[ \t\n\f\r]+(\p{L})`)

// joinArticles joins each loose article to the word after it with an
// apostrophe, so that a phrase typed without one is elided as the text it
// is looking for was: "conseil d etat" is the phrase "conseil d'etat",
// conseil then état, and no longer asks for a word "d" between them
// (which no entry has: found by the researcher's audit). search.js joins
// them the same way.
func joinArticles(text string) string {
	return looseArticle.ReplaceAllString(text, "${1}${2}'${3}")
}

// analysedClause is a clause of text analysed both ways, its kind unset,
// and whether anything is left of it.
func analysedClause(text string) (Clause, bool) {
	en, fr := phraseTerms(LangEnglish, text), phraseTerms(LangFrench, text)
	switch {
	case len(en) == 0 && len(fr) == 0:
		return Clause{}, false
	case len(en) == 0:
		return Clause{Raw: text, Terms: fr, Optional: true}, true
	case len(fr) == 0:
		return Clause{Raw: text, Terms: en, Optional: true}, true
	}
	c := Clause{Raw: text, Terms: en}
	if !slices.Equal(en, fr) {
		c.French = fr
	}
	return c, true
}

// kindOf is Word for a clause whose analyses are single terms, else Phrase.
func kindOf(c Clause) ClauseKind {
	if len(c.Terms) > 1 || len(c.French) > 1 {
		return Phrase
	}
	return Word
}

// typographicQuotes are the quotation marks a query may quote a phrase
// with besides ": French guillemets, and English and German curly quotes.
// One written against a " is the same quote written twice ("« … »"), not
// an empty phrase. Comparisons are in argument order: the pairs first.
var typographicQuotes = func() *strings.Replacer {
	marks := []string{"«", "»", "“", "”", "„"}
	var pairs, singles []string
	for _, q := range marks {
		pairs = append(pairs, `"`+q, `"`, q+`"`, `"`)
		singles = append(singles, q, `"`)
	}
	return strings.NewReplacer(append(pairs, singles...)...)
}()

// ParseQuery reads what a visitor typed. It understands words, "quoted
// phrases", +required and -excluded words and phrases, a trailing * for a
// prefix, ~1 for one typo, and OR (or |) between words or phrases for any
// of them: "drones NYPD OR LAPD" is drones and either NYPD or LAPD. It
// refuses regular expressions, leading wildcards, ? wildcards, fuzziness
// above 1, an excluded word in an OR, and over-long queries, each with a
// message that says what to change. Words that are only stop words ("the")
// are dropped.
func ParseQuery(text string) (Query, error) {
	var q Query
	if !utf8.ValidString(text) {
		return q, queryErrorf("the query is not valid UTF-8 text")
	}
	if len(text) > MaxQueryLen {
		return q, queryErrorf("the query is %d bytes long; keep it under %d", len(text), MaxQueryLen)
	}
	if i := strings.IndexFunc(text, func(r rune) bool { return unicode.IsControl(r) && !unicode.IsSpace(r) }); i >= 0 {
		return q, queryErrorf("the query contains a control character; remove it")
	}
	// « », “ ” and „ quote a phrase as " does: « préfecture de police »
	// searched the three words anywhere (search.js reads them alike).
	text = typographicQuotes.Replace(text)
	// items are the clauses in order: nil for a word dropped as a stop
	// word, orMark for each OR.
	var items []*Clause
	orMark := &Clause{}
	plain := true
	s := text
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		if s[0] == '|' {
			items = append(items, orMark)
			s = s[1:]
			plain = false
			continue
		}
		exclude, signed := false, false
		if (s[0] == '-' || s[0] == '+') && len(s) > 1 && !unicode.IsSpace(rune(s[1])) {
			exclude, signed = s[0] == '-', true
			s = s[1:]
			plain = false
		}
		if s[0] == '"' {
			plain = false
			end := strings.IndexByte(s[1:], '"')
			var phrase string
			if end < 0 {
				phrase, s = s[1:], ""
			} else {
				phrase, s = s[1:1+end], s[2+end:]
			}
			c, ok := analysedClause(phrase)
			if !ok {
				items = append(items, nil)
				continue
			}
			c.Kind, c.Exclude = kindOf(c), exclude
			items = append(items, &c)
			continue
		}
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '|' })
		if end < 0 {
			end = len(s)
		}
		word := s[:end]
		s = s[end:]
		if word == "" {
			continue // a + or - right before a |
		}
		if word == "OR" && !signed {
			items = append(items, orMark)
			plain = false
			continue
		}
		if strings.HasSuffix(word, ":") && strings.HasPrefix(s, `"`) && fieldName(strings.TrimSuffix(word, ":")) {
			return Query{}, queryErrorf("field names (%s) are not supported: search the words alone, and narrow with the filters (type, country, vendor, restricted, since and until for dates)", word)
		}
		if word == "NOT" && !signed {
			// Searched as a word, NOT drone found the entries with
			// "drone" (found in review).
			return Query{}, queryErrorf("NOT is not an operator here: put - before a word to leave it out (police -drone)")
		}
		c, keep, err := parseWord(word)
		if err != nil {
			return Query{}, err
		}
		if c.Kind == Prefix || c.Kind == Fuzzy {
			plain = false
		}
		if !keep {
			items = append(items, nil)
			continue
		}
		c.Exclude = exclude
		items = append(items, &c)
	}
	// Join the clauses on either side of each OR. An OR without a word or
	// phrase on both sides is the English "or", a stop word.
	var groups [][]*Clause
	joined := false
	for i, it := range items {
		if it == orMark {
			joined = i > 0 && items[i-1] != orMark
			continue
		}
		if joined {
			groups[len(groups)-1] = append(groups[len(groups)-1], it)
		} else {
			groups = append(groups, []*Clause{it})
		}
		joined = false
	}
	leaves := 0
	for _, g := range groups {
		var any []Clause
		for _, c := range g {
			if c != nil {
				any = append(any, *c)
			}
		}
		if len(any) <= 1 {
			q.Clauses = append(q.Clauses, any...)
			leaves += len(any)
			continue
		}
		for i := range any {
			if any[i].Exclude {
				raw := any[i].Raw
				if any[i].Kind == Phrase {
					raw = `"` + raw + `"` // as typed: -made in china would exclude one word
				}
				return Query{}, queryErrorf("an excluded word or phrase (-%s) cannot be a side of OR; exclude it outside the OR: a OR b -%s", raw, raw)
			}
			// In an OR, a word only French drops is one more alternative.
			any[i].Optional = false
		}
		q.Clauses = append(q.Clauses, Clause{Kind: AnyOf, Raw: "OR", Any: any})
		leaves += len(any)
	}
	if leaves > MaxClauses {
		return Query{}, queryErrorf("the query has %d words and phrases; use at most %d", leaves, MaxClauses)
	}
	if plain && !q.Empty() {
		for _, lang := range []string{LangEnglish, LangFrench} {
			if k := NameKey(lang, text); k != "" && !slices.Contains(q.Names, k) {
				q.Names = append(q.Names, k)
			}
			if t := phraseTerms(lang, text); len(t) > 1 && !slices.ContainsFunc(q.Title, func(o []string) bool { return slices.Equal(o, t) }) {
				q.Title = append(q.Title, t)
			}
		}
	}
	if q.Empty() && strings.TrimSpace(text) != "" {
		if strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			return Query{}, queryErrorf("the query has no letters or digits to search for; type a word")
		}
		q.common = true
	}
	return q, nil
}

// fieldNames are the field prefixes other search engines take
// (title:police), which analysed as words matched nothing here, besides
// those fieldName knows by their letters.
var fieldNames = []string{"title", "body", "summary", "tag", "tags", "type", "country", "region", "vendor", "status", "id", "_id", "_all", "lang", "short", "names"}

// uriSchemes are names before a colon that begin an address or an
// identifier a reader may paste (tel:+33…, doi:10.1109/…), not a field.
var uriSchemes = []string{"mailto", "tel", "sms", "geo", "doi", "urn", "isbn", "issn", "arxiv", "http", "https", "ftp", "file", "data"}

// fieldName reports whether name, before a colon, names a field as other
// engines' queries do (title:police, date:>2020, foo:bar): one of
// fieldNames, or any name of Latin letters alone (état:actif) but an
// address's scheme (uriSchemes). A colon after digits (10:30), after
// other characters, or in text of another script (警察:无人机) is text.
func fieldName(name string) bool {
	lower := strings.ToLower(name)
	if slices.Contains(fieldNames, lower) {
		return true
	}
	return name != "" && strings.IndexFunc(name, func(r rune) bool { return !unicode.Is(unicode.Latin, r) }) < 0 &&
		!slices.Contains(uriSchemes, lower)
}

// fieldQuery reports whether word is written name:value, a field's query:
// one of fieldNames, a colon and anything; or another field's name
// (fieldName), a colon, and a value with a letter or a digit in it that is
// not a URL's "//…" (drones:) and https://… are text).
func fieldQuery(word string) bool {
	name, rest, ok := strings.Cut(word, ":")
	if !ok || rest == "" {
		return false
	}
	if slices.Contains(fieldNames, strings.ToLower(name)) {
		return true
	}
	return fieldName(name) && !strings.HasPrefix(rest, "/") &&
		strings.IndexFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func parseWord(word string) (Clause, bool, error) {
	if fieldQuery(word) {
		return Clause{}, false, queryErrorf("field names (%s) are not supported: search the words alone, and narrow with the filters (type, country, vendor, restricted, since and until for dates)", word)
	}
	// A boost is a ^ and a number, after a word or a phrase ("a b"^2).
	if i := strings.LastIndexByte(word, '^'); i >= 0 && word[i+1:] != "" && strings.Trim(word[i+1:], "0123456789.") == "" &&
		(i == 0 || strings.IndexFunc(word[:i], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0) {
		return Clause{}, false, queryErrorf("boosts (%s) are not supported: every word counts the same; remove the ^", word)
	}
	if len(word) > 1 && word[0] == '/' && strings.HasSuffix(word, "/") {
		return Clause{}, false, queryErrorf("regular expressions (%s) are not supported; search for the words themselves", word)
	}
	if strings.Contains(strings.TrimRight(word, "?.!,;:"), "?") {
		return Clause{}, false, queryErrorf("the ? wildcard (%s) is not supported; use a trailing * for words that start with some letters", word)
	}
	word = strings.TrimRight(word, ".,;:!?")
	fuzz := -1
	if i := strings.LastIndexByte(word, '~'); i >= 0 {
		n := word[i+1:]
		word = word[:i]
		switch n {
		case "", "1":
			fuzz = 1
		case "0":
			fuzz = 0
		default:
			// ~-1, ~0.5, ~NaN and the like are no fuzziness at all.
			if v, err := strconv.ParseFloat(n, 64); err == nil && v > 1 {
				return Clause{}, false, queryErrorf("fuzziness above 1 (%s~%s) is not allowed; ~1 allows one typo", word, n)
			}
			return Clause{}, false, queryErrorf("%q: write ~1 after a word to allow one typo", word+"~"+n)
		}
	}
	if strings.HasPrefix(word, "*") {
		return Clause{}, false, queryErrorf("leading wildcards (%s) are not supported; type the first letters of the word", word)
	}
	if i := strings.IndexByte(word, '*'); i >= 0 {
		if i != len(word)-1 {
			return Clause{}, false, queryErrorf("a * may only end a word (%s); write the start of the word, then *", word)
		}
		if fuzz >= 0 {
			return Clause{}, false, queryErrorf("%s: a word cannot be both a prefix (*) and fuzzy (~)", word)
		}
		// The letters are counted once folded, so that an accent typed
		// as a combining mark after its letter ("pre\u0301f*") is no
		// character of its own.
		folded := string(foldBytes([]byte(strings.ToLower(word[:i]))))
		if utf8.RuneCountInString(folded) < minPrefix || strings.IndexFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return Clause{}, false, queryErrorf("a prefix needs at least %d letters before the * (%s)", minPrefix, word)
		}
		// The index holds folded stems: "surveillance" is there as
		// "surveil", "policy" as "polici", "préfecture" as "prefectur",
		// which do not start with what was typed. So a prefix matches the
		// terms that start with its folded letters, or with its stem in
		// either language.
		terms, exact := []string{folded}, []string(nil)
		for _, lang := range []string{LangEnglish, LangFrench} {
			st := AnalyzeIn(lang, word[:i])
			if len(st) != 1 || slices.Contains(terms, st[0]) || slices.Contains(exact, st[0]) || strings.HasPrefix(st[0], folded) {
				continue
			}
			switch {
			case !strings.HasPrefix(folded, st[0]):
				exact = append(exact, st[0])
			case utf8.RuneCountInString(st[0]) >= minPrefix:
				terms = append(terms, st[0])
			}
		}
		// A whole term that a prefix kept matches already ("stat" of
		// "stating" covers "state") would be matched twice.
		exact = slices.DeleteFunc(exact, func(x string) bool {
			return slices.ContainsFunc(terms, func(t string) bool { return strings.HasPrefix(x, t) })
		})
		if len(exact) == 0 {
			exact = nil
		}
		return Clause{Kind: Prefix, Raw: word[:i], Terms: terms, Exact: exact}, true, nil
	}
	c, ok := analysedClause(word)
	if !ok {
		return Clause{}, false, nil
	}
	c.Kind = kindOf(c)
	if fuzz == 1 && c.Kind == Word {
		c.Kind = Fuzzy
	}
	// "covid-19" analyses to two terms, a Phrase: they match in order.
	return c, true, nil
}
