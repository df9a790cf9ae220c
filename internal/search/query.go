package search

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// Limits on what one query may ask for. A query beyond them is refused with
// a QueryError (HTTP 400), never run.
const (
	MaxQueryLen  = 500  // bytes of query text
	MaxClauses   = 32   // words and phrases
	MaxSize      = 100  // hits per page
	MaxFrom      = 1000 // deepest first hit
	DefaultSize  = 10
	maxExpansion = 1024 // terms a prefix or fuzzy word may expand to
	minPrefix    = 2    // letters before a trailing *

	maxFilterValues = 64 // values of all filters together
)

func setClauseLimit(n int) { searcher.DisjunctionMaxClauseCount = n }

// QueryError is a query a user must change; its message says how.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

func queryErrorf(format string, args ...any) error {
	return &QueryError{Msg: fmt.Sprintf(format, args...)}
}

// ClauseKind says how a clause matches.
type ClauseKind int

const (
	Word   ClauseKind = iota // an analysed word: "protests" matches "protest"
	Prefix                   // "dron*": words starting with the letters
	Fuzzy                    // "dorne~1": the word with one typo
	Phrase                   // "\"facial recognition\"": the words in order
)

// Clause is one part of a parsed query.
type Clause struct {
	Kind    ClauseKind
	Exclude bool   // -word: documents with it are left out
	Raw     string // as typed, without + - " * ~
	// Terms are the analysed terms. For Prefix they are alternatives: the
	// lower-cased prefix, and its stem where that differs.
	// In a Phrase, "" holds the place of a stop word, so "made in china"
	// is ["made", "", "china"]: made, any one word, china.
	Terms []string
}

// Query is a parsed query text.
type Query struct {
	Clauses []Clause
}

// Empty reports whether the query has nothing to match (no words, or only
// stop words).
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

var analyzer analysis.Analyzer

func init() {
	a, err := registry.NewCache().AnalyzerNamed(en.AnalyzerName)
	if err != nil {
		panic(err)
	}
	analyzer = a
}

// Analyze returns the terms the index stores for text: the English
// analysis of every text field. The static browser index uses it too, so
// both searches see the same terms.
func Analyze(text string) []string {
	ts := analyzer.Analyze([]byte(text))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

// AnalyzeTokens returns the analysed terms with their positions, as the
// static index records them.
func AnalyzeTokens(text string) []analysis.Token {
	ts := analyzer.Analyze([]byte(text))
	out := make([]analysis.Token, len(ts))
	for i, t := range ts {
		out[i] = *t
	}
	return out
}

// phraseTerms analyses a phrase into the terms a phrase query matches in
// order, with "" in the place of each stop word between them (a stop word is
// not indexed, but it still takes a position). It returns nil if no term is
// left, and a single term alone.
func phraseTerms(text string) []string {
	ts := analyzer.Analyze([]byte(text))
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

// ParseQuery reads what a visitor typed. It understands words, "quoted
// phrases", +required and -excluded words and phrases, a trailing * for a
// prefix, and ~1 for one typo. It refuses regular expressions, leading
// wildcards, ? wildcards, fuzziness above 1 and over-long queries, each with
// a message that says what to change. Words that are only stop words ("the")
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
	s := text
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		exclude := false
		if (s[0] == '-' || s[0] == '+') && len(s) > 1 && !unicode.IsSpace(rune(s[1])) {
			exclude = s[0] == '-'
			s = s[1:]
		}
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"')
			var phrase string
			if end < 0 {
				phrase, s = s[1:], ""
			} else {
				phrase, s = s[1:1+end], s[2+end:]
			}
			terms := phraseTerms(phrase)
			switch len(terms) {
			case 0:
				continue
			case 1:
				q.Clauses = append(q.Clauses, Clause{Kind: Word, Exclude: exclude, Raw: phrase, Terms: terms})
			default:
				q.Clauses = append(q.Clauses, Clause{Kind: Phrase, Exclude: exclude, Raw: phrase, Terms: terms})
			}
			continue
		}
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if end < 0 {
			end = len(s)
		}
		word := s[:end]
		s = s[end:]
		c, keep, err := parseWord(word)
		if err != nil {
			return Query{}, err
		}
		if keep {
			c.Exclude = exclude
			q.Clauses = append(q.Clauses, c)
		}
	}
	if len(q.Clauses) > MaxClauses {
		return Query{}, queryErrorf("the query has %d words and phrases; use at most %d", len(q.Clauses), MaxClauses)
	}
	if q.Empty() && strings.TrimSpace(text) != "" && strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return Query{}, queryErrorf("the query has no letters or digits to search for; type a word")
	}
	return q, nil
}

func parseWord(word string) (Clause, bool, error) {
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
		case "":
			fuzz = 1
		default:
			v, err := strconv.ParseFloat(n, 64)
			if err != nil {
				return Clause{}, false, queryErrorf("%q: write ~1 after a word to allow one typo", word+"~"+n)
			}
			if v > 1 {
				return Clause{}, false, queryErrorf("fuzziness above 1 (%s~%s) is not allowed; ~1 allows one typo", word, n)
			}
			fuzz = int(v)
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
		prefix := strings.ToLower(word[:i])
		if utf8.RuneCountInString(prefix) < minPrefix || strings.IndexFunc(prefix, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return Clause{}, false, queryErrorf("a prefix needs at least %d letters before the * (%s)", minPrefix, word)
		}
		terms := []string{prefix}
		// The index holds stems: "surveillance" is there as "surveil" and
		// "policy" as "polici", which do not start with what was typed. So a
		// prefix also matches the terms that start with its own stem.
		if st := Analyze(word[:i]); len(st) == 1 && st[0] != prefix && utf8.RuneCountInString(st[0]) >= minPrefix {
			terms = append(terms, st[0])
		}
		return Clause{Kind: Prefix, Raw: word[:i], Terms: terms}, true, nil
	}
	terms := phraseTerms(word)
	if len(terms) == 0 {
		return Clause{}, false, nil
	}
	if fuzz == 1 && len(terms) == 1 {
		return Clause{Kind: Fuzzy, Raw: word, Terms: terms}, true, nil
	}
	if len(terms) > 1 {
		// "covid-19" analyses to two terms: match them in order.
		return Clause{Kind: Phrase, Raw: word, Terms: terms}, true, nil
	}
	return Clause{Kind: Word, Raw: word, Terms: terms}, true, nil
}
