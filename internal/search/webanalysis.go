package search

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/registry"
)

// The browser runs the same analysis as the index, in English and French
// (analysis.go): bleve's unicode tokenizer, possessive removal,
// lower-casing, French elision, accent folding, stop words, Porter
// stemming, and for French bleve's French light stemmer. The data it needs
// is written into the static index's manifest, computed here from the very
// code and tables bleve uses, so the two cannot drift:
//
//   - the word-break class of every code point (wordbreak_tables.go, read
//     from the Ragel sources of github.com/blevesearch/segment by
//     wordbreak_gen.go) and a DFA for segment's word scanner, compiled from
//     a transliteration of its grammar (segment_words.rl);
//   - Go's lower-case mapping (unicode.ToLower), which bleve's lowercase
//     filter applies rune by rune;
//   - bleve's French elision articles (articles_fr), its ASCII folding
//     table (read from the filter code point by code point), its English
//     stop words (stop_en) and the French chain's stop words;
//   - the code points Go's unicode.IsLetter counts as letters, which the
//     French stemmer asks about.
//
// The Porter and French light stemmers are ported to search.js line by
// line.

//go:generate go run wordbreak_gen.go

// Word-break classes (UAX #29, as of segment's Unicode version) and scripts.
const (
	wbOther = iota
	wbDoubleQuote
	wbSingleQuote
	wbHebrewLetter
	wbCR
	wbLF
	wbNewline
	wbExtend
	wbFormat
	wbKatakana
	wbALetter
	wbMidLetter
	wbMidNum
	wbMidNumLet
	wbNumeric
	wbExtendNumLet
	wbRegionalIndicator
)

const (
	scriptOther = iota
	scriptHangul
	scriptHan
	scriptHiragana
)

type wbRange struct {
	lo, hi     rune
	wb, script uint8
}

// rawClass returns a code point's word-break class and script.
func rawClass(r rune) (wb, script uint8) {
	i := sort.Search(len(wbRanges), func(i int) bool { return wbRanges[i].hi >= r })
	if i < len(wbRanges) && wbRanges[i].lo <= r {
		return wbRanges[i].wb, wbRanges[i].script
	}
	return wbOther, scriptOther
}

// The scanner only tells words from the rest, so classes that behave the
// same there are merged: CR, LF and Newline never take part in a word and
// act like Other (they are ASCII or end a non-word at once); Extend and
// Format are the same.
func behaviour(wb uint8) uint8 {
	switch wb {
	case wbCR, wbLF, wbNewline:
		return wbOther
	case wbFormat:
		return wbExtend
	}
	return wb
}

// WebAnalysis is the analysis data the browser needs, in the static
// index's manifest.
type WebAnalysis struct {
	// Classes maps code points to symbols: ranges as a flat list of
	// (start delta from the previous range's end, length - 1, symbol);
	// code points outside every range are symbol 0.
	Classes []int `json:"classes"`
	// Symbols is how many symbols there are; the DFA's table has a row of
	// that many next states per state.
	Symbols int `json:"symbols"`
	// DFA is the scanner for a word at a position: Next[state*Symbols+sym]
	// is the next state (0: no match is possible any more); state 1
	// starts; Accept lists the states in which a word may end.
	Next   []int `json:"next"`
	Accept []int `json:"accept"`
	// Marks are the symbols of Extend and Format characters, Regional
	// those of regional indicators: they decide how much text a non-word
	// segment takes (see wordTable.skip).
	Marks    []int `json:"marks"`
	Regional []int `json:"regional"`
	// Lower is Go's unicode.ToLower as runs (start delta from the previous
	// run's start, count, step, delta): for i < count, start+i*step maps to
	// start+i*step+delta. Code points in no run map to themselves.
	Lower []int `json:"lower"`
	// Stop is bleve's English stop word list, sorted.
	Stop []string `json:"stop"`
	// StopFr are the French chain's stop words that are not English ones
	// (bleve's French list, accent-folded), sorted.
	StopFr []string `json:"stop_fr"`
	// Articles are the French elisions, dropped with the apostrophe after
	// them ("l'État" → "État"), sorted.
	Articles []string `json:"articles"`
	// Fold is the accent-folding table: for each replacement, the code
	// points that fold to it, as deltas from the previous one. Code points
	// in no list fold to themselves.
	Fold map[string][]int `json:"fold"`
	// Letters are the code points unicode.IsLetter accepts, as runs
	// (start delta from the previous run's end, length - 1).
	Letters []int `json:"letters"`
}

var (
	webOnce sync.Once
	webData WebAnalysis
)

func loadWebAnalysis() {
	// Symbols: 0 is Other without a script; the rest in order of first use.
	webSyms := map[[2]uint8]int{{wbOther, scriptOther}: 0} // (behaviour class, script) → symbol
	symOf := func(wb, script uint8) int {
		k := [2]uint8{behaviour(wb), script}
		s, ok := webSyms[k]
		if !ok {
			s = len(webSyms)
			webSyms[k] = s
		}
		return s
	}
	var classes []int
	prevEnd := rune(-1)
	var runLo, runHi rune
	runSym := -1
	flush := func() {
		if runSym > 0 {
			classes = append(classes, int(runLo-prevEnd-1), int(runHi-runLo), runSym)
			prevEnd = runHi
		}
	}
	for _, r := range wbRanges {
		s := symOf(r.wb, r.script)
		if s == runSym && r.lo == runHi+1 {
			runHi = r.hi
			continue
		}
		flush()
		runLo, runHi, runSym = r.lo, r.hi, s
	}
	flush()
	webData.Classes = classes
	webData.Symbols = len(webSyms)
	webMarks, webRegional := make([]bool, len(webSyms)), make([]bool, len(webSyms))
	for k, sym := range webSyms {
		webMarks[sym] = k[0] == wbExtend
		webRegional[sym] = k[0] == wbRegionalIndicator
	}
	for sym := 0; sym < len(webSyms); sym++ {
		if webMarks[sym] {
			webData.Marks = append(webData.Marks, sym)
		}
		if webRegional[sym] {
			webData.Regional = append(webData.Regional, sym)
		}
	}
	webDFA := compileWordDFA(webSyms)
	webData.Next, webData.Accept = webDFA.next, webDFA.acceptList()
	webData.Lower = lowerRuns()
	webData.Stop = stopWords()
	en := map[string]bool{}
	for _, w := range webData.Stop {
		en[w] = true
	}
	webData.StopFr = []string{}
	for _, w := range frenchStopWords(registry.NewCache()) {
		if !en[w] {
			webData.StopFr = append(webData.StopFr, w)
		}
	}
	webData.Articles = tokenMapWords(fr.ArticlesName)
	webData.Fold = map[string][]int{}
	last := map[string]rune{}
	rs := make([]rune, 0, len(folds()))
	for r := range folds() {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	for _, r := range rs {
		to := folds()[r]
		webData.Fold[to] = append(webData.Fold[to], int(r-last[to]))
		last[to] = r
	}
	webData.Letters = letterRuns()
}

// letterRuns encodes unicode.IsLetter as runs of consecutive letters.
func letterRuns() []int {
	var out []int
	prevEnd := rune(-1)
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsLetter(r) {
			continue
		}
		start := r
		for r+1 <= unicode.MaxRune && unicode.IsLetter(r+1) {
			r++
		}
		out = append(out, int(start-prevEnd-1), int(r-start))
		prevEnd = r
	}
	return out
}

func analysisData() *WebAnalysis {
	webOnce.Do(loadWebAnalysis)
	return &webData
}

// stopWords returns bleve's English stop words, sorted.
func stopWords() []string { return tokenMapWords(en.StopName) }

// tokenMapWords returns the words of one of bleve's token maps, sorted.
func tokenMapWords(name string) []string {
	tm, err := registry.NewCache().TokenMapNamed(name)
	if err != nil {
		panic(err)
	}
	out := make([]string, 0, len(tm))
	for w := range tm {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// lowerRuns encodes unicode.ToLower for every code point that it changes,
// as runs of code points a fixed step apart with the same delta.
func lowerRuns() []int {
	type run struct{ start, count, step, delta int }
	var runs []run
	for r := 0; r <= unicode.MaxRune; r++ {
		d := int(unicode.ToLower(rune(r))) - r
		if d == 0 {
			continue
		}
		if n := len(runs); n > 0 && runs[n-1].delta == d {
			last := &runs[n-1]
			switch {
			case last.count == 1 && r-last.start <= 2:
				last.step, last.count = r-last.start, 2
				continue
			case last.count > 1 && r == last.start+last.count*last.step:
				last.count++
				continue
			}
		}
		runs = append(runs, run{r, 1, 1, d})
	}
	out := make([]int, 0, 4*len(runs))
	prev := 0
	for _, r := range runs {
		out = append(out, r.start-prev, r.count, r.step, r.delta)
		prev = r.start
	}
	return out
}

// dfa is a deterministic automaton over symbols; state 0 is dead, 1 starts.
type dfa struct {
	syms   int
	next   []int
	accept []bool
}

func (d *dfa) acceptList() []int {
	var out []int
	for s, ok := range d.accept {
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// wordGrammar transliterates the word alternatives of segment's scanner
// (segment_words.rl: WordNumeric, WordHangul, WordKatakana, Word, WordHan,
// WordHiragana) into a regular expression over class names; each name
// becomes a character class of the symbols that have it. A word is the
// longest match of any of them; where none matches, the scanner emits a
// "None" segment (spaces, punctuation, symbols), which bleve drops.
const wordGrammar = `
HangulEx = HG E*
HebrewOrALetterEx = (?:HL|AL) E*
NumericEx = NU E*
KatakanaEx = KA E*
MidLetterEx = (?:ML|MNL|SQ) E*
MidNumericEx = (?:MN|MNL|SQ) E*
ExtendNumLetEx = EX E*
HanEx = HN E*
HiraganaEx = HR E*
SingleQuoteEx = SQ E*
DoubleQuoteEx = DQ E*
HebrewLetterEx = HL E*
WordNumeric = (?:{ExtendNumLetEx})* {NumericEx} (?:(?:(?:{ExtendNumLetEx})*|{MidNumericEx}) {NumericEx})* (?:{ExtendNumLetEx})*
WordHangul = (?:{HangulEx})+
WordKatakana = (?:{KatakanaEx})+
Katakanas = {KatakanaEx} (?:(?:{ExtendNumLetEx})* {KatakanaEx})*
Inner = (?:{HebrewLetterEx} (?:{SingleQuoteEx}|{DoubleQuoteEx} {HebrewLetterEx})|{NumericEx} (?:(?:(?:{ExtendNumLetEx})*|{MidNumericEx}) {NumericEx})*|{HebrewOrALetterEx} (?:(?:(?:{ExtendNumLetEx})*|{MidLetterEx}) {HebrewOrALetterEx})*)
Word = (?:{ExtendNumLetEx})* (?:{Katakanas}|(?:{Inner}|{ExtendNumLetEx})+) (?:(?:{ExtendNumLetEx})+ (?:{Katakanas}|(?:{Inner})+))* (?:{ExtendNumLetEx})*
WordHan = {HanEx}
WordHiragana = {HiraganaEx}
Any = {WordNumeric}|{WordHangul}|{WordKatakana}|{Word}|{WordHan}|{WordHiragana}
`

func compileWordDFA(syms map[[2]uint8]int) *dfa {
	// The character class of each name.
	has := map[string]func(wb, script uint8) bool{
		"E":   func(wb, _ uint8) bool { return wb == wbExtend },
		"HL":  func(wb, _ uint8) bool { return wb == wbHebrewLetter },
		"AL":  func(wb, _ uint8) bool { return wb == wbALetter },
		"NU":  func(wb, _ uint8) bool { return wb == wbNumeric },
		"KA":  func(wb, _ uint8) bool { return wb == wbKatakana },
		"ML":  func(wb, _ uint8) bool { return wb == wbMidLetter },
		"MN":  func(wb, _ uint8) bool { return wb == wbMidNum },
		"MNL": func(wb, _ uint8) bool { return wb == wbMidNumLet },
		"SQ":  func(wb, _ uint8) bool { return wb == wbSingleQuote },
		"DQ":  func(wb, _ uint8) bool { return wb == wbDoubleQuote },
		"EX":  func(wb, _ uint8) bool { return wb == wbExtendNumLet },
		"HG":  func(_, s uint8) bool { return s == scriptHangul },
		"HN":  func(_, s uint8) bool { return s == scriptHan },
		"HR":  func(_, s uint8) bool { return s == scriptHiragana },
	}
	const base = 0x100 // symbol s is the rune base+s in the expression
	class := func(name string) string {
		var b strings.Builder
		b.WriteString("[")
		for k, s := range syms {
			if has[name](k[0], k[1]) {
				fmt.Fprintf(&b, `\x{%x}`, base+s)
			}
		}
		if b.Len() == 1 {
			return `\x{10FFFF}` // no symbol has it: never matches
		}
		return b.String() + "]"
	}
	defs := map[string]string{}
	var last string
	for _, line := range strings.Split(strings.TrimSpace(wordGrammar), "\n") {
		name, expr, _ := strings.Cut(line, " = ")
		// Class names (space-separated), then references to earlier
		// definitions.
		var out []string
		for _, tok := range strings.Fields(expr) {
			out = append(out, classRE(tok, class))
		}
		expr = strings.Join(out, "")
		for n, d := range defs {
			expr = strings.ReplaceAll(expr, "{"+n+"}", "(?:"+d+")")
		}
		defs[name] = expr
		last = name
	}
	re, err := syntax.Parse(defs[last], syntax.Perl)
	if err != nil {
		panic(err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		panic(err)
	}
	return determinize(prog, len(syms), base)
}

// classRE replaces the class names in a grammar expression (upper-case
// runs outside {…} references) by their character classes.
func classRE(expr string, class func(string) string) string {
	var b strings.Builder
	for i := 0; i < len(expr); {
		switch c := expr[i]; {
		case c == '{':
			j := strings.IndexByte(expr[i:], '}')
			b.WriteString(expr[i : i+j+1])
			i += j + 1
		case c >= 'A' && c <= 'Z':
			j := i
			for j < len(expr) && expr[j] >= 'A' && expr[j] <= 'Z' {
				j++
			}
			b.WriteString(class(expr[i:j]))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// determinize turns a compiled expression into a DFA over nsym symbols by
// the subset construction.
func determinize(prog *syntax.Prog, nsym int, base rune) *dfa {
	closure := func(pcs []uint32) (key string, set []uint32, match bool) {
		seen := map[uint32]bool{}
		var stack []uint32
		stack = append(stack, pcs...)
		for len(stack) > 0 {
			pc := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[pc] {
				continue
			}
			seen[pc] = true
			in := &prog.Inst[pc]
			switch in.Op {
			case syntax.InstAlt, syntax.InstAltMatch:
				stack = append(stack, in.Out, in.Arg)
			case syntax.InstCapture, syntax.InstNop:
				stack = append(stack, in.Out)
			case syntax.InstMatch:
				match = true
			case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
				set = append(set, pc)
			case syntax.InstEmptyWidth:
				panic("search: anchors in the word grammar")
			}
		}
		sort.Slice(set, func(i, j int) bool { return set[i] < set[j] })
		var b strings.Builder
		for _, pc := range set {
			fmt.Fprintf(&b, "%d,", pc)
		}
		if match {
			b.WriteString("m")
		}
		return b.String(), set, match
	}
	d := &dfa{syms: nsym, next: make([]int, 2*nsym), accept: []bool{false, false}}
	ids := map[string]int{}
	var sets [][]uint32
	key, set, match := closure([]uint32{uint32(prog.Start)})
	ids[key] = 1
	sets = append(sets, nil, set)
	d.accept[1] = match
	for state := 1; state < len(sets); state++ {
		for s := 0; s < nsym; s++ {
			var next []uint32
			for _, pc := range sets[state] {
				if prog.Inst[pc].MatchRune(base + rune(s)) {
					next = append(next, prog.Inst[pc].Out)
				}
			}
			if len(next) == 0 {
				continue
			}
			key, set, match := closure(next)
			id, ok := ids[key]
			if !ok {
				id = len(sets)
				ids[key] = id
				sets = append(sets, set)
				d.next = append(d.next, make([]int, nsym)...)
				d.accept = append(d.accept, match)
			}
			d.next[state*nsym+s] = id
		}
	}
	return d
}
