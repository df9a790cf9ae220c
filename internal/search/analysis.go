package search

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// The analysis of text fields, in two languages. Every entry's text is
// analysed in the language of the entry (kb.Entry.Language): English, or
// French for entries of France and other francophone places. Both chains
// are bleve's own filters, plus accent folding:
//
//	English: unicode tokenizer, possessive ('s), lower case, French
//	         elision (d', l', qu'…), accent folding, English stop words,
//	         Porter stemmer, and a final y after a consonant made i
//	         (flyFilter).
//	French:  the same, with French stop words too, then bleve's French
//	         light stemmer after the Porter stemmer and flyFilter.
//
// So "État", "d'État" and "etat" are one term, as are "sécurité" and
// "securite". French entries here are mostly English text quoting French
// names, so the French chain keeps the English one and adds to it: any two
// words the English analysis makes one term are one term in French too,
// and the French stemmer then joins French forms ("nationaux", "national").
//
// A query is analysed both ways (its language is unknown), and each word
// matches its English term or its French one.

// Languages of the analysis.
const (
	LangEnglish = "en"
	LangFrench  = "fr"
)

// Analyzer names in the bleve mapping.
const (
	analyzerEnglish = "dronekb_en"
	analyzerFrench  = "dronekb_fr"
	foldFilterName  = "dronekb_fold"
	flyFilterName   = "dronekb_fly"
	stopFrenchName  = "dronekb_stop_fr"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenFilter(foldFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(flyFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return flyFilter{}, nil
	}))
	must(registry.RegisterTokenMap(stopFrenchName, func(_ map[string]any, cache *registry.Cache) (analysis.TokenMap, error) {
		tm := analysis.NewTokenMap()
		for _, w := range frenchStopWords(cache) {
			tm.AddToken(w)
		}
		return tm, nil
	}))
	must(registry.RegisterTokenFilter(stopFrenchName, func(_ map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
		tm, err := cache.TokenMapNamed(stopFrenchName)
		if err != nil {
			return nil, err
		}
		return stop.NewStopTokensFilter(tm), nil
	}))
	for name, filters := range map[string][]string{
		analyzerEnglish: {en.PossessiveName, lowercase.Name, fr.ElisionName, foldFilterName, en.StopName, porter.Name, flyFilterName},
		analyzerFrench:  {en.PossessiveName, lowercase.Name, fr.ElisionName, foldFilterName, stopFrenchName, porter.Name, flyFilterName, fr.LightStemmerName},
	} {
		must(registry.RegisterAnalyzer(name, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
			tok, err := cache.TokenizerNamed(unicode.Name)
			if err != nil {
				return nil, err
			}
			a := &analysis.DefaultAnalyzer{Tokenizer: tok}
			for _, f := range filters {
				tf, err := cache.TokenFilterNamed(f)
				if err != nil {
					return nil, err
				}
				a.TokenFilters = append(a.TokenFilters, tf)
			}
			return &memoAnalyzer{DefaultAnalyzer: a, memo: map[string][]byte{}}, nil
		}))
	}
}

// analyzers are built on first use: the registrations above run in init,
// after package variables are set.
var analyzers = sync.OnceValue(func() map[string]*analysis.DefaultAnalyzer {
	cache := registry.NewCache()
	out := map[string]*analysis.DefaultAnalyzer{}
	for lang, name := range map[string]string{LangEnglish: analyzerEnglish, LangFrench: analyzerFrench} {
		a, err := cache.AnalyzerNamed(name)
		if err != nil {
			panic(err)
		}
		out[lang] = a.(*memoAnalyzer).DefaultAnalyzer
	}
	return out
})

// memoAnalyzer is a language's analysis as bleve runs it, with a memory:
// the tokenizer, then the token filters once per distinct word. Each of
// those filters looks at one token alone (none splits one, and stop words
// keep the positions of the words around them), so the tokens are the
// DefaultAnalyzer's, but a text of thousands of words runs the stemmer on
// the few hundred it has not seen. Each index has its own (bleve makes its
// analyzers per mapping); the memory is bounded, for the query words a
// server's index sees. It is safe for concurrent use, as bleve analyses
// the documents of a batch at once.
type memoAnalyzer struct {
	*analysis.DefaultAnalyzer
	mu   sync.RWMutex
	memo map[string][]byte // word → term; nil for a stop word
}

// memoWords bounds how many words a memoAnalyzer remembers.
const memoWords = 1 << 17

func (a *memoAnalyzer) Analyze(input []byte) analysis.TokenStream {
	tokens := a.Tokenizer.Tokenize(input)
	out := tokens[:0]
	for _, t := range tokens {
		term, split := a.term(t)
		if split {
			// A filter split the word: not one this memory can hold.
			return a.DefaultAnalyzer.Analyze(input)
		}
		if term == nil {
			continue
		}
		t.Term = term
		out = append(out, t)
	}
	return out
}

// term returns what the filters make of token t, a word the tokenizer
// made: nil for a stop word, and split if a filter made several tokens of
// it. The term is shared by every token of the word: read-only, and full
// so that an append copies it.
func (a *memoAnalyzer) term(t *analysis.Token) (term []byte, split bool) {
	a.mu.RLock()
	term, ok := a.memo[string(t.Term)]
	a.mu.RUnlock()
	if ok {
		return term, false
	}
	// The filters may change a term in place: they get a copy, and the
	// word is read before they run.
	word := string(t.Term)
	one := *t
	one.Term = []byte(word)
	ts := analysis.TokenStream{&one}
	for _, f := range a.TokenFilters {
		ts = f.Filter(ts)
	}
	if len(ts) > 1 {
		return nil, true
	}
	if len(ts) == 1 {
		term = slices.Clip(append([]byte{}, ts[0].Term...))
	}
	a.mu.Lock()
	if len(a.memo) < memoWords {
		a.memo[word] = term
	}
	a.mu.Unlock()
	return term, false
}

// analyzerFor returns the analyzer of a language; English for any other.
func analyzerFor(lang string) *analysis.DefaultAnalyzer {
	all := analyzers()
	if a, ok := all[lang]; ok {
		return a
	}
	return all[LangEnglish]
}

// docLanguage is the language a document's text is analysed in.
func docLanguage(lang string) string {
	if lang == LangFrench {
		return LangFrench
	}
	return LangEnglish
}

// frenchStopWords are the French chain's stop words: bleve's English ones
// and its French ones, accent-folded (the filter runs after folding), sorted.
func frenchStopWords(cache *registry.Cache) []string {
	seen := map[string]bool{}
	for _, name := range []string{en.StopName, fr.StopName} {
		tm, err := cache.TokenMapNamed(name)
		if err != nil {
			panic(err)
		}
		for w := range tm {
			seen[string(foldBytes([]byte(w)))] = true
		}
	}
	out := make([]string, 0, len(seen))
	for w := range seen {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// foldFilter folds accents and other marks to ASCII, character by
// character, by bleve's (Lucene's) ASCII folding table: "État" → "Etat",
// "œuvre" → "oeuvre", "’" → "'"; combining accents and invisible
// characters inside a word go (folds).
type foldFilter struct{}

func (foldFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		t.Term = foldBytes(t.Term)
	}
	return ts
}

// flyFilter ends Porter's work on words such as "fly", "spy" and "dry",
// whose stems have no vowel before the y: Porter turns "flies" into "fli"
// but leaves "fly" and "flying" at "fly", so a search for "flies" missed
// every page that says "flying". As the Porter2 (Snowball English)
// stemmer's step 1c does, a term's final y after a letter other than a
// vowel (a, e, i, o, u, y), which is not the term's first letter, becomes
// i: "fly", "flying", "flies" are all "fli". "day" and "by" keep their y.
type flyFilter struct{}

func (flyFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		n := len(t.Term)
		if n < 3 || t.Term[n-1] != 'y' {
			continue
		}
		// The letter before the y, and whether one comes before it.
		if r, size := utf8.DecodeLastRune(t.Term[:n-1]); size < n-1 && !strings.ContainsRune("aeiouy", r) {
			t.Term[n-1] = 'i'
		}
	}
	return ts
}

var (
	foldOnce  sync.Once
	foldTable map[rune]string
)

// folds returns the folding of every code point that folding changes. The
// table is read from bleve's filter, one code point at a time; it folds
// nothing outside the Basic Multilingual Plane (a test checks).
func folds() map[rune]string {
	foldOnce.Do(func() {
		foldTable = map[rune]string{}
		f := asciifolding.New()
		var buf [4]byte
		for r := rune(0x80); r <= 0xFFFF; r++ {
			if !utf8.ValidRune(r) {
				continue
			}
			n := utf8.EncodeRune(buf[:], r)
			if out := f.Filter(buf[:n]); string(out) != string(buf[:n]) {
				foldTable[r] = string(out)
			}
		}
		// Marks and invisible characters inside a word fold to
		// nothing: an accent written as a combining mark after its
		// letter (decomposed text, as macOS and PDFs give it: "e" and
		// U+0301 for "é"), a soft hyphen, a zero-width joiner or
		// non-joiner, a word joiner, a byte order mark. "pre\u0301fecture"
		// and "pré\u00adfecture" are then the term "prefecture", as
		// "préfecture" is: neither the index nor a query found them
		// (found in review). Lucene's table leaves them as they are.
		for r := rune(0x300); r <= 0x36F; r++ {
			foldTable[r] = ""
		}
		for _, r := range []rune{0xAD, 0x200C, 0x200D, 0x2060, 0xFEFF} {
			foldTable[r] = ""
		}
	})
	return foldTable
}

// foldBytes folds a term. Bytes that are not UTF-8 become U+FFFD, as
// bleve's filters that work on runes make them.
func foldBytes(b []byte) []byte {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return b
	}
	table := folds()
	var sb strings.Builder
	for _, r := range string(b) {
		if s, ok := table[r]; ok {
			sb.WriteString(s)
		} else {
			sb.WriteRune(r)
		}
	}
	return []byte(sb.String())
}

// Analyze returns the terms the index stores for English text.
func Analyze(text string) []string { return AnalyzeIn(LangEnglish, text) }

// AnalyzeIn returns the terms the index stores for text in a language
// (LangEnglish or LangFrench). The static browser index uses it too, so
// both searches see the same terms.
func AnalyzeIn(lang, text string) []string {
	ts := analyzerFor(lang).Analyze([]byte(text))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

// AnalyzeTokens returns the analysed terms of text in a language with their
// positions, as the static index records them.
func AnalyzeTokens(lang, text string) []analysis.Token {
	ts := analyzerFor(lang).Analyze([]byte(text))
	out := make([]analysis.Token, len(ts))
	for i, t := range ts {
		out[i] = *t
	}
	return out
}

// Folded returns the code points accent folding changes, in order; for
// the tests that hold search.js to this analysis.
func Folded() []rune {
	out := make([]rune, 0, len(folds()))
	for r := range folds() {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// LetterEdges returns, for every run of code points unicode.IsLetter
// accepts, the code points just outside and just inside each end; for the
// tests that hold search.js to this analysis.
func LetterEdges() []rune {
	var out []rune
	d := analysisData().Letters
	end := rune(-1)
	for i := 0; i < len(d); i += 2 {
		lo := end + 1 + rune(d[i])
		end = lo + rune(d[i+1])
		out = append(out, lo-1, lo, end, end+1)
	}
	return out
}
